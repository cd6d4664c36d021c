"""The numpy bulk path agrees with the scalar path (law/bulk.py vs law/assess.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toevlucht.law import LawError, assess, groups, parse_case
from toevlucht.law.bulk import (
    STATUS_NAMES,
    add_months,
    compute,
    concat_tables,
    result_row,
    table_from_cases,
)
from toevlucht.law.model import Case
from toevlucht.law.periods import add_months as add_months_scalar

GROUPS = list(groups())
D = dt.date

nationalities = st.sampled_from(["RUS", "UKR", "AFG", "SYR", "IRN", "LBN"])
days = st.integers(min_value=0, max_value=900)


@st.composite
def cases(draw: st.DrawFn) -> tuple[dict[str, Any], dt.date]:
    lodged = draw(st.dates(min_value=D(2016, 1, 1), max_value=D(2026, 6, 30)))
    applicant: dict[str, Any] = {"nationality": draw(nationalities)}
    if draw(st.booleans()):
        applicant["birth_date"] = draw(
            st.dates(min_value=D(1988, 1, 1), max_value=D(2007, 12, 31))
        ).isoformat()
    sex = draw(st.sampled_from([None, "male", "female"]))
    if sex:
        applicant["sex"] = sex
    applicant["groups"] = draw(
        st.lists(
            st.sampled_from(
                [
                    "conscript_refusing_service",
                    "conscript_deserter",
                    "deserter",
                    "reservist_refusing_service",
                ]
            ),
            max_size=2,
            unique=True,
        )
    )
    events: list[dict[str, Any]] = [{"kind": "application_lodged", "date": lodged.isoformat()}]
    if draw(st.integers(0, 9)) == 0:
        events.append({"kind": "track_assigned", "date": lodged.isoformat(), "track": "dublin"})
        if draw(st.booleans()):
            events.append(
                {
                    "kind": "dublin_responsibility_established",
                    "date": (lodged + dt.timedelta(days=draw(st.integers(1, 200)))).isoformat(),
                }
            )
    for _ in range(draw(st.integers(0, 3))):
        events.append(
            {
                "kind": "decision_term_extended",
                "date": (lodged + dt.timedelta(days=draw(st.integers(1, 700)))).isoformat(),
                "months": draw(st.integers(1, 12)),
                "ground": draw(
                    st.sampled_from(["42(4)(a)", "42(4)(b)", "42(4)(c)", "42(5)", "43"])
                ),
            }
        )
    decision: dt.date | None = None
    if draw(st.booleans()):
        decision = lodged + dt.timedelta(days=draw(days))
        ev: dict[str, Any] = {
            "kind": "decision_notified",
            "date": decision.isoformat(),
            "outcome": draw(st.sampled_from(["granted", "refused"])),
            "procedure": draw(st.sampled_from(["general", "extended"])),
        }
        if ev["outcome"] == "refused" and draw(st.booleans()):
            ev["refusal_ground"] = draw(
                st.sampled_from(["dublin", "inadmissible", "manifestly_unfounded", "not_processed"])
            )
        events.append(ev)
        if draw(st.booleans()):
            appealed = decision + dt.timedelta(days=draw(st.integers(0, 45)))
            events.append({"kind": "appeal_lodged", "date": appealed.isoformat()})
            if draw(st.integers(0, 3)) == 0:
                # the court annuls the decision and the authority decides again: the appeal
                # deadline is then the one against the latest decision, in both paths
                ruled = appealed + dt.timedelta(days=draw(st.integers(0, 200)))
                events.append(
                    {"kind": "court_ruling", "date": ruled.isoformat(), "outcome": "well_founded"}
                )
                again = ruled + dt.timedelta(days=draw(st.integers(1, 200)))
                events.append({**ev, "date": again.isoformat()})
                if draw(st.booleans()):
                    late = again + dt.timedelta(days=draw(st.integers(0, 45)))
                    events.append({"kind": "appeal_lodged", "date": late.isoformat()})
    as_of = lodged + dt.timedelta(days=draw(st.integers(-30, 1500)))
    return {"applicant": applicant, "events": events}, as_of


def scalar(case: Case, as_of: dt.date) -> dict[str, Any]:
    try:
        a = assess(case, as_of)
    except LawError:
        return {"error": True}
    d, ap = a.deadline("decision"), a.deadline("appeal")
    return {
        "error": False,
        "decision_due": d.due if d else None,
        "decision_status": d.status.value if d else None,
        "appeal_due": ap.due if ap else None,
        "appeal_status": ap.status.value if ap else None,
        "measures_applied": sorted(v.measure.id for v in a.measures if v.applied),
    }


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(cases(), min_size=1, max_size=12))
def test_bulk_agrees_with_the_scalar_path_on_every_generated_case(
    batch: list[tuple[dict[str, Any], dt.date]],
) -> None:
    # one as_of per batch (the bulk path assesses a table on one date)
    as_of = batch[0][1]
    parsed = [parse_case(raw, GROUPS) for raw, _ in batch]
    result = compute(table_from_cases(parsed, as_of), as_of)
    for i, case in enumerate(parsed):
        want = scalar(case, as_of)
        got = result_row(result, i)
        if want["error"]:
            assert got["error"], (i, batch[i])
            continue
        assert not got["error"], (i, batch[i])
        got["measures_applied"] = sorted(got["measures_applied"])
        for key in (
            "decision_due",
            "decision_status",
            "appeal_due",
            "appeal_status",
            "measures_applied",
        ):
            assert got[key] == want[key], (key, got[key], want[key], batch[i], as_of)


@given(st.dates(min_value=D(2014, 1, 1), max_value=D(2090, 12, 31)), st.integers(0, 24))
def test_vectorised_month_addition_agrees_with_the_scalar_one(day: dt.date, months: int) -> None:
    got = add_months(np.array([day], dtype="datetime64[D]"), months)[0].astype(object)
    assert got == add_months_scalar(day, months)


def test_vectorised_month_addition_refuses_what_its_table_cannot_do() -> None:
    import pytest

    with pytest.raises(ValueError, match="months must be within 0-24"):
        add_months(np.array(["2022-01-31"], dtype="datetime64[D]"), 25)


def test_status_codes_are_named() -> None:
    assert STATUS_NAMES == ("running", "met", "expired", "suspended")


def test_a_russian_conscript_gets_the_moratorium_in_bulk_too() -> None:
    case = parse_case(
        {
            "applicant": {
                "nationality": "RUS",
                "birth_date": "2000-01-15",
                "sex": "male",
                "groups": ["conscript_refusing_service"],
            },
            "events": [{"kind": "application_lodged", "date": "2022-03-10"}],
        },
        GROUPS,
    )
    r = result_row(compute(table_from_cases([case], D(2022, 7, 15)), D(2022, 7, 15)), 0)
    assert r["decision_due"] == D(2023, 9, 10)
    assert r["decision_status"] == "suspended"
    assert r["measures_applied"] == ["ru-conscripts-2022-decision"]


@given(st.dates(min_value=D(1950, 1, 1), max_value=D(2010, 12, 31)), st.integers(0, 80))
def test_vectorised_birthdays_agree_with_the_scalar_ones(birth: dt.date, age: int) -> None:
    from toevlucht.law.bulk import _birthday
    from toevlucht.law.decision_term import _birthday as scalar_birthday

    got = _birthday(np.array([birth], dtype="datetime64[D]"), age)[0].astype(object)
    assert got == scalar_birthday(birth, age)


def test_a_table_built_from_columns_needs_no_invalid_column() -> None:
    from toevlucht.law.bulk import CaseTable

    nat = np.datetime64("NaT", "D")
    t = CaseTable(
        start=np.array(["2022-03-10"], dtype="datetime64[D]"),
        lodged=np.array(["2022-03-10"], dtype="datetime64[D]"),
        nationality=np.array(["SYR"]),
        birth=np.array([nat]),
        sex=np.array([-1], dtype=np.int8),
        groups=np.array([0], dtype=np.uint32),
        first_decision=np.array([nat]),
        ext_date=np.full((1, 1), nat),
        ext_months=np.zeros((1, 1), dtype=np.int16),
        ext_ground=np.zeros((1, 1), dtype=np.int8),
        last_decision=np.array(["2022-05-03"], dtype="datetime64[D]"),
        short_appeal=np.array([False]),
        appeal_lodged=np.array([nat]),
    )
    r = result_row(compute(t, D(2022, 5, 9)), 0)
    assert r["decision_due"] == D(2022, 9, 10)
    assert r["appeal_due"] == D(2022, 5, 31)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(cases(), min_size=1, max_size=10), st.integers(1, 4))
def test_a_table_built_in_parts_computes_as_one_built_at_once(
    batch: list[tuple[dict[str, Any], dt.date]], parts: int
) -> None:
    """concat_tables: the worker processes build the preview's table in parts (with
    different numbers of extension columns); joined, it gives the same results."""
    as_of = batch[0][1]
    parsed = [parse_case(raw, GROUPS) for raw, _ in batch]
    size = -(-len(parsed) // parts)
    pieces = [table_from_cases(parsed[k : k + size], as_of) for k in range(0, len(parsed), size)]
    joined, whole = (
        compute(concat_tables(pieces), as_of),
        compute(table_from_cases(parsed, as_of), as_of),
    )
    for i in range(len(parsed)):
        assert result_row(joined, i) == result_row(whole, i)
    assert len(concat_tables([])) == 0
