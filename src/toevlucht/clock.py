"""The case clock: "today" for deadlines. Fixed by ``TOEVLUCHT_AS_OF`` (the demo runs on
9 May 2022); otherwise the real date in Amsterdam.

``now()`` is the moment on that clock, for the dates Toevlucht itself writes into the case
file (a measure's announcement, a portal invitation and its expiry): on a fixed day, that
day at the real time of day, so that the demo's own dates follow its clock. Security
windows (sign-in throttling, token lifetimes) and the audit log keep the real time."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def today() -> dt.date:
    fixed = getattr(settings, "TOEVLUCHT_AS_OF", "")
    if fixed:
        return dt.date.fromisoformat(fixed)
    return dt.datetime.now(tz=AMSTERDAM).date()


def now() -> dt.datetime:
    """The current moment on the case clock (timezone-aware)."""
    real = timezone.now()
    fixed = getattr(settings, "TOEVLUCHT_AS_OF", "")
    if not fixed:
        return real
    return dt.datetime.combine(dt.date.fromisoformat(fixed), real.astimezone(AMSTERDAM).timetz())
