"""Browser journeys of the letters (Chromium), at the demo's date 1 October 2022: legal aid
writes a notice of default for a late client, edits it, sends it, finds it in the case
file and downloads it again; a caseworker tells an applicant under the conscript
moratorium about it in Russian beside Dutch, and invites him to his interview. axe is
clean on every new page, with its errors too."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.conftest import skip_or_fail
from tests.web.conftest import shot
from tests.web.test_accessibility import check
from toevlucht.letters.models import SentLetter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = dt.date


@pytest.fixture(autouse=True)
def _demo_day(settings: Any) -> None:
    settings.TOEVLUCHT_AS_OF = "2022-10-01"


def pdf_text(page: Any, url: str, tmp_path: Any) -> str:
    if shutil.which("pdftotext") is None:
        skip_or_fail("pdftotext missing: apt-get install poppler-utils")
    response = page.request.get(url)  # the browser's session: the download as it sees it
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    path = tmp_path / "downloaded.pdf"
    path.write_bytes(response.body())
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_legal_aid_edits_sends_and_downloads_a_notice_of_default(
    browser_as: Any, live_server: Any, users: dict[str, Any], cases: dict[str, Any], tmp_path: Any
) -> None:
    own = cases["own"]  # lodged 27 Sep 2021: the decision term ended on 27 Mar 2022
    page = browser_as(users["legal_aid"])
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name=own.reference).click()
    page.locator("#notice-edit").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Notice of default")
    check(page, "notice-edit")
    body = page.get_by_label("Text of the letter")
    expect(body).to_contain_text("binnen twee weken")  # the law's waiting period, in words
    body.fill("")
    page.get_by_role("button", name="Make the PDF and store it in the case file").click()
    expect(page.locator(".field.invalid")).to_be_visible()  # an empty letter: a field error
    check(page, "notice-edit-errors")
    assert not SentLetter.objects.exists()
    edited = "Mijn cliënt wacht sinds september 2021 op een besluit."
    page.get_by_label("Your reference").fill("VWN-2022-118")
    page.get_by_label("Text of the letter").fill(
        f"{edited}\n\nIk verzoek u binnen twee weken te beslissen."
    )
    page.get_by_role("button", name="Make the PDF and store it in the case file").click()
    expect(page.locator(".messages")).to_contain_text("The letter is stored in the case file.")
    row = SentLetter.objects.get(application=own)
    assert row.sent_on == D(2022, 10, 1)  # the case clock's day
    letters = page.locator("#letters")
    link = letters.get_by_role("link", name="Notice of default of 1 October 2022")
    expect(link).to_be_visible()
    check(page, "case-letters")
    shot(page, "journey-notice-stored")
    href = link.get_attribute("href")
    assert href == f"/cases/{own.pk}/letters/{row.pk}.pdf"
    text = pdf_text(page, live_server.url + href, tmp_path)
    assert edited in text
    assert "VWN-2022-118" in text
    assert "27 maart 2022" in text  # the law's end of the decision term


def test_a_caseworker_tells_a_conscript_of_the_moratorium_and_invites_him(
    browser_as: Any, live_server: Any, users: dict[str, Any], make_case: Any, tmp_path: Any
) -> None:
    app = make_case(
        nationality="RUS",
        events=[
            ("asylum_requested", D(2022, 6, 1), {}),
            ("application_lodged", D(2022, 6, 10), {}),
            (
                "interview_scheduled",
                D(2022, 9, 20),
                {"interview": "registration", "scheduled_for": "2022-10-12"},
            ),
        ],
        given_names="Дмитрий",
        family_name="Орлов",
        given_names_latin="Dmitrii",
        family_name_latin="Orlov",
        sex="male",
        birth_date=D(1999, 1, 1),
        applicant_groups=["conscript_refusing_service"],
        languages=["ru"],
    )
    page = browser_as(users["caseworker"])
    page.goto(f"{live_server.url}/cases/{app.pk}/")
    page.locator("#term-letter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Notice of the decision moratorium"
    )
    expect(page.locator("#law-heading + div")).to_contain_text("Vw 2000 art. 43(1)")
    check(page, "term-letter")
    own = "Мы свяжемся с вами, когда мораторий закончится."
    ru = page.get_by_label("Text in Russian")
    ru.fill(ru.input_value() + "\n\n" + own)
    page.get_by_role("button", name="Make the PDF and store it in the case file").click()
    expect(page.locator(".messages")).to_contain_text("The letter is stored in the case file.")
    row = SentLetter.objects.get(application=app)
    assert (row.kind, row.language) == ("term_extension_notice", "ru")
    link = page.locator("#letters").get_by_role(
        "link", name="Notice of the decision term of 1 October 2022"
    )
    text = pdf_text(page, live_server.url + link.get_attribute("href"), tmp_path)
    assert own in text
    assert "Op uw aanvraag is een besluitmoratorium van toepassing" in text
    assert "Vw 2000 art. 43(2)" in text  # the rule that he be told

    page.locator("#interview-letter").click()
    check(page, "interview-letter")
    page.get_by_role("button", name="Make the PDF and store it in the case file").click()
    expect(page.locator("#id_time_error")).to_be_visible()  # no time given
    expect(page.locator("#id_place_error")).to_be_visible()  # nor a place
    check(page, "interview-letter-errors")
    assert SentLetter.objects.filter(application=app).count() == 1
    page.get_by_label("Time of the interview").fill("09:45")
    page.get_by_label("Place of the interview").fill("Aanmeldcentrum Ter Apel")
    page.get_by_role("button", name="Make the PDF and store it in the case file").click()
    link = page.locator("#letters").get_by_role(
        "link", name="Interview invitation of 1 October 2022"
    )
    text = pdf_text(page, live_server.url + link.get_attribute("href"), tmp_path)
    assert "12 oktober 2022" in text
    assert "12 октября 2022 г." in text
    assert "09:45" in text
    assert "Aanmeldcentrum Ter Apel" in text
    shot(page, "journey-applicant-letters")

    plain = make_case(nationality="GEO")  # lodged 10 March 2022: nothing the law extended
    page.goto(f"{live_server.url}/cases/{plain.pk}/")
    expect(page.locator("#letters")).to_contain_text("the law applies no extension")
    expect(page.locator("#term-letter")).to_have_count(0)
    page.goto(f"{live_server.url}/cases/{plain.pk}/letters/term/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "There is nothing the law gives to tell"
    )
    check(page, "applicant-letter-unavailable")
