"""The legal calendar of the Algemene termijnenwet (law/calendar.py)."""

from __future__ import annotations

import datetime as dt

import holidays
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from toevlucht.law.calendar import (
    ATW_LONGEST_TERM,
    HolidayKind,
    TermUnit,
    atw_applies,
    atw_applies_to,
    easter_sunday,
    legal_calendar,
)
from toevlucht.law.errors import CalendarRangeError
from toevlucht.law.params import value

D = dt.date
cal = legal_calendar()


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2014, D(2014, 4, 20)),
        (2019, D(2019, 4, 21)),
        (2022, D(2022, 4, 17)),
        (2024, D(2024, 3, 31)),
        (2025, D(2025, 4, 20)),
        (2038, D(2038, 4, 25)),
    ],
)
def test_easter_sunday_matches_the_gregorian_computus(year: int, easter: dt.date) -> None:
    assert easter_sunday(year) == easter


def test_liberation_day_is_a_holiday_every_year_not_only_every_fifth() -> None:
    for year in range(2014, 2031):
        assert not cal.is_working_day(D(year, 5, 5)) or D(year, 5, 5).weekday() >= 5
        assert cal.holiday_on(D(year, 5, 5)) is not None


def test_kings_day_moves_to_the_26th_when_the_27th_is_a_sunday() -> None:
    assert D(2025, 4, 27).weekday() == 6
    assert cal.holiday_on(D(2025, 4, 26)) is not None
    assert cal.holiday_on(D(2025, 4, 27)) is None
    assert cal.holiday_on(D(2022, 4, 27)) is not None


def test_good_friday_is_equated_by_the_act_itself() -> None:
    h = cal.holiday_on(D(2022, 4, 15))
    assert h is not None
    assert h.kind is HolidayKind.EQUATED_BY_LAW
    assert h.source.label == "Atw art. 3(2)"


@pytest.mark.parametrize(
    "day",
    [
        D(2022, 5, 27),
        D(2023, 4, 28),
        D(2023, 5, 19),
        D(2024, 5, 10),
        D(2024, 12, 27),
        D(2025, 5, 30),
        D(2026, 1, 2),
        D(2026, 5, 15),
        D(2027, 5, 7),
        D(2028, 4, 28),
        D(2028, 5, 26),
    ],
)
def test_days_equated_by_royal_decree_are_not_working_days(day: dt.date) -> None:
    h = cal.holiday_on(day)
    assert h is not None
    assert h.kind is HolidayKind.EQUATED_BY_DECREE
    assert not cal.is_working_day(day)


def test_equated_days_cite_their_decree() -> None:
    assert cal.holiday_on(D(2024, 12, 27)).source.label == "KB Stcrt. 2022, 7812"  # type: ignore[union-attr]
    assert cal.holiday_on(D(2027, 5, 7)).source.label == "KB Stcrt. 2025, 24713"  # type: ignore[union-attr]


def test_decree_coverage_is_known_per_year() -> None:
    assert cal.decree_known(2022)
    assert cal.decree_known(2028)
    assert not cal.decree_known(2021)
    assert not cal.decree_known(2029)


def test_statutory_holidays_agree_with_the_holidays_package_but_for_liberation_day() -> None:
    """Cross-check against `holidays` (public category): it has Easter/Whit Sunday (Sundays
    anyway) and 5 May only in lustrum years; the Atw has 5 May every year and the decree days."""
    for year in range(2014, 2036):
        ours = {h.date for h in cal.holidays(year) if h.kind is not HolidayKind.EQUATED_BY_DECREE}
        theirs = {d for d in holidays.country_holidays("NL", years=year) if d.weekday() != 6}
        ours_no_sundays = {d for d in ours if d.weekday() != 6}
        liberation = D(year, 5, 5)
        assert ours_no_sundays - {liberation} == theirs - {liberation}, year
        assert liberation in ours


def test_dates_before_2014_are_outside_the_calendar() -> None:
    with pytest.raises(CalendarRangeError, match="outside the legal calendar"):
        cal.is_working_day(D(2013, 12, 31))


def test_add_working_days_skips_weekends_and_holidays() -> None:
    assert cal.add_working_days(D(2022, 4, 14), 3) == D(2022, 4, 21)
    assert cal.add_working_days(D(2022, 5, 6), 1) == D(2022, 5, 9)
    assert cal.add_working_days(D(2022, 5, 7), 0) == D(2022, 5, 9)


def test_nth_procedure_day_counts_the_first_day_as_day_one() -> None:
    assert cal.nth_procedure_day(D(2022, 5, 2), 1) == D(2022, 5, 2)
    assert cal.nth_procedure_day(D(2022, 5, 2), 6) == D(2022, 5, 10)


