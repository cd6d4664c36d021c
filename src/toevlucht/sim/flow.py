"""First-in-first-out queues with a daily capacity, many replications at once.

Arrays are ``(R, S, T)``: replications, subgroups (nationality x profile x route), days.
A stage serves, on day ``t``, up to ``capacity[r, t]`` cases that arrived on day ``t - lag``
or earlier, oldest arrival day first; cases of the same arrival day are served in
proportion (so flows are real numbers, and an integer flow stays integer when there is one
subgroup and integer capacity).

* Without holds the stage is one FIFO queue on the total: the Lindley recursion
  ``Q[t] = max(0, Q[t-1] + a[t] - c[t])`` has the closed form ``Q = S - min(0, cummin(S))``
  with ``S = cumsum(a - c)`` (no loop over days), and each subgroup's departures follow from
  the day whose arrivals are being served (:func:`split`).
* A hold (a decision stop or moratorium) makes some subgroups ineligible on some days: their
  cases keep their place while others are served, and are served first once the hold ends
  because they are older. That needs a loop over days, vectorised over replications, with a
  bisection for the arrival day up to which the capacity reaches (:func:`held_segments`).

The waiting time of every case follows from two cumulative curves (arrivals and departures):
case ``n`` arrives on the first day ``A >= n`` and leaves on the first day ``D >= n``.
:func:`joint` merges the break-points of both curves, which gives the exact distribution of
(arrival day, departure day) pairs in O(days) per replication instead of O(cases).

>>> import numpy as np
>>> a = np.array([[[3.0, 3.0, 0.0, 0.0]]])           # 3 arrive on day 0 and on day 1
>>> c = np.array([[2.0, 2.0, 2.0, 2.0]])             # 2 served a day
>>> fifo(a, c, lag=0)[0, 0].tolist()                 # cumulative departures
[2.0, 4.0, 6.0, 6.0]
"""

from __future__ import annotations

import itertools

import numpy as np
import numpy.typing as npt

__all__ = [
    "closed_form",
    "fifo",
    "held_loop",
    "held_segments",
    "joint",
    "remap",
    "shared",
    "shift",
    "split",
    "waterfill",
]

F = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]


def shift(a: F, days: int) -> F:
    """Move daily flows ``days`` later along the last axis (flows past the end drop off)."""
    if days <= 0:
        return a
    out = np.zeros_like(a)
    if days < a.shape[-1]:
        out[..., days:] = a[..., :-days]
    return out


def remap(a: F, target: Ints) -> F:
    """Move the flow of day ``t`` to day ``target[t]`` (past the last day drops off)."""
    T = a.shape[-1]
    src = np.nonzero(target < T)[0]
    out = np.zeros_like(a)
    o = out.reshape(-1, T).T  # a view: days first
    np.add.at(o, target[src], a.reshape(-1, T)[:, src].T)
    return out


def closed_form(a: F, c: F) -> F:
    """Cumulative departures of one FIFO queue: ``a`` daily arrivals, ``c`` daily capacity.

    Both ``(..., T)``; the queue is empty before day 0 and serves same-day arrivals.
    """
    s = np.cumsum(a - c, axis=-1)
    q = s - np.minimum(0.0, np.minimum.accumulate(s, axis=-1))
    return np.cumsum(a, axis=-1) - q


def _rowsearch(curve: F, values: F) -> Ints:
    """Per row, the first index ``i`` with ``curve[i] >= value`` (``T`` if none)."""
    n, T = curve.shape
    top = float(np.max(curve[:, -1])) if curve.size else 0.0
    span = max(top, float(np.max(values)) if values.size else 0.0) + 1.0
    off = (np.arange(n, dtype=np.float64) * span)[:, None]
    idx = np.searchsorted((curve + off).ravel(), (values + off).ravel(), side="left")
    out: Ints = idx.reshape(values.shape) - (np.arange(n) * T)[:, None]
    return out


