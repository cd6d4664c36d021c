"""Server-drawn SVG charts (no script, no inline style: CSP-safe). Only geometry here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["LineChart", "line_chart"]


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    points: str  # the polyline's "x,y x,y ..."
    capacity_y: float  # the capacity line
    max_value: int
    ticks: list[tuple[float, dt.date, str]]  # x, day, text-anchor (first, middle, last)
    top: float
    bottom: float


def line_chart(
    series: Sequence[tuple[dt.date, int]],
    capacity: int,
    *,
    width: int = 640,
    height: int = 180,
    pad: int = 28,
) -> LineChart:
    """A line of ``series`` against a horizontal ``capacity`` line, in a ``width`` by
    ``height`` box (SVG coordinates: y grows downwards)."""
    top, bottom, left, right = 8.0, float(height - pad), float(pad + 20), float(width - 8)
    peak = max([capacity, *(n for _, n in series)], default=1) or 1
    span = max(len(series) - 1, 1)

    def x(i: int) -> float:
        return round(left + (right - left) * i / span, 1)

    def y(v: int) -> float:
        return round(bottom - (bottom - top) * v / peak, 1)

    points = " ".join(f"{x(i)},{y(n)}" for i, (_, n) in enumerate(series))
    picks = sorted({0, len(series) // 2, len(series) - 1}) if series else []
    anchor = {0: "start", len(series) - 1: "end"}
    ticks = [(x(i), series[i][0], anchor.get(i, "middle")) for i in picks]
    return LineChart(
        width=width,
        height=height,
        points=points,
        capacity_y=y(capacity),
        max_value=peak,
        ticks=ticks,
        top=top,
        bottom=bottom,
    )
