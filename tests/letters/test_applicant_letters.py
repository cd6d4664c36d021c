"""The authority's letters to the applicant: the notice of an extended decision term or a
moratorium, and the interview invitation. What they say of the law comes from the law
engine's assessment in each language of the letter; they exist only when the law gives
something to tell; the PDF is tagged (PDF/UA-1) with its language and title."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zlib
from typing import Any

import pytest

from tests.conftest import skip_or_fail
from toevlucht.cases.services import assessment_for
from toevlucht.law.informing import interviews_to_come, term_extensions
from toevlucht.letters.applicant import (
    applicant_letter_html,
    applicant_letter_pdf,
    default_body,
    interview_invitation,
    term_notice,
)
from toevlucht.letters.notice import (
    LetterUnavailable,
    NoSignatory,
    notice_of_default,
    notice_of_default_pdf,
)

D = dt.date
LODGED = [("asylum_requested", D(2022, 3, 1), {}), ("application_lodged", D(2022, 3, 10), {})]
EXTENDED = [*LODGED, ("decision_term_extended", D(2022, 8, 1), {"months": 3, "ground": "42(4)(a)"})]
PLANNED = [
    *LODGED,
    (
        "interview_scheduled",
        D(2022, 4, 20),
        {"interview": "registration", "scheduled_for": "2022-05-12"},
    ),
]


@pytest.fixture
def official(make_user: Any) -> Any:
    return make_user("cw", "caseworker", "ind", first_name="Carla", last_name="Wouters")


def pdf_text(pdf: bytes, tmp_path: Any) -> str:
    if shutil.which("pdftotext") is None:
        skip_or_fail("pdftotext missing: apt-get install poppler-utils")
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_info(pdf: bytes, tmp_path: Any) -> dict[str, str]:
    if shutil.which("pdfinfo") is None:
        skip_or_fail("pdfinfo missing: apt-get install poppler-utils")
    path = tmp_path / "info.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def pdf_catalog_lang(pdf: bytes) -> str | None:
    """The catalog's /Lang, read from the file or its compressed object streams."""
    chunks = [pdf]
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            chunks.append(zlib.decompress(m.group(1)))
        except zlib.error:
            continue
    for c in chunks:
        found = re.search(rb"/Type\s*/Catalog.*?/Lang\s*\(([^)]*)\)", c, re.S) or re.search(
            rb"/Lang\s*\(([^)]*)\).*?/Type\s*/Catalog", c, re.S
        )
        if found:
            return found.group(1).decode()
    return None


def struct_langs(pdf: bytes) -> set[tuple[str, str]]:
    """The (structure type, language) of every structure element with a /Lang."""
    out: set[tuple[str, str]] = set()
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            chunk = zlib.decompress(m.group(1))
        except zlib.error:
            continue
        for elem in chunk.split(b"/Type /StructElem")[1:]:
            kind = re.search(rb"/S /(\w+)", elem)
            lang = re.search(rb"/Lang \(([a-z-]+)\)", elem)
            if kind and lang:
                out.add((kind.group(1).decode(), lang.group(1).decode()))
    return out


