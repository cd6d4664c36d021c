"""Replaying a history (law/procedure.py): the transitions table, and the queries on History
that the rules share."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest

from toevlucht.law import EventKind, Stage, parse_case, procedure
from toevlucht.law.model import AppealLevel
from toevlucht.law.procedure import History, Transition, replay, transition_for

D = dt.date
AS_OF = D(2024, 1, 1)


def history(*events: dict[str, Any]) -> History:
    raw = {"applicant": {"nationality": "SYR"}, "events": list(events)}
    return replay(parse_case(raw), AS_OF)


LODGED = {"kind": "application_lodged", "date": "2022-03-10"}


def decided(day: str) -> dict[str, Any]:
    return {"kind": "decision_notified", "date": day, "outcome": "refused", "procedure": "extended"}


def appeal(day: str, **data: str) -> dict[str, Any]:
    return {"kind": "appeal_lodged", "date": day, **data}


def ruling(day: str, outcome: str = "unfounded", **data: Any) -> dict[str, Any]:
    return {"kind": "court_ruling", "date": day, "outcome": outcome, **data}


def test_the_appeal_against_the_latest_decision_is_the_one_lodged_after_it() -> None:
    h = history(
        LODGED,
        decided("2022-09-01"),
        appeal("2022-09-20"),
        ruling("2023-01-10", "well_founded"),  # annuls the first decision
        decided("2023-03-01"),
        appeal("2023-03-20"),
    )
    assert h.latest_decision is not None
    assert h.latest_decision.date == D(2023, 3, 1)
    found = h.appeal_against_latest_decision()
    assert found is not None
    assert found.date == D(2023, 3, 20)
    first = h.appeal_against(h.decisions[0])
    assert first is not None
    assert first.date == D(2022, 9, 20)


def test_no_appeal_against_the_latest_decision_while_none_was_lodged_after_it() -> None:
    h = history(
        LODGED,
        decided("2022-09-01"),
        appeal("2022-09-20"),
        ruling("2023-01-10", "well_founded"),
        decided("2023-03-01"),
    )
    assert h.appeal_against_latest_decision() is None
    assert history(LODGED).appeal_against_latest_decision() is None


def test_appeals_and_rulings_are_paired_per_level_and_pending_ones_found() -> None:
    h = history(
        LODGED,
        decided("2022-09-01"),
        appeal("2022-09-20"),
        ruling("2023-01-10"),
        appeal("2023-01-20", level="council_of_state"),
    )
    court, council = AppealLevel.COURT, AppealLevel.COUNCIL_OF_STATE
    assert [a.date for a in h.appeals_at(court)] == [D(2022, 9, 20)]
    assert [(a.date, r.date) for a, r in h.ruled_appeals(court)] == [
        (D(2022, 9, 20), D(2023, 1, 10))
    ]
    assert h.pending_appeals(court) == []
    assert [a.date for a in h.pending_appeals(council)] == [D(2023, 1, 20)]
    further = h.further_appeal_after(h.rulings_at(court)[0])
    assert further is not None
    assert further.date == D(2023, 1, 20)


def test_the_appeal_against_failure_to_decide_is_found_by_its_against() -> None:
    h = history(
        LODGED,
        {"kind": "notice_of_default_received", "date": "2022-09-20"},
        appeal("2022-10-10", against="failure_to_decide"),
    )
    found = h.failure_to_decide_appeal()
    assert found is not None
    assert found.date == D(2022, 10, 10)
    assert h.appeal_against_latest_decision() is None
    assert h.pending_appeals(AppealLevel.COURT) == [found]


# --- the transitions table is the only truth about transitions ------------------------------

FAILURE_TO_DECIDE_WON = (
    LODGED,
    {"kind": "notice_of_default_received", "date": "2022-09-20"},
    appeal("2022-10-10", against="failure_to_decide"),
    ruling("2023-01-10", "well_founded", decide_within_weeks=8),
)
GP_EXTENDED_AFTER_START = (
    LODGED,
    {"kind": "registration_interview_held", "date": "2022-03-14"},
    {"kind": "general_procedure_started", "date": "2022-04-04"},
    {"kind": "general_procedure_extended", "date": "2022-04-06", "days": 12, "ground": "a"},
)


def _rows_chosen(*events: dict[str, Any]) -> list[Transition]:
    """The row chosen for each event, replaying one event more each time."""
    out = []
    for n in range(1, len(events) + 1):
        h = history(*events[: n - 1])
        e = parse_case({"applicant": {"nationality": "SYR"}, "events": list(events[:n])})
        out.append(transition_for(e.events[-1], h))
    return out


def test_a_ruling_on_an_appeal_against_failure_to_decide_takes_its_own_row() -> None:
    row = _rows_chosen(*FAILURE_TO_DECIDE_WON)[-1]
    assert (row.source_id, row.to) == ("awb-8-55d", None)
    assert history(*FAILURE_TO_DECIDE_WON).stage is Stage.REGISTRATION


def test_an_extension_of_the_general_procedure_after_its_start_takes_its_own_row() -> None:
    rows = _rows_chosen(*GP_EXTENDED_AFTER_START)
    assert rows[-1].latest is Stage.GENERAL_PROCEDURE
    before = _rows_chosen(*GP_EXTENDED_AFTER_START[:2], GP_EXTENDED_AFTER_START[3])[-1]
    assert before.latest is Stage.REST_PERIOD


def test_replay_never_selects_a_row_by_its_description(monkeypatch: pytest.MonkeyPatch) -> None:
    want = [history(*FAILURE_TO_DECIDE_WON).stage, history(*GP_EXTENDED_AFTER_START).stage]
    renamed = tuple(replace(t, variant=f"row {i}") for i, t in enumerate(procedure.TRANSITIONS))
    monkeypatch.setattr(procedure, "TRANSITIONS", renamed)
    assert [history(*FAILURE_TO_DECIDE_WON).stage, history(*GP_EXTENDED_AFTER_START).stage] == want


def test_a_table_with_two_rows_for_one_event_is_refused() -> None:
    h = history(LODGED)
    e = parse_case({"applicant": {"nationality": "SYR"}, "events": [decided("2022-09-01")]})
    row = next(t for t in procedure.TRANSITIONS if t.kind is EventKind.DECISION_NOTIFIED)
    with pytest.raises(AssertionError, match="has 2 rows"):
        transition_for(e.events[0], h, (row, replace(row, variant="copy")))
