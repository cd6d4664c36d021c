"""Dated legal parameters: every number the legislator sets, with the date it holds from.

``law/data/nl/terms.toml`` holds one table per parameter; each has a list of values keyed by
the date from which they hold, and each value names its source. The loader is strict:
unknown keys, overlapping or unordered periods and unknown sources are errors that name the
file and the key.

>>> p = parameter("decision_term_months")
>>> p.on(dt.date(2022, 3, 10)).value
6
>>> p.on(dt.date(2022, 3, 10)).source.label
'Vw 2000 art. 42(1)'

For many dates at once (the bulk path), :func:`values_on` gives an integer parameter's value
on each date of an array:

>>> values_on("decision_term_months", np.array(["2022-03-10"], dtype="datetime64[D]")).tolist()
[6]
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt

from toevlucht.law.errors import DataError
from toevlucht.law.sources import Citation, Status, TableReader, read_data_file, resolve

__all__ = ["DatedValue", "Parameter", "load_parameters", "parameter", "value", "values_on"]

Scalar = int | float | bool | str


@dataclass(frozen=True, slots=True, kw_only=True)
class DatedValue:
    """One value of a parameter, valid from ``valid_from`` until the next value's start."""

    valid_from: dt.date
    valid_until: dt.date | None  # exclusive; None = still in force
    value: Any
    source: Citation
    status: Status
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Parameter:
    name: str
    description: str
    unit: str
    values: tuple[DatedValue, ...]

    def next_change_to(self, target: Any, after: dt.date) -> dt.date | None:
        """The first date after ``after`` from which the value equals ``target``."""
        for v in self.values:
            if v.valid_from > after and v.value == target:
                return v.valid_from
        return None

    def on(self, date: dt.date) -> DatedValue:
        """The value in force on ``date``; :class:`DataError` if none is."""
        for v in self.values:
            if v.valid_from <= date and (v.valid_until is None or date < v.valid_until):
                return v
        first = self.values[0].valid_from.isoformat()
        raise DataError(
            "law/data/nl/terms.toml",
            self.name,
            f"no value in force on {date.isoformat()} (values start on {first})",
            message_key="error.no_value_in_force",
            params={"day": date, "first": self.values[0].valid_from},
        )


UNITS = frozenset({"days", "working_days", "weeks", "months", "eur", "eur_per_day", "flag", "list"})


def parse_parameters(file: str, content: dict[str, Any]) -> dict[str, Parameter]:
    out: dict[str, Parameter] = {}
    for name, raw in content.items():
        t = TableReader(file, name, raw)
        unit = t.text("unit")
        if unit not in UNITS:
            raise t.error("unit", f"{unit!r} is not one of: {', '.join(sorted(UNITS))}")
        description = t.text("description")
        rows = t.tables("values")
        t.done()
        if not rows:
            raise t.error("values", "needs at least one value")
        parsed: list[tuple[dt.date, dt.date | None, Any, Citation, Status, str]] = []
        for i, row in enumerate(rows):
            start = row.day("from")
            assert start is not None
            until = row.day("until", required=False)
            val = row._get("value", (int, float, bool, str, list), True)
            source_id = row.text("source")
            status = row.enum("status", Status, default=Status.CONFIRMED)
            note = row.text("note", required=False)
            row.done()
            source = resolve(file, f"{name}.values[{i}].source", source_id)
            if until is not None and until <= start:
                raise row.error("until", f"{until} is not after from = {start}")
            parsed.append((start, until, val, source, status, note))
        values: list[DatedValue] = []
        for i, (start, until, val, source, status, note) in enumerate(parsed):
            nxt = parsed[i + 1][0] if i + 1 < len(parsed) else None
            if nxt is not None and nxt <= start:
                raise DataError(
                    file, f"{name}.values[{i + 1}].from", "values must be in date order"
                )
            if until is not None and nxt is not None and nxt < until:
                raise DataError(
                    file,
                    f"{name}.values[{i + 1}].from",
                    f"overlaps the previous value, which holds until {until}",
                )
            values.append(
                DatedValue(
                    valid_from=start,
                    valid_until=until if until is not None else nxt,
                    value=val,
                    source=source,
                    status=status,
                    note=note,
                )
            )
        out[name] = Parameter(name=name, description=description, unit=unit, values=tuple(values))
    return out


@cache
def load_parameters() -> dict[str, Parameter]:
    file, content = read_data_file("terms.toml")
    return parse_parameters(file, content)


def parameter(name: str) -> Parameter:
    """The named parameter; :class:`DataError` if the data has no such parameter."""
    try:
        return load_parameters()[name]
    except KeyError:
        raise DataError("law/data/nl/terms.toml", name, "no such parameter") from None


def value(name: str, on: dt.date) -> DatedValue:
    """Shorthand for ``parameter(name).on(on)``."""
    return parameter(name).on(on)


def values_on(name: str, dates: npt.NDArray[np.datetime64]) -> npt.NDArray[np.int64]:
    """The integer value of parameter ``name`` in force on each of ``dates`` (vectorised
    :meth:`Parameter.on`). NaT and dates before the first value get the first value: the
    caller masks the rows it cannot compute."""
    p = parameter(name)
    starts = np.array([v.valid_from for v in p.values], dtype="datetime64[D]")
    values = np.array([int(v.value) for v in p.values], dtype=np.int64)
    if len(values) == 1:  # one value for all time: no dates to look up (the bulk path's
        return np.full(np.shape(dates), values[0], dtype=np.int64)  # million rows)
    idx = np.searchsorted(starts, np.where(np.isnat(dates), starts[0], dates), side="right") - 1
    out: npt.NDArray[np.int64] = values[np.clip(idx, 0, len(values) - 1)]
    return out
