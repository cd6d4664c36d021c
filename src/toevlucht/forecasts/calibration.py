"""Bands as wide as the past showed them to be: a conformal widening of the model's bands.

The chain (:mod:`toevlucht.sim.backlog`) knows the uncertainty it models — the pace drawn
from what the window showed, the day-to-day Poisson counts — and not what it leaves out: a
pace that drifts over months, a priority, a case the IND takes out of turn. Its p10–p90 band
is then too narrow, on both sides, and more so the further ahead it looks. How much too
narrow the past says: each earlier forecast whose band has closed (the day is past its p90)
tells how far outside its band the step came, in units of the band's half-width,

    score = 1 + (p10 - t) / max(p50 - p10, 1)     if the step came on day t before the p10
    score = 1 + (t - p90) / max(p90 - p50, 1)     if it came after the p90
    score = inf                                   if it has not come (its day is unknown)
    score = 1                                     inside the band,

and the factor ``s`` is the ``(1 - alpha)(1 + 1/n)`` quantile of the ``n`` scores: split
conformal prediction (Vovk et al., *Algorithmic Learning in a Random World*, 2005; the
normalised score of Romano, Patterson and Candès, "Conformalized quantile regression",
NeurIPS 2019), with ``alpha`` = 0.2 for the 80 % band. Each tail of the band then moves out
by ``(s - 1)`` of its half-width; the p50 stays. A band is never narrowed (``s >= 1``), and
with fewer than ``min_n`` closed forecasts of a kind (target, queue) no factor is known and
the band is the model's.

Only forecasts whose band has closed are counted, whatever their outcome, so that which
forecasts are counted does not depend on their outcome. The backtest
(:mod:`toevlucht.forecasts.backtest`) widens the forecasts of each past day with the factor
known on that day (from the forecasts before it, scored against what was known then), so its
coverage is out of sample; the forecasts shown today take the factor of all the backtest's
forecasts, scored against today.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

__all__ = ["Closed", "Spread", "factors", "score_of", "widen", "within"]

ALPHA = 0.2  # the band is p10–p90: 80 %
MIN_N = 20  # closed forecasts of a kind before its factor is used

Band = tuple[float, float, float]  # p10, p50, p90 in days from the forecast's day (NaN: none)


@dataclass(frozen=True, slots=True)
class Closed:
    """One earlier forecast and what came of it, as known on the day of calibration."""

    kind: tuple[str, str]  # (target, queue)
    band: Band
    came: float | None  # the step's day in days from the forecast's day; None: not come


@dataclass(frozen=True, slots=True)
class Spread:
    factor: float  # >= 1
    n: int  # closed forecasts it rests on


def score_of(band: Band, came: float | None) -> float:
    """How far outside its band a step came, in half-widths (1: inside; inf: not come)."""
    lo, mid, hi = band
    if came is None:
        return math.inf
    if came < lo:
        return 1 + (lo - came) / max(mid - lo, 1.0)
    if came > hi:
        return 1 + (came - hi) / max(hi - mid, 1.0)
    return 1.0


def factors(
    closed: Iterable[Closed], *, alpha: float = ALPHA, min_n: int = MIN_N
) -> dict[tuple[str, str], Spread]:
    """The widening factor of each kind (target, queue) with at least ``min_n`` closed
    forecasts: the conformal quantile of their scores, at least 1 (``inf`` where more than
    ``alpha`` of them, corrected for their number, never came: no band is then wide enough)."""
    scores: dict[tuple[str, str], list[float]] = defaultdict(list)
    for c in closed:
        scores[c.kind].append(score_of(c.band, c.came))
    out: dict[tuple[str, str], Spread] = {}
    for kind, values in scores.items():
        n = len(values)
        if n < min_n:
            continue
        rank = math.ceil((1 - alpha) * (n + 1))  # the conformal rank, 1-based
        ordered = sorted(values)
        factor = ordered[rank - 1] if rank <= n else math.inf
        out[kind] = Spread(max(1.0, factor), n)
    return out


def widen(band: Band, factor: float) -> Band:
    """The band with each tail moved out by ``factor - 1`` of its half-width, in whole days
    rounded outwards and not before day 1 (the day's own events are known); NaN where no band
    is (factor ``inf``, or none)."""
    lo, mid, hi = band
    if factor <= 1 or any(math.isnan(x) for x in band):
        return band
    if math.isinf(factor):
        return (math.nan, mid, math.nan)
    # whole days, rounded outwards: the band shown holds the widened one
    lo2 = max(1.0, math.floor(lo - (factor - 1) * max(mid - lo, 1.0)))
    hi2 = float(math.ceil(hi + (factor - 1) * max(hi - mid, 1.0)))
    return (min(lo2, lo), mid, hi2)


def within(draws: np.ndarray, band: Band, factor: float, due: float) -> float:
    """The probability of the step by day ``due`` under the widened distribution: the model's
    draws mapped by the same widening (a shift of each tail beyond the band, linear between
    the p10, the p50 and the p90), so that its quantiles are :func:`widen`'s band; 0 for a
    term ending before day 1, NaN where no band is wide enough."""
    if due < 1:
        return 0.0  # a term that ends before the first day to come: no decision within it
    if factor <= 1 or any(math.isnan(x) for x in band):
        return float((draws <= due).mean())
    if math.isinf(factor):
        return math.nan
    lo, mid, hi = band
    lo2, _mid, hi2 = widen(band, factor)
    if due <= lo2:
        back = due + (lo - lo2)
    elif due >= hi2:
        back = due - (hi2 - hi)
    else:
        back = float(np.interp(due, [lo2, mid, hi2], [lo, mid, hi]))
    return float((draws <= back).mean())


def as_days(day: dt.date | None, made: dt.date) -> float | None:
    return None if day is None else float((day - made).days)


def lookup(spread: Mapping[tuple[str, str], Spread], target: str, queue: str) -> float:
    s = spread.get((target, queue))
    return s.factor if s is not None else 1.0
