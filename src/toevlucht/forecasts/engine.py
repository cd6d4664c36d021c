"""From a snapshot of the case core to a forecast for every open case.

1. **Capacity per queue** from the snapshot's own recent history: the cases that left each
   queue on the busy working days of the window before the day (``window_days``;
   :func:`_busy_pace`), or a rate a supervisor set. In the decision queue, a decision within
   the general procedure (as recorded; else one within ``fast_days`` of entering) counts
   towards the *fast share* (of the cases that entered it in the window, shifted back by
   ``fast_days`` so that each had the time to be fast), the others towards the rate. Cases
   the queue has passed by are set aside (:func:`_set_aside`). :func:`build` does this.
2. **The chain run forward** (:mod:`toevlucht.sim.backlog`) from every open case's queue and
   waiting time, ``replications`` times.
3. **Per case**: the p10, p50 and p90 of its next step's day and of its decision's day, and the
   probability that the decision comes on or before the decision term's end.

What is usual at each step (``norms``): how long the cases that took that step in the window
had waited in it, per queue and nationality group.

Nothing here reads the database: :func:`toevlucht.forecasts.snapshot.take` does.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy.optimize import minimize_scalar
from scipy.stats import poisson

from toevlucht.forecasts.calibration import Spread, lookup, widen, within
from toevlucht.forecasts.snapshot import CHAIN, CaseRow, Leg, Reason, Snapshot
from toevlucht.law.params import value
from toevlucht.law.regime import Regime
from toevlucht.sim.backlog import Backlog, Queue, simulate, summarise

__all__ = [
    "Built",
    "CaseForecast",
    "Norm",
    "Params",
    "QueueRate",
    "Result",
    "build",
    "group_of",
    "nationality_groups",
    "run",
]


@dataclass(frozen=True, slots=True)
class Params:
    window_days: int = 91
    replications: int = 200
    horizon_days: int = 1095
    fast_days: int = 14
    min_group: int = 50  # cases of a nationality for a group of its own (else "other")
    seed: int = 0


@dataclass(frozen=True, slots=True)
class QueueRate:
    queue: str
    observed: int  # the exits of a window as certain as the censored estimate (engine._busy_pace)
    per_week: float  # the rate used: observed, or as a supervisor set it
    fast_share: float
    waiting: int  # open cases in it on the day
    set_by_supervisor: bool = False


@dataclass(frozen=True, slots=True)
class Norm:
    """How long the cases that took a step in the window had waited in its queue (days)."""

    n: int
    p50: int | None
    p90: int | None


@dataclass(frozen=True, slots=True)
class CaseForecast:
    application: int
    queue: str
    group: str  # "<queue>|<nationality group>"
    next_step: str  # the event kind that ends the wait in the queue
    next_days: tuple[float, float, float]  # p10, p50, p90 from the day (NaN: beyond horizon)
    decision_days: tuple[float, float, float]
    within_term: float | None  # probability of a decision on or before the term's end
    reason: str = ""  # why no forecast (the case is still listed)
    # the model's own bands, before the widening the backtest calibrated (``calibration``)
    raw_next: tuple[float, float, float] = (np.nan, np.nan, np.nan)
    raw_decision: tuple[float, float, float] = (np.nan, np.nan, np.nan)


@dataclass
class Result:
    as_of: dt.date
    params: Params
    rates: dict[str, QueueRate] = field(default_factory=dict)
    norms: dict[str, Norm] = field(default_factory=dict)  # by group
    cases: list[CaseForecast] = field(default_factory=list)

    def day(self, offset: float) -> dt.date | None:
        if np.isnan(offset):
            return None
        return self.as_of + dt.timedelta(days=int(offset))


def nationality_groups(snap: Snapshot, min_group: int) -> dict[str, str]:
    """Nationality -> its group: itself where the case core holds ``min_group`` cases of it,
    else ``other``."""
    counts = Counter(r.nationality for r in snap.rows)
    return {nat: (nat if n >= min_group else "other") for nat, n in counts.items()}


def group_of(queue: str, nationality: str, groups: Mapping[str, str]) -> str:
    return f"{queue}|{groups.get(nationality, 'other')}"


def _queues() -> list[tuple[str, str, str]]:
    """(queue, next queue or "", ends_with) for every queue of every regime, in chain order."""
    out: list[tuple[str, str, str]] = []
    for regime in Regime:
        steps = CHAIN[regime]
        for i, step in enumerate(steps):
            nxt = f"{regime.value}:{steps[i + 1].name}" if i + 1 < len(steps) else ""
            out.append((f"{regime.value}:{step.name}", nxt, step.ends_with.value))
    return out


def _is_decision(queue: str) -> bool:
    return queue.endswith(":decision")


def _quick(leg: Leg, waited: int | None, p: Params) -> bool:
    """Whether a decision leg took the fast path: as recorded (decided within the general
    procedure, not referred), else by its wait (within ``fast_days``)."""
    if not _is_decision(leg.queue):
        return False
    if leg.fast is not None:
        return leg.fast and leg.left is not None
    return waited is not None and waited <= p.fast_days


def _window_stats(
    snap: Snapshot, p: Params
) -> tuple[
    dict[str, float],
    dict[str, list[tuple[str, int]]],
    dict[str, float],
    dict[str, list[int]],
]:
    """(fast share per decision queue, waits per queue with the
    nationality, dispersion of the weekly exits per queue, the fast cases' waits per decision
    queue) in the window before the day."""
    start = snap.as_of - dt.timedelta(days=p.window_days)
    fast_from = start - dt.timedelta(days=p.fast_days)
    fast_to = snap.as_of - dt.timedelta(days=p.fast_days)
    weekly: dict[str, Counter[int]] = defaultdict(Counter)
    fast_waits: dict[str, list[int]] = defaultdict(list)
    entered: Counter[str] = Counter()
    fast: Counter[str] = Counter()
    waits: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for row in snap.rows:
        for leg in row.legs:
            waited = (leg.left - leg.entered).days if leg.left is not None else None
            quick = _quick(leg, waited, p)
            if leg.left is not None and start <= leg.left < snap.as_of:
                waits[leg.queue].append((row.nationality, waited or 0))
                if not quick:
                    weekly[leg.queue][(snap.as_of - leg.left).days // 7] += 1
            if _is_decision(leg.queue) and fast_from <= leg.entered < fast_to:
                entered[leg.queue] += 1
                fast[leg.queue] += quick
                if quick and waited is not None:
                    fast_waits[leg.queue].append(waited)
    shares = {q: fast[q] / entered[q] for q in entered if entered[q]}
    weeks = max(1, p.window_days // 7)
    dispersion = {}
    for q, counts in weekly.items():
        xs = np.array([counts.get(w, 0) for w in range(weeks)], dtype=np.float64)
        mean = xs.mean()
        dispersion[q] = max(1.0, float(xs.var(ddof=1) / mean)) if mean > 0 and weeks > 1 else 1.0
    return shares, waits, dispersion, fast_waits


def _min_days(as_of: dt.date) -> dict[str, int]:
    """The rest period before the general procedure (the law's ``rest_period_min_days``,
    Vb 2000 art. 3.109): no case starts the procedure sooner after its registration
    interview. The other queues have no minimum in law."""
    days = int(value("rest_period_min_days", as_of).value)
    return {f"{Regime.VW2000.value}:general_procedure": days}


BUSY_DAYS_MIN = 10  # working days on which the queue served all it could, for a pace of its own


def _censored_mle(
    exact: npt.NDArray[np.int64], censored: npt.NDArray[np.int64]
) -> tuple[float, float]:
    """(rate per day, its Fisher information) of a Poisson capacity seen ``exact`` on some days
    (someone was still waiting: the queue served all it could) and at least ``censored`` on
    the others (it served everyone it had: it could have served more) — the maximum
    likelihood of a right-censored Poisson count. (0, inf) when it served no one at all."""
    cens = censored[censored > 0]  # a day that served no one and had no one says nothing
    if int(exact.sum()) + int(cens.sum()) == 0:
        return 0.0, math.inf

    def nll(lam: float) -> float:
        return -float(poisson.logpmf(exact, lam).sum() + poisson.logsf(cens - 1, lam).sum())

    top = float(max(exact.max(initial=0), cens.max(initial=0))) * 3 + 10
    lam = float(minimize_scalar(nll, bounds=(1e-6, top), method="bounded").x)
    h = min(max(1e-4, lam * 1e-3), lam / 2)
    info = (nll(lam + h) - 2 * nll(lam) + nll(lam - h)) / h**2
    return lam, max(float(info), 1e-12)


def _busy_pace(
    snap: Snapshot, queue: str, min_days: int, p: Params, waiting: Mapping[int, dt.date]
) -> tuple[int, int]:
    """(exits, calendar days) that give the queue's pace and its certainty, from its exits
    (not on the fast path) on the working days of the window.

    On a day when someone was still waiting to be served at its end, the queue worked at its
    full pace: its exits *are* that day's capacity. On the other days it served everyone it
    had, so its capacity was *at least* its exits. Counting only the first kind would pick
    the days of low capacity — with a short queue, a day leaves someone waiting just when it
    served few — and underrate the pace; counting every day would measure what came in, not
    what the queue could do. The rate is the maximum likelihood of a Poisson capacity with
    the second kind right-censored (:func:`_censored_mle`), returned as the exits and days of
    a window with the same rate and the same Fisher information (for the Gamma posterior of
    :mod:`toevlucht.sim.backlog`).

    Who was waiting at the end of a day: the cases served later, and the open cases still in
    the queue on the snapshot's day that the chain models (``waiting``: application -> the
    day it entered; not one set aside, held or on another State's answer — those show
    nothing about the pace). Whether a case can be served on the day it becomes ready is the
    queue's own way, read from the window: if any case left on its ready day, one ready by
    the end of a day was waiting on it; if none did, only those ready before it were (a
    wrong guess either way would count exact days as censored, or the reverse). With fewer
    than BUSY_DAYS_MIN days of the first kind, the pace is every exit of the window over its
    days (a lower bound)."""
    start = snap.as_of - dt.timedelta(days=p.window_days)
    ready: list[int] = []
    left: list[int] = []
    for row in snap.rows:
        for leg in row.legs:
            if leg.queue != queue or leg.fast is True:
                continue
            if leg.left is None:
                if row.application in waiting:
                    ready.append((leg.entered + dt.timedelta(days=min_days)).toordinal())
                continue
            if leg.left < start:
                continue
            ready.append((leg.entered + dt.timedelta(days=min_days)).toordinal())
            left.append(leg.left.toordinal())
    n_left = len(left)
    e = np.sort(np.array(ready, dtype=np.int64))
    l_ = np.sort(np.array(left, dtype=np.int64))
    days = np.arange(start.toordinal(), snap.as_of.toordinal(), dtype=np.int64)
    working = np.array([dt.date.fromordinal(int(d)).weekday() < 5 for d in days], dtype=bool)
    exits = np.searchsorted(l_, days, side="right") - np.searchsorted(l_, days, side="left")
    same_day = _served_on_ready_day(snap, queue, min_days, start)
    side: Literal["left", "right"] = "right" if same_day else "left"
    still = np.searchsorted(e, days, side=side) - np.searchsorted(l_, days, side="right")
    busy = working & (still > 0)
    if int(busy.sum()) < BUSY_DAYS_MIN:
        in_window = (l_ >= start.toordinal()) & (l_ < snap.as_of.toordinal())
        return int(in_window.sum()), p.window_days
    lam, info = _censored_mle(exits[busy], exits[working & ~busy])
    if lam == 0 or n_left == 0:
        return 0, p.window_days  # it served no one: no pace
    n_eff = lam * info  # working days of exact counts that would be as certain
    return max(1, round(lam * n_eff)), max(1, round(n_eff * 7 / 5))


def _served_on_ready_day(snap: Snapshot, queue: str, min_days: int, start: dt.date) -> bool:
    """Whether any case left the queue (not on the fast path) in the window on the day it
    became ready for it."""
    for row in snap.rows:
        for leg in row.legs:
            if leg.queue != queue or leg.fast is True or leg.left is None or leg.left < start:
                continue
            if leg.left == leg.entered + dt.timedelta(days=min_days):
                return True
    return False


OVERTAKEN_BY = 3  # cases that entered a queue after another and left it before it ...
OVERTAKEN_AFTER_DAYS = 2  # ... entering more than this many days after it


def _set_aside(snap: Snapshot, open_rows: list[CaseRow], p: Params) -> set[int]:
    """The open cases the queue has passed by: at least OVERTAKEN_BY cases that entered it
    more than OVERTAKEN_AFTER_DAYS days after them left it (not on the fast path) in the
    window. First in, first out does not hold for them, so the chain cannot say when their
    turn comes; and they do not hold up those behind them."""
    start = snap.as_of - dt.timedelta(days=p.window_days)
    entered: dict[str, list[int]] = defaultdict(list)
    for row in snap.rows:
        for leg in row.legs:
            if leg.left is None or not start <= leg.left < snap.as_of:
                continue
            if _quick(leg, (leg.left - leg.entered).days, p):
                continue
            entered[leg.queue].append(leg.entered.toordinal())
    sorted_entered = {q: np.sort(np.array(v, dtype=np.int64)) for q, v in entered.items()}
    out: set[int] = set()
    for r in open_rows:
        if not r.queue or r.since is None or r.queue not in sorted_entered:
            continue
        arr = sorted_entered[r.queue]
        later = r.since.toordinal() + OVERTAKEN_AFTER_DAYS
        overtaken = len(arr) - int(np.searchsorted(arr, later, side="right"))
        if overtaken >= OVERTAKEN_BY:
            out.add(r.application)
    return out


def _norm(values: list[int]) -> Norm:
    if not values:
        return Norm(0, None, None)
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, int(np.ceil(0.9 * len(ordered))) - 1)]
    return Norm(len(ordered), int(statistics.median_low(ordered)), p90)


@dataclass
class Built:
    """The backlog of a snapshot, ready to run forward (:func:`build`)."""

    backlog: Backlog  # (empty where no open case is modelled)
    modelled: list[CaseRow]  # the open cases in the backlog, in its order
    unmodelled: list[CaseRow]  # open cases the chain does not model (a reason, or set aside)
    aside: set[int]
    rates: dict[str, QueueRate]
    norms: dict[str, Norm]
    layout: list[tuple[str, str, str]]  # (queue, next queue, the event that ends it)
    index: dict[str, int]
    groups: Mapping[str, str]


def build(
    snap: Snapshot,
    p: Params = Params(),
    *,
    per_week: Mapping[str, float] | None = None,
    groups: Mapping[str, str] | None = None,
) -> Built:
    """The paces, the norms and the backlog of ``snap``; ``per_week`` fixes a queue's rate (a
    supervisor's setting), ``groups`` the nationality groups (default: the snapshot's). What
    :func:`run` and the supervisors' counts (``forecasts.exposure``) run forward."""
    per_week = per_week or {}
    groups = groups if groups is not None else nationality_groups(snap, p.min_group)
    shares, waits, dispersion, fast_waits = _window_stats(snap, p)
    open_rows = snap.open_rows()
    waiting = Counter(r.queue for r in open_rows if r.queue)
    aside = _set_aside(snap, open_rows, p)
    # the open cases that show a queue busy: modelled, not held
    waiting_in: dict[str, dict[int, dt.date]] = defaultdict(dict)
    for r in open_rows:
        if r.queue and r.since is not None and r.application not in aside and not r.hold_until:
            waiting_in[r.queue][r.application] = r.since
    layout = _queues()
    index = {q: i for i, (q, _n, _e) in enumerate(layout)}
    queues: list[Queue] = []
    rates: dict[str, QueueRate] = {}
    min_days = _min_days(snap.as_of)
    for name, nxt, _ends in layout:
        fixed = name in per_week
        share = min(shares.get(name, 0.0), 0.95)
        observed, days = _busy_pace(snap, name, min_days.get(name, 0), p, waiting_in[name])
        queues.append(
            Queue(
                name=name,
                rate=per_week[name] / 7 if fixed else 0.0,
                observed=observed,
                window_days=days,
                min_days=min_days.get(name, 0),
                fixed=fixed,
                fast_share=share,
                fast_days=p.fast_days if _is_decision(name) else 0,
                fast_waits=tuple(fast_waits.get(name, ())),
                next=index[nxt] if nxt else -1,
                dispersion=min(dispersion.get(name, 1.0), 50.0),
            )
        )
        rates[name] = QueueRate(
            queue=name,
            observed=observed,
            per_week=per_week[name] if fixed else (observed * 7 / days if days else 0.0),
            fast_share=share,
            waiting=waiting[name],
            set_by_supervisor=fixed,
        )
    by_group: dict[str, list[int]] = defaultdict(list)
    for queue, rows in waits.items():
        for nationality, days in rows:
            by_group[group_of(queue, nationality, groups)].append(days)
    modelled = [r for r in open_rows if r.queue and r.application not in aside]
    b = Backlog(
        queue=np.array([index[r.queue] for r in modelled], dtype=np.int64),
        since=np.array([_offset(r.since, snap.as_of) for r in modelled], dtype=np.int64),
        hold_until=np.array(
            [max(0, _offset(r.hold_until, snap.as_of)) for r in modelled], dtype=np.int64
        ),
        queues=tuple(queues),
        weekday0=snap.as_of.weekday(),
        slow=np.array([_known(r, False) for r in modelled], dtype=bool),
        fast=np.array([_known(r, True) for r in modelled], dtype=bool),
    )
    return Built(
        backlog=b,
        modelled=modelled,
        unmodelled=[r for r in open_rows if not r.queue or r.application in aside],
        aside=aside,
        rates=rates,
        norms={g: _norm(v) for g, v in by_group.items()},
        layout=layout,
        index=index,
        groups=groups,
    )


