"""Dates in the portal's sentences: the law engine's month names, but the year written out
in Russian and Ukrainian (``9 мая 2022 года``) — plainer than ``г.``, and a sentence can end
on it without a double full stop. Languages the engine does not know use Django's format."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format

from toevlucht.law.text import LANGUAGES as LAW_LANGUAGES
from toevlucht.law.text import format_date

__all__ = ["format_day", "parse_day"]

_YEAR_WORD = {"ru": " года", "uk": " року"}


def parse_day(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def format_day(value: Any, lang: str) -> str:
    day = parse_day(value)
    if day is None:
        return ""
    if lang in _YEAR_WORD:
        return format_date(day, lang).rsplit(" ", 1)[0] + _YEAR_WORD[lang]
    if lang in LAW_LANGUAGES:
        return format_date(day, lang)
    return date_format(day, "DATE_FORMAT")
