"""A strict reader for one TOML table of a scenario file.

Every value is read with its expected type; :meth:`Table.done` rejects keys nobody asked
for. Every error is a :class:`~toevlucht.sim.errors.ScenarioError` naming the file and the
full key (``group[2].grant_rate[1].from``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from toevlucht.sim.errors import ScenarioError, Word
from toevlucht.sim.scenario import Dated

__all__ = ["Table", "show", "shown"]

# what a value should be: its code (the catalogue's ``expect.<code>``) and its English
EXPECT = {
    "text": "text",
    "number": "a number",
    "whole_number": "a whole number",
    "date": "a date (YYYY-MM-DD, unquoted)",
    "texts": "a list of text",
    "table": "a table",
    "tables": "a list of tables",
    "twelve_numbers": "a list of 12 numbers",
    "year_or_date": "a year or a date",
}


class Table:
    """One TOML table, read strictly; :meth:`done` rejects keys nobody asked for."""

    def __init__(self, file: str, key: str, table: Any) -> None:
        if not isinstance(table, dict):
            raise ScenarioError(
                file,
                key,
                f"expected a table, got {_kind(table)}",
                message_key="error.expected",
                params={"expected": Word("expect.table"), "got": shown(table, value=False)},
            )
        self.file, self.key, self.t, self.seen = file, key, dict(table), set[str]()

    def at(self, key: str) -> str:
        return f"{self.key}.{key}" if self.key else key

    def err(
        self, key: str, problem: str, *, message_key: str, params: Mapping[str, Any]
    ) -> ScenarioError:
        """The error at ``key`` of this table: ``problem`` in English, ``message_key`` and
        ``params`` for the reader's language (:mod:`toevlucht.sim.text`)."""
        return ScenarioError(
            self.file, self.at(key), problem, message_key=message_key, params=params
        )

    def expected(self, key: str, what: str, got: Any) -> ScenarioError:
        """``key`` is not ``what`` (a code of :data:`EXPECT`)."""
        return self.err(
            key,
            f"expected {EXPECT[what]}, got {show(got)}",
            message_key="error.expected",
            params={"expected": Word(f"expect.{what}"), "got": shown(got)},
        )

    def required(self, key: str) -> ScenarioError:
        return self.err(key, "is required", message_key="error.required", params={})

    def has(self, key: str) -> bool:
        return key in self.t

    def get(self, key: str, types: tuple[type, ...], what: str, required: bool) -> Any:
        self.seen.add(key)
        if key not in self.t:
            if required:
                raise self.required(key)
            return None
        v = self.t[key]
        bad = isinstance(v, bool) and bool not in types
        if bad or not isinstance(v, types) or (dt.date in types and isinstance(v, dt.datetime)):
            raise self.expected(key, what, v)
        return v

    def text(self, key: str, required: bool = True, default: str = "") -> str:
        v = self.get(key, (str,), "text", required)
        return default if v is None else str(v)

    def num(self, key: str, required: bool = True, default: float = 0.0, lo: float = 0.0) -> float:
        v = self.get(key, (int, float), "number", required)
        if v is None:
            return default
        if v < lo:
            raise self.err(
                key,
                f"must be at least {lo:g}, got {v}",
                message_key="error.too_small",
                params={"least": lo, "got": v},
            )
        return float(v)

    def share(self, key: str, required: bool = True, default: float = 0.0) -> float:
        v = self.num(key, required, default)
        if v > 1:
            raise self.not_share(key, v)
        return v

    def not_share(self, key: str, v: float) -> ScenarioError:
        return self.err(
            key,
            f"a share must be between 0 and 1, got {v:g}",
            message_key="error.not_share",
            params={"got": v},
        )

    def int_(self, key: str, required: bool = True, default: int = 0) -> int:
        v = self.get(key, (int,), "whole_number", required)
        if v is None:
            return default
        if v < 0:
            raise self.err(
                key,
                f"must be at least 0, got {v}",
                message_key="error.too_small",
                params={"least": 0, "got": v},
            )
        return int(v)

    def day(self, key: str, required: bool = True) -> dt.date | None:
        v = self.get(key, (dt.date,), "date", required)
        return v if isinstance(v, dt.date) else None

    def texts(self, key: str, required: bool = False) -> list[str]:
        v = self.get(key, (list,), "texts", required)
        if v is None:
            return []
        for i, x in enumerate(v):
            if not isinstance(x, str):
                raise self.expected(f"{key}[{i}]", "text", x)
        return list(v)

    def table(self, key: str, required: bool = True) -> Table | None:
        v = self.get(key, (dict,), "table", required)
        return None if v is None else Table(self.file, self.at(key), v)

    def tables(self, key: str, required: bool = False) -> list[Table]:
        v = self.get(key, (list,), "tables", required)
        return (
            []
            if v is None
            else [Table(self.file, f"{self.at(key)}[{i}]", x) for i, x in enumerate(v)]
        )

    def dated(
        self, key: str, required: bool = True, default: float = 0.0, unit: bool = False
    ) -> Dated:
        """A number, or a list of ``{from, value, until?}`` in date order without overlap."""
        self.seen.add(key)
        if key not in self.t:
            if required:
                raise self.required(key)
            return Dated.constant(default)
        raw = self.t[key]
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            v = self.num(key)
            if unit and v > 1:
                raise self.not_share(key, v)
            return Dated.constant(v)
        if not isinstance(raw, list) or not raw:
            raise self.err(
                key,
                f"expected a number or a list of {{from, value}}, got {show(raw)}",
                message_key="error.expected",
                params={"expected": Word("expect.dated"), "got": shown(raw)},
            )
        starts: list[dt.date] = []
        values: list[float] = []
        prev_until: dt.date | None = None
        for p in self.tables(key):
            start = p.day("from")
            assert start is not None
            v = p.share("value") if unit else p.num("value")
            until = p.day("until", required=False)
            p.done()
            if until is not None and until <= start:
                raise p.err(
                    "until",
                    f"{until} is not after from = {start}",
                    message_key="error.until_not_after_from",
                    params={"until": until, "start": start},
                )
            if starts and start <= starts[-1]:
                raise p.err(
                    "from",
                    f"{start} is not after the previous period's start",
                    message_key="error.period_not_after_previous",
                    params={"start": start},
                )
            if prev_until is not None and start < prev_until:
                raise p.err(
                    "from",
                    f"{start} overlaps the previous period, which runs until {prev_until}",
                    message_key="error.period_overlaps",
                    params={"start": start, "until": prev_until},
                )
            if prev_until is not None and start > prev_until:
                starts.append(prev_until)
                values.append(0.0)
            starts.append(start)
            values.append(v)
            prev_until = until
        if prev_until is not None:
            starts.append(prev_until)
            values.append(0.0)
        return Dated(starts=tuple(starts), values=tuple(values))

    def done(self) -> None:
        unknown = sorted(set(self.t) - self.seen)
        if unknown:
            raise self.err(unknown[0], "unknown key", message_key="error.unknown_key", params={})


_KINDS = {dict: "table", list: "list", str: "text", bool: "boolean"}
_KIND_EN = {"table": "a table", "list": "a list", "text": "text", "boolean": "a boolean"}
# the other kinds of value TOML has, by their Python names (as the English says them)
KINDS = ("table", "list", "text", "boolean", "int", "float", "date", "datetime", "time")


def _kind(v: Any) -> str:
    code = _KINDS.get(type(v), type(v).__name__)
    return _KIND_EN.get(code, code)


def show(v: Any) -> str:
    """What a value is, in English: ``text 'abc'``, ``int 5``, ``a table``."""
    return f"{_kind(v)} {v!r}" if not isinstance(v, (dict, list)) else _kind(v)


def shown(v: Any, value: bool = True) -> Word:
    """:func:`show` for the catalogue: the kind (``kind.<code>``; a kind TOML does not have
    is named by its Python name) and, with ``value``, the value as Python writes it."""
    code = _KINDS.get(type(v), type(v).__name__)
    detail = "" if isinstance(v, (dict, list)) or not value else repr(v)
    if code not in KINDS:
        return Word("kind.other", f"{code} {detail}".strip())
    return Word(f"kind.{code}", detail)
