"""Until when an assessment holds (law/validity.py): the days on which time alone can
change it. The property over generated cases is in tests/cases/test_projection.py."""

from __future__ import annotations

import datetime as dt
import doctest

import toevlucht.law.validity
from toevlucht.law import assess, load_measures, measure, parse_case
from toevlucht.law.measures import measure_from_dict
from toevlucht.law.validity import may_touch, valid_until

D = dt.date


def test_the_examples_in_the_module_hold() -> None:
    failed, tried = doctest.testmod(toevlucht.law.validity)
    assert (failed, tried > 0) == (0, True)


def _until(raw: dict[str, object], as_of: dt.date) -> dt.date | None:
    case = parse_case(raw)
    return valid_until(case, assess(case, as_of), load_measures())


def test_a_decided_case_holds_until_its_appeal_term_has_passed() -> None:
    raw = {
        "applicant": {"nationality": "SYR"},
        "events": [
            {"kind": "application_lodged", "date": "2022-01-10"},
            {
                "kind": "decision_notified",
                "date": "2022-05-02",
                "outcome": "refused",
                "procedure": "extended",
            },
        ],
    }
    case = parse_case(raw)
    appeal = assess(case, D(2022, 5, 9)).deadline("appeal")
    assert appeal is not None
    assert _until(raw, D(2022, 5, 9)) == appeal.due + dt.timedelta(days=1)
    assert _until(raw, appeal.due + dt.timedelta(days=1)) is None  # final: nothing left


def test_a_measure_touching_the_case_ends_its_validity_where_its_period_ends() -> None:
    raw = {
        "applicant": {"nationality": "UKR"},
        "events": [{"kind": "application_lodged", "date": "2022-03-10"}],
    }
    # the decision moratorium holds the term; its first period ends on 28 August 2022
    assert _until(raw, D(2022, 5, 9)) == D(2022, 8, 28)


def test_an_event_known_only_later_ends_the_validity_on_the_day_it_becomes_known() -> None:
    raw = {
        "applicant": {"nationality": "SYR"},
        "events": [
            {"kind": "application_lodged", "date": "2022-03-10"},
            {"kind": "withdrawn", "date": "2022-05-01", "recorded": "2022-06-01"},
        ],
    }
    assert _until(raw, D(2022, 5, 9)) == D(2022, 6, 1)


def test_a_measure_announced_later_counts_only_if_it_can_touch_the_case() -> None:
    source = {
        "kind": "decree",
        "instrument": "t",
        "url": "https://example.org/",
        "status": "confirmed",
    }
    later = measure_from_dict(
        {
            "id": "syr-later",
            "kind": "decision_moratorium",
            "title_en": "t",
            "title_nl": "t",
            "effect_status": "confirmed",
            "legal_basis": "vw-43-1",
            "term_extension_months": 6,
            "scope": {"nationalities": ["SYR"], "sexes": ["female"]},
            "periods": [{"from": D(2022, 7, 1), "announced": D(2022, 6, 15), "source": source}],
        }
    )
    measures = {**load_measures(), later.id: later}
    for sex, until in (("female", D(2022, 6, 15)), ("male", D(2022, 9, 11))):
        case = parse_case(
            {
                "applicant": {"nationality": "SYR", "sex": sex},
                "events": [{"kind": "application_lodged", "date": "2022-03-10"}],
            }
        )
        a = assess(case, D(2022, 5, 9), measures=measures)
        assert valid_until(case, a, measures) == until, sex


def test_may_touch_leaves_the_age_range_aside() -> None:
    ru = measure("ru-conscripts-2022-decision")
    old = parse_case(
        {
            "applicant": {
                "nationality": "RUS",
                "sex": "male",
                "birth_date": "1960-01-01",
                "groups": ["conscript_deserter"],
            },
            "events": [],
        }
    ).applicant
    assert ru.match(old, None, D(2022, 7, 1)).status.value == "not"
    assert may_touch(ru, old, None)  # conservative: ages move


def test_a_case_between_the_two_readings_of_the_further_appeal_term_holds_until_the_later() -> None:
    raw = {
        "applicant": {"nationality": "SYR"},
        "events": [
            {"kind": "application_lodged", "date": "2022-01-10"},
            {
                "kind": "decision_notified",
                "date": "2022-03-01",
                "outcome": "refused",
                "procedure": "general",
            },
            {
                "kind": "appeal_lodged",
                "date": "2022-03-03",
                "level": "court",
                "against": "decision",
            },
            {
                "kind": "court_ruling",
                "date": "2022-04-01",
                "level": "court",
                "outcome": "unfounded",
            },
        ],
    }
    case = parse_case(raw)
    further = assess(case, D(2022, 4, 2)).deadline("further_appeal")
    assert further is not None
    assert further.alternative_due is not None
    between = further.due + dt.timedelta(days=1)
    assert between <= further.alternative_due
    a = assess(case, between)
    assert a.stage is not None
    assert a.stage.value == "appeal_decided"
    assert valid_until(case, a, load_measures()) == further.alternative_due + dt.timedelta(days=1)
    after = assess(case, further.alternative_due + dt.timedelta(days=1))
    assert after.stage is not None
    assert after.stage.value == "final"
