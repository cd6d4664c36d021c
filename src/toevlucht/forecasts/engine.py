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
import functools
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

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

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
    counts.update(snap.left_out)  # the cases the snapshot counted only (``looks_back_to``)
    return {nat: (nat if n >= min_group else "other") for nat, n in counts.items()}


def looks_back_to(as_of: dt.date, p: Params) -> dt.date:
    """The earliest day :func:`run` looks at: the fast share counts the decision legs that
    began from ``fast_days`` before the window (:func:`_window_stats`); the paces, the waits,
    the dispersion and the cases set aside count the legs that ended in the window. A closed
    case whose every leg began and ended before this day changes nothing but the size of
    its nationality's group, so the snapshot of a forecast may count it only
    (``snapshot.take``'s ``leave_out_before``; ``tests/forecasts/test_fast_paths.py``)."""
    return as_of - dt.timedelta(days=p.window_days + p.fast_days)


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


NOT_LEFT = np.iinfo(np.int64).max  # the day a leg still running left, in :class:`_Legs`


@dataclass(frozen=True, slots=True)
class _Legs:
    """Every leg of a snapshot's cases as columns (one Python pass over the rows; the window's
    counts below are then array operations, not a loop over the case core per queue)."""

    names: list[str]  # the queues, by code
    queue: Ints  # (L,) code of the leg's queue
    entered: Ints  # (L,) ordinal day
    left: Ints  # (L,) ordinal day, NOT_LEFT where it has not left
    fast: npt.NDArray[np.int8]  # (L,) as recorded: 1 fast, 0 not, -1 not known
    nationality: list[str]  # the case's nationality, per leg
    application: Ints  # (L,) the case's application

    @property
    def has_left(self) -> Bools:
        out: Bools = self.left != NOT_LEFT
        return out

    @classmethod
    def of(cls, snap: Snapshot) -> _Legs:
        legs = [leg for row in snap.rows for leg in row.legs]
        codes: dict[str, int] = {}
        queue = np.fromiter(
            (codes.setdefault(leg.queue, len(codes)) for leg in legs), np.int64, len(legs)
        )
        entered = np.fromiter((leg.entered.toordinal() for leg in legs), np.int64, len(legs))
        left = np.fromiter(
            (NOT_LEFT if leg.left is None else leg.left.toordinal() for leg in legs),
            np.int64,
            len(legs),
        )
        fast = np.fromiter(
            (-1 if leg.fast is None else int(leg.fast) for leg in legs), np.int8, len(legs)
        )
        nationality = [row.nationality for row in snap.rows for _leg in row.legs]
        application = np.fromiter(
            (row.application for row in snap.rows for _leg in row.legs), np.int64, len(legs)
        )
        return cls(list(codes), queue, entered, left, fast, nationality, application)

    def decision(self) -> Bools:
        """(L,) whether the leg is in a decision queue."""
        out: Bools = np.array([_is_decision(q) for q in self.names], dtype=bool)[self.queue]
        return out

    def quick(self, p: Params) -> Bools:
        """(L,) :func:`_quick` of every leg."""
        has_left = self.has_left
        waited_fast = has_left & (self.left - self.entered <= p.fast_days)
        recorded = (self.fast == 1) & has_left
        out: Bools = self.decision() & np.where(self.fast == -1, waited_fast, recorded)
        return out

    def of_queue(self, queue: str) -> Bools:
        out: Bools = self.queue == (self.names.index(queue) if queue in self.names else -1)
        return out


