"""The chain run forward from a real backlog: when will each open case take its next step,
and when will it be decided?

The flow engine (:mod:`toevlucht.sim.engine`) moves masses of applicants through the chain;
this module follows every open case by name. The chain is a line of first-in-first-out
queues per regime (say ``lodging`` → ``registration_interview`` → ``general_procedure`` →
``decision``). Each queue serves, per day, a Poisson number of cases whose rate is itself
uncertain: it is drawn per replication from the Gamma posterior of the rate seen in a recent
window (``observed`` exits in ``window_days``; Jeffreys prior), or fixed when a supervisor sets
it. A share of the cases that reach a queue (``fast_share``) leave it after ``fast_days``
without waiting their turn — the cases the IND decides within the general procedure — and
the rate is that of the others.

Why this is exact enough to follow single cases: under first-in-first-out, cases that arrive
later never overtake those ahead, so the open cases alone determine each other's fate and
new applications need not be drawn. A queue that serves ``c_d`` cases on day ``d`` has served
``N(d) = min(N(d-1) + c_d, A(d))`` by the end of it (``A``: arrived by then), and the
``k``-th case to arrive leaves on the first day with ``N(d) >= k``. A case held by a measure
(a decision moratorium with a known end) joins the last queue on the day the hold ends.

Day 0 is the day of the forecast; days are counted from it. A case that has not left by the
horizon is reported as ``horizon``.

>>> import numpy as np
>>> b = Backlog(queue=np.array([0, 0, 0]), since=np.array([-9, -5, -1]),
...             hold_until=np.zeros(3, dtype=np.int64),
...             queues=(Queue(name="decision", rate=1.0, fixed=True, working_days=False),))
>>> r = simulate(b, replications=50, horizon=60, seed=1)
>>> bool((r.next_step[:, 0] <= r.next_step[:, 2]).all())  # the oldest case goes first
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["Backlog", "Forecast", "Queue", "simulate", "summarise"]

Ints = npt.NDArray[np.int64]
F = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True, kw_only=True)
class Queue:
    """One queue of the chain."""

    name: str
    rate: float = 0.0  # cases served per day, when fixed (else drawn from the window)
    observed: int = (
        0  # exits in the window, or as many as carry the same evidence (the Gamma posterior)
    )
    window_days: int = 0
    fixed: bool = False  # a rate set by hand: no uncertainty about it
    fast_share: float = 0.0  # share of arrivals that leave after fast_days, not in turn
    fast_days: int = 0  # the longest a fast case takes, and who may still take the fast path
    fast_waits: tuple[int, ...] = ()  # the fast cases' waits seen (days); empty: fast_days
    next: int = -1  # index of the queue a case goes to next; -1: leaving this one is the decision
    # variance / mean of the window's weekly exits (1: Poisson); above 1 the rate is less
    # certain and varies from week to week (a negative binomial week)
    dispersion: float = 1.0
    working_days: bool = True  # served Monday to Friday only (public holidays are not modelled)
    min_days: int = 0  # a case joins the line this many days after it enters (a rest period)

    def __post_init__(self) -> None:
        if not (self.rate >= 0 and np.isfinite(self.rate)):
            raise ValueError(f"queue {self.name}: rate must be a finite number >= 0")
        if not 0 <= self.fast_share < 1:
            raise ValueError(f"queue {self.name}: fast_share must be in [0, 1)")
        if not (self.dispersion >= 1 and np.isfinite(self.dispersion)):
            raise ValueError(f"queue {self.name}: dispersion must be a finite number >= 1")
        if not self.fixed and self.window_days <= 0 and self.observed > 0:
            raise ValueError(f"queue {self.name}: observed exits need a window")


@dataclass(frozen=True, slots=True, kw_only=True)
class Backlog:
    """The open cases on day 0: which queue each is in and since when."""

    queue: Ints  # (n,) index into ``queues``
    since: Ints  # (n,) day it entered that queue (<= 0): the order of service
    hold_until: Ints  # (n,) day before which it cannot leave the last queue (0: no hold)
    queues: tuple[Queue, ...]
    weekday0: int = 0  # the weekday of day 0 (Monday 0)
    slow: npt.NDArray[np.bool_] | None = None  # (n,) known to be off the fast path already
    fast: npt.NDArray[np.bool_] | None = None  # (n,) known to be on it (a short procedure)

    def __post_init__(self) -> None:
        n = len(self.queue)
        if len(self.since) != n or len(self.hold_until) != n:
            raise ValueError("queue, since and hold_until must have the same length")
        if n and (self.queue.min() < 0 or self.queue.max() >= len(self.queues)):
            raise ValueError("a case is in a queue that does not exist")
        if self.slow is not None and self.fast is not None and (self.slow & self.fast).any():
            raise ValueError("a case cannot be known both on and off the fast path")
        for i, q in enumerate(self.queues):
            if q.next != -1 and not i < q.next < len(self.queues):
                raise ValueError(f"queue {q.name}: next must be a later queue or -1")


@dataclass(frozen=True, slots=True)
class Forecast:
    """Per replication and case: the day of the next step and of the decision (``horizon``
    where it falls beyond the horizon)."""

    next_step: Ints  # (R, n)
    decision: Ints  # (R, n)
    horizon: int


def _rates(q: Queue, rng: np.random.Generator, r: int) -> F:
    """(R,) the queue's rate per calendar day and replication: fixed, or drawn from the
    window's evidence (the Gamma posterior of a Poisson rate, widened by the dispersion)."""
    if q.fixed:
        return np.full(r, q.rate)
    if q.observed == 0 or q.window_days <= 0:
        return np.zeros(r)
    return rng.gamma((q.observed + 0.5) / q.dispersion, q.dispersion / q.window_days, size=r)


