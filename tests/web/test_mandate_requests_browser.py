"""Browser journey (Chromium): legal aid asks a client for a mandate from its navigation,
sees a field error for an unknown V-number, sends the request and withdraws it; axe clean in
English and Dutch."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.test_accessibility import check
from toevlucht.accounts.models import Mandate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_legal_aid_asks_a_client_for_a_mandate(
    browser_as: Any, live_server: Any, users: dict[str, Any], cases: dict[str, Any]
) -> None:
    client = cases["revoked"].applicant  # its earlier mandate was revoked
    page = browser_as(users["legal_aid"])
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Mandate requests").click()
    expect(page.get_by_role("heading", name="Ask a client for a mandate")).to_be_visible()
    check(page, "mandate-requests")
    page.get_by_label("The client's V-number").fill("2299999999")
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator("#id_v_number_error")).to_contain_text("no applicant with this V-number")
    expect(page.get_by_label("The client's V-number")).to_have_attribute("aria-invalid", "true")
    check(page, "mandate-requests-error")
    assert not Mandate.objects.filter(consent_date__isnull=True).exists()
    page.get_by_label("The client's V-number").fill(client.v_number)
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_role("status")).to_contain_text("was sent to the applicant to confirm")
    row = page.locator("table tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(client.v_number)
    expect(page.locator("main")).not_to_contain_text(client.family_name_latin)
    check(page, "mandate-requests-pending")
    page.select_option("#lang-select", "nl")
    page.get_by_role("button", name="Change").click()
    expect(page.get_by_role("heading", name="Een cliënt om een machtiging vragen")).to_be_visible()
    check(page, "mandate-requests-nl")
    page.get_by_role("button", name=f"Trek het verzoek voor V-nummer {client.v_number} in").click()
    expect(page.get_by_role("status")).to_contain_text("is ingetrokken")
    expect(page.locator("main")).to_contain_text("Er wacht geen verzoek.")
    assert Mandate.objects.get(requested_by=users["legal_aid"]).revoked_on is not None