def _window_stats(
    snap: Snapshot, p: Params, legs: _Legs | None = None
) -> tuple[
    dict[str, float],
    dict[str, list[tuple[str, int]]],
    dict[str, float],
    dict[str, list[int]],
]:
    """(fast share per decision queue, waits per queue with the
    nationality, dispersion of the weekly exits per queue, the fast cases' waits per decision
    queue) in the window before the day."""
    legs = legs if legs is not None else _Legs.of(snap)
    start = (snap.as_of - dt.timedelta(days=p.window_days)).toordinal()
    fast_from = start - p.fast_days
    fast_to = snap.as_of.toordinal() - p.fast_days
    day = snap.as_of.toordinal()
    has_left = legs.has_left
    waited = np.where(has_left, legs.left - legs.entered, 0)
    quick = legs.quick(p)
    in_window = has_left & (start <= legs.left) & (legs.left < day)
    entering = legs.decision() & (fast_from <= legs.entered) & (legs.entered < fast_to)
    waits: dict[str, list[tuple[str, int]]] = {}
    shares: dict[str, float] = {}
    fast_waits: dict[str, list[int]] = {}
    dispersion: dict[str, float] = {}
    weeks = max(1, p.window_days // 7)
    # by the first exit in the window, as a loop over the rows would meet them
    first = {int(legs.queue[i]): int(i) for i in np.flatnonzero(in_window)[::-1]}
    for code in sorted(first, key=first.__getitem__):
        out = np.flatnonzero((legs.queue == code) & in_window)
        waits[legs.names[code]] = [(legs.nationality[i], int(waited[i])) for i in out]
    for code, q in enumerate(legs.names):
        mine = legs.queue == code
        counted = mine & in_window & ~quick
        if counted.any():
            week = (day - legs.left[counted]) // 7
            xs = np.bincount(week, minlength=weeks)[:weeks].astype(np.float64)
            mean = xs.mean()
            dispersion[q] = (
                max(1.0, float(xs.var(ddof=1) / mean)) if mean > 0 and weeks > 1 else 1.0
            )
        came = mine & entering
        if came.any():
            shares[q] = int((came & quick).sum()) / int(came.sum())
            if (came & quick).any():
                fast_waits[q] = waited[came & quick].tolist()
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
    snap: Snapshot,
    queue: str,
    min_days: int,
    p: Params,
    waiting: Mapping[int, dt.date],
    legs: _Legs | None = None,
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
    legs = legs if legs is not None else _Legs.of(snap)
    mine = legs.of_queue(queue) & (legs.fast != 1)
    # those served later, and the open cases the chain models, show that the queue was busy
    served = mine & legs.has_left & (legs.left >= start.toordinal())
    still_in = mine & ~legs.has_left & np.isin(legs.application, np.fromiter(waiting, np.int64))
    n_left = int(served.sum())
    ready_served = legs.entered[served] + min_days
    e = np.sort(np.concatenate([ready_served, legs.entered[still_in] + min_days]))
    l_ = np.sort(legs.left[served])
    # whether the queue serves a case on the day it becomes ready: any did, in the window
    same_day = bool((legs.left[served] == ready_served).any())
    days = np.arange(start.toordinal(), snap.as_of.toordinal(), dtype=np.int64)
    working = np.array([dt.date.fromordinal(int(d)).weekday() < 5 for d in days], dtype=bool)
    exits = np.searchsorted(l_, days, side="right") - np.searchsorted(l_, days, side="left")
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


OVERTAKEN_BY = 3  # cases that entered a queue after another and left it before it ...
OVERTAKEN_AFTER_DAYS = 2  # ... entering more than this many days after it


def _set_aside(
    snap: Snapshot, open_rows: list[CaseRow], p: Params, legs: _Legs | None = None
) -> set[int]:
    """The open cases the queue has passed by: at least OVERTAKEN_BY cases that entered it
    more than OVERTAKEN_AFTER_DAYS days after them left it (not on the fast path) in the
    window. First in, first out does not hold for them, so the chain cannot say when their
    turn comes; and they do not hold up those behind them."""
    legs = legs if legs is not None else _Legs.of(snap)
    start = (snap.as_of - dt.timedelta(days=p.window_days)).toordinal()
    passed = legs.has_left & (start <= legs.left) & (legs.left < snap.as_of.toordinal())
    passed &= ~legs.quick(p)
    out: set[int] = set()
    for code, q in enumerate(legs.names):
        arr = np.sort(legs.entered[passed & (legs.queue == code)])
        rows = [r for r in open_rows if q and r.queue == q and r.since is not None]
        if not arr.size or not rows:
            continue
        since = np.array([r.since.toordinal() for r in rows if r.since is not None])
        later = np.searchsorted(arr, since + OVERTAKEN_AFTER_DAYS, side="right")
        overtaken = len(arr) - later
        out.update(r.application for r, n in zip(rows, overtaken, strict=True) if n >= OVERTAKEN_BY)
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
    legs = _Legs.of(snap)
    shares, waits, dispersion, fast_waits = _window_stats(snap, p, legs)
    open_rows = snap.open_rows()
    waiting = Counter(r.queue for r in open_rows if r.queue)
    aside = _set_aside(snap, open_rows, p, legs)
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
        observed, days = _busy_pace(snap, name, min_days.get(name, 0), p, waiting_in[name], legs)
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
    # what is the same for every case of a queue, or of a queue and a nationality, once
    group = functools.cache(lambda queue, nationality: group_of(queue, nationality, groups))
    factor = functools.cache(lambda target, queue: lookup(spread, target, queue))
    if modelled:
        f = simulate(bt.backlog, replications=p.replications, horizon=p.horizon_days, seed=p.seed)
        nq = summarise(f.next_step, f.horizon).T.tolist()  # per case: p10, p50, p90
        dec = summarise(f.decision, f.horizon).T.tolist()
        due = [
            _offset(r.decision_due, snap.as_of) if r.decision_due else -(10**9) for r in modelled
        ]
        for j, r in enumerate(modelled):
            raw_next, raw_dec = tuple(nq[j]), tuple(dec[j])
            s_next, s_dec = factor("next_step", r.queue), factor("decision", r.queue)
            res.cases.append(
                CaseForecast(
                    application=r.application,
                    queue=r.queue,
                    group=group(r.queue, r.nationality),
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
                group=group(r.queue, r.nationality) if known else "",
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