def _capacity(q: Queue, rng: np.random.Generator, r: int, horizon: int, weekday0: int) -> Ints:
    """(R, H) cases the queue can serve on each day."""
    rate = _rates(q, rng, r)[:, None] * np.ones((1, horizon))
    if q.dispersion > 1 and not q.fixed:
        weeks = (np.arange(horizon) + weekday0) // 7
        m = 7 * rate[:, :1]  # the mean weekly count
        k = np.maximum(m / (q.dispersion - 1), 1e-9)  # variance m + m^2 / k = dispersion * m
        mult = rng.gamma(k, 1 / k, size=(r, int(weeks[-1]) + 1))
        rate = rate * mult[:, weeks]
    if q.working_days:
        open_day = (np.arange(horizon) + weekday0) % 7 < 5
        rate = np.where(open_day[None, :], rate * 7 / 5, 0.0)
    return rng.poisson(rate).astype(np.int64)


def _served(arrived: Ints, capacity: Ints) -> Ints:
    """(R, H) cumulative cases served by the end of each day, from (R, H) cumulative arrivals
    and per-day capacities: ``N(d) = min(N(d-1) + c_d, A(d))``."""
    out = np.empty_like(arrived)
    n = np.zeros(arrived.shape[0], dtype=np.int64)
    for d in range(arrived.shape[1]):
        n = np.minimum(n + capacity[:, d], arrived[:, d])
        out[:, d] = n
    return out


def _through(
    q: Queue,
    arrival: Ints,
    order: Ints,
    may_be_fast: npt.NDArray[np.bool_],
    rng: np.random.Generator,
    horizon: int,
    weekday0: int = 0,
    elapsed: Ints | None = None,
    known_fast: npt.NDArray[np.bool_] | None = None,
) -> Ints:
    """(R, m) day each of m cases leaves queue ``q``, from their (R, m) arrival days
    (``horizon``: never), their (R, m) order of service among equal arrival days, and (R, m)
    whether the fast path is still open to them."""
    r, m = arrival.shape
    leave = np.full((r, m), horizon, dtype=np.int64)
    if m == 0:
        return leave
    elapsed = np.zeros(m, dtype=np.int64) if elapsed is None else elapsed
    known = np.zeros(m, dtype=bool) if known_fast is None else known_fast
    fast = np.zeros((r, m), dtype=bool)
    if q.fast_share > 0 or known.any():
        waits = np.sort(np.array(q.fast_waits or (q.fast_days,), dtype=np.int64))
        # a case that has waited e days already is fast with the share of the fast cases
        # that take longer than e, against those that are not fast; its wait is drawn
        # among the fast waits longer than e, and what is left of it counts. A case known
        # to be on the fast path is on it; past every wait seen, its wait starts afresh
        longer = len(waits) - np.searchsorted(waits, elapsed, side="right")
        p_longer = longer / len(waits)
        denom = q.fast_share * p_longer + (1 - q.fast_share)
        share = np.where(known, 1.0, q.fast_share * p_longer / np.maximum(denom, 1e-12))
        fast = (rng.random((r, m)) < share[None, :]) & (arrival < horizon)
        fast &= may_be_fast | known[None, :]
        fast &= ((longer > 0) | known)[None, :]
        among = np.where(longer > 0, longer, len(waits))
        pick = len(waits) - 1 - (rng.random((r, m)) * among[None, :]).astype(np.int64)
        drawn = waits[np.clip(pick, 0, len(waits) - 1)]
        # it entered ``elapsed`` days before it could first be served (day 0 for those that
        # wait already, its arrival for the others) and leaves once its wait is over
        entered = arrival - np.where((elapsed > 0) & (longer > 0), elapsed + 1, 0)[None, :]
        leave[fast] = np.minimum(np.maximum(entered[fast] + drawn[fast], arrival[fast]), horizon)
    slow_arrival = np.where(fast, horizon, arrival)
    capacity = _capacity(q, rng, r, horizon, weekday0)
    flat = (np.arange(r)[:, None] * (horizon + 1) + slow_arrival).ravel()
    counts = np.bincount(flat, minlength=r * (horizon + 1)).reshape(r, horizon + 1)
    served = _served(np.cumsum(counts[:, :horizon], axis=1), capacity)
    # the order of service: by arrival day, then by the given order; rank 1 goes first
    key = slow_arrival * (int(order.max()) + 1) + order
    ranks = np.empty((r, m), dtype=np.int64)
    np.put_along_axis(ranks, np.argsort(key, axis=1), np.arange(1, m + 1)[None, :], axis=1)
    slow = ~fast & (slow_arrival < horizon)
    for i in range(r):
        day = np.searchsorted(served[i], ranks[i, slow[i]], side="left")
        leave[i, slow[i]] = np.minimum(day, horizon)
    return leave