def split(A_sub: F, A_agg: F, D_agg: F) -> F:
    """Cumulative departures of each subgroup of an aggregate FIFO queue.

    ``A_sub`` ``(R, S, T)`` cumulative arrivals of the subgroups; ``A_agg``, ``D_agg``
    ``(R, T)`` of their total. On day t the aggregate has served everything that arrived
    before day τ and a fraction φ of day τ's arrivals; each subgroup the same.
    """
    R, S, T = A_sub.shape
    tau = np.minimum(_rowsearch(A_agg, D_agg), T - 1)
    prev = np.concatenate([np.zeros((R, 1)), A_agg], axis=1)
    lo = np.take_along_axis(prev, tau, axis=1)
    width = np.take_along_axis(A_agg, tau, axis=1) - lo
    phi = np.where(width > 0, (D_agg - lo) / np.where(width > 0, width, 1.0), 0.0)
    phi = np.clip(phi, 0.0, 1.0)
    sub_prev = np.concatenate([np.zeros((R, S, 1)), A_sub], axis=2)
    t3 = np.broadcast_to(tau[:, None, :], (R, S, T))
    lo_s = np.take_along_axis(sub_prev, t3, axis=2)
    hi_s = np.take_along_axis(A_sub, t3, axis=2)
    out: F = lo_s + phi[:, None, :] * (hi_s - lo_s)
    return out


def fifo(a: F, capacity: F, lag: int, hold: B | None = None, level: Ints | None = None) -> F:
    """Cumulative departures ``(R, S, T)`` of a shared FIFO stage.

    Args:
        a: daily arrivals ``(R, S, T)``.
        capacity: cases that can be served each day ``(R, T)``.
        lag: days between arriving and the first day one can be served (0 or more).
        hold: ``(S, T)``, True where a subgroup may not be served that day.
        level: ``(S,)`` priority: level 0 is served first (first in, first out among
            itself), the next level gets the capacity left over each day, and so on.
    """
    if level is not None and len(np.unique(level)) > 1:
        out = np.empty_like(a)
        left = capacity.copy()
        for lv in np.unique(level):
            sel = np.nonzero(level == lv)[0]
            D = fifo(a[:, sel], left, lag, None if hold is None else hold[sel])
            out[:, sel] = D
            left = left - np.diff(D.sum(axis=1), axis=1, prepend=0.0)
        return out
    a = shift(a, lag)
    A = np.cumsum(a, axis=2)
    held = np.zeros(a.shape[1], bool) if hold is None else hold.any(axis=1)
    if not held.any():
        A_tot = A.sum(axis=1)
        D_tot = closed_form(a.sum(axis=1), capacity)
        if a.shape[1] == 1:
            return D_tot[:, None, :]
        return split(A, A_tot, D_tot)
    assert hold is not None
    main = ~held
    classes = [A[:, main].sum(axis=1)] + [A[:, s] for s in np.nonzero(held)[0]]
    elig = np.vstack([np.ones(a.shape[2], bool)] + [~hold[s] for s in np.nonzero(held)[0]])
    D = held_segments(np.stack(classes, axis=1), capacity, elig)
    out = np.empty_like(A)
    out[:, held] = D[:, 1:]
    if main.any():
        out[:, main] = split(A[:, main], classes[0], D[:, 0])
    return out


