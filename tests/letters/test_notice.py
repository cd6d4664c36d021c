"""The notice of default: its dates and legal sources come from the law engine's assessment,
it exists only when the assessment opens the remedy, and it renders as a Dutch PDF."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from typing import Any

import pytest

from tests.conftest import skip_or_fail
from toevlucht.cases.services import assessment_for
from toevlucht.letters.notice import (
    LetterUnavailable,
    notice_of_default,
    notice_of_default_html,
    notice_of_default_pdf,
)

D = dt.date
LATE = [("asylum_requested", D(2021, 9, 20), {}), ("application_lodged", D(2021, 9, 27), {})]


@pytest.fixture
def sender(make_user: Any) -> Any:
    return make_user("la", "legal_aid", "vwn", first_name="Lotte", last_name="Jansen")


def test_the_letter_takes_its_dates_and_sources_from_the_assessment(
    make_case: Any, sender: Any
) -> None:
    app = make_case(
        events=LATE,
        given_names="Дмитрий",
        family_name="Соколов",
        given_names_latin="Dmitrii",
        family_name_latin="Sokolov",
    )
    a = assessment_for(app, lang="nl")
    letter = notice_of_default(application=app, assessment=a, sender=sender)
    decision = next(d for d in a.as_json()["deadlines"] if d["kind"] == "decision")
    assert letter.decision_due == D.fromisoformat(decision["due"]) == D(2022, 3, 27)
    assert letter.lodged_on == D(2021, 9, 27)
    assert letter.as_of == D(2022, 5, 9)
    assert [s.text for s in letter.decision_steps] == [s["text"] for s in decision["steps"]]
    assert {s.label for s in letter.sources} >= {"Vw 2000 art. 42(1)", "Awb art. 6:12(2)"}
    # penalties are excluded for asylum decisions then: the letter leaves them out rather
    # than tell the IND that no penalty is due
    assert [r.kind for r in letter.follow_up] == ["appeal_failure_to_decide"]
    assert letter.demand_weeks == 2
    assert letter.appeal_announced
    assert (letter.sender_name, letter.sender_organisation) == ("Lotte Jansen", "VluchtelingenWerk")
    html = notice_of_default_html(letter)
    assert '<html lang="nl">' in html
    assert "27 maart 2022" in html
    assert "27 september 2021" in html
    assert "Dmitrii Sokolov (Дмитрий Соколов)" in html
    # the data's Awb consolidation (2024-01-01) is after the letter (9 May 2022) and it holds
    # no earlier one: the link has no version date; the Vw 2000 of 2022-01-01 keeps its own
    assert "BWBR0005537/2024-01-01" not in html
    assert "&lt;https://wetten.overheid.nl/BWBR0005537#Artikel612&gt;" in html
    assert "&lt;https://wetten.overheid.nl/BWBR0011823/2022-01-01#Artikel42&gt;" in html
    assert "wettelijke bepalingen zoals geldend op 9 mei 2022" in html
    assert "binnen twee weken na de dag waarop u deze brief ontvangt" in html
    assert "artikel 6:12 van de Algemene wet bestuursrecht" in html
    assert "dwangsom" not in html.lower().split("wat de wet verder opent")[0]
    assert "VluchtelingenWerk" in html


def test_the_letter_names_sender_addressee_and_takes_the_edited_text(
    make_case: Any, sender: Any, orgs: dict[str, Any]
) -> None:
    orgs["vwn"].postal_address = "Postbus 1\n1000 AA Amsterdam"
    orgs["vwn"].phone = "020 123 4567"
    orgs["vwn"].save()
    orgs["ind"].postal_address = "Postbus 287\n7600 AG Almelo"
    orgs["ind"].save()
    app = make_case(events=LATE)
    sender.refresh_from_db()
    app.refresh_from_db()
    letter = notice_of_default(
        application=app,
        assessment=assessment_for(app, lang="nl"),
        sender=sender,
        sender_reference="VWN-2022-17",
        body="Eerste alinea.\n\nTweede alinea.",
    )
    html = notice_of_default_html(letter)
    for text in ("Postbus 1<br>1000 AA Amsterdam", "Telefoon 020 123 4567", "7600 AG Almelo"):
        assert text in html
    assert "VWN-2022-17" in html
    assert "<p>Eerste alinea.</p>" in html
    assert "<p>Tweede alinea.</p>" in html
    assert "binnen twee weken" not in html  # the edited text replaced the default
    assert letter.v_number in html
    assert app.reference in html


def test_no_letter_before_the_decision_term_has_passed(make_case: Any, sender: Any) -> None:
    app = make_case(events=[("application_lodged", D(2022, 3, 10), {})])
    with pytest.raises(LetterUnavailable):
        notice_of_default(application=app, assessment=assessment_for(app, lang="nl"), sender=sender)


def test_no_letter_once_the_authority_has_decided(make_case: Any, sender: Any) -> None:
    app = make_case(
        events=[
            *LATE,
            ("decision_notified", D(2022, 4, 20), {"outcome": "refused", "procedure": "extended"}),
        ]
    )
    with pytest.raises(LetterUnavailable):
        notice_of_default(application=app, assessment=assessment_for(app, lang="nl"), sender=sender)


def test_names_are_escaped_in_the_letter(make_case: Any, sender: Any) -> None:
    app = make_case(events=LATE, family_name_latin="<b>Evil</b>")
    letter = notice_of_default(
        application=app, assessment=assessment_for(app, lang="nl"), sender=sender
    )
    html = notice_of_default_html(letter)
    assert "<b>Evil</b>" not in html
    assert "&lt;b&gt;Evil&lt;/b&gt;" in html


def test_the_pdf_is_a_dutch_letter_with_the_cyrillic_name(
    make_case: Any, sender: Any, tmp_path: Any
) -> None:
    if shutil.which("pdftotext") is None:
        skip_or_fail("pdftotext missing: apt-get install poppler-utils")
    app = make_case(
        events=LATE,
        given_names="Дмитрий",
        family_name="Соколов",
        given_names_latin="Dmitrii",
        family_name_latin="Sokolov",
    )
    letter = notice_of_default(
        application=app, assessment=assessment_for(app, lang="nl"), sender=sender
    )
    pdf = notice_of_default_pdf(letter)
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Ingebrekestelling" in text
    assert "Дмитрий Соколов" in text
    assert "De beslistermijn is verstreken op 27 maart 2022" in " ".join(text.split())
    # the nationality by its Dutch name, not the code (make_case's applicant is RUS)
    assert "nationaliteit Rusland" in " ".join(text.split())
    assert "RUS" not in text


def test_a_letter_cites_the_version_in_force_on_its_date(
    make_case: Any, sender: Any, settings: Any
) -> None:
    """Dated on or after the data's Awb consolidation (2024-01-01), the letter links to it;
    dated before it, to no version (never to a later one)."""
    from toevlucht.law.sources import load_sources
    from toevlucht.letters.citing import cited_url

    awb = load_sources()["awb-6-12"]
    assert awb.consolidation_date == D(2024, 1, 1)
    assert cited_url(awb, D(2024, 1, 1)) == awb.url
    assert cited_url(awb, D(2023, 12, 31)) == "https://wetten.overheid.nl/BWBR0005537#Artikel612"
    # an article the data holds in two consolidations: the one in force on the day
    new, old = load_sources()["vw26-43"], load_sources()["vw-43-1"]
    assert (new.bwb_id, new.article) == (old.bwb_id, old.article)
    assert cited_url(new, D(2025, 1, 1)) == old.url
    assert cited_url(new, D(2026, 7, 1)) == new.url
    settings.TOEVLUCHT_AS_OF = "2024-02-01"
    app = make_case(events=LATE)
    letter = notice_of_default(
        application=app, assessment=assessment_for(app, lang="nl"), sender=sender
    )
    urls = {s.label: s.url for s in letter.sources}
    assert (
        urls["Awb art. 6:12(2)"] == "https://wetten.overheid.nl/BWBR0005537/2024-01-01#Artikel612"
    )


@pytest.mark.parametrize(
    ("code", "name"), [("ERI", "Eritrea"), ("XXA", "staatloos"), ("XXX", "onbekend")]
)
def test_the_letter_names_the_nationality_in_dutch(
    make_case: Any, sender: Any, code: str, name: str
) -> None:
    app = make_case(events=LATE, nationality=code)
    letter = notice_of_default(
        application=app, assessment=assessment_for(app, lang="nl"), sender=sender
    )
    html = notice_of_default_html(letter)
    assert f"nationaliteit {name}</td>" in html
    assert code not in html.replace(app.reference, "")
