"""The legal calendar of the Algemene termijnenwet (Atw, BWBR0002448).

Recognised holidays come from rules (Atw art. 3(1) and 3(2)); days equated with them by
royal decree (art. 3(3)) come from ``law/data/nl/holidays.toml``, each decree with its
source and the years it covers. Working-day arithmetic and the two Atw extensions:

* art. 1 — a term that ends on a Saturday, Sunday or holiday runs on to the next day that
  is none of these;
* art. 2 — a term of three days or more is extended so that it contains at least two such
  days;
* art. 4 — neither applies to terms of more than 90 days, 12 weeks or 3 months, in hours or
  years (so not to the six-month decision term of Vw 2000 art. 42);
* art. 5 — terms set in an AMvB (the Vreemdelingenbesluit) are treated the same way.

The numbers of art. 2 and 4 are dated parameters (``atw_*`` in ``terms.toml``). Art. 1, 2 and
4 are computed once, for arrays of terms (:func:`atw_applies_to`,
:meth:`LegalCalendar.atw_ends`): the bulk path calls them for a whole table of cases, the
scalar path (:func:`atw_applies`, :meth:`LegalCalendar.atw_end`) for one term.

>>> cal = legal_calendar()
>>> cal.is_working_day(dt.date(2022, 5, 5))   # Liberation Day, every year (Atw art. 3(1))
False
>>> cal.holiday_on(dt.date(2022, 5, 27)).name_en
'Friday after Ascension Day'
>>> cal.add_working_days(dt.date(2022, 4, 25), 3)   # over King's Day, Wed 27 April 2022
datetime.date(2022, 4, 29)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt

from toevlucht.law.errors import CalendarRangeError, DataError
from toevlucht.law.params import value, values_on
from toevlucht.law.sources import Citation, Status, TableReader, read_data_file, resolve

__all__ = [
    "AtwOutcome",
    "Holiday",
    "HolidayKind",
    "LegalCalendar",
    "TermUnit",
    "atw_applies",
    "atw_applies_to",
    "easter_sunday",
    "legal_calendar",
]

ONE_DAY = dt.timedelta(days=1)


class HolidayKind(StrEnum):
    RECOGNISED = "recognised"  # Atw art. 3(1)
    EQUATED_BY_LAW = "equated_by_law"  # Atw art. 3(2): Good Friday
    EQUATED_BY_DECREE = "equated_by_decree"  # Atw art. 3(3): royal decree


class TermUnit(StrEnum):
    HOURS = "hours"
    DAYS = "days"
    WORKING_DAYS = "working_days"
    WEEKS = "weeks"
    MONTHS = "months"
    YEARS = "years"


@dataclass(frozen=True, slots=True, kw_only=True)
class Holiday:
    date: dt.date
    id: str
    name_en: str
    name_nl: str
    kind: HolidayKind
    source: Citation
    status: Status


@dataclass(frozen=True, slots=True, kw_only=True)
class AtwOutcome:
    """What the Atw did to a term's end: nothing, art. 1 (moved) or art. 2 (extended)."""

    end: dt.date
    nominal_end: dt.date
    article: str  # "" (no change), "1", "2"
    reason: str  # "Saturday", "Sunday" or the holiday's English name
    holiday: Holiday | None


def easter_sunday(year: int) -> dt.date:
    """Gregorian Easter Sunday (the anonymous Gregorian algorithm).

    >>> easter_sunday(2022)
    datetime.date(2022, 4, 17)
    """
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


