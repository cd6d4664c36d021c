"""No raw code of the law's vocabulary on a staff page, in English or Dutch: groups, sexes,
tracks, procedures, stages, deadline kinds, event kinds and extension grounds are shown by
their names. The pages are rendered and their text (without tags and attributes) searched
for every code the law defines — so a new code without a label fails here. Nationalities
too: the cases shown are of a country, of the stateless and of unknown nationality, and
their codes (three capitals, as "IND" the authority's name is too) are searched for."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from toevlucht.law import EventKind
from toevlucht.law.deadlines import DeadlineKind
from toevlucht.law.measures import groups, load_measures
from toevlucht.law.model import EXTENSION_GROUNDS, Procedure, Stage, Track

D = dt.date


def _codes() -> set[str]:
    """The codes that read as codes (an underscore in them): a name such as ``general``
    or ``male`` can be a word of the label too."""
    words = {
        *groups(),
        *(k.value for k in EventKind),
        *(k.value for k in DeadlineKind),
        *(s.value for s in Stage),
        *(t.value for t in Track),
        *(p.value for p in Procedure),
    }
    return {w for w in words if "_" in w} | {"general_procedure"}


CODES = _codes()
CODE = re.compile(r"(?<![\w/.#-])(" + "|".join(map(re.escape, sorted(CODES))) + r")(?![\w/-])")
# an extension ground as the law stores it, not cited as an article
GROUND = re.compile(
    r"(?<!art\. )(?<!ст\. )(?<!lid )(?<![\w(])("
    + "|".join(re.escape(g) for g in EXTENSION_GROUNDS if "(" in g)
    + r")(?![\w(])"
)


# the nationalities of the cases the pages show (``extended_case`` and ``others``)
NATIONALITIES = ("RUS", "AFG", "XXA", "XXX")
NATIONALITY = re.compile(r"(?<![\w/.#-])(" + "|".join(NATIONALITIES) + r")(?![\w/-])")


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style|template)\b[^>]*>.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<option value=\"[^\"]*\"", "<option", html)
    return re.sub(r"<[^>]+>", " ", html)


def raw_codes(html: str) -> list[str]:
    text = visible_text(html)
    return sorted(
        {m.group(1) for m in CODE.finditer(text)}
        | {m.group(1) for m in GROUND.finditer(text)}
        | {m.group(1) for m in NATIONALITY.finditer(text)}
    )


def test_the_checks_find_a_code_when_there_is_one() -> None:
    assert raw_codes("<p>Groups: reservist_refusing_service</p>") == ["reservist_refusing_service"]
    assert raw_codes("<td>ground 42(4)(b)</td>") == ["42(4)(b)"]
    assert raw_codes("<td>Vw 2000 art. 42(4)(b): many applications</td>") == []
    assert raw_codes('<a href="/x?group=reservist_refusing_service">reservist</a>') == []
    assert raw_codes("<td>Petrov</td><td>RUS</td>") == ["RUS"]
    assert raw_codes('<option value="XXA">stateless</option>') == []


@pytest.fixture
def cw(make_user: Any, client: Any) -> Any:
    client.force_login(make_user("cw", "caseworker", "ind"))
    return client


@pytest.fixture
def extended_case(make_case: Any) -> Any:
    return make_case(
        nationality="RUS",
        sex="male",
        languages=["ru"],
        applicant_groups=["reservist_refusing_service"],
        events=[
            ("application_lodged", D(2022, 3, 10), {}),
            ("registration_interview_held", D(2022, 3, 20), {}),
            ("decision_term_extended", D(2022, 5, 2), {"months": 9, "ground": "42(4)(b)"}),
        ],
    )


@pytest.fixture
def others(make_case: Any) -> list[Any]:
    """Cases of the other nationalities, found by the search for Petrov too."""
    return [make_case(nationality=n) for n in NATIONALITIES[1:]]


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_no_staff_page_shows_a_raw_code(
    cw: Any, extended_case: Any, others: list[Any], make_user: Any, client_for: Any, lang: str
) -> None:
    sv = client_for(make_user("sv", "supervisor", "ind"))
    pages = {
        "queue": cw.get("/", headers={"Accept-Language": lang}),
        "queue filtered": cw.get(
            "/?group=reservist_refusing_service", headers={"Accept-Language": lang}
        ),
        "case": cw.get(f"/cases/{extended_case.pk}/", headers={"Accept-Language": lang}),
        "stateless case": cw.get(f"/cases/{others[1].pk}/", headers={"Accept-Language": lang}),
        "queue of one nationality": cw.get("/?nationality=XXX", headers={"Accept-Language": lang}),
        "statistics": client_for(make_user("an", "analyst", "ind")).get(
            "/", headers={"Accept-Language": lang}
        ),
        "event form": cw.get(
            f"/cases/{extended_case.pk}/?kind=decision_term_extended",
            headers={"Accept-Language": lang},
        ),
        "search": cw.get("/search/?q=Petrov", headers={"Accept-Language": lang}),
        "measures": sv.get("/measures/", headers={"Accept-Language": lang}),
        "announce": sv.get("/measures/new/", headers={"Accept-Language": lang}),
        "new applicant": cw.get("/applicants/new/", headers={"Accept-Language": lang}),
    }
    for mid in load_measures():
        pages[f"measure {mid}"] = sv.get(f"/measures/{mid}/", headers={"Accept-Language": lang})
    found = {}
    for name, r in pages.items():
        assert r.status_code == 200, (name, r.status_code)
        codes = raw_codes(r.content.decode())
        if codes:
            text = visible_text(r.content.decode())
            found[name] = [
                " ".join(text[max(0, i - 80) : i + 60].split())
                for c in codes
                for i in [text.find(c)]
            ]
    assert found == {}


def test_the_case_page_names_the_extension_ground_by_its_article(
    cw: Any, extended_case: Any
) -> None:
    for lang, text in (
        ("en", "Vw 2000 art. 42(4)(b): many applications at the same time"),
        ("nl", "Vw 2000 art. 42 lid 4 onder b: groot aantal gelijktijdige aanvragen"),
    ):
        html = cw.get(f"/cases/{extended_case.pk}/", headers={"Accept-Language": lang})
        assert text in html.content.decode()


def test_a_source_named_in_words_is_named_in_the_pages_language(
    make_user: Any, client_for: Any
) -> None:
    from toevlucht.law import load_sources

    press = next(c for c in load_sources().values() if c.label == "press reports, spring 2022")
    assert press.label_in("nl") == "persberichten, voorjaar 2022"
    assert press.label_in("en") == "press reports, spring 2022"
    sv = client_for(make_user("sv", "supervisor", "ind"))
    nl = sv.get("/measures/ru-decision-stop-2022-press/", headers={"Accept-Language": "nl"})
    en = sv.get("/measures/ru-decision-stop-2022-press/", headers={"Accept-Language": "en"})
    assert "persberichten, voorjaar 2022" in nl.content.decode()
    assert "press reports, spring 2022" not in nl.content.decode()
    assert "press reports, spring 2022" in en.content.decode()