def test_the_extension_notice_says_what_the_law_applied_in_both_languages(
    make_case: Any, official: Any, settings: Any, tmp_path: Any
) -> None:
    settings.TOEVLUCHT_AS_OF = "2022-09-01"
    app = make_case(nationality="GEO", events=EXTENDED, languages=["ru", "ka"])
    a = assessment_for(app, lang="nl")
    letter = term_notice(application=app, assessment=a, sender=official)
    assert [p.lang for p in letter.parts] == ["nl", "ru"]
    assert letter.fallback_from == ""
    nl, ru = letter.parts
    # the law's extension, in each language, with its ground and article
    law_nl = term_extensions(a.assessment, "nl")
    assert (
        [(e.ground, e.months, e.source) for e in nl.extensions]
        == [(e.ground, e.months, e.source) for e in law_nl]
        == [("42(4)(a)", 3, "Vw 2000 art. 42(4)")]
    )
    assert [e.text for e in ru.extensions] == [e.text for e in term_extensions(a.assessment, "ru")]
    decision = a.deadline("decision")
    assert decision is not None
    assert decision.due == D(2022, 12, 10)
    assert nl.due_text == "10 december 2022"
    assert ru.due_text == "10 декабря 2022 г."
    assert nl.date_text == "1 september 2022"  # the case clock, not today's date
    assert [s.label for s in letter.informs] == ["Vw 2000 art. 42(7)"]
    html = applicant_letter_html(letter)
    assert '<section lang="ru"' in html
    assert '<section lang="nl"' in html
    assert "Wij moeten nu uiterlijk op 10 december 2022 op uw aanvraag beslissen." in html
    assert (
        "Теперь мы должны принять решение по вашему заявлению не позднее 10 декабря 2022 г." in html
    )
    assert "We must now decide" not in html  # no English left in a Russian-Dutch letter
    text = pdf_text(applicant_letter_pdf(letter), tmp_path)
    assert "Verlenging van uw beslistermijn" in text
    assert "Продление срока" in text


def test_a_moratorium_is_told_as_one_with_its_article(
    make_case: Any, official: Any, settings: Any
) -> None:
    settings.TOEVLUCHT_AS_OF = "2022-10-01"
    app = make_case(
        nationality="RUS",
        events=[
            ("asylum_requested", D(2022, 6, 1), {}),
            ("application_lodged", D(2022, 6, 10), {}),
        ],
        sex="male",
        birth_date=D(1999, 1, 1),
        applicant_groups=["conscript_refusing_service"],
        languages=["uk"],
    )
    a = assessment_for(app, lang="nl")
    letter = term_notice(application=app, assessment=a, sender=official)
    law = term_extensions(a.assessment, "nl")
    assert any(e.moratorium and e.source == "Vw 2000 art. 43(1)" for e in law)
    # the moratorium holds the term (suspended) though the latest thing that moved it is
    # the general extension of 27 September 2022, which the law marks as contested
    decision = a.deadline("decision")
    assert decision is not None
    assert decision.status.value == "suspended"
    assert not law[-1].moratorium
    assert law[-1].contested
    assert letter.moratorium
    assert letter.parts[0].title == "Op uw aanvraag is een besluitmoratorium van toepassing"
    assert any(e.contested for e in letter.parts[1].extensions) == any(e.contested for e in law)
    assert "Vw 2000 art. 43(2)" in [s.label for s in letter.informs]
    assert letter.parts[1].lang == "uk"
    html = applicant_letter_html(letter)
    assert "Мораторій" in html or "мораторій" in html


@pytest.mark.parametrize("lang", ["ru", "uk"])
def test_a_sentence_ending_in_a_date_has_one_full_stop(
    make_case: Any, official: Any, settings: Any, lang: str
) -> None:
    """A Russian or Ukrainian date ends in the year's abbreviation ("2022 г.", "2022 р."):
    its dot ends the sentence too, not "2022 г.." as the letter said."""
    settings.TOEVLUCHT_AS_OF = "2022-09-01"
    app = make_case(nationality="GEO", events=EXTENDED, languages=[lang])
    letter = term_notice(
        application=app, assessment=assessment_for(app, lang="nl"), sender=official
    )
    html = applicant_letter_html(letter)
    year = {"ru": "г.", "uk": "р."}[lang]
    assert f"10 {'декабря' if lang == 'ru' else 'грудня'} 2022 {year}" in html
    assert f"{year}." not in html


