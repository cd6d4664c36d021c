"""Browser journeys of issue 11 (Chromium): the work queue by legal urgency with the overdue
case first, assigning from it; intake with a duplicate warning; axe clean on the new pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.conftest import shot
from tests.web.test_accessibility import check
from toevlucht.cases.models import Applicant, Application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = dt.date


def test_the_queue_puts_the_overdue_case_first_and_assigns_from_it(
    browser_as: Any, live_server: Any, users: dict[str, Any], cases: dict[str, Any], make_case: Any
) -> None:
    dublin = make_case(
        events=[
            ("asylum_requested", D(2022, 3, 1), {}),
            ("application_lodged", D(2022, 3, 3), {}),
            ("track_assigned", D(2022, 3, 4), {"track": "dublin"}),
        ]
    )
    page = browser_as(users["caseworker"])
    page.goto(f"{live_server.url}/")
    rows = page.locator("table.queue tbody tr")
    expect(rows.first).to_contain_text(cases["own"].reference)  # decision term expired
    expect(rows.first).to_contain_text("days late")
    expect(rows.nth(1)).to_contain_text(dublin.reference)
    expect(rows.nth(1)).to_contain_text("no registration interview yet")
    check(page, "queue-urgency")
    page.locator(f"#pick-{cases['own'].pk}").check()
    page.locator(f"#pick-{dublin.pk}").check()
    page.select_option("#assign-to", str(users["caseworker"].pk))
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("2 case(s) assigned.")
    assert set(
        Application.objects.filter(caseworker=users["caseworker"]).values_list("pk", flat=True)
    ) == {cases["own"].pk, dublin.pk}
    page.get_by_label("My cases").check()
    expect(page.locator("table.queue tbody tr")).to_have_count(2)
    page.get_by_role("link", name="Waiting since").click()
    expect(page.locator("th[aria-sort=ascending]")).to_contain_text("Waiting since")
    shot(page, "queue-sorted")


def test_intake_warns_of_a_duplicate_in_another_spelling(
    browser_as: Any, live_server: Any, users: dict[str, Any], cases: dict[str, Any]
) -> None:
    page = browser_as(users["caseworker"])
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="New applicant").click()
    check(page, "intake")
    # the world's Дмитрий Соколов, born 2 April 1993, typed in an English spelling
    page.get_by_label("V-number").fill("2205090001")
    page.get_by_label("Given names (Latin)").fill("Dmitriy")
    page.get_by_label("Family name (Latin)").fill("Sokolov")
    page.get_by_label("Birth date").fill("1993-04")
    page.get_by_label("Nationality").select_option(label="Russia")
    page.get_by_role("button", name="Register").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("This person may be on record already")
    expect(alert).to_contain_text(cases["own"].applicant.v_number)
    check(page, "intake-duplicate")
    assert not Applicant.objects.filter(v_number="2205090001").exists()
    page.get_by_label("Why a second record is made anyway").fill("another man, checked")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", name="Open an application")).to_be_visible()
    check(page, "intake-case")
    page.get_by_role("button", name="Open the application").click()
    a = Applicant.objects.get(v_number="2205090001")
    app = Application.objects.get(applicant=a)
    expect(page).to_have_url(f"{live_server.url}/cases/{app.pk}/")
    assert app.caseworker == users["caseworker"]
