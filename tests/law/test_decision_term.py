"""The decision term (law/decision_term.py): its messages use the data's numbers."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from toevlucht.law import HistoryError, assess, decision_term, params, parse_case
from toevlucht.law.params import DatedValue

CASE = {
    "applicant": {"nationality": "SYR"},
    "events": [
        {"kind": "application_lodged", "date": "2021-01-04"},
        {"kind": "decision_term_extended", "date": "2021-06-01", "months": 9, "ground": "42(4)(a)"},
        {"kind": "decision_term_extended", "date": "2022-03-01", "months": 4, "ground": "42(5)"},
    ],
}


def _message() -> str:
    with pytest.raises(HistoryError) as info:
        assess(parse_case(CASE), dt.date(2022, 3, 2))
    return info.value.problem


def test_a_42_5_extension_beyond_the_maximum_names_the_whole_term() -> None:
    assert "would bring the decision term to 19 months" in _message()
    assert "allow at most 18" in _message()


def test_the_whole_term_in_that_message_counts_the_base_term_from_the_data(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = params.value

    def patched(name: str, on: dt.date) -> DatedValue:
        v = real(name, on)
        return dataclasses.replace(v, value=7) if name == "decision_term_months" else v

    monkeypatch.setattr(decision_term, "value", patched)
    assert "to 20 months" in _message()
    assert "allow at most 19" in _message()
