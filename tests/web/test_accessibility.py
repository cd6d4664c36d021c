"""Every staff page passes axe-core's WCAG 2.1 A/AA rules in Chromium, in English and Dutch;
the first Tab reaches the skip link, which leads to the main content. Screenshots go to
var/screenshots/ to be looked at."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.web.conftest import shot
from toevlucht.cases import services
from toevlucht.cases.models import ReceptionCentre

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
_axe = Axe()
D = dt.date


def check(page: Page, name: str) -> None:
    page.wait_for_load_state("load")
    for d in page.locator("details").all():  # the explanations too
        d.evaluate("el => el.open = true")
    results = _axe.run(page, options=WCAG)
    assert results.violations_count == 0, f"{name}: {results.generate_report()}"
    shot(page, f"a11y-{name}")


def test_the_staff_pages_pass_axe_in_english_and_dutch(
    browser_as: Any,
    live_server: Any,
    users: dict[str, Any],
    cases: dict[str, Any],
    orgs: dict[str, Any],
) -> None:
    own = cases["own"]
    centre = ReceptionCentre.objects.create(
        name="azc Zwolle", municipality="Zwolle", capacity=400, organisation=orgs["coa"]
    )
    services.placement_record(
        actor=None, applicant=own.applicant, centre=centre, start=D(2021, 9, 27)
    )
    page = browser_as(users["administrator"])
    url = live_server.url
    for lang in ("en", "nl"):
        page.goto(f"{url}/")
        page.select_option("#lang-select", lang)
        page.locator("form.lang button").click()
        expect(page.locator("html")).to_have_attribute("lang", lang)
        for path, name in [
            ("/", "queue"),
            (f"/cases/{own.pk}/", "case"),
            (f"/cases/{own.pk}/events/new/?kind=decision_term_extended", "case-event-form"),
            (f"/cases/{own.pk}/events/{own.events.first().pk}/correct/", "correct"),
            ("/search/?q=Sokolov", "search"),
            ("/measures/", "measures"),
            ("/measures/new/", "measure-new"),
            ("/measures/ru-conscripts-2022-decision/", "measure"),
            ("/reception/", "reception"),
            ("/accounts/two-factor/", "two-factor"),
            (f"/cases/{own.pk}/mandates/new/", "mandate-new"),
            (f"/cases/{own.pk}/placements/new/", "placement-new"),
        ]:
            page.goto(url + path)
            check(page, f"{name}-{lang}")
        # a form with errors is accessible too
        page.goto(f"{url}/cases/{own.pk}/events/new/?kind=decision_term_extended")
        page.locator("#event-fields button[type=submit]").click()
        expect(page.locator(".field.invalid").first).to_be_visible()
        check(page, f"case-errors-{lang}")
        page.goto(f"{url}/cases/{own.pk}/mandates/new/")
        page.get_by_role("button").last.click()
        expect(page.locator(".field.invalid").first).to_be_visible()
        check(page, f"mandate-errors-{lang}")


def test_legal_aid_and_sign_in_pages_pass_axe(
    browser_as: Any, live_server: Any, page: Page, users: dict[str, Any], cases: dict[str, Any]
) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    check(page, "sign-in")
    page.fill("#id_username", "nobody")
    page.fill("#id_password", "wrong")
    page.get_by_role("button", name="Sign in").click()
    check(page, "sign-in-error")
    la = browser_as(users["legal_aid"])
    la.goto(f"{live_server.url}/")
    check(la, "clients")
    la.goto(f"{live_server.url}/cases/{cases['own'].pk}/")
    check(la, "case-legal-aid")


def test_the_first_tab_reaches_the_skip_link_which_leads_to_the_content(
    browser_as: Any, live_server: Any, users: dict[str, Any], cases: dict[str, Any]
) -> None:
    page = browser_as(users["caseworker"])
    page.goto(f"{live_server.url}/cases/{cases['own'].pk}/")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to main content")
    page.keyboard.press("Enter")
    expect(page.locator(":focus")).to_have_attribute("id", "main")
    page.keyboard.press("Tab")  # the next stop is inside the main content
    assert page.evaluate("document.activeElement.closest('main') !== null")