def test_atw_article_1_moves_a_term_ending_on_a_saturday_to_monday() -> None:
    out = cal.atw_end(D(2022, 5, 16), D(2022, 5, 21), 5)
    assert out.article == "1"
    assert out.end == D(2022, 5, 23)
    assert out.reason == "Saturday"


def test_atw_article_1_names_the_holiday_it_skipped() -> None:
    out = cal.atw_end(D(2022, 4, 28), D(2022, 5, 5), 7)
    assert out.end == D(2022, 5, 6)
    assert out.holiday is not None
    assert out.holiday.id == "liberation_day"


def test_atw_article_2_gives_a_three_day_term_two_working_days() -> None:
    # A three-day term from Wed 24 December 2025: Thu 25 and Fri 26 are Christmas, Sat 27
    # ends it. It must contain two working days: Mon 29 and Tue 30 December.
    out = cal.atw_end(D(2025, 12, 24), D(2025, 12, 27), 3)
    assert out.article == "2"
    assert out.end == D(2025, 12, 30)


def test_atw_article_2_does_not_apply_to_terms_of_fewer_than_three_days() -> None:
    out = cal.atw_end(D(2025, 12, 24), D(2025, 12, 26), 2)
    assert out.article == "1"
    assert out.end == D(2025, 12, 29)


def test_atw_article_2_leaves_a_term_with_two_working_days_alone() -> None:
    out = cal.atw_end(D(2022, 5, 2), D(2022, 5, 5), 3)  # Tue 3 and Wed 4 are working days
    assert out.article == "1"  # but it ends on Liberation Day
    assert out.end == D(2022, 5, 6)


@pytest.mark.parametrize(
    ("unit", "amount", "applies"),
    [
        (TermUnit.WEEKS, 1, True),
        (TermUnit.WEEKS, 12, True),
        (TermUnit.WEEKS, 13, False),
        (TermUnit.DAYS, 90, True),
        (TermUnit.DAYS, 91, False),
        (TermUnit.MONTHS, 3, True),
        (TermUnit.MONTHS, 6, False),
        (TermUnit.HOURS, 24, False),
        (TermUnit.YEARS, 1, False),
    ],
)
def test_atw_article_4_excludes_long_terms(unit: TermUnit, amount: int, applies: bool) -> None:
    assert atw_applies(unit, amount, D(2022, 5, 10)) is applies
    many = atw_applies_to(unit, np.array([amount]), np.array(["2022-05-10"], dtype="datetime64[D]"))
    assert many.tolist() == [applies]


def test_the_atw_limits_are_dated_parameters_citing_atw_article_4() -> None:
    for name in set(ATW_LONGEST_TERM.values()):
        v = value(name, D(2022, 5, 10))
        assert v.source.label == "Atw art. 4(a)"
    assert value("atw_extension_min_term_days", D(2022, 5, 10)).source.label == "Atw art. 2"


def _atw_end_day_by_day(event: dt.date, nominal: dt.date, length_days: int) -> tuple[dt.date, str]:
    """Atw art. 2 then art. 1, counted one day at a time (the reading of the statute)."""
    if length_days >= 3 and cal.working_days_after(event, nominal) < 2:
        return cal.add_working_days(event, 2), "2"
    if not cal.is_working_day(nominal):
        return cal.roll_forward(nominal), "1"
    return nominal, ""


@given(st.dates(min_value=D(2014, 1, 1), max_value=D(2099, 11, 30)), st.integers(1, 90))
def test_the_atw_arithmetic_agrees_with_counting_day_by_day(event: dt.date, days: int) -> None:
    nominal = event + dt.timedelta(days=days)
    out = cal.atw_end(event, nominal, days)
    assert (out.end, out.article) == _atw_end_day_by_day(event, nominal, days)


def test_a_term_running_past_the_calendar_is_refused_on_its_first_unknown_day() -> None:
    with pytest.raises(CalendarRangeError, match="2101-01-01 is outside the legal calendar"):
        cal.atw_end(D(2100, 12, 20), D(2101, 1, 17), 28)
    with pytest.raises(CalendarRangeError, match="2013-12-31 is outside"):
        cal.atw_end(D(2013, 12, 30), D(2014, 1, 27), 28)


def test_numpy_busdaycalendar_agrees_with_is_working_day() -> None:
    import numpy as np

    days = np.arange(np.datetime64("2022-01-01"), np.datetime64("2029-01-01"))
    np_working = np.is_busday(days, busdaycal=cal.busdaycalendar)
    py_working = [cal.is_working_day(d.astype(object)) for d in days]
    assert np_working.tolist() == py_working
