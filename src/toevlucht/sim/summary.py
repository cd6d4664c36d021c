"""From replications to what an analyst reads: bands (p5, median, p95) over replications.

Every figure is first computed per replication (a count, a share, a quantile of waits),
then summarised over replications, so a band says how much the figure itself varies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from toevlucht.sim.engine import SERIES, WAIT_STAGES
from toevlucht.sim.runner import Run

__all__ = [
    "YEARLY",
    "Check",
    "bands",
    "by_year",
    "capacity_series",
    "day_index",
    "series_value",
    "validate",
]

F = npt.NDArray[np.float64]

# (key, label, unit) of the per-year figures
YEARLY = (
    ("lodged", "first applications lodged", "count"),
    ("decisions", "first-instance decisions", "count"),
    ("grants", "permits granted (first instance)", "count"),
    ("within_term", "decided within the statutory term", "share"),
    ("within_15_months", "decided within 15 months of lodging", "share"),
    ("wait_median", "lodging to decision, median (decisions of the year)", "days"),
    ("wait_p90", "lodging to decision, p90", "days"),
    ("pending_end", "pending first decision at year end", "count"),
    ("overdue_end", "of which past the statutory term", "count"),
    ("notices", "notices of default", "count"),
    ("failure_appeals", "appeals against failure to decide", "count"),
    ("penalties_eur", "penalty payments", "eur"),
    ("reception_end", "in reception at year end", "count"),
    ("reception_over", "in reception above capacity, peak", "count"),
    ("ter_apel_max", "registration phase (Ter Apel), peak", "count"),
)


def bands(x: npt.ArrayLike) -> F:
    """``[p5, median, p95, mean]`` over the first axis (NaN-aware)."""
    x = np.asarray(x, dtype=np.float64)
    out = np.full((4, *x.shape[1:]), np.nan)
    nan = np.isnan(x)
    if not nan.any():  # the common case, and 100 x faster than nanpercentile
        out[:3] = np.percentile(x, [5, 50, 95], axis=0)
        out[3] = x.mean(axis=0)
        return out
    ok = ~np.all(nan, axis=0)
    if ok.any():
        out[:3, ok] = np.nanpercentile(x[:, ok], [5, 50, 95], axis=0)
        out[3, ok] = np.nanmean(x[:, ok], axis=0)
    return out


def day_index(run: Run, day: dt.date) -> int | None:
    """Index into the series for the stock at the start of ``day`` (end of the day before)."""
    i = (day - run.scenario.start).days
    n = run.batch.series.shape[2]
    return i if 0 <= i < n else None


def series_value(run: Run, name: str, day: dt.date) -> F | None:
    i = day_index(run, day)
    if i is None:
        return None
    return run.batch.series[:, SERIES.index(name), i].astype(np.float64)


def _year_slice(run: Run, year: int) -> slice:
    a = max(0, (dt.date(year, 1, 1) - run.scenario.start).days + 1)
    b = (dt.date(year, 12, 31) - run.scenario.start).days + 2
    return slice(a, b)


def by_year(run: Run, key: str, group: int | None = None) -> F:
    """Per replication and year ``(R, Y)``; ``group``: index into ``run.plan.units``, None
    for all."""
    b = run.batch
    G = len(run.plan.units)
    gsel = slice(None) if group is None else slice(group, group + 1)

    def tot(x: F) -> F:
        out: F = x[:, gsel].sum(axis=1)
        return out

    years = run.plan.years
    if key in ("lodged", "decisions", "grants", "notices", "failure_appeals", "overdue_end"):
        return tot(b.yearly[key])
    if key == "penalties_eur":
        return tot(b.yearly["penalty_admin_eur"] + b.yearly["penalty_court_eur"])
    if key in ("within_term", "within_15_months"):
        n = tot(b.yearly["decided_with_term"])
        part = "decided_in_time" if key == "within_term" else "decided_within_15_months"
        return np.where(n > 0, tot(b.yearly[part]) / np.where(n > 0, n, 1), np.nan)
    if key in ("wait_median", "wait_p90"):
        g = G if group is None else group
        return b.waits[:, len(WAIT_STAGES), g, :, 0 if key == "wait_median" else 1].astype(
            np.float64
        )
    out = np.full((b.series.shape[0], len(years)), np.nan)
    for j, y in enumerate(years):
        sl = _year_slice(run, y)
        if key == "pending_end":
            src = (
                b.series[:, SERIES.index("pending")]
                if group is None
                else b.pending_by_group[:, group]
            )
            out[:, j] = src[:, sl][:, -1]
        elif key == "reception_end":
            out[:, j] = b.series[:, SERIES.index("reception"), sl][:, -1]
        elif key == "reception_over":
            over = b.series[:, SERIES.index("reception")] - capacity_series(run)[None]
            out[:, j] = np.maximum(0, over[:, sl]).max(axis=1)
        elif key == "ter_apel_max":
            out[:, j] = b.series[:, SERIES.index("ter_apel"), sl].max(axis=1)
        else:
            raise KeyError(key)
    return out


def capacity_series(run: Run) -> F:
    """Reception capacity aligned with the series (the day before the start counts as the
    start)."""
    n = run.batch.series.shape[2]
    days = np.maximum(np.arange(n) + run.plan.h0 - 1, run.plan.h0)
    out: F = run.plan.reception_capacity[np.minimum(days, run.plan.T - 1)]
    return out


def stage_waits(run: Run, stage: int, group: int | None = None) -> F:
    """``(R, Y, 2)``: median and p90 wait at a stage, by the year cases left it."""
    g = len(run.plan.units) if group is None else group
    out: F = run.batch.waits[:, stage, g].astype(np.float64)
    return out


@dataclass(frozen=True, slots=True, kw_only=True)
class Check:
    """One published figure against the simulation."""

    metric: str
    period: str
    published: float
    p5: float
    p50: float
    p95: float
    source: str
    note: str

    @property
    def verdict(self) -> str:
        if np.isnan(self.p50):
            return "not simulated"
        if self.metric == "ter_apel_max":  # a capacity, not a count
            return "exceeded in the model" if self.p50 > self.published else "not exceeded"
        if self.p5 <= self.published <= self.p95:
            return "inside the band"
        return "model too high" if self.published < self.p5 else "model too low"

    @property
    def ratio(self) -> float:
        return self.p50 / self.published if self.published else float("nan")


def _target_values(run: Run, metric: str, period: str) -> F | None:
    if len(period) == 4:
        year = int(period)
        if year not in run.plan.years:
            return None
        j = run.plan.years.index(year)
        key = {"ter_apel_max": "ter_apel_max"}.get(metric, metric)
        return by_year(run, key)[:, j]
    day = dt.date.fromisoformat(period)
    name = {"pending": "pending", "reception": "reception", "status_holders": "status_holders"}.get(
        metric
    )
    return None if name is None else series_value(run, name, day)


def validate(run: Run) -> Iterator[Check]:
    """The scenario's ``[[validation]]`` figures against the simulated bands."""
    for t in run.scenario.targets:
        x = _target_values(run, t.metric, t.period)
        b = bands(x) if x is not None else np.full(4, np.nan)
        yield Check(
            metric=t.metric,
            period=t.period,
            published=t.value,
            p5=float(b[0]),
            p50=float(b[1]),
            p95=float(b[2]),
            source=t.source,
            note=t.note,
        )