def held_segments(A: F, capacity: F, elig: B) -> F:
    """Classes ``(R, K, T)`` (cumulative arrivals) with eligibility ``(K, T)``, in closed form.

    Between two days on which the eligibility changes, the eligible classes are one
    work-conserving queue (Lindley recursion from the backlog they carry in) served oldest
    arrival day first; the day up to which that reaches comes from the curve
    ``C(τ) = Σ_k max(D_k, A_k(τ))``. Same result as the day loop :func:`held_loop`.
    """
    R, K, T = A.shape
    change = np.nonzero((elig[:, 1:] != elig[:, :-1]).any(axis=0))[0] + 1
    bounds = [0, *change.tolist(), T]
    D = np.zeros((R, K, T))
    cur = np.zeros((R, K))
    prev = np.concatenate([np.zeros((R, K, 1)), A], axis=2)
    for t0, t1 in itertools.pairwise(bounds):
        e = elig[:, t0]
        Ae = A[:, e, :t1]
        ce = cur[:, e]
        q0 = (prev[:, e, t0] - ce).sum(axis=1)
        a_tot = (Ae[:, :, t0:] - prev[:, e, t0:t1]).sum(axis=1)
        s = q0[:, None] + np.cumsum(a_tot - capacity[:, t0:t1], axis=1)
        q = s - np.minimum(0.0, np.minimum.accumulate(s, axis=1))
        served = ce.sum(axis=1)[:, None] + q0[:, None] + np.cumsum(a_tot, axis=1) - q
        C = np.maximum(ce[:, :, None], Ae).sum(axis=1)  # (R, t1)
        tau = np.minimum(_rowsearch(C, served), t1 - 1)
        c_prev = np.concatenate([ce.sum(axis=1)[:, None], C], axis=1)
        lo_c = np.take_along_axis(c_prev, tau, 1)
        hi_c = np.take_along_axis(C, tau, 1)
        phi = np.clip((served - lo_c) / np.where(hi_c > lo_c, hi_c - lo_c, 1.0), 0.0, 1.0)
        t3 = np.broadcast_to(tau[:, None, :], (R, int(e.sum()), t1 - t0))
        base = np.maximum(ce[:, :, None], np.take_along_axis(prev[:, e, :t1], t3, 2))
        pend = np.maximum(0.0, np.take_along_axis(Ae, t3, 2) - base)
        De = base + phi[:, None, :] * pend
        D[:, e, t0:t1] = De
        D[:, ~e, t0:t1] = cur[:, ~e, None]
        cur = D[:, :, t1 - 1].copy()
    return D


def held_loop(A: F, capacity: F, elig: B) -> F:
    """Day loop for classes ``(R, K, T)`` (cumulative arrivals) with eligibility ``(K, T)``.

    The definition of a held stage, one day at a time; slow, kept as the reference that
    :func:`held_segments` is tested against.
    """
    R, K, T = A.shape
    prev = np.concatenate([np.zeros((R, K, 1)), A], axis=2)  # prev[..., t] = A[..., t-1]
    D = np.zeros((R, K))
    out = np.empty_like(A)
    for t in range(T):
        D = _serve_day(A, prev, D, elig[:, t], capacity[:, t], t)
        out[:, :, t] = D
    return out


def _serve_day(A: F, prev: F, D: F, e: B, c: F, t: int) -> F:
    """One day of a held stage: classes ``A`` ``(R, K, T)`` (cumulative arrivals, ``prev``
    the same shifted by a day) with ``D`` ``(R, K)`` served so far, eligibility ``e``
    ``(K,)`` and capacity ``c`` ``(R,)``; the eligible cases are served oldest arrival day
    first, one arrival day in proportion. Returns the new ``D``."""
    K = A.shape[1]
    avail = np.where(e, A[:, :, t] - D, 0.0)
    need = avail.sum(axis=1) > c
    D = np.where(need[:, None], D, D + avail)
    if need.any():
        idx = np.nonzero(need)[0]
        Ai, Pi, Di, ci = A[idx], prev[idx], D[idx], c[idx]
        lo = np.zeros(len(idx), np.int64)
        hi = np.full(len(idx), t, np.int64)
        while np.any(lo < hi):
            mid = (lo + hi) // 2
            at = np.take_along_axis(Ai, np.broadcast_to(mid[:, None, None], (len(idx), K, 1)), 2)
            s = np.where(e, np.maximum(0.0, at[:, :, 0] - Di), 0.0).sum(axis=1)
            ok = s >= ci
            hi = np.where(ok, mid, hi)
            lo = np.where(ok, lo, mid + 1)
        tau = np.broadcast_to(lo[:, None, None], (len(idx), K, 1))
        a_hi = np.take_along_axis(Ai, tau, 2)[:, :, 0]
        a_lo = np.take_along_axis(Pi, tau, 2)[:, :, 0]
        base = np.maximum(Di, a_lo)
        full = np.where(e, base - Di, 0.0).sum(axis=1)
        pend = np.where(e, np.maximum(0.0, a_hi - base), 0.0)
        tot = pend.sum(axis=1)
        phi = np.clip((ci - full) / np.where(tot > 0, tot, 1.0), 0.0, 1.0)
        D[idx] = np.where(e, base + phi[:, None] * pend, Di)
    return D


