"""Which language a page is in: the portal's languages are ``settings.LANGUAGES``; an
applicant's default is ``user.language``, then the first of ``applicant.languages`` the
portal has. The law engine speaks fewer languages: its texts fall back to English."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation

from toevlucht.law.text import LANGUAGES as LAW_LANGUAGES

__all__ = [
    "activate_for",
    "language_choices",
    "law_language",
    "preferred_language",
    "supported_languages",
]


def supported_languages() -> list[str]:
    return [code for code, _ in settings.LANGUAGES]


def language_choices() -> list[tuple[str, str]]:
    """(code, the language's own name) as in ``settings.LANGUAGES``."""
    return [(code, str(name)) for code, name in settings.LANGUAGES]


def law_language(lang: str) -> str:
    """The language the law engine's texts are rendered in for a page in ``lang``."""
    return lang if lang in LAW_LANGUAGES else "en"


def preferred_language(user: Any, applicant_languages: list[str] | None = None) -> str | None:
    supported = supported_languages()
    own = getattr(user, "language", "")
    if own in supported:
        return str(own)
    for lang in applicant_languages or []:
        if lang in supported:
            return lang
    return None


def activate_for(request: Any, lang: str | None) -> None:
    """Switch this request to ``lang`` (LocaleMiddleware chose from cookie or browser)."""
    if lang and lang in supported_languages():
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
