"""The case clock: "today" for deadlines. Fixed by ``TOEVLUCHT_AS_OF`` (the demo runs on
9 May 2022); otherwise the real date in Amsterdam."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings


def today() -> dt.date:
    fixed = getattr(settings, "TOEVLUCHT_AS_OF", "")
    if fixed:
        return dt.date.fromisoformat(fixed)
    return dt.datetime.now(tz=ZoneInfo("Europe/Amsterdam")).date()