def test_an_unconfirmed_measure_is_no_extension(
    make_case: Any, official: Any, settings: Any
) -> None:
    """The press-reported Russian pause of spring 2022 has no established effect: the law
    does not apply it, so there is nothing to tell and no letter."""
    settings.TOEVLUCHT_AS_OF = "2022-05-01"
    app = make_case(nationality="RUS", events=LODGED)
    a = assessment_for(app, lang="nl")
    decision = a.deadline("decision")
    assert decision is not None
    assert any(s.status.value == "unconfirmed" for s in decision.steps)  # it is in the trace
    assert term_extensions(a.assessment, "nl") == ()
    with pytest.raises(LetterUnavailable):
        term_notice(application=app, assessment=a, sender=official)


def test_no_extension_notice_after_the_term_expired(
    make_case: Any, official: Any, settings: Any
) -> None:
    settings.TOEVLUCHT_AS_OF = (
        "2023-07-01"  # 3 months of 42(4)(a) and 9 of WBV 2022/22: 10 June 2023
    )
    app = make_case(nationality="GEO", events=EXTENDED)
    with pytest.raises(LetterUnavailable):
        term_notice(application=app, assessment=assessment_for(app, lang="nl"), sender=official)


def test_an_apr_extension_rests_on_apr_article_35(
    make_case: Any, official: Any, settings: Any
) -> None:
    settings.TOEVLUCHT_AS_OF = "2026-10-01"
    app = make_case(
        nationality="GEO",
        events=[
            ("asylum_requested", D(2026, 7, 1), {}),
            ("application_lodged", D(2026, 7, 10), {}),
            ("procedure_assigned", D(2026, 7, 20), {"procedure": "regular"}),
            ("decision_term_extended", D(2026, 9, 1), {"months": 3, "ground": "35(5)"}),
        ],
        languages=["en"],
    )
    a = assessment_for(app, lang="nl")
    letter = term_notice(application=app, assessment=a, sender=official)
    assert [(e.ground, e.source) for e in letter.parts[0].extensions] == [
        ("35(5)", "APR art. 35(5)")
    ]
    assert letter.informs == ()  # the law's data has no APR rule on telling him: none cited
    assert [p.lang for p in letter.parts] == ["nl", "en"]


def test_the_invitation_names_the_planned_interview_and_falls_back_to_english(
    make_case: Any, official: Any, tmp_path: Any
) -> None:
    app = make_case(nationality="GEO", events=PLANNED, languages=["ka"])
    a = assessment_for(app, lang="nl")
    letter = interview_invitation(
        application=app, assessment=a, sender=official, time="10:30", place="Ter Apel"
    )
    assert [p.lang for p in letter.parts] == ["nl", "en"]
    assert letter.fallback_from == "ka"
    coming = interviews_to_come(a.assessment, "nl")
    assert letter.parts[0].interview == coming[0]
    assert coming[0].day == D(2022, 5, 12)
    assert coming[0].source == "Vb 2000 art. 3.108d"
    assert letter.parts[1].interview is not None
    assert letter.parts[1].interview.day_text == "12 May 2022"
    assert "no text in your language (ka)" in letter.parts[1].fallback_note
    assert letter.parts[1].body == default_body("interview_invitation", "en")
    text = pdf_text(applicant_letter_pdf(letter), tmp_path)
    assert "12 mei 2022" in text
    assert "12 May 2022" in text
    assert "10:30" in text
    assert "Ter Apel" in text


def test_no_invitation_without_an_interview_to_come(
    make_case: Any, official: Any, settings: Any
) -> None:
    settings.TOEVLUCHT_AS_OF = "2022-05-13"  # the day after the planned interview
    app = make_case(events=PLANNED)
    with pytest.raises(LetterUnavailable):
        interview_invitation(
            application=app, assessment=assessment_for(app, lang="nl"), sender=official
        )


