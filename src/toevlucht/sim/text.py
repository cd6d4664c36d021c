"""The simulator's errors in the reader's language.

Messages live in ``sim/locale/<lang>.toml`` as ``key = "template"`` with ``{name}``
placeholders (``{name!r}`` quotes a text as Python does, as the English messages do), the
way the law's do (:mod:`toevlucht.law.text`). Parameters are formatted by type: dates in the
language's long form, numbers with the language's decimal mark, a
:class:`~toevlucht.sim.errors.Word` through the catalogue; file names, keys, ids and codes
stay as they are. Every catalogue has the same keys and placeholders as the English one
(``tests/sim/test_errors.py``). The analysis pages are in English and Dutch, so are these.

An error that has to wait to be read (a forecast run in a child process, its error kept
with the run) is kept as :func:`dump_error`'s JSON-safe mapping and rendered later with
:func:`render_stored`.

>>> from toevlucht.sim.errors import ScenarioError
>>> e = ScenarioError("my.toml", "group[0].id", "is required", message_key="error.required",
...                   params={})
>>> render_error(e, "nl")
'my.toml: group[0].id: is verplicht'
>>> render_stored(dump_error(e), "nl") == render_error(e, "nl")
True
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

from toevlucht.law.text import flat_messages, format_date
from toevlucht.sim.errors import ScenarioError, SimError, Word

__all__ = [
    "LANGUAGES",
    "catalog",
    "dump_error",
    "load_error",
    "placeholders",
    "render_error",
    "render_key",
    "render_problem",
    "render_stored",
]

LANGUAGES = ("en", "nl")


@cache
def catalog(lang: str) -> Mapping[str, str]:
    """All messages of one language, flattened to dotted keys."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r} (known: {', '.join(LANGUAGES)})")
    raw = resources.files("toevlucht.sim.locale").joinpath(f"{lang}.toml").read_bytes()
    return flat_messages(raw)


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _number(v: float, lang: str) -> str:
    text = str(v) if isinstance(v, int) else f"{v:g}"
    return text.replace(".", ",") if lang == "nl" else text


def render_value(v: Any, lang: str) -> str:
    if isinstance(v, Word):
        word = render_key(v.key, lang)
        return f"{word} {v.detail}" if word and v.detail else word or v.detail
    if isinstance(v, dt.date):
        return format_date(v, lang)
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int | float):
        return _number(v, lang)
    return str(v)


def render_key(key: str, lang: str, params: Mapping[str, Any] | None = None) -> str:
    """The message ``key`` in ``lang`` with ``params`` filled in (no fallback: a key a
    catalogue lacks is a ``KeyError``)."""
    template = catalog(lang)[key]
    values = {k: render_value(v, lang) for k, v in (params or {}).items()}
    return string.Formatter().vformat(template, (), values)


def render_problem(exc: SimError, lang: str) -> str:
    """What is wrong, in ``lang``, without the file and key."""
    return render_key(exc.message_key, lang if lang in LANGUAGES else "en", exc.params)


def render_error(exc: SimError, lang: str) -> str:
    """A simulator error in ``lang``, with the file and key in front as in English
    (``my.toml: stages.registration.capacity[1].from: ...``)."""
    problem = render_problem(exc, lang)
    if isinstance(exc, ScenarioError):
        return f"{exc.file}: {exc.key}: {problem}" if exc.key else f"{exc.file}: {problem}"
    return problem


# --- kept errors ---------------------------------------------------------------------------


def _dump(v: Any) -> Any:
    if isinstance(v, Word):
        return {"word": v.key, "detail": v.detail}
    if isinstance(v, dt.date):
        return {"date": v.isoformat()}
    if isinstance(v, list | tuple):
        return [_dump(x) for x in v]
    if v is None or isinstance(v, str | int | float | bool):
        return v
    return str(v)


def _load(v: Any) -> Any:
    if isinstance(v, dict) and set(v) == {"word", "detail"}:
        return Word(str(v["word"]), str(v["detail"]))
    if isinstance(v, dict) and set(v) == {"date"}:
        return dt.date.fromisoformat(str(v["date"]))
    if isinstance(v, list):
        return [_load(x) for x in v]
    return v


def dump_error(exc: SimError) -> dict[str, Any]:
    """``exc`` as a JSON-safe mapping, from which :func:`load_error` rebuilds it."""
    out: dict[str, Any] = {
        "message_key": exc.message_key,
        "params": {k: _dump(v) for k, v in exc.params.items()},
        "problem": exc.problem,
    }
    if isinstance(exc, ScenarioError):
        out["file"], out["key"] = exc.file, exc.key
    return out


def load_error(data: Mapping[str, Any]) -> SimError:
    """The error :func:`dump_error` kept; ``ValueError`` if ``data`` is not one."""
    try:
        key, problem = str(data["message_key"]), str(data["problem"])
        params = {str(k): _load(v) for k, v in dict(data["params"]).items()}
        if "file" in data:
            return ScenarioError(
                str(data["file"]), str(data["key"]), problem, message_key=key, params=params
            )
        return SimError(problem, message_key=key, params=params)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ValueError(f"not a kept simulator error: {exc}") from None


def render_stored(data: Mapping[str, Any], lang: str) -> str:
    """A kept error (:func:`dump_error`) in ``lang``; its English text if its key is not
    in this version's catalogue (kept by an older one)."""
    exc = load_error(data)
    try:
        return render_error(exc, lang)
    except (KeyError, IndexError, ValueError):
        return str(exc)
