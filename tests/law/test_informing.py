"""What the applicant is told (law/informing.py): the extensions the law applied to his
decision term, with their ground, article and the rule requiring that he be told, and the
interviews still to come. The expected values are the trace's, not restated numbers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from toevlucht.law import assess, parse_case
from toevlucht.law.informing import (
    decision_term_open,
    interviews_to_come,
    term_caveats,
    term_extensions,
    term_limits,
)
from toevlucht.law.sources import Status

D = dt.date


def _assess(events: list[dict[str, Any]], on: dt.date, **applicant: Any) -> Any:
    return assess(
        parse_case({"applicant": {"nationality": "GEO", **applicant}, "events": events}), on
    )


LODGED = [
    {"kind": "asylum_requested", "date": "2022-03-01"},
    {"kind": "application_lodged", "date": "2022-03-10"},
]


def test_individual_extensions_under_42_4_and_42_5_are_told_with_article_42_7() -> None:
    a = _assess(
        [
            *LODGED,
            {
                "kind": "decision_term_extended",
                "date": "2022-08-01",
                "months": 3,
                "ground": "42(4)(c)",
            },
            {
                "kind": "decision_term_extended",
                "date": "2022-12-01",
                "months": 3,
                "ground": "42(5)",
            },
        ],
        D(2022, 12, 2),
    )
    lines = term_extensions(a, "en")
    decision = a.deadline("decision")
    moved = [
        s
        for s in decision.steps
        if s.key in ("decision.extended", "measure.extended", "measure.extended_contested")
    ]
    # the two letters and, between them, the general extension of 27 September 2022
    assert [(x.months, x.due, x.source) for x in lines] == [
        (s.params["months"], s.date, s.source.label) for s in moved
    ]
    assert [x.ground for x in lines] == ["42(4)(c)", "42(4)(b)", "42(5)"]
    assert [x.measure_id for x in lines] == ["", "nl-wbv-2022-22", ""]
    assert [x.contested for x in lines] == [False, True, False]
    assert {x.informs.label for x in lines if x.informs} == {"Vw 2000 art. 42(7)"}
    assert not any(x.moratorium for x in lines)
    assert lines[-1].due == decision.due
    assert decision_term_open(a)


def test_an_individual_vw_43_letter_is_a_moratorium_told_under_43_2() -> None:
    a = _assess(
        [
            *LODGED,
            {"kind": "decision_term_extended", "date": "2022-06-01", "months": 6, "ground": "43"},
        ],
        D(2022, 7, 1),
    )
    (line,) = term_extensions(a, "nl")
    assert line.moratorium
    assert (line.ground, line.source) == ("43", "Vw 2000 art. 43(1)")
    assert line.informs is not None
    assert line.informs.label == "Vw 2000 art. 43(2)"


def test_texts_follow_the_language() -> None:
    events = [
        *LODGED,
        {"kind": "decision_term_extended", "date": "2022-08-01", "months": 3, "ground": "42(4)(a)"},
    ]
    a = _assess(events, D(2022, 9, 1))
    texts = {lang: term_extensions(a, lang)[0].text for lang in ("en", "nl", "ru", "uk")}
    assert len(set(texts.values())) == 4  # one sentence, four languages
    assert "1 августа 2022" in texts["ru"]
    assert "1 серпня 2022" in texts["uk"]


def test_an_unconfirmed_or_possible_measure_is_no_extension() -> None:
    # a Russian man without groups recorded in spring 2022: the press-reported pause is
    # unconfirmed; the conscript moratorium's scope may match (groups not recorded)
    a = _assess(
        [
            {"kind": "asylum_requested", "date": "2022-06-01"},
            {"kind": "application_lodged", "date": "2022-06-10"},
        ],
        D(2022, 7, 15),
        nationality="RUS",
        sex="male",
        birth_date="1999-01-01",
    )
    steps = a.deadline("decision").steps
    assert any(s.status is Status.UNCONFIRMED for s in steps)
    assert term_extensions(a, "en") == ()
    assert term_caveats(a, "en") == ()  # they do not concern the end date told to him


def test_a_moratorium_measure_and_the_cap_that_holds_it() -> None:
    a = _assess(
        [
            {"kind": "asylum_requested", "date": "2022-06-01"},
            {"kind": "application_lodged", "date": "2022-06-10"},
        ],
        D(2022, 10, 1),
        nationality="RUS",
        sex="male",
        birth_date="1999-01-01",
        groups=["conscript_refusing_service"],
    )
    lines = term_extensions(a, "en")
    assert [x.measure_id for x in lines if x.moratorium] == ["ru-conscripts-2022-decision"]
    assert a.deadline("decision").status.value == "suspended"
    limits = term_limits(a, "en")
    capped = [s for s in a.deadline("decision").steps if s.key == "decision.capped"]
    assert [src for _, src in limits] == [s.source.label for s in capped]
    assert limits  # 6 + 12 + 9 months would pass the moratorium's maximum


def test_apr_grounds_cite_the_apr_and_no_rule_on_telling() -> None:
    a = _assess(
        [
            {"kind": "asylum_requested", "date": "2026-07-01"},
            {"kind": "application_lodged", "date": "2026-07-10"},
            {"kind": "procedure_assigned", "date": "2026-07-20", "procedure": "regular"},
            {
                "kind": "decision_term_extended",
                "date": "2026-09-01",
                "months": 3,
                "ground": "35(5)",
            },
        ],
        D(2026, 10, 1),
    )
    (line,) = term_extensions(a, "en")
    assert (line.ground, line.source, line.informs) == ("35(5)", "APR art. 35(5)", None)


def test_no_term_to_tell_about_after_a_decision() -> None:
    a = _assess(
        [
            *LODGED,
            {
                "kind": "decision_notified",
                "date": "2022-06-01",
                "outcome": "granted",
                "procedure": "general",
            },
        ],
        D(2022, 7, 1),
    )
    assert not decision_term_open(a)


def test_interviews_to_come_leave_out_the_past_and_the_held() -> None:
    plan = {
        "kind": "interview_scheduled",
        "date": "2022-04-01",
        "interview": "registration",
        "scheduled_for": "2022-04-20",
    }
    detailed = {
        "kind": "interview_scheduled",
        "date": "2022-04-02",
        "interview": "detailed",
        "scheduled_for": "2022-05-20",
    }
    a = _assess([*LODGED, plan, detailed], D(2022, 4, 10))
    assert [(i.kind.value, i.day, i.source) for i in interviews_to_come(a, "en")] == [
        ("registration", D(2022, 4, 20), "Vb 2000 art. 3.108d"),
        ("detailed", D(2022, 5, 20), "Vb 2000 art. 3.113(1)"),
    ]
    # the registration interview held: only the detailed one is still to come
    held = {"kind": "registration_interview_held", "date": "2022-04-20"}
    a = _assess([*LODGED, plan, detailed, held], D(2022, 4, 21))
    assert [i.kind.value for i in interviews_to_come(a, "en")] == ["detailed"]
    # its day passed
    assert interviews_to_come(_assess([*LODGED, plan], D(2022, 4, 21)), "en") == ()
