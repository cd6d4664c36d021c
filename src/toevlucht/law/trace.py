"""Explanation traces: the steps that produced a date, each with the source it rests on.

A step is a message key plus parameters, so the same trace renders in every language of
:mod:`toevlucht.law.text`; it carries the date it produced (if any) and the citation of the
rule or value it used. Traces are deterministic values: no timings, no engine internals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from toevlucht.law.sources import Citation, Status

__all__ = ["Label", "Step", "Trace"]


@dataclass(frozen=True, slots=True)
class Label:
    """A translatable word or phrase used as a step parameter (``weekday.saturday``)."""

    key: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Step:
    key: str
    params: Mapping[str, Any] = field(default_factory=dict)
    source: Citation | None = None
    date: dt.date | None = None
    status: Status = Status.CONFIRMED


class Trace:
    """An ordered list of steps being built up by a rule."""

    def __init__(self) -> None:
        self.steps: list[Step] = []

    def add(
        self,
        key: str,
        source: Citation | None = None,
        *,
        date: dt.date | None = None,
        status: Status = Status.CONFIRMED,
        **params: Any,
    ) -> Step:
        step = Step(key=key, params=params, source=source, date=date, status=status)
        self.steps.append(step)
        return step

    def freeze(self) -> tuple[Step, ...]:
        return tuple(self.steps)