def _on_path(b: Backlog) -> npt.NDArray[np.bool_]:
    """(Q, n): the queues each case still has to pass, from the one it is in."""
    on = np.zeros((len(b.queues), len(b.queue)), dtype=bool)
    for qi, q in enumerate(b.queues):
        on[qi] |= b.queue == qi
        if q.next != -1:
            on[q.next] |= on[qi]
    return on


def simulate(b: Backlog, *, replications: int, horizon: int, seed: int = 0) -> Forecast:
    """Run the chain forward from the backlog ``replications`` times over ``horizon`` days.
    Day 0 is the forecast's day, whose events are known: the first service is on day 1."""
    if replications < 1 or horizon < 2:
        raise ValueError("replications must be at least 1 and the horizon at least 2 days")
    rng = np.random.default_rng(seed)
    n, r = len(b.queue), replications
    on = _on_path(b)
    pending = np.ones((r, n), dtype=np.int64)  # the day each case reaches its next queue
    first = np.full((r, n), horizon, dtype=np.int64)
    decision = np.full((r, n), horizon, dtype=np.int64)
    # the order of service within a day: the longest waiting first; among those that came
    # on the same day, the order is not known: drawn per replication
    key = b.since[None, :] + rng.random((r, n))
    order = np.empty((r, n), dtype=np.int64)
    np.put_along_axis(order, np.argsort(key, axis=1), np.arange(n)[None, :], axis=1)
    for qi, q in enumerate(b.queues):
        members = np.flatnonzero(on[qi])
        if members.size == 0:
            continue
        starts = b.queue[members] == qi
        arrival = pending[:, members]
        if q.min_days:
            ready = np.where(starts, b.since[members] + q.min_days, 0)[None, :]
            arrival = np.where(arrival < horizon, np.maximum(arrival, ready), arrival)
            arrival = np.where(
                (arrival < horizon) & ~starts[None, :], arrival + q.min_days, arrival
            )
            arrival = np.minimum(arrival, horizon)
        if q.next == -1:
            hold = np.minimum(b.hold_until[members], horizon)
            arrival = np.maximum(arrival, hold[None, :])
        # a case already waiting longer than the fast path takes is not on it any more
        may_be_fast = ~starts[None, :] | (b.since[members] > -q.fast_days)[None, :]
        if b.slow is not None:
            may_be_fast = may_be_fast & ~(starts & b.slow[members])[None, :]
        may_be_fast = np.broadcast_to(may_be_fast, arrival.shape)
        elapsed = np.where(starts, np.maximum(-b.since[members], 0), 0)
        known = starts & b.fast[members] if b.fast is not None else None
        leave = _through(
            q, arrival, order[:, members], may_be_fast, rng, horizon, b.weekday0, elapsed, known
        )
        first[:, members[starts]] = leave[:, starts]
        if q.next == -1:
            decision[:, members] = leave
        else:
            pending[:, members] = leave
    return Forecast(next_step=first, decision=decision, horizon=horizon)


def summarise(values: Ints, horizon: int, quantiles: tuple[float, ...] = (0.1, 0.5, 0.9)) -> F:
    """(len(quantiles), n) quantiles over replications; NaN where one falls at the horizon."""
    q = np.quantile(values, quantiles, axis=0, method="inverted_cdf").astype(np.float64)
    q[q >= horizon] = np.nan
    return q
