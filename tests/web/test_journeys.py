"""The three journeys of the staff pages in a real browser (Playwright driving the system
Chromium against the live server): a caseworker records an interview and the start of the
general procedure and sees the deadlines change; legal aid opens the notice of default as a
PDF, records its receipt and follows the appeal against the failure to decide; a supervisor
announces a moratorium and sees the cases it touches. Screenshots go to var/screenshots/."""

from __future__ import annotations

import datetime as dt
import subprocess
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import shot
from toevlucht.cases.models import CaseStatus, ProcedureEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

D = dt.date


def _choose_event(page: Page, label: str) -> None:
    page.select_option("#id_kind", label=label)  # htmx loads the fields of that kind
    expect(page.locator("#event-fields form.event-form")).to_be_visible()


def test_a_caseworker_records_an_interview_and_sees_the_deadlines_change(
    browser_as: Any, live_server: Any, make_user: Any, make_case: Any
) -> None:
    case = make_case(
        nationality="SYR",
        events=[
            ("asylum_requested", D(2022, 4, 11), {}),
            ("application_lodged", D(2022, 4, 13), {}),
        ],
    )
    page = browser_as(make_user("cw", "caseworker", "ind"))
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    expect(page.get_by_role("heading", name="Deadlines", exact=True)).to_be_visible()
    expect(page.locator("#deadlines article")).to_have_count(2)  # decision term, registration

    _choose_event(page, "Registration interview held (aanmeldgehoor)")
    page.fill("#id_effective_date", "2022-04-20")
    page.fill("#id_note", "interpreter Arabic")
    page.click("#event-fields button[type=submit]")
    changes = page.locator("#changes")
    expect(changes).to_contain_text("rest and preparation period")
    expect(changes).to_contain_text("No deadline moved.")
    expect(page.locator("#timeline")).to_contain_text("Registration interview held")
    expect(page.locator("#timeline")).to_contain_text("interpreter Arabic")  # internal note

    # A date after today is refused on the field, nothing is written.
    _choose_event(page, "General asylum procedure started")
    page.fill("#id_effective_date", "2022-06-01")
    page.click("#event-fields button[type=submit]")
    expect(page.locator(".field.invalid")).to_contain_text("after today")
    assert ProcedureEvent.objects.filter(application=case).count() == 3

    page.fill("#id_effective_date", "2022-05-03")
    page.click("#event-fields button[type=submit]")
    status = CaseStatus.objects.get(application=case)
    day6 = next(d for d in status.deadlines if d["kind"] == "general_procedure_decision")
    row = page.locator("#changes tr", has_text="Decision in the general procedure (day 6)")
    expect(row).to_contain_text(dt.date.fromisoformat(day6["due"]).strftime("%-d %B %Y"))
    expect(row).to_contain_text("running")
    expect(page.locator("#deadlines article")).to_have_count(3)
    page.locator("#deadlines details").first.locator("summary").click()
    expect(page.locator("#deadlines details[open] a").first).to_have_attribute(
        "href", "https://wetten.overheid.nl/BWBR0011823/2022-01-01#Artikel42"
    )
    shot(page, "journey-caseworker-case")
    assert violations == []  # htmx ran under the CSP without inline code