def waterfill(demand: F, capacity: F, share: F) -> F:
    """How one day's capacity is divided between classes with capacity shares.

    ``demand`` ``(R, C)`` the cases each class could be served, ``capacity`` ``(R,)``,
    ``share`` ``(C,)`` (adding up to at most 1). Each class gets up to its share of the
    capacity; what a class leaves unused goes to the classes that still have cases, in
    proportion to their shares (equally among them if all their shares are 0), until the
    capacity or the cases run out: the stage is work-conserving.

    >>> waterfill(np.array([[100.0, 100.0]]), np.array([10.0]), np.array([0.7, 0.3]))
    array([[7., 3.]])
    >>> waterfill(np.array([[2.0, 100.0]]), np.array([10.0]), np.array([0.7, 0.3]))
    array([[2., 8.]])
    """
    x: F = np.minimum(demand, share[None, :] * capacity[:, None])
    left = capacity - x.sum(axis=1)
    for _ in range(demand.shape[1]):
        unmet = demand - x
        open_ = unmet > 1e-12
        w = np.where(open_, share[None, :], 0.0)
        ws = w.sum(axis=1)
        w = np.where((ws > 0)[:, None], w, open_.astype(np.float64))
        ws = w.sum(axis=1)
        give = np.minimum(
            unmet, np.maximum(left, 0.0)[:, None] * w / np.where(ws > 0, ws, 1)[:, None]
        )
        x += give
        left = left - give.sum(axis=1)
    return x


