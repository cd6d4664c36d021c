"""Parsing case files and events (law/model.py): every bad input is a precise CaseInputError."""

from __future__ import annotations

from typing import Any

import pytest

from toevlucht.law import CaseInputError, EventKind, groups, parse_case

GROUPS = list(groups())


def case(**over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "applicant": {"nationality": "RUS"},
        "events": [{"kind": "application_lodged", "date": "2022-03-10"}],
    }
    base.update(over)
    return base


def test_a_minimal_case_parses() -> None:
    c = parse_case(case(), GROUPS)
    assert c.events[0].kind is EventKind.APPLICATION_LODGED


@pytest.mark.parametrize(
    ("raw", "where", "problem"),
    [
        (
            case(events=[{"kind": "teleported", "date": "2022-03-10"}]),
            "events[0].kind",
            "unknown event kind 'teleported'",
        ),
        (
            case(events=[{"kind": "application_lodged", "date": "10-03-2022"}]),
            "events[0].date",
            "expected a date as YYYY-MM-DD",
        ),
        (
            case(events=[{"kind": "application_lodged", "date": "2022-02-30"}]),
            "events[0].date",
            "not a valid calendar date",
        ),
        (case(events=[{"kind": "application_lodged"}]), "events[0].date", "is required"),
        (
            case(
                events=[{"kind": "decision_notified", "date": "2022-05-01", "procedure": "general"}]
            ),
            "events[0].outcome",
            "is required for decision_notified",
        ),
        (
            case(
                events=[
                    {
                        "kind": "decision_notified",
                        "date": "2022-05-01",
                        "outcome": "maybe",
                        "procedure": "general",
                    }
                ]
            ),
            "events[0].outcome",
            "'maybe' is not one of: granted, refused",
        ),
        (
            case(
                events=[
                    {
                        "kind": "decision_term_extended",
                        "date": "2022-05-01",
                        "months": "9",
                        "ground": "42(4)(a)",
                    }
                ]
            ),
            "events[0].months",
            "expected a whole number",
        ),
        (
            case(
                events=[
                    {
                        "kind": "decision_term_extended",
                        "date": "2022-05-01",
                        "months": 9,
                        "ground": "42(9)",
                    }
                ]
            ),
            "events[0].ground",
            "'42(9)' is not one of",
        ),
        (
            case(events=[{"kind": "application_lodged", "date": "2022-03-10", "colour": "red"}]),
            "events[0].colour",
            "unknown field",
        ),
        (
            case(
                events=[
                    {
                        "kind": "decision_notified",
                        "date": "2022-05-01",
                        "outcome": "granted",
                        "procedure": "general",
                        "refusal_ground": "dublin",
                    }
                ]
            ),
            "events[0].refusal_ground",
            "a granted application has no refusal ground",
        ),
        (
            case(events=[{"kind": "retraction", "date": "2022-05-01"}]),
            "events[0].corrects",
            "must name the event it voids",
        ),
        (
            case(events=[{"kind": "application_lodged", "date": "2022-03-10", "corrects": "x"}]),
            "events[0].corrects",
            "no event has id 'x'",
        ),
        (
            case(applicant={"nationality": "Russia"}),
            "applicant.nationality",
            "expected an ISO 3166-1 alpha-3 code",
        ),
        (
            case(applicant={"nationality": "QQQ"}),
            "applicant.nationality",
            "'QQQ' is not an ISO 3166-1 alpha-3 code",
        ),
        (
            case(applicant={"nationality": "RUS", "groups": ["astronaut"]}),
            "applicant.groups[0]",
            "unknown group 'astronaut'",
        ),
        (case(applicant={"nationality": "RUS", "sex": "m"}), "applicant.sex", "is not one of"),
        (
            case(applicant={"nationality": "RUS", "birth_date": "1994-13-01"}),
            "applicant.birth_date",
            "not a valid calendar date",
        ),
        (case(events="none"), "events", "expected a list"),
        ({"events": []}, "applicant", "is required"),
        ([], "case", "expected a JSON object"),
    ],
)
def test_bad_input_names_the_place_and_the_problem(raw: Any, where: str, problem: str) -> None:
    with pytest.raises(CaseInputError) as info:
        parse_case(raw, GROUPS)
    assert info.value.where == where
    assert problem in info.value.problem


def test_duplicate_event_ids_are_rejected() -> None:
    raw = case(
        events=[
            {"kind": "application_lodged", "date": "2022-03-10", "id": "a"},
            {"kind": "withdrawn", "date": "2022-04-10", "id": "a"},
        ]
    )
    with pytest.raises(CaseInputError, match="event id 'a' is used twice"):
        parse_case(raw, GROUPS)


def test_age_is_counted_in_whole_years_on_a_date() -> None:
    import datetime as dt

    a = parse_case(case(applicant={"nationality": "RUS", "birth_date": "1994-06-30"})).applicant
    assert a.age_on(dt.date(2022, 6, 29)) == 27
    assert a.age_on(dt.date(2022, 6, 30)) == 28


def test_a_nationality_in_lower_case_and_a_note_on_an_event_are_read() -> None:
    c = parse_case(
        case(
            applicant={"nationality": " rus "},
            events=[{"kind": "application_lodged", "date": "2022-03-10", "note": "by post"}],
        ),
        GROUPS,
    )
    assert c.applicant.nationality == "RUS"
    assert c.events[0].data == {}  # the note is not the law's business
