"""Template helpers of the portal: dates as the law writes them, Dutch terms marked as
Dutch, the language list."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from toevlucht.portal.formatting import format_day
from toevlucht.portal.languages import language_choices

register = template.Library()


@register.filter
def day(value: Any) -> str:
    """``2022-05-09`` (or a date) as ``9 мая 2022 г.`` in the active language."""
    return format_day(value, get_language() or "en")


@register.simple_tag
def nl_term(term: str) -> SafeString:
    """The Dutch legal term after a translation, marked as Dutch for screen readers; nothing
    on a Dutch page, where the term is the text itself."""
    if (get_language() or "").startswith("nl"):
        return SafeString("")
    return format_html('<span class="nl-term" lang="nl">({})</span>', term)


@register.simple_tag
def portal_languages() -> list[tuple[str, str]]:
    return language_choices()
