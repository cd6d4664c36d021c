"""Remedies when the authority is late (law/remedies.py): the numbers come from the data."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from toevlucht.law import assess, params, parse_case, remedies
from toevlucht.law.params import DatedValue

D = dt.date


def _with(monkeypatch: pytest.MonkeyPatch, module: object, name: str, new: int) -> None:
    """Let ``module`` read ``new`` for parameter ``name`` (as if the data said so)."""
    real = params.value

    def patched(n: str, on: dt.date) -> DatedValue:
        v = real(n, on)
        return dataclasses.replace(v, value=new) if n == name else v

    monkeypatch.setattr(module, "value", patched)


def test_the_penalty_days_shown_are_capped_by_the_data_not_by_the_code(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # lodged 2019, notice received 2019-10-01: penalties applied to asylum decisions then
    case = parse_case(
        {
            "applicant": {"nationality": "SYR"},
            "events": [
                {"kind": "application_lodged", "date": "2019-03-01"},
                {"kind": "notice_of_default_received", "date": "2019-10-01"},
            ],
        }
    )
    as_of = D(2020, 1, 31)

    def accrued() -> tuple[int, int]:
        r = assess(case, as_of).remedy("administrative_penalty")
        assert r is not None
        step = next(s for s in r.steps if s.key == "remedy_step.penalty_accrued")
        return step.params["days"], r.amount_eur

    assert accrued() == (42, 1442)
    _with(monkeypatch, remedies, "penalty_max_days", 30)
    assert accrued() == (30, 14 * 23 + 14 * 35 + 2 * 45)
