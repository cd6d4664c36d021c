"""A mandate from legal aid's request to the applicant's agreement in the portal, in Chromium
at phone width and in Russian: the request gives no access; agreeing gives it; the page
passes axe."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.portal.test_browser import check, phone, signed_in_page  # noqa: F401  (fixture)
from toevlucht.accounts import services as account_services
from toevlucht.cases.selectors import applications_visible_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_mandate_from_request_to_agreement_in_the_portal(
    phone: Any,  # noqa: F811
    live_server: Any,
    reservist_case: Any,
    applicant_of: Any,
    make_user: Any,
) -> None:
    lawyer = make_user("la", "legal_aid", "vwn", first_name="Lotte", last_name="Jansen")
    m = account_services.mandate_request(actor=lawyer, applicant=reservist_case.applicant)
    assert not applications_visible_to(lawyer).filter(pk=reservist_case.pk).exists()
    me = applicant_of(reservist_case, language="ru")
    page = signed_in_page(phone, live_server, me, locale="ru-RU")
    page.goto(f"{live_server.url}/portal/")
    page.get_by_role("link", name="Кто видит моё дело").first.click()
    expect(page.get_by_role("heading", name="Просит доступ")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Lotte Jansen")
    check(page, "access-request-ru")
    page.get_by_role("button", name="Согласиться").click()
    expect(page.locator(".messages")).to_contain_text("Доступ открыт.")
    expect(page.get_by_role("button", name="Закрыть доступ")).to_be_visible()
    check(page, "access-given-ru")
    m.refresh_from_db()
    assert m.consent_date is not None
    assert applications_visible_to(lawyer).filter(pk=reservist_case.pk).exists()
