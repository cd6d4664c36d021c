"""Runs the lawyer-reviewable scenario tables in tests/law/scenarios/*.toml.

Each scenario states the facts, the assessment date and the hand-worked expected result
(see scenarios/README.md). A mismatch shows the whole trace of the deadline concerned.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Any

import pytest

from toevlucht.law import HistoryError, assess, groups, parse_case
from toevlucht.law.text import render_step

SCENARIO_DIR = Path(__file__).parent / "scenarios"
KNOWN_EXPECT = {
    "stage",
    "deadlines",
    "measures",
    "remedies",
    "error",
    "error_key",
    "error_event",
    "notes",
    "next_steps",
    "no_next_steps",
    "regime",
    "responsibility",
    "warnings",
    "no_warnings",
    "sources_absent",
}


def _load() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path in sorted(SCENARIO_DIR.glob("*.toml")):
        for sc in tomllib.loads(path.read_text(encoding="utf-8"))["scenario"]:
            out.append((f"{path.stem}: {sc['name']}", sc))
    return out


SCENARIOS = _load()


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def _trace(steps: Any) -> str:
    return "\n".join(f"  - {render_step(s, 'en')}" for s in steps)


def test_there_are_at_least_forty_scenarios() -> None:
    assert len(SCENARIOS) >= 40


def test_every_scenario_says_why_and_expects_something_known() -> None:
    for name, sc in SCENARIOS:
        assert sc.get("why"), f"{name}: no 'why'"
        assert sc.get("expect"), f"{name}: no expectations"
        assert set(sc["expect"]) <= KNOWN_EXPECT, f"{name}: unknown expectation keys"
        if "error" in sc["expect"]:  # every impossible history says which message it gets
            assert sc["expect"].get("error_key"), f"{name}: an error with no error_key"


@pytest.mark.parametrize(("name", "sc"), SCENARIOS, ids=[n for n, _ in SCENARIOS])
def test_scenario(name: str, sc: dict[str, Any]) -> None:
    case = parse_case(
        {"applicant": _jsonable(sc["applicant"]), "events": _jsonable(sc["events"])},
        known_groups=list(groups()),
    )
    expect = sc["expect"]
    if "error" in expect:
        with pytest.raises(HistoryError) as info:
            assess(case, sc["as_of"])
        assert expect["error"] in str(info.value)
        assert info.value.key == expect["error_key"]
        if "error_event" in expect:  # the index of the event named as out of place
            assert info.value.index == expect["error_event"]
        return
    a = assess(case, sc["as_of"])
    if "stage" in expect:
        assert a.stage is not None
        assert a.stage.value == expect["stage"]
    for kind, exp in expect.get("deadlines", {}).items():
        d = a.deadline(kind)
        if exp.get("absent"):
            assert d is None, f"{kind} should not have started"
            continue
        assert d is not None, f"no {kind} deadline"
        got = {
            "due": d.due,
            "status": d.status.value,
            "certainty": d.certainty.value,
            "alternative_due": d.alternative_due,
            "done_on": d.done_on,
        }
        for key, want in exp.items():
            if key == "alternative_due" and want is False:  # TOML has no null: "none"
                want = None
            assert got[key] == want, f"{kind}.{key}: {got[key]} != {want}\n{_trace(d.steps)}"
    views = {v.measure.id: v for v in a.measures}
    for mid, exp in expect.get("measures", {}).items():
        if exp.get("absent"):
            assert mid not in views, f"{mid} should not touch this case"
            continue
        assert mid in views, f"{mid} does not touch this case (touching: {sorted(views)})"
        v = views[mid]
        got_m = {
            "applied": v.applied,
            "in_force": v.in_force,
            "reason": v.reason,
            "until": v.until,
            "holds": v.holds,
        }
        for key, want in exp.items():
            assert got_m[key] == want, f"{mid}.{key}: {got_m[key]} != {want}"
    for kind, exp in expect.get("remedies", {}).items():
        r = a.remedy(kind)
        assert r is not None, f"no remedy {kind}"
        got_r = {
            "available": r.available,
            "available_from": r.available_from,
            "amount_eur": r.amount_eur,
        }
        for key, want in exp.items():
            assert got_r[key] == want, f"{kind}.{key}: {got_r[key]} != {want}\n{_trace(r.steps)}"
    for note in expect.get("notes", []):
        assert note in a.notes
    keys = [s.key for s in a.next_steps]
    for step in expect.get("next_steps", []):
        assert step in keys, f"{step} not in {keys}"
    for step in expect.get("no_next_steps", []):
        assert step not in keys, f"{step} should not be a next step ({keys})"
    if "regime" in expect:
        assert a.regime.value == expect["regime"]
    if "responsibility" in expect:
        assert a.framework.value == expect["responsibility"]
    warnings = [w.key for w in a.warnings]
    for w in expect.get("warnings", []):
        assert w in warnings, f"{w} not in {warnings}"
    if expect.get("no_warnings"):
        assert not warnings, f"unexpected warnings {warnings}"
    cited = {s.source.id for d in a.deadlines for s in d.steps if s.source is not None}
    for sid in expect.get("sources_absent", []):
        assert sid not in cited, f"{sid} is cited, but does not govern this case"
