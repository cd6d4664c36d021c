"""The decision term (law/decision_term.py): its messages use the data's numbers, and its step
rules give one case what they give it among many (the bulk path)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

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


# --- the step rules shared with the bulk path -------------------------------------------------

small = st.integers(min_value=-3, max_value=24)


@given(small, small, small, small)
def test_each_step_rule_gives_one_case_what_it_gives_that_case_in_an_array(
    months: int, used: int, other: int, limit: int
) -> None:
    arr = lambda x: np.array([x], dtype=np.int64)  # noqa: E731
    for rule, args in (
        (decision_term.exceeds_42_4, (months, used, other, limit)),
        (decision_term.exceeds_42_5, (months, used, limit)),
        (decision_term.lacks_prior_42_4, (used,)),
        (decision_term.room_42_4, (limit, used)),
        (decision_term.letter_months_42_4, (months, limit - used)),
        (decision_term.general_extension_months, (limit - used, months)),
    ):
        one = rule(*args)
        many = rule(*(arr(a) for a in args))
        assert many.tolist() == [one], rule.__name__


def test_a_letter_is_capped_at_the_room_a_general_extension_left() -> None:
    assert decision_term.letter_months_42_4(9, decision_term.room_42_4(9, 6)) == 3
    assert decision_term.letter_months_42_4(9, decision_term.room_42_4(9, 10)) == 0
    assert decision_term.letter_months_42_4(2, decision_term.room_42_4(9, 0)) == 2


def test_an_item_on_the_last_day_of_the_term_still_extends_it() -> None:
    due = dt.date(2022, 9, 27)
    assert not decision_term.extends_expired_term(due, due)
    assert decision_term.extends_expired_term(due + dt.timedelta(days=1), due)
    days = np.array(["2022-09-27", "2022-09-28"], dtype="datetime64[D]")
    assert decision_term.extends_expired_term(days, np.datetime64(due)).tolist() == [False, True]