def run(
    snap: Snapshot,
    p: Params = Params(),
    *,
    per_week: Mapping[str, float] | None = None,
    groups: Mapping[str, str] | None = None,
    spread: Mapping[tuple[str, str], Spread] | None = None,
) -> Result:
    """Forecast every open case of ``snap`` (see :func:`build` for the arguments); ``spread``
    widens the bands of each (target, queue) by the factor the backtest found
    (:mod:`toevlucht.forecasts.calibration`; none: the model's bands)."""
    spread = spread or {}
    bt = build(snap, p, per_week=per_week, groups=groups)
    res = Result(snap.as_of, p, rates=bt.rates, norms=bt.norms)
    layout, index, groups = bt.layout, bt.index, bt.groups
    modelled = bt.modelled
    if modelled:
        f = simulate(bt.backlog, replications=p.replications, horizon=p.horizon_days, seed=p.seed)
        nq = summarise(f.next_step, f.horizon)
        dec = summarise(f.decision, f.horizon)
        due = np.array(
            [_offset(r.decision_due, snap.as_of) if r.decision_due else -(10**9) for r in modelled]
        )
        for j, r in enumerate(modelled):
            raw_next = (float(nq[0, j]), float(nq[1, j]), float(nq[2, j]))
            raw_dec = (float(dec[0, j]), float(dec[1, j]), float(dec[2, j]))
            s_next = lookup(spread, "next_step", r.queue)
            s_dec = lookup(spread, "decision", r.queue)
            res.cases.append(
                CaseForecast(
                    application=r.application,
                    queue=r.queue,
                    group=group_of(r.queue, r.nationality, groups),
                    next_step=layout[index[r.queue]][2],
                    next_days=widen(raw_next, s_next),
                    decision_days=widen(raw_dec, s_dec),
                    within_term=_probability(
                        within(f.decision[:, j], raw_dec, s_dec, float(due[j]))
                        if r.decision_due
                        else None
                    ),
                    raw_next=raw_next,
                    raw_decision=raw_dec,
                )
            )
    for r in bt.unmodelled:
        known = r.queue in index  # set aside: its queue and what is usual there are known
        res.cases.append(
            CaseForecast(
                application=r.application,
                queue=r.queue if known else "",
                group=group_of(r.queue, r.nationality, groups) if known else "",
                next_step=layout[index[r.queue]][2] if known else "",
                next_days=(np.nan, np.nan, np.nan),
                decision_days=(np.nan, np.nan, np.nan),
                within_term=None,
                reason=r.reason or Reason.SET_ASIDE,
            )
        )
    return res


def _known(r: CaseRow, fast: bool) -> bool:
    """Whether the case is known to be on (``fast``) or off the fast path of the queue it
    waits in: referred to the extended procedure, or under the APR in its regular procedure
    (off), or in one of the APR's short procedures (on)."""
    return bool(r.legs) and r.legs[-1].queue == r.queue and r.legs[-1].fast is fast


def _probability(x: float | None) -> float | None:
    return None if x is None or math.isnan(x) else x


def _offset(day: dt.date | None, as_of: dt.date) -> int:
    return (day - as_of).days if day is not None else 0
