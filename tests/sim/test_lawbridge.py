"""The simulator asks the law: decision terms, measures and calendar are the law engine's."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.sim.helpers import scenario_text, write
from toevlucht.law import DeadlineStatus, assess, legal_calendar, parse_case
from toevlucht.sim.lawbridge import (
    decision_due,
    describe_measures,
    measures_as_known,
    procedure_end,
    working_days,
)
from toevlucht.sim.loader import load_scenario
from toevlucht.sim.plan import Plan, build_plan
from toevlucht.sim.scenario import Scenario, SimStage

RU_MEASURES = '["ru-conscripts-2022-decision", "nl-wbv-2022-22", "ru-decision-stop-2022-press"]'
HOLDS = """
[[hold]]
measure = "ru-conscripts-2022-decision"
[[hold]]
measure = "ru-decision-stop-2022-press"
assume_from = 2022-03-15
"""


def _scenario(tmp_path: Path, **kw: object) -> Scenario:
    text = scenario_text(
        end="2023-12-31", extra_group="RUS", measures=RU_MEASURES, holds=HOLDS, **kw
    )
    return load_scenario(str(write(tmp_path, text)))


def _rus(plan: Plan) -> int:
    return next(i for i, s in enumerate(plan.subs) if plan.scenario.groups[s.group].id == "RUS")


def _case(lodged: dt.date, decided: dt.date | None = None) -> dict[str, object]:
    events: list[dict[str, object]] = [{"kind": "application_lodged", "date": lodged.isoformat()}]
    if decided is not None:
        events.append(
            {
                "kind": "decision_notified",
                "date": decided.isoformat(),
                "outcome": "refused",
                "procedure": "extended",
            }
        )
    return {
        "applicant": {
            "nationality": "RUS",
            "birth_date": "2000-01-15",
            "sex": "male",
            "groups": ["conscript_refusing_service"],
        },
        "events": events,
    }


def test_russian_conscripts_lodged_in_may_2022_get_the_decision_due_date_of_law_assess(
    tmp_path: Path,
) -> None:
    sc = _scenario(tmp_path)
    plan = build_plan(sc)
    s = _rus(plan)
    for day in range(1, 32):
        lodged = dt.date(2022, 5, day)
        a = assess(parse_case(_case(lodged)), sc.law_as_of)
        due = a.deadline("decision")
        assert due is not None
        i = (lodged - plan.first).days
        assert plan.first + dt.timedelta(days=int(plan.due[s, i])) == due.due
    # the moratorium (+12 months) and WBV 2022/22 (+9) met the 21-month cap of Vw 43(1)
    assert plan.first + dt.timedelta(
        days=int(plan.due[s, (dt.date(2022, 5, 10) - plan.first).days])
    ) == dt.date(2024, 2, 10)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 364), st.integers(0, 800))
def test_decided_in_time_is_decision_day_not_after_the_undecided_due_date(
    lodged_day: int, wait: int
) -> None:
    """The adapter's one assumption (lawbridge docstring), checked against assess."""
    sc = load_scenario("nl-2022")
    grp = next(g for g in sc.groups if g.id == "RUS")
    prof = grp.profiles[0]
    first = dt.date(2022, 1, 1)
    lodged = first + dt.timedelta(days=lodged_day)
    decided = lodged + dt.timedelta(days=wait)
    if decided > sc.law_as_of:
        return
    due = first + dt.timedelta(days=int(decision_due(sc, grp, prof, first, 366)[lodged_day]))
    d = assess(
        parse_case(_case(lodged, decided)),
        sc.law_as_of,
        measures=measures_as_known(sc.measure_objects(), sc.law_as_of),
    ).deadline("decision")
    assert d is not None
    assert (d.status is DeadlineStatus.MET) == (decided <= due)
    if decided > due:
        assert d.due == due  # so the days late are the same too