def test_every_letter_pdf_is_tagged_with_its_language_and_title(
    make_case: Any, official: Any, make_user: Any, tmp_path: Any
) -> None:
    app = make_case(nationality="GEO", events=PLANNED, languages=["uk"])
    invitation = interview_invitation(
        application=app, assessment=assessment_for(app, lang="nl"), sender=official
    )
    late = make_case(
        events=[
            ("asylum_requested", D(2021, 9, 20), {}),
            ("application_lodged", D(2021, 9, 27), {}),
        ]
    )
    lawyer = make_user("la", "legal_aid", "vwn")  # an account without a name
    notice = notice_of_default(
        application=late,
        assessment=assessment_for(late, lang="nl"),
        sender=lawyer,
        signatory="  Ada   de Vries ",
    )
    assert notice.sender_name == "Ada de Vries"
    bilingual = applicant_letter_pdf(invitation)
    # the Ukrainian part is marked as Ukrainian for a screen reader (WCAG 3.1.2)
    assert ("Sect", "uk") in struct_langs(bilingual)
    assert ("Sect", "nl") in struct_langs(bilingual)
    for pdf, title in (
        (bilingual, f"Uitnodiging voor een gehoor · {app.reference}"),
        (notice_of_default_pdf(notice), f"Ingebrekestelling {late.reference}"),
    ):
        info = pdf_info(pdf, tmp_path)
        assert info["Tagged"] == "yes"
        assert info["Title"] == title
        assert pdf_catalog_lang(pdf) == "nl"


def _catalog(lang: str) -> dict[str, str]:
    """msgid -> msgstr of the letters' catalogue in ``lang`` (context "letter")."""
    from pathlib import Path

    po = Path(__file__).resolve().parents[2] / "src/toevlucht/letters/locale" / lang
    text = (po / "LC_MESSAGES/django.po").read_text()
    pairs = re.findall(
        r'msgctxt "letter"\nmsgid "((?:[^"\\]|\\.)*)"\nmsgstr "((?:[^"\\]|\\.)*)"', text
    )
    return {k.replace('\\"', '"'): v for k, v in pairs}


def _template_msgids() -> set[str]:
    """Every text of context "letter" the letters' template asks for."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "src/toevlucht/letters"
    html = (root / "templates/letters/applicant_letter.html").read_text()
    used = set(re.findall(r'{% translate "([^"]+)" context "letter" %}', html))
    for block in re.findall(
        r'{% blocktranslate trimmed context "letter"[^%]*%}(.*?){% endblocktranslate %}', html
    ):
        used.add(re.sub(r"{{ (\w+) }}", r"%(\1)s", block))
    return used


def test_every_text_of_the_letters_is_translated_into_dutch_russian_and_ukrainian() -> None:
    from toevlucht.letters.applicant import INTERVIEW_INVITATION, TERM_NOTICE, _title

    used = _template_msgids() | {"%(first)s and %(last)s"}  # (applicant.informs_phrase)
    assert "Dear %(name)s," in used
    for lang in ("nl", "ru", "uk"):
        catalog = _catalog(lang)
        missing = sorted(m for m in used if not catalog.get(m))
        assert not missing, f"{lang}: {missing}"
        # the wording made in code: every paragraph and title differs from the English
        for kind, moratorium in (
            (TERM_NOTICE, False),
            (TERM_NOTICE, True),
            (INTERVIEW_INVITATION, False),
        ):
            en = default_body(kind, "en", moratorium=moratorium).split("\n\n")
            there = default_body(kind, lang, moratorium=moratorium).split("\n\n")
            assert len(there) == len(en)
            assert all(a != b for a, b in zip(en, there, strict=True)), (lang, kind)
            assert _title(kind, lang, moratorium) != _title(kind, "en", moratorium)


def _pages(pdf: bytes, tmp_path: Any) -> list[str]:
    """The PDF's text page by page (pdftotext ends every page with a form feed)."""
    return [" ".join(p.split()) for p in pdf_text(pdf, tmp_path).split("\f")]


