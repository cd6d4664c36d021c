"""Calendar arithmetic for terms in weeks and months (Awb 6:8 style counting).

A term "of n weeks after" an event runs from the day after it; its last day is the same
weekday n weeks later. A term of n months ends on the same day number n months later, or on
the last day of that month when it is shorter (31 August + 6 months = 28/29 February).

>>> add_months(dt.date(2022, 8, 31), 6)
datetime.date(2023, 2, 28)
>>> add_weeks(dt.date(2022, 5, 10), 4)
datetime.date(2022, 6, 7)
"""

from __future__ import annotations

import calendar
import datetime as dt

__all__ = ["add_months", "add_weeks", "months_between"]


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day number ``months`` later, clamped to the end of the month."""
    total = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(total, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(day.day, last))


def add_weeks(day: dt.date, weeks: int) -> dt.date:
    return day + dt.timedelta(weeks=weeks)


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end`` as counted by :func:`add_months`."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if add_months(start, months) > end:
        months -= 1
    return months
