"""The notice of default's page: legal aid edits the text, then gets the PDF with it."""

from __future__ import annotations

import shutil
import subprocess
from typing import Any

from tests.conftest import skip_or_fail


def test_legal_aid_edits_the_text_before_the_pdf(
    cases: dict[str, Any], users: dict[str, Any], client: Any, tmp_path: Any
) -> None:
    if shutil.which("pdftotext") is None:
        skip_or_fail("pdftotext missing: apt-get install poppler-utils")
    client.force_login(users["legal_aid"])
    own = cases["own"]
    page = client.get(f"/cases/{own.pk}/notice-of-default/")
    assert page.status_code == 200
    assert "binnen twee weken" in page.content.decode()
    r = client.post(
        f"/cases/{own.pk}/notice-of-default.pdf",
        {"sender_reference": "VWN-17", "body": "Een eigen alinea van de advocaat."},
    )
    assert r["Content-Type"] == "application/pdf"
    path = tmp_path / "edited.pdf"
    path.write_bytes(r.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Een eigen alinea van de advocaat." in text
    assert "VWN-17" in text
    r = client.post(f"/cases/{own.pk}/notice-of-default.pdf", {"body": ""})
    assert r.status_code == 400  # an empty letter is a form error
