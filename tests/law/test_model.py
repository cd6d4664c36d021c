"""Parsing case files and events (law/model.py): every bad input is a precise CaseInputError."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from toevlucht.law import EVENT_FIELDS, CaseInputError, Event, EventKind, groups, parse_case
from toevlucht.law.model import (
    APR_PROCEDURES,
    AppealAgainst,
    AppealLevel,
    DecisionOutcome,
    ExtensionGround,
    InterviewKind,
    Procedure,
    RefusalGround,
    RulingOutcome,
    parse_event,
    responsibility_states,
)

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


# --- the closed choices of event data ---------------------------------------------------------

CHOICE_FIELDS = [
    (kind, name, spec)
    for kind, specs in EVENT_FIELDS.items()
    for name, spec in specs.items()
    if spec.choices
]
CHOICE_IDS = [f"{kind.value}.{name}" for kind, name, _ in CHOICE_FIELDS]


# fields whose choices are a part of their enum's members
SUBSET_FIELDS = {(EventKind.PROCEDURE_ASSIGNED, "procedure"): APR_PROCEDURES}


def test_every_field_with_choices_is_an_enum_whose_values_are_the_choices() -> None:
    assert len(CHOICE_FIELDS) == 19
    for kind, name, spec in CHOICE_FIELDS:
        if name == "member_state":  # the states bound by Dublin III / the AMMR (data)
            assert spec.enum is None
            assert spec.choices == responsibility_states()
            assert "NLD" not in spec.choices
            assert len(spec.choices) == 30  # 27 EU states and 4 associated, less NLD
            continue
        assert spec.enum is not None, (kind, name)
        members = SUBSET_FIELDS.get((kind, name), tuple(spec.enum))
        assert spec.choices == tuple(m.value for m in members), (kind, name)
        assert spec.default is None or isinstance(spec.default, spec.enum), (kind, name)


def _minimal(kind: EventKind) -> dict[str, Any]:
    """An event of ``kind`` with every required field set to a valid value."""
    raw: dict[str, Any] = {"kind": kind.value, "date": "2022-05-01"}
    for name, spec in EVENT_FIELDS[kind].items():
        if spec.required:
            raw[name] = (
                spec.choices[0]
                if spec.choices
                else {dt.date: "2022-05-02", int: 1, bool: False}[spec.type]
            )
    if kind is EventKind.DECISION_NOTIFIED:
        raw["outcome"] = "refused"  # a refusal ground needs a refusal
    if kind is EventKind.RETRACTION:
        raw["corrects"] = "x"
    return raw


@pytest.mark.parametrize(("kind", "name", "spec"), CHOICE_FIELDS, ids=CHOICE_IDS)
def test_a_choice_is_parsed_once_into_its_member(kind: EventKind, name: str, spec: Any) -> None:
    if spec.enum is None:  # member_state: plain text from the data
        for code in spec.choices:
            assert parse_event({**_minimal(kind), name: code}).data[name] == code
        return
    base = _minimal(kind)
    if name == "granted_under":
        base["outcome"] = "granted"  # a grant article needs a grant
    for member in SUBSET_FIELDS.get((kind, name), spec.enum):
        e = parse_event({**base, name: member.value})
        assert e.data[name] is member
        assert e.data[name] == member.value  # still equal to the old string
        assert json.dumps(e.data[name]) == json.dumps(member.value)  # and written as it


@pytest.mark.parametrize(("kind", "name", "spec"), CHOICE_FIELDS, ids=CHOICE_IDS)
def test_a_bad_choice_is_rejected_naming_the_field_and_the_allowed_values(
    kind: EventKind, name: str, spec: Any
) -> None:
    with pytest.raises(CaseInputError) as info:
        parse_event({**_minimal(kind), name: "nonsense"}, 3)
    assert info.value.where == f"events[3].{name}"
    assert info.value.problem == f"'nonsense' is not one of: {', '.join(spec.choices)}"


def test_the_typed_views_give_members_also_for_events_built_with_plain_strings() -> None:
    # the shell's trusted fast path builds Events from stored JSON without parse_event
    appeal = Event(
        kind=EventKind.APPEAL_LODGED,
        date=dt.date(2022, 5, 1),
        data={"level": "council_of_state"},
    )
    assert appeal.level is AppealLevel.COUNCIL_OF_STATE
    assert appeal.against is AppealAgainst.DECISION  # the default
    decision = Event(
        kind=EventKind.DECISION_NOTIFIED,
        date=dt.date(2022, 5, 1),
        data={"outcome": "refused", "procedure": "general", "refusal_ground": "dublin"},
    )
    assert decision.decision_outcome is DecisionOutcome.REFUSED
    assert decision.procedure is Procedure.GENERAL
    assert decision.refusal_ground is RefusalGround.DUBLIN
    ruling = Event(
        kind=EventKind.COURT_RULING, date=dt.date(2022, 5, 1), data={"outcome": "unfounded"}
    )
    assert ruling.ruling_outcome is RulingOutcome.UNFOUNDED
    assert ruling.level is AppealLevel.COURT
    ext = parse_event({**_minimal(EventKind.DECISION_TERM_EXTENDED), "ground": "42(4)(c)"})
    assert ext.extension_ground is ExtensionGround.VW_42_4_C
    assert ext.extension_ground.under_42_4
    assert not ExtensionGround.VW_42_5.under_42_4
    interview = parse_event(_minimal(EventKind.INTERVIEW_SCHEDULED))
    assert interview.interview is InterviewKind.REGISTRATION


def test_a_typed_view_of_a_field_the_kind_does_not_have_fails() -> None:
    with pytest.raises(KeyError):
        _ = parse_event(_minimal(EventKind.APPLICATION_LODGED)).level