def test_legal_aid_opens_the_notice_of_default_and_follows_the_remedies(
    browser_as: Any, live_server: Any, users: dict[str, Any], cases: dict[str, Any], tmp_path: Any
) -> None:
    own = cases["own"]  # lodged 27 Sep 2021; the decision term ended on 27 Mar 2022
    page = browser_as(users["legal_aid"])
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name=own.reference).click()
    remedies = page.locator("#remedies")
    expect(remedies.locator("#r-notice_of_default").locator("..")).to_contain_text("available now")
    shot(page, "journey-legal-aid-case")

    href = page.locator("#notice-pdf").get_attribute("href")
    assert href == f"/cases/{own.pk}/notice-of-default.pdf"
    with page.expect_response(lambda r: r.url.endswith(href)) as info:
        page.evaluate("url => { window.location.href = url }", href)  # open it in the browser
    response = info.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline;")
    pdf = page.request.get(live_server.url + href)
    pdf_file = tmp_path / "notice.pdf"
    pdf_file.write_bytes(pdf.body())
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf_file), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Ingebrekestelling" in text
    assert "27 maart 2022" in text  # the end of the decision term, in Dutch
    assert "Awb art. 6:12(2)" in text  # the legal basis, from the assessment
    assert "Dmitrii Sokolov" in text

    page.goto(f"{live_server.url}/cases/{own.pk}/")
    form = page.locator("#remedies form", has_text="received the notice")
    form.locator("input[type=date]").fill("2022-04-04")
    form.locator("button[type=submit]").click()
    expect(page.locator("#changes")).to_be_visible()
    appeal = page.locator("article[aria-labelledby=r-appeal_failure_to_decide]")
    expect(appeal).to_contain_text("available now")
    notice = page.locator("article[aria-labelledby=r-notice_of_default]")
    expect(notice).to_contain_text("used on 4 April 2022")

    form = appeal.locator("form")
    expect(form.locator("select").first).to_have_value("failure_to_decide")
    form.locator("input[type=date]").fill("2022-05-02")
    form.locator("button[type=submit]").click()
    appeal = page.locator("article[aria-labelledby=r-appeal_failure_to_decide]")
    expect(appeal).to_contain_text("used on 2 May 2022")
    expect(page.locator("#remedies article", has_text="Administrative penalty")).to_be_visible()
    shot(page, "journey-legal-aid-remedies")


def test_a_supervisor_announces_a_moratorium_and_sees_the_affected_cases(
    browser_as: Any, live_server: Any, make_user: Any, make_case: Any
) -> None:
    syrians = [
        make_case(nationality="SYR", events=[("application_lodged", D(2022, 3, 10 + i), {})])
        for i in range(3)
    ]
    russian = make_case(nationality="RUS", events=[("application_lodged", D(2022, 3, 10), {})])
    page = browser_as(make_user("sv", "supervisor", "ind"))
    page.goto(f"{live_server.url}/measures/")
    page.get_by_role("link", name="Announce a measure").click()

    page.fill("#id_id", "syr-2022-moratorium")
    page.select_option("#id_kind", "decision_moratorium")
    page.fill("#id_title_nl", "Besluitmoratorium Syrische aanvragers")
    page.fill("#id_title_en", "Decision moratorium for Syrian applicants")
    page.fill("#id_title_ru", "Мораторий на решения для заявителей из Сирии")
    page.fill("#id_title_uk", "Мораторій на рішення для заявників із Сирії")
    page.select_option("#id_effect_status", "confirmed")
    page.select_option("#id_legal_basis", "vw-43-1")
    page.fill("#id_term_extension_months", "6")
    page.fill("#id_nationalities", "SYR")
    page.fill("#id_periods-0-start", "2022-05-01")
    page.fill("#id_periods-0-until", "2022-11-01")
    page.fill("#id_periods-0-announced", "2022-05-01")
    page.fill("#id_periods-0-source_instrument", "Besluit besluitmoratorium Syrië (Stcrt.)")
    page.fill("#id_periods-0-source_url", "https://example.org/stcrt-2022")
    page.get_by_role("button", name="Preview").click()

    preview = page.locator("#preview")
    expect(preview).to_contain_text("3 of your open cases are touched")
    for app in syrians:
        expect(preview).to_contain_text(app.reference)
    expect(preview).not_to_contain_text(russian.reference)
    shot(page, "journey-supervisor-preview")

    page.get_by_role("button", name="Announce").click()
    expect(page).to_have_url(f"{live_server.url}/measures/syr-2022-moratorium/")
    changed = page.locator("#what-changed")
    expect(changed).to_contain_text("3 of your open cases have a new decision term")
    for app in syrians:
        row = changed.locator("tr", has_text=app.reference)
        expect(row).to_contain_text("suspended by a measure")
    expect(page.locator("#cases")).to_contain_text("3 of your open cases fall under it today")
    shot(page, "journey-supervisor-announced")
    assert all(
        "syr-2022-moratorium" in CaseStatus.objects.get(application=a).measures_in_force
        for a in syrians
    )