MORATORIUM_CASE: dict[str, Any] = {
    "nationality": "RUS",
    "events": [("asylum_requested", D(2022, 6, 1), {}), ("application_lodged", D(2022, 6, 10), {})],
    "sex": "male",
    "birth_date": D(1999, 1, 1),
    "applicant_groups": ["conscript_refusing_service"],
    "given_names": "Олег",
    "family_name": "Коваленко",
    "given_names_latin": "Oleh",
    "family_name_latin": "Kovalenko",
}


@pytest.mark.parametrize(
    ("lang", "told"),
    [
        ("uk", "Ми повідомляємо вам про це на підставі"),
        ("ru", "Мы сообщаем вам об этом на основании"),
    ],
)
def test_one_sentence_names_the_rules_and_he_is_addressed_in_his_script(
    make_case: Any, official: Any, settings: Any, tmp_path: Any, lang: str, told: str
) -> None:
    """The moratorium notice of 1 October 2022 rests on Vw 43(2) (the moratorium) and
    Vw 42(7) (the general extension): one sentence names both, in each language, and it
    stays on the page of the greeting and the signature. The Cyrillic name on record
    addresses him in the Russian or Ukrainian part; the Dutch part uses the Latin one."""
    settings.TOEVLUCHT_AS_OF = "2022-10-01"
    app = make_case(languages=[lang], **MORATORIUM_CASE)
    letter = term_notice(
        application=app, assessment=assessment_for(app, lang="nl"), sender=official
    )
    assert [s.label for s in letter.informs] == ["Vw 2000 art. 43(2)", "Vw 2000 art. 42(7)"]
    pdf = applicant_letter_pdf(letter)
    pages = _pages(pdf, tmp_path)
    both = "Vw 2000 art. 43(2) {} Vw 2000 art. 42(7).".format
    text = " ".join(pages)
    assert text.count("Wij laten u dit weten op grond van") == 1
    assert f"Wij laten u dit weten op grond van {both('en')}" in text
    assert text.count(told) == 1
    assert f"{told} {both({'uk': 'і', 'ru': 'и'}[lang])}" in text
    # the closing keeps its last sentence, the greeting and the name on one page
    for greeting in ("Met vriendelijke groet,", {"uk": "З повагою,", "ru": "С уважением,"}[lang]):
        page = next(p for p in pages if greeting in p)
        assert "Carla Wouters" in page.split(greeting, 1)[1]
        assert "op grond van" in page or told in page
    assert "Beste Oleh Kovalenko," in text  # the Dutch part: the Latin name
    salute = {"uk": "Шановний(-а)", "ru": "Уважаемый(-ая)"}[lang]
    assert f"{salute} Олег Коваленко!" in text
    assert f"{salute} Oleh" not in text


def test_a_letter_is_never_signed_with_a_login_name(make_case: Any, make_user: Any) -> None:
    """An account without a first or last name signs no letter: the letter's sender name is
    empty (not the login name) and the PDF refuses until a signatory's name is given."""
    nameless = make_user("cw9", "caseworker", "ind")
    app = make_case(nationality="GEO", events=PLANNED, languages=["uk"])
    a = assessment_for(app, lang="nl")
    invitation = interview_invitation(application=app, assessment=a, sender=nameless)
    assert invitation.sender_name == ""
    with pytest.raises(NoSignatory):
        applicant_letter_pdf(invitation)
    assert "cw9" not in applicant_letter_html(invitation)
    signed = interview_invitation(
        application=app, assessment=a, sender=nameless, signatory="Bram Mulder"
    )
    assert signed.sender_name == "Bram Mulder"
    lawyer = make_user("la9", "legal_aid", "vwn")
    late = make_case(
        events=[
            ("asylum_requested", D(2021, 9, 20), {}),
            ("application_lodged", D(2021, 9, 27), {}),
        ]
    )
    notice = notice_of_default(
        application=late, assessment=assessment_for(late, lang="nl"), sender=lawyer
    )
    assert notice.sender_name == ""
    with pytest.raises(NoSignatory):
        notice_of_default_pdf(notice)