def test_the_reported_stop_holds_decisions_but_moves_no_deadline(tmp_path: Path) -> None:
    with_stop = build_plan(_scenario(tmp_path))
    text = scenario_text(
        end="2023-12-31",
        extra_group="RUS",
        measures='["ru-conscripts-2022-decision", "nl-wbv-2022-22"]',
    )
    without = build_plan(load_scenario(str(write(tmp_path, text, "b.toml"))))
    s = _rus(with_stop)
    assert np.array_equal(with_stop.due[s], without.due[_rus(without)])
    held = with_stop.hold[SimStage.GENERAL_PROCEDURE][s]
    days = with_stop.first + np.arange(with_stop.T) * dt.timedelta(days=1)
    assert days[held].min() == dt.date(2022, 3, 15)
    assert dt.date(2022, 5, 20) in set(days[held])
    assert dt.date(2022, 5, 21) not in set(days[held])
    assert dt.date(2022, 6, 29) in set(days[held])  # the moratorium
    effects = {m.id: m for m in describe_measures(with_stop.scenario)}
    stop = effects["ru-decision-stop-2022-press"]
    assert not stop.moves_deadlines
    assert "not moved" in stop.note
    assert "assumed" in stop.holds
    assert effects["ru-conscripts-2022-decision"].moves_deadlines


def test_the_general_procedure_ends_on_the_laws_last_procedure_day() -> None:
    cal = legal_calendar()
    days = np.arange(np.datetime64("2021-01-01"), np.datetime64("2025-01-01"))
    ends = procedure_end(days)
    for d, e in zip(days, ends, strict=True):
        assert e.item() == cal.nth_procedure_day(d.item(), 6)


def test_working_days_are_the_legal_calendars() -> None:
    cal = legal_calendar()
    days = np.arange(np.datetime64("2021-01-01"), np.datetime64("2025-01-01"))
    for d, w in zip(days, working_days(days), strict=True):
        assert bool(w) == cal.is_working_day(d.item())


DEFINE = """
[[law.define]]
id = "syr-what-if"
kind = "decision_moratorium"
title_en = "What if: a decision moratorium for Syrians"
title_nl = "Stel: een besluitmoratorium voor Syriërs"
effect_status = "confirmed"
legal_basis = "vw-43-1"
term_extension_months = 12
[law.define.scope]
nationalities = ["SYR"]
[[law.define.periods]]
from = 2022-02-01
until = 2022-05-01
source = "vw-43-1"

[[hold]]
measure = "syr-what-if"
"""


def test_a_measure_defined_in_the_scenario_acts_as_the_law_says(tmp_path: Path) -> None:
    text = scenario_text(measures="[]").replace("\n[[group]]", DEFINE + "\n[[group]]", 1)
    sc = load_scenario(str(write(tmp_path, text)))
    assert sc.measures == ("syr-what-if",)
    plan = build_plan(sc)
    lodged = dt.date(2022, 1, 10)
    case = parse_case(
        {
            "applicant": {"nationality": "SYR"},
            "events": [{"kind": "application_lodged", "date": lodged.isoformat()}],
        }
    )
    a = assess(case, sc.law_as_of, measures=measures_as_known(sc.measure_objects(), sc.law_as_of))
    deadline = a.deadline("decision")
    assert deadline is not None
    due = deadline.due
    assert due == dt.date(2023, 7, 10)  # 6 months + 12
    i = (lodged - plan.first).days
    assert plan.first + dt.timedelta(days=int(plan.due[0, i])) == due
    held = plan.hold[SimStage.GENERAL_PROCEDURE][0]
    assert held[(dt.date(2022, 2, 1) - plan.first).days]
    assert not held[(dt.date(2022, 5, 1) - plan.first).days]


def test_the_remedy_parameters_come_from_the_law_and_invent_none() -> None:
    import pytest

    from toevlucht.law import DataError
    from toevlucht.sim.lawbridge import _param, remedy_params

    p = remedy_params(dt.date(2022, 11, 1), 60)
    assert p.appeal_wait_days[0] == 14  # Awb 6:12's two weeks, from the law's data
    assert p.admin_start_days[0] == 14  # Awb 4:17(3)
    # court practice is known from 30 November 2022 only: before that, none (NaN), no number
    assert np.isnan(p.court_weeks[0])
    assert p.court_weeks[-1] == 8
    # a day the law's data do not cover is the law's error, not a guessed two weeks
    with pytest.raises(DataError, match="no value in force on 2009-09-"):
        remedy_params(dt.date(2009, 9, 1), 10)
    for name in ("appeal_failure_to_decide_wait_weeks", "penalty_start_after_weeks"):
        with pytest.raises(DataError, match=f"{name}: no value in force on 2009-09-01"):
            _param(name, [dt.date(2009, 9, 1)])
