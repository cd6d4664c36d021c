"""A strict reader for one TOML table of a scenario file.

Every value is read with its expected type; :meth:`Table.done` rejects keys nobody asked
for. Every error is a :class:`~toevlucht.sim.errors.ScenarioError` naming the file and the
full key (``group[2].grant_rate[1].from``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from toevlucht.sim.errors import ScenarioError
from toevlucht.sim.scenario import Dated

__all__ = ["Table", "show"]


class Table:
    """One TOML table, read strictly; :meth:`done` rejects keys nobody asked for."""

    def __init__(self, file: str, key: str, table: Any) -> None:
        if not isinstance(table, dict):
            raise ScenarioError(file, key, f"expected a table, got {_kind(table)}")
        self.file, self.key, self.t, self.seen = file, key, dict(table), set[str]()

    def at(self, key: str) -> str:
        return f"{self.key}.{key}" if self.key else key

    def err(self, key: str, problem: str) -> ScenarioError:
        return ScenarioError(self.file, self.at(key), problem)

    def has(self, key: str) -> bool:
        return key in self.t

    def get(self, key: str, types: tuple[type, ...], what: str, required: bool) -> Any:
        self.seen.add(key)
        if key not in self.t:
            if required:
                raise self.err(key, "is required")
            return None
        v = self.t[key]
        bad = isinstance(v, bool) and bool not in types
        if bad or not isinstance(v, types) or (dt.date in types and isinstance(v, dt.datetime)):
            raise self.err(key, f"expected {what}, got {show(v)}")
        return v

    def text(self, key: str, required: bool = True, default: str = "") -> str:
        v = self.get(key, (str,), "text", required)
        return default if v is None else str(v)

    def num(self, key: str, required: bool = True, default: float = 0.0, lo: float = 0.0) -> float:
        v = self.get(key, (int, float), "a number", required)
        if v is None:
            return default
        if v < lo:
            raise self.err(key, f"must be at least {lo:g}, got {v}")
        return float(v)

    def share(self, key: str, required: bool = True, default: float = 0.0) -> float:
        v = self.num(key, required, default)
        if v > 1:
            raise self.err(key, f"a share must be between 0 and 1, got {v:g}")
        return v

    def int_(self, key: str, required: bool = True, default: int = 0) -> int:
        v = self.get(key, (int,), "a whole number", required)
        if v is None:
            return default
        if v < 0:
            raise self.err(key, f"must be at least 0, got {v}")
        return int(v)

    def day(self, key: str, required: bool = True) -> dt.date | None:
        v = self.get(key, (dt.date,), "a date (YYYY-MM-DD, unquoted)", required)
        return v if isinstance(v, dt.date) else None

    def texts(self, key: str, required: bool = False) -> list[str]:
        v = self.get(key, (list,), "a list of text", required)
        if v is None:
            return []
        for i, x in enumerate(v):
            if not isinstance(x, str):
                raise self.err(f"{key}[{i}]", f"expected text, got {show(x)}")
        return list(v)

    def table(self, key: str, required: bool = True) -> Table | None:
        v = self.get(key, (dict,), "a table", required)
        return None if v is None else Table(self.file, self.at(key), v)

    def tables(self, key: str, required: bool = False) -> list[Table]:
        v = self.get(key, (list,), "a list of tables", required)
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
                raise self.err(key, "is required")
            return Dated.constant(default)
        raw = self.t[key]
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            v = self.num(key)
            if unit and v > 1:
                raise self.err(key, f"a share must be between 0 and 1, got {v:g}")
            return Dated.constant(v)
        if not isinstance(raw, list) or not raw:
            raise self.err(key, f"expected a number or a list of {{from, value}}, got {show(raw)}")
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
                raise p.err("until", f"{until} is not after from = {start}")
            if starts and start <= starts[-1]:
                raise p.err("from", f"{start} is not after the previous period's start")
            if prev_until is not None and start < prev_until:
                raise p.err(
                    "from", f"{start} overlaps the previous period, which runs until {prev_until}"
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
            raise self.err(unknown[0], "unknown key")


def _kind(v: Any) -> str:
    return {dict: "a table", list: "a list", str: "text", bool: "a boolean"}.get(
        type(v), type(v).__name__
    )


def show(v: Any) -> str:
    return f"{_kind(v)} {v!r}" if not isinstance(v, (dict, list)) else _kind(v)
