"""Rendering traces, labels and next steps in the languages of Toevlucht.

Messages live in ``law/locale/<lang>.toml`` as ``key = "template"`` with ``{name}``
placeholders. Parameters are formatted by type: dates in the language's long form, holidays
and measures by their name in that language, :class:`~toevlucht.law.trace.Label` values
through the catalogue, money parameters (``amount``, ``per_day``, ``cap``) in euros.
Every catalogue must have the same keys and placeholders as the English one (a test checks).
A count takes its noun in the language's plural form with ``{days:plural:day|days}``
(English and Dutch: one|other; Russian and Ukrainian: one|few|many, as CLDR), rendered
``1 day``, ``3 days``; ``{days:plural:день|дня|дней}`` gives ``1 день``, ``3 дня``, ``5 дней``.

>>> render_key("stage.registration", "nl")
'registratie (aanmeldfase)'
>>> format_date(dt.date(2022, 5, 9), "ru")
'9 мая 2022 г.'
"""

from __future__ import annotations

import datetime as dt
import re
import string
import tomllib
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

from toevlucht.law.calendar import Holiday
from toevlucht.law.errors import CaseInputError, DataError, HistoryError, LawError
from toevlucht.law.measures import Measure
from toevlucht.law.trace import Label, Step

__all__ = [
    "LANGUAGES",
    "catalog",
    "flat_messages",
    "format_date",
    "format_money",
    "placeholders",
    "plural_form",
    "plural_specs",
    "render_error",
    "render_key",
    "render_problem",
    "render_step",
    "render_value",
]

LANGUAGES = ("en", "nl", "ru", "uk")
PLURAL_FORMS = {"en": 2, "nl": 2, "ru": 3, "uk": 3}
MONEY_PARAMS = frozenset({"amount", "per_day", "cap"})

_MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "nl": [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ],
    "ru": [
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ],
    "uk": [
        "січня",
        "лютого",
        "березня",
        "квітня",
        "травня",
        "червня",
        "липня",
        "серпня",
        "вересня",
        "жовтня",
        "листопада",
        "грудня",
    ],
}
_YEAR_SUFFIX = {"en": "", "nl": "", "ru": " г.", "uk": " р."}


def format_date(day: dt.date, lang: str) -> str:
    """A date in the long form of ``lang`` (``10 March 2022``, ``10 maart 2022``)."""
    return f"{day.day} {_MONTHS[lang][day.month - 1]} {day.year}{_YEAR_SUFFIX[lang]}"


def format_money(amount: int | float, lang: str) -> str:
    whole = f"{round(amount):,}"
    if lang in ("nl",):
        return "€ " + whole.replace(",", ".")
    if lang in ("ru", "uk"):
        return whole.replace(",", "\u00a0") + " €"
    return "€" + whole


@cache
def catalog(lang: str) -> Mapping[str, str]:
    """All messages of one language, flattened to dotted keys."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r} (known: {', '.join(LANGUAGES)})")
    raw = resources.files("toevlucht.law.locale").joinpath(f"{lang}.toml").read_bytes()
    return flat_messages(raw)


def flat_messages(raw: bytes) -> dict[str, str]:
    """A TOML message catalogue (tables of texts) as one dict of dotted keys; the simulator's
    catalogues are read with it too."""
    out: dict[str, str] = {}

    def walk(prefix: str, node: Mapping[str, Any]) -> None:
        for k, v in node.items():
            key = f"{prefix}.{k}" if prefix else k
            if isinstance(v, dict):
                walk(key, v)
            else:
                out[key] = str(v)

    walk("", tomllib.loads(raw.decode("utf-8")))
    return out


def plural_form(n: int, lang: str) -> int:
    """Index of the plural form of ``n`` in ``lang`` (CLDR cardinal rules)."""
    if PLURAL_FORMS[lang] == 2:
        return 0 if n == 1 else 1
    if n % 10 == 1 and n % 100 != 11:
        return 0
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return 1
    return 2


def plural_specs(template: str) -> list[list[str]]:
    """The forms of every ``{name:plural:a|b|...}`` in ``template``."""
    return [
        spec.removeprefix("plural:").split("|")
        for _, name, spec, _ in string.Formatter().parse(template)
        if name and spec and spec.startswith("plural:")
    ]


class _Formatter(string.Formatter):
    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec.startswith("plural:"):
            forms = format_spec.removeprefix("plural:").split("|")
            return f"{value} {forms[plural_form(abs(int(value)), self.lang)]}"
        return str(super().format_field(value, format_spec))


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def render_value(name: str, v: Any, lang: str) -> str:
    if isinstance(v, bool):
        return render_key("word.yes" if v else "word.no", lang)
    if isinstance(v, dt.date):
        return format_date(v, lang)
    if isinstance(v, Holiday):
        cat = catalog(lang)
        for key in (f"holiday.{v.id}", f"holiday.{_slug(v.name_en)}"):
            if key in cat:
                return cat[key]
        return v.name_nl if lang == "nl" else v.name_en
    if isinstance(v, Measure):
        return v.title(lang)
    if isinstance(v, Label):
        return render_key(v.key, lang)
    if isinstance(v, tuple | list):
        return "; ".join(render_value(name, x, lang) for x in v)
    if name in MONEY_PARAMS and isinstance(v, int | float):
        return format_money(v, lang)
    return str(v)


def render_key(key: str, lang: str, params: Mapping[str, Any] | None = None) -> str:
    """The message ``key`` in ``lang`` with ``params`` filled in; English as fallback."""
    template = catalog(lang).get(key) or catalog("en").get(key)
    if template is None:
        raise KeyError(f"no message {key!r} in the {lang} catalogue")
    values = {k: render_value(k, v, lang) for k, v in (params or {}).items()}
    text = _Formatter(lang).vformat(template, (), values)
    suffix = _YEAR_SUFFIX.get(lang, "")
    if suffix.endswith("."):  # "2022 г." at the end of a sentence: one full stop
        text = text.replace(f"{suffix}.", suffix)
    return text


def _message_key(exc: Exception) -> str | None:
    if isinstance(exc, DataError):  # its ``key`` is the data file's
        return exc.message_key
    key = getattr(exc, "key", None) if isinstance(exc, LawError) else None
    return key if isinstance(key, str) and key else None


def render_problem(exc: Exception, lang: str) -> str:
    """What is wrong, in ``lang``, without where: a law error with a message key in its
    catalogue text, any other in English (its ``problem``, or the whole message)."""
    key = _message_key(exc)
    if key is None:
        return str(getattr(exc, "problem", exc))
    text = render_key(key, lang, getattr(exc, "params", None))
    if isinstance(exc, CaseInputError):  # a field's error: "is required", as in English
        return text
    return text[:1].upper() + text[1:]


def render_error(exc: Exception, lang: str) -> str:
    """A law error in ``lang``: one with a message key in its catalogue text, prefixed with
    where it is (the event of a :class:`~toevlucht.law.errors.HistoryError`, the place in
    the input of a :class:`~toevlucht.law.errors.CaseInputError`); any other in English."""
    if _message_key(exc) is None:
        return str(exc)
    if isinstance(exc, CaseInputError):  # "events[3].date: expected a date ...", as in English
        return f"{exc.where}: {render_problem(exc, lang)}"
    index = exc.index if isinstance(exc, HistoryError) else None
    where = f"events[{index}]: " if index is not None else ""
    return where + render_problem(exc, lang)


def render_step(step: Step, lang: str) -> str:
    return render_key(step.key, lang, step.params)
