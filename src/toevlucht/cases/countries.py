"""Nationalities by name, in the reader's language (issue 11: labels, never raw codes).

An applicant's nationality is stored as the law's code (``law/data/nl/countries.toml``: ISO
3166-1 alpha-3, the user-assigned XKX for Kosovo and the ICAO Doc 9303 codes XXA, XXB, XXC
and XXX). A country is named by the Unicode CLDR's territory names (Babel), found by its
alpha-2 code through CLDR's own alias of the alpha-3 code; the four ICAO codes are no
countries, so their names are this project's translations (gettext, the cases catalogue).

The names of a language are built once per process (:func:`country_names`), so that a page
that names many nationalities (the work queue, its filter, the CSV) looks each one up in a
dict.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from functools import cache

from babel import Locale
from babel.core import get_global
from django.conf import settings
from django.utils import translation
from django.utils.translation import get_language, pgettext_lazy

from toevlucht.law.model import country_codes

__all__ = ["NOT_A_COUNTRY", "country_label", "country_names", "sort_key"]

# ICAO Doc 9303 part 3: the codes of the nationality field that name no state.
NOT_A_COUNTRY = {
    "XXA": pgettext_lazy("nationality", "stateless"),
    "XXB": pgettext_lazy("nationality", "refugee (1951 Refugee Convention)"),
    "XXC": pgettext_lazy("nationality", "refugee (other than under the 1951 Convention)"),
    "XXX": pgettext_lazy("nationality", "unknown"),
}
# A code that CLDR does not alias from alpha-3: Kosovo's user-assigned pair (XKX, XK).
_ALPHA2 = {"XKX": "XK"}


def _language(lang: str | None) -> str:
    code = (lang or get_language() or "en")[:2]
    return code if code in {c for c, _name in settings.LANGUAGES} else "en"


@cache
def _alpha2() -> dict[str, str]:
    aliases: Mapping[str, list[str]] = get_global("territory_aliases")
    out = {}
    for code in country_codes() - NOT_A_COUNTRY.keys():
        target = _ALPHA2.get(code) or next(iter(aliases.get(code) or []), "")
        if target:
            out[code] = target
    return out


def country_names(lang: str | None = None) -> Mapping[str, str]:
    """Every nationality code of the law by its name in ``lang`` (default: the active
    language; one the site does not offer is English)."""
    return _names(_language(lang))


@cache
def _names(lang: str) -> Mapping[str, str]:
    territories = Locale.parse(lang).territories
    names = {code: territories.get(a2, code) for code, a2 in _alpha2().items()}
    with translation.override(lang):
        names.update({code: str(label) for code, label in NOT_A_COUNTRY.items()})
    return names


def country_label(code: str, lang: str | None = None) -> str:
    """A nationality code by its name in ``lang`` (the active language by default); a code
    the law does not know is shown as it is."""
    if not code:
        return ""
    return _names(_language(lang)).get(code, code)


def sort_key(name: str) -> str:
    """A name as an alphabetical list orders it: without accents, case folded (Åland with
    the A's, Curaçao with the C's)."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