def shared(
    a: F,
    capacity: F,
    lag: int,
    cls: Ints,
    share: F,
    hold: B | None = None,
    level: Ints | None = None,
) -> F:
    """Cumulative departures ``(R, S, T)`` of a stage whose capacity is shared by classes.

    Args:
        a: daily arrivals ``(R, S, T)``.
        capacity: ``(R, T)`` cases that can be served each day.
        lag: days between arriving and the first day one can be served.
        cls: ``(S,)`` the share class of each subgroup, ``0 .. C-1``.
        share: ``(C, T)`` each class's share of each day's capacity (see :func:`waterfill`:
            what a class cannot use goes to the others).
        hold: ``(S, T)``, True where a subgroup may not be served that day.
        level: ``(S,)`` priority levels inside a class (0 first, as in :func:`fifo`).

    Inside a class and level the stage is first in, first out (oldest arrival day first,
    one arrival day in proportion), with holds as in :func:`held_loop`. The division of
    the capacity depends on each day's queues, so this is a loop over days, vectorised
    over replications. With one class it gives the same departures as :func:`fifo`.
    """
    R, S, T = a.shape
    lvl = np.zeros(S, np.int64) if level is None else level
    held_any = np.zeros(S, bool) if hold is None else hold.any(axis=1)
    a = shift(a, lag)
    A = np.cumsum(a, axis=2)
    keys = sorted({(int(cls[s]), int(lvl[s])) for s in range(S)})  # units, in service order
    curves: list[F] = []
    elig: list[B] = []
    unit_of: list[int] = []
    members: list[tuple[Ints, bool]] = []  # the subgroups of each curve; merged or one held
    for u, (c, lv) in enumerate(keys):
        in_u = (cls == c) & (lvl == lv)
        main = np.nonzero(in_u & ~held_any)[0]
        if len(main):
            curves.append(A[:, main].sum(axis=1))
            elig.append(np.ones(T, bool))
            unit_of.append(u)
            members.append((main, True))
        for s in np.nonzero(in_u & held_any)[0]:
            assert hold is not None
            curves.append(A[:, s])
            elig.append(~hold[s])
            unit_of.append(u)
            members.append((np.array([s]), False))
    Ac = np.stack(curves, axis=1)  # (R, K, T)
    E = np.stack(elig)  # (K, T)
    K, U, C = Ac.shape[1], len(keys), int(share.shape[0])
    to_unit = np.zeros((K, U))
    to_unit[np.arange(K), unit_of] = 1.0
    unit_cls = np.array([c for c, _ in keys])
    to_cls = np.zeros((U, C))
    to_cls[np.arange(U), unit_cls] = 1.0
    curves_of = [np.nonzero(np.array(unit_of) == u)[0] for u in range(U)]
    prev = np.concatenate([np.zeros((R, K, 1)), Ac], axis=2)
    D = np.zeros((R, K))
    Dc = np.empty_like(Ac)
    for t in range(T):
        avail = np.where(E[:, t], Ac[:, :, t] - D, 0.0)
        demand_u = avail @ to_unit  # (R, U)
        x = waterfill(demand_u @ to_cls, capacity[:, t], share[:, t])  # (R, C)
        before = np.zeros((R, C))
        for u in range(U):
            c = int(unit_cls[u])
            y = np.minimum(demand_u[:, u], np.maximum(0.0, x[:, c] - before[:, c]))
            before[:, c] += demand_u[:, u]
            ks = curves_of[u]
            if len(ks) == 1 and E[ks[0], t]:
                D[:, ks[0]] += y  # one eligible curve: nothing to order
            else:
                D[:, ks] = _serve_day(Ac[:, ks], prev[:, ks], D[:, ks], E[ks, t], y, t)
        Dc[:, :, t] = D
    out = np.empty_like(A)
    for k, (subs, merged) in enumerate(members):
        if merged and len(subs) > 1:
            out[:, subs] = split(A[:, subs], Ac[:, k], Dc[:, k])
        else:
            out[:, subs[0]] = Dc[:, k]
    return out


def joint(A: F, D: F) -> tuple[Ints, Ints, Ints, F]:
    """Exact (row, arrival day, departure day, mass) of every case in FIFO curves ``(N, T)``.

    Case ``n`` of a row arrives on the first day ``A >= n`` and departs on the first day
    ``D >= n``; between consecutive break-points of the two curves both are constant, so
    each interval is one (arrival, departure) pair with the interval's length as mass. A
    departure day ``T`` means "not served by the last day". Masses below 1e-9 (rounding of
    split flows) are dropped.
    """
    n, T = A.shape
    v = np.concatenate([A, D], axis=1)
    order = np.argsort(v, axis=1, kind="stable")  # on ties, A's entries come first
    b = np.take_along_axis(v, order, axis=1)
    mass = np.diff(b, axis=1, prepend=0.0)
    is_a = order < T
    # at the first entry of a tie group, the entries before it are all smaller
    a_before = np.cumsum(is_a, axis=1) - is_a
    d_before = np.arange(2 * T)[None, :] - a_before
    keep = mass >= 1e-9
    row = np.broadcast_to(np.arange(n)[:, None], b.shape)[keep]
    return row, np.minimum(a_before[keep], T - 1), d_before[keep], mass[keep]


def _rowsearch1(curve: F, row: Ints, values: F) -> Ints:
    """For each (row, value): the first index ``i`` with ``curve[row, i] >= value``."""
    n, T = curve.shape
    span = (
        max(float(np.max(curve[:, -1])) if curve.size else 0.0, float(np.max(values, initial=0.0)))
        + 1.0
    )
    off = np.arange(n, dtype=np.float64) * span
    idx = np.searchsorted((curve + off[:, None]).ravel(), values + off[row], side="left")
    out: Ints = idx - row * T
    return out