Dates = npt.NDArray[np.datetime64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

# Atw art. 4(a): the parameter holding the longest term, per unit, to which art. 1-2 apply.
# Terms in hours or years: never.
ATW_LONGEST_TERM: dict[TermUnit, str] = {
    TermUnit.DAYS: "atw_longest_term_days",
    TermUnit.WORKING_DAYS: "atw_longest_term_days",
    TermUnit.WEEKS: "atw_longest_term_weeks",
    TermUnit.MONTHS: "atw_longest_term_months",
}

# Article codes of :meth:`LegalCalendar.atw_ends`.
ATW_NONE, ATW_ART_1, ATW_ART_2 = 0, 1, 2


def atw_applies_to(unit: TermUnit, amounts: Ints, on: Dates) -> Bools:
    """Whether the Atw applies to terms of ``amounts`` ``unit`` starting on ``on`` (art. 4(a)).

    >>> weeks = np.array([1, 4, 13])
    >>> atw_applies_to(TermUnit.WEEKS, weeks, np.full(3, np.datetime64("2022-05-10"))).tolist()
    [True, True, False]
    """
    name = ATW_LONGEST_TERM.get(unit)
    if name is None:
        return np.zeros(np.shape(amounts), dtype=bool)
    out: Bools = amounts <= values_on(name, on)
    return out


def atw_applies(unit: TermUnit, amount: int, on: dt.date) -> bool:
    """Whether the Atw applies to one term of this length starting on ``on`` (art. 4(a)).

    >>> d = dt.date(2022, 5, 10)
    >>> atw_applies(TermUnit.WEEKS, 4, d), atw_applies(TermUnit.MONTHS, 6, d)
    (True, False)
    """
    day = np.array([on], dtype="datetime64[D]")
    return bool(atw_applies_to(unit, np.array([amount], dtype=np.int64), day)[0])


@dataclass(frozen=True, slots=True, kw_only=True)
class _Rule:
    id: str
    name_en: str
    name_nl: str
    kind: HolidayKind
    source: Citation
    valid_from: dt.date
    fixed: tuple[int, int] | None  # (month, day)
    easter_offset: int | None
    kings_day: bool

    def date_in(self, year: int) -> dt.date | None:
        if self.fixed is not None:
            day = dt.date(year, *self.fixed)
        elif self.easter_offset is not None:
            day = easter_sunday(year) + dt.timedelta(days=self.easter_offset)
        else:  # King's Day: 27 April, 26 April when the 27th is a Sunday
            day = dt.date(year, 4, 27)
            if day.weekday() == 6:
                day = dt.date(year, 4, 26)
        return day if day >= self.valid_from else None


class LegalCalendar:
    """Holidays and working days under the Atw, for the years ``first_year``–``last_year``."""

    first_year: int
    last_year: int

    def __init__(
        self,
        rules: list[_Rule],
        equated: list[Holiday],
        decree_years: frozenset[int],
        first_year: int,
        last_year: int,
    ) -> None:
        self.first_year = first_year
        self.last_year = last_year
        self.decree_years = decree_years
        self._by_date: dict[dt.date, Holiday] = {}
        for year in range(first_year, last_year + 1):
            for rule in rules:
                day = rule.date_in(year)
                if day is not None:
                    self._by_date[day] = Holiday(
                        date=day,
                        id=rule.id,
                        name_en=rule.name_en,
                        name_nl=rule.name_nl,
                        kind=rule.kind,
                        source=rule.source,
                        status=Status.CONFIRMED,
                    )
        for h in equated:
            if h.status is Status.CONFIRMED:
                self._by_date.setdefault(h.date, h)
        self._unconfirmed = {h.date: h for h in equated if h.status is not Status.CONFIRMED}
        dates = sorted(self._by_date)
        self._np_holidays = np.array(dates, dtype="datetime64[D]")
        self.busdaycalendar = np.busdaycalendar(weekmask="1111100", holidays=self._np_holidays)

    # --- lookups -------------------------------------------------------------------------
    def _check(self, day: dt.date) -> None:
        if not self.first_year <= day.year <= self.last_year:
            raise CalendarRangeError(
                f"{day.isoformat()} is outside the legal calendar, which covers "
                f"{self.first_year}–{self.last_year} (King's Day rule of 2014 onwards)",
                key="error.calendar_range",
                params={"day": day, "first": self.first_year, "last": self.last_year},
            )

    def holiday_on(self, day: dt.date) -> Holiday | None:
        self._check(day)
        return self._by_date.get(day)

    def unconfirmed_holiday_on(self, day: dt.date) -> Holiday | None:
        """An equated day whose decree is unconfirmed (never counted as a holiday)."""
        return self._unconfirmed.get(day)

    def holidays(self, year: int) -> list[Holiday]:
        self._check(dt.date(year, 1, 1))
        return sorted((h for d, h in self._by_date.items() if d.year == year), key=lambda h: h.date)

    def decree_known(self, year: int) -> bool:
        """Whether the royal decree equating days for ``year`` is in the data."""
        return year in self.decree_years

    def is_working_day(self, day: dt.date) -> bool:
        """Not a Saturday, Sunday, recognised holiday or equated day."""
        self._check(day)
        return day.weekday() < 5 and day not in self._by_date

    def non_working_reason(self, day: dt.date) -> tuple[str, Holiday | None]:
        if day.weekday() == 5:
            return "Saturday", None
        if day.weekday() == 6:
            return "Sunday", None
        h = self.holiday_on(day)
        return (h.name_en, h) if h else ("", None)

    # --- arithmetic ----------------------------------------------------------------------
    def roll_forward(self, day: dt.date) -> dt.date:
        """``day`` if it is a working day, else the next working day."""
        while not self.is_working_day(day):
            day += ONE_DAY
        return day

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day after ``day`` (n ≥ 0; n = 0 rolls ``day`` forward)."""
        if n < 0:
            raise ValueError("n must be >= 0")
        if n == 0:
            return self.roll_forward(day)
        while n:
            day += ONE_DAY
            if self.is_working_day(day):
                n -= 1
        return day

    def working_days_after(self, start: dt.date, end: dt.date) -> int:
        """Working days d with start < d <= end."""
        count, day = 0, start
        while day < end:
            day += ONE_DAY
            count += self.is_working_day(day)
        return count

    def nth_procedure_day(self, first: dt.date, n: int) -> dt.date:
        """Day ``n`` of a procedure counted in working days, ``first`` being day 1.

        Vb 2000 art. 3.110(3): weekends and Atw holidays are not procedure days. A start on
        a non-working day makes the next working day day 1.
        """
        return self.add_working_days(self.roll_forward(first), n - 1)

    def atw_ends(
        self, event: Dates, nominal_end: Dates, length_days: Ints, applies: Bools | None = None
    ) -> tuple[Dates, npt.NDArray[np.int8]]:
        """Apply Atw art. 2 and art. 1 to terms that run from the day after ``event``.

        The one implementation of the Atw's arithmetic, for arrays of terms (dates in the
        calendar's years; the caller masks the others). ``length_days`` is each term's length
        in calendar days; ``applies`` (default: all) marks the terms art. 4 leaves to the Atw,
        the others end on their nominal day. Returns each term's end and the article that
        set it (:data:`ATW_NONE`, :data:`ATW_ART_1`, :data:`ATW_ART_2`).

        >>> cal = legal_calendar()
        >>> event = np.array(["2022-04-28"], dtype="datetime64[D]")  # + 1 week: Thu 5 May
        >>> end, article = cal.atw_ends(event, event + np.timedelta64(7, "D"), np.array([7]))
        >>> str(end[0]), int(article[0])   # Liberation Day moves it to Friday (art. 1)
        ('2022-05-06', 1)
        """
        bc = self.busdaycalendar
        one = np.timedelta64(1, "D")
        applies = np.ones(np.shape(event), dtype=bool) if applies is None else applies
        min_term = values_on("atw_extension_min_term_days", event)
        need = values_on("atw_extension_working_days", event)
        # art. 2: at least `need` working days in (event, nominal end]
        working = np.busday_count(event + one, nominal_end + one, busdaycal=bc)
        art2 = applies & (length_days >= min_term) & (working < need)
        extended = np.busday_offset(event + one, need - 1, roll="forward", busdaycal=bc)
        # art. 1: a term ending on a Saturday, Sunday or holiday runs on to the next working day
        rolled = np.busday_offset(nominal_end, 0, roll="forward", busdaycal=bc)
        art1 = applies & ~art2 & (rolled != nominal_end)
        end: Dates = np.where(art2, extended, np.where(art1, rolled, nominal_end))
        article = np.where(art2, ATW_ART_2, np.where(art1, ATW_ART_1, ATW_NONE)).astype(np.int8)
        return end, article

    def atw_end(self, event: dt.date, nominal_end: dt.date, length_days: int) -> AtwOutcome:
        """Apply Atw art. 2 and art. 1 to one term that runs from the day after ``event``
        (:meth:`atw_ends` for one term, with the reason a moved end was moved).

        ``length_days`` is the term's length in calendar days (art. 2 needs at least 3).

        >>> legal_calendar().atw_end(dt.date(2022, 4, 28), dt.date(2022, 5, 5), 7).end
        datetime.date(2022, 5, 6)
        """
        ends, articles = self.atw_ends(
            np.array([event], dtype="datetime64[D]"),
            np.array([nominal_end], dtype="datetime64[D]"),
            np.array([length_days], dtype=np.int64),
        )
        end: dt.date = ends[0].item()
        article = int(articles[0])
        # the days counted must lie in the calendar's years, as in day-by-day counting
        min_term = int(value("atw_extension_min_term_days", event).value)
        self._check_span(event + ONE_DAY if length_days >= min_term else nominal_end, end)
        if article == ATW_ART_2:
            return AtwOutcome(
                end=end,
                nominal_end=nominal_end,
                article="2",
                reason="fewer than two working days",
                holiday=None,
            )
        if article == ATW_ART_1:
            reason, holiday = self.non_working_reason(nominal_end)
            return AtwOutcome(
                end=end, nominal_end=nominal_end, article="1", reason=reason, holiday=holiday
            )
        return AtwOutcome(
            end=nominal_end, nominal_end=nominal_end, article="", reason="", holiday=None
        )

    def _check_span(self, first: dt.date, last: dt.date) -> None:
        """:class:`CalendarRangeError` for the first day of ``first``..``last`` outside the
        calendar's years."""
        self._check(first)
        if last.year > self.last_year:
            self._check(max(first, dt.date(self.last_year + 1, 1, 1)))


def _parse(file: str, content: dict[str, Any]) -> LegalCalendar:
    top = TableReader(file, "", content)
    meta = top.table("calendar")
    assert meta is not None
    first_year, last_year = meta.integer("first_year"), meta.integer("last_year")
    meta.done()
    assert first_year is not None
    assert last_year is not None
    rules: list[_Rule] = []
    for t in top.tables("rule"):
        rid = t.text("id")
        fixed_raw = t.text("fixed", required=False)
        offset = t.integer("easter_offset", required=False)
        kings = t.flag("kings_day", required=False)
        if sum(x for x in (bool(fixed_raw), offset is not None, kings)) != 1:
            raise t.error("id", "give exactly one of fixed, easter_offset, kings_day")
        fixed: tuple[int, int] | None = None
        if fixed_raw:
            try:
                month, day = (int(x) for x in fixed_raw.split("-"))
                dt.date(2000, month, day)
            except ValueError:
                raise t.error("fixed", f"expected MM-DD, got {fixed_raw!r}") from None
            fixed = (month, day)
        source_id = t.text("source")
        rule = _Rule(
            id=rid,
            name_en=t.text("name_en"),
            name_nl=t.text("name_nl"),
            kind=t.enum("kind", HolidayKind),
            source=resolve(file, f"{t.key}.source", source_id),
            valid_from=t.day("from") or dt.date.min,
            fixed=fixed,
            easter_offset=offset,
            kings_day=kings,
        )
        t.done()
        rules.append(rule)
    equated: list[Holiday] = []
    decree_years: set[int] = set()
    for t in top.tables("decree"):
        source = resolve(file, f"{t.key}.source", t.text("source"))
        status = t.enum("status", Status)
        years = t._get("years", (list,), True)
        t.text("note", required=False)
        if not all(isinstance(y, int) and not isinstance(y, bool) for y in years):
            raise t.error("years", "expected a list of years")
        overlap = decree_years & set(years)
        if overlap:
            raise t.error("years", f"{sorted(overlap)[0]} is already covered by another decree")
        decree_years |= set(years)
        for d in t.tables("days", required=False):
            when = d.day("date")
            assert when is not None
            if when.year not in years:
                raise d.error("date", f"{when} is not in the decree's years {years}")
            equated.append(
                Holiday(
                    date=when,
                    id=f"equated-{when.isoformat()}",
                    name_en=d.text("name_en"),
                    name_nl=d.text("name_nl"),
                    kind=HolidayKind.EQUATED_BY_DECREE,
                    source=source,
                    status=status,
                )
            )
            d.done()
        t.done()
    top.done()
    if not rules:
        raise DataError(file, "rule", "no holiday rules")
    return LegalCalendar(rules, equated, frozenset(decree_years), first_year, last_year)


@cache
def legal_calendar() -> LegalCalendar:
    """The Dutch legal calendar built from ``law/data/nl/holidays.toml``."""
    file, content = read_data_file("holidays.toml")
    return _parse(file, content)
