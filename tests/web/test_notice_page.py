"""The notice of default's page: legal aid edits the text, then gets the PDF with it."""

from __future__ import annotations

import shutil
import subprocess
from typing import Any

import pytest

from tests.conftest import skip_or_fail
from toevlucht.audit.models import AuditEntry
from toevlucht.letters.models import SentLetter


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
    stored = SentLetter.objects.get(application=own)
    assert r.status_code == 302
    assert r["Location"] == f"/cases/{own.pk}/#letter-{stored.pk}"  # the case file
    assert (
        f"/cases/{own.pk}/letters/{stored.pk}.pdf"
        in client.get(f"/cases/{own.pk}/").content.decode()
    )
    assert stored.body == "Een eigen alinea van de advocaat."
    entry = AuditEntry.objects.get(action="create", object_type="letter")
    assert entry.object_ids == [str(stored.pk)]
    again = client.get(f"/cases/{own.pk}/letters/{stored.pk}.pdf")
    assert again["Content-Type"] == "application/pdf"
    assert again.content == bytes(stored.pdf)
    assert AuditEntry.objects.filter(action="read", object_type="letter").count() == 1
    path = tmp_path / "edited.pdf"
    path.write_bytes(again.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Een eigen alinea van de advocaat." in text
    assert "VWN-17" in text
    assert "Letters in the case file" in client.get(f"/cases/{own.pk}/").content.decode()
    r = client.post(f"/cases/{own.pk}/notice-of-default.pdf", {"body": ""})
    assert r.status_code == 400  # an empty letter is a form error
    assert SentLetter.objects.count() == 1  # and nothing is stored


def test_a_stored_letter_cannot_be_changed_or_removed(
    cases: dict[str, Any], users: dict[str, Any], client: Any
) -> None:
    client.force_login(users["legal_aid"])
    client.post(f"/cases/{cases['own'].pk}/notice-of-default.pdf", {"body": "Tekst."})
    row = SentLetter.objects.get()
    row.body = "anders"
    with pytest.raises(TypeError):
        row.save()
    with pytest.raises(TypeError):
        SentLetter.objects.filter(pk=row.pk).update(body="anders")
    with pytest.raises(TypeError):
        SentLetter.objects.all().delete()
    # another authority's caseworker cannot download it
    other = client_for_user(users["foreign_caseworker"])
    assert other.get(f"/cases/{cases['own'].pk}/letters/{row.pk}.pdf").status_code == 404


def client_for_user(user: Any) -> Any:
    from django.test import Client

    c = Client()
    c.force_login(user)
    return c


def test_legal_aid_makes_the_notices_of_all_late_clients_at_once(
    cases: dict[str, Any], users: dict[str, Any], client: Any
) -> None:
    client.force_login(users["legal_aid"])
    page = client.get("/notices/")
    assert page.status_code == 200
    late = [a.reference for a in page.context["late"]]
    assert late == [cases["own"].reference]  # the mandated client whose term expired
    r = client.post("/notices/")
    assert r.status_code == 200
    assert [row.application_id for row in SentLetter.objects.all()] == [cases["own"].pk]
    assert AuditEntry.objects.filter(action="create", object_type="letter").count() == 1


def test_the_batch_shows_the_notices_sent_and_skips_todays_unless_ticked(
    cases: dict[str, Any], users: dict[str, Any], client: Any
) -> None:
    """Making the notices again the same day adds none unless the client is ticked; the page
    shows per client the dates of the notices already in his case file."""
    from toevlucht import clock

    client.force_login(users["legal_aid"])
    own = cases["own"]
    client.post("/notices/")
    assert SentLetter.objects.filter(application=own).count() == 1
    page = client.get("/notices/")
    html = page.content.decode()
    row = html.split(f'id="client-{own.pk}"', 1)[1].split("</tr>", 1)[0]
    assert f'name="again" value="{own.pk}"' in row  # offered, not ticked
    assert "checked" not in row
    assert clock.today().strftime("%Y") in row  # the date of the notice sent
    r = client.post("/notices/")  # again, nobody ticked: skipped, nothing added
    assert r.status_code == 200
    assert SentLetter.objects.filter(application=own).count() == 1
    assert "1 client(s) skipped" in r.content.decode()
    client.post("/notices/", {"again": [str(own.pk)]})  # ticked: another one
    assert SentLetter.objects.filter(application=own).count() == 2


def test_a_user_without_a_name_is_asked_for_the_signatory(
    cases: dict[str, Any], make_user: Any, tmp_path: Any
) -> None:
    """The notice is never signed with a login name: a legal-aid account without a name
    gets a required signatory field (an empty one is a field error, nothing is stored), the
    standard PDF sends him to the form, and the name typed signs the letter."""
    from toevlucht.accounts.models import Mandate

    own = cases["own"]
    nameless = make_user("lawyer7", "legal_aid", "vwn")
    assert Mandate.objects.filter(applicant=own.applicant, organisation=nameless.organisation)
    c = client_for_user(nameless)
    page = c.get(f"/cases/{own.pk}/notice-of-default/")
    assert 'name="signatory"' in page.content.decode()
    r = c.get(f"/cases/{own.pk}/notice-of-default.pdf")
    assert r.status_code == 302
    assert r["Location"] == f"/cases/{own.pk}/notice-of-default/"
    r = c.post(f"/cases/{own.pk}/notice-of-default.pdf", {"body": "Tekst.", "signatory": " "})
    assert r.status_code == 400
    assert "Type the name the letter is signed with." in r.content.decode()
    assert not SentLetter.objects.exists()
    assert c.post("/notices/").status_code == 400  # the batch asks too
    assert not SentLetter.objects.exists()
    c.post(f"/cases/{own.pk}/notice-of-default.pdf", {"body": "Tekst.", "signatory": "Ada Vos"})
    row = SentLetter.objects.get()
    path = tmp_path / "signed.pdf"
    path.write_bytes(bytes(row.pdf))
    if shutil.which("pdftotext") is None:
        skip_or_fail("pdftotext missing: apt-get install poppler-utils")
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Ada Vos" in text
    assert "lawyer7" not in text
    # a user with a name is not asked
    named = client_for_user(make_user("lawyer8", "legal_aid", "vwn", first_name="Mila"))
    page = named.get(f"/cases/{own.pk}/notice-of-default/")
    assert 'name="signatory"' not in page.content.decode()
