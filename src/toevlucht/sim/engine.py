"""One batch of replications of the whole chain, as numpy arrays with a daily step.

:func:`simulate_batch` draws arrivals and capacities for ``R`` replications, runs them through
the queues of :mod:`toevlucht.sim.flow` and reduces every replication to the outputs the
report needs (series per day, counts per year, waiting-time quantiles), so that only small
arrays travel between processes.

The chain (``docs/simulation.md`` has the picture): request → *requested* (lodging at Ter
Apel) → *registration* (registration interview) → rest period → *general_procedure* (start of
the general procedure; it ends on the law's last procedure day) → decided, or referred to the
*extended_procedure*; track 2 and track 1 cases go to *safe_country* and *dublin*. Refusals
may be appealed (*appeal*); permit holders wait for a home (*housing*). Everyone from request
to housing or departure is in reception.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from toevlucht.sim.flow import fifo, joint, remap, shared, shift
from toevlucht.sim.plan import Plan
from toevlucht.sim.scenario import Route, SimStage

__all__ = [
    "SERIES",
    "WAIT_STAGES",
    "Batch",
    "Flows",
    "Inputs",
    "draw",
    "flows",
    "reduce",
    "simulate_batch",
    "wait_bins",
]

F = npt.NDArray[np.float64]
F32 = npt.NDArray[np.float32]
Ints = npt.NDArray[np.int64]

LAGS = {SimStage.REQUESTED: 0}  # every other queue: served the day after arrival at the earliest
SERIES = ("pending", "reception", "ter_apel", "status_holders", *(s.value for s in SimStage))
WAIT_STAGES = tuple(SimStage)
DAILY_BINS = 61


def wait_bins(max_days: int) -> tuple[F, F]:
    """Lower edges and widths of the waiting-time bins: days up to 60, then weeks."""
    weeks = (max_days - DAILY_BINS) // 7 + 2
    lo = np.r_[np.arange(DAILY_BINS), DAILY_BINS + 7 * np.arange(weeks)].astype(np.float64)
    width = np.r_[np.ones(DAILY_BINS), np.full(weeks, 7.0)]
    return lo, width


def _bin(w: Ints, nb: int) -> Ints:
    out: Ints = np.where(w < DAILY_BINS, w, DAILY_BINS + (w - DAILY_BINS) // 7)
    return np.clip(out, 0, nb - 1)


@dataclass(slots=True, kw_only=True)
class Batch:
    """Reduced results of R replications (first axis)."""

    series: F32  # (R, n_series, days + 1): end of each day from the day before the start
    pending_by_group: F32  # (R, U, days + 1) per reporting unit
    yearly: dict[str, F]  # name -> (R, U, Y) per reporting unit (plan.units) and year
    cohort: dict[str, F]  # name -> (R, U, Y) by lodging year
    waits: F  # (R, n_stages + 1, G + 1, Y, 2): median and p90 by exit year; last stage = end to end

    @staticmethod
    def concat(parts: list[Batch]) -> Batch:
        return Batch(
            series=np.concatenate([p.series for p in parts]),
            pending_by_group=np.concatenate([p.pending_by_group for p in parts]),
            yearly={k: np.concatenate([p.yearly[k] for p in parts]) for k in parts[0].yearly},
            cohort={k: np.concatenate([p.cohort[k] for p in parts]) for k in parts[0].cohort},
            waits=np.concatenate([p.waits for p in parts]),
        )


def _quantiles(hist: F, nb_lo: F, nb_w: F) -> F:
    """Median and p90 of histograms ``(..., NB)``; NaN where empty."""
    cum = np.cumsum(hist, axis=-1)
    tot = cum[..., -1:]
    out = np.full((*hist.shape[:-1], 2), np.nan)
    for j, q in enumerate((0.5, 0.9)):
        goal = q * tot
        k = np.minimum((cum < goal - 1e-9).sum(axis=-1, keepdims=True), hist.shape[-1] - 1)
        before = np.take_along_axis(cum, k, -1) - np.take_along_axis(hist, k, -1)
        inside = np.take_along_axis(hist, k, -1)
        frac = np.where(inside > 0, (goal - before) / np.where(inside > 0, inside, 1), 0.0)
        lo, w = nb_lo[k], nb_w[k]
        val = np.where(w > 1, lo + w * np.clip(frac, 0, 1), lo)
        out[..., j] = np.where(tot[..., 0] > 0, val[..., 0], np.nan)
    return out


class _Acc:
    """Weighted histograms of waits per (replication, group, year) for several stages."""

    def __init__(self, R: int, n_stage: int, G: int, Y: int, nb: int) -> None:
        self.shape = (R, n_stage, G + 1, Y, nb)
        self.idx: list[Ints] = []
        self.w: list[F] = []
        self.G, self.Y, self.nb = G, Y, nb

    def add(self, stage: int, rep: Ints, group: Ints | int, year: Ints, wait: Ints, w: F) -> None:
        ok = np.nonzero((year >= 0) & (year < self.Y) & (w > 0))[0]
        _, ns, G1, Y, nb = self.shape
        g = group[ok] if isinstance(group, np.ndarray) else group
        idx = (((rep[ok] * ns + stage) * G1 + g) * Y + year[ok]) * nb + _bin(wait[ok], nb)
        self.idx.append(idx)
        self.w.append(w[ok])

    def add_split(
        self, stage: int, rep: Ints, year: Ints, wait: Ints, w: F, share: list[F]
    ) -> None:
        """Add masses ``w`` to the total and ``w * share[g]`` to each group ``g``."""
        ok = np.nonzero((year >= 0) & (year < self.Y) & (w > 0))[0]
        _, ns, G1, Y, nb = self.shape
        cell = year[ok] * nb + _bin(wait[ok], nb)
        base = (rep[ok] * ns + stage) * G1
        wk = w[ok]
        self.idx.append((base + self.G) * Y * nb + cell)
        self.w.append(wk)
        for g, sh in enumerate(share):
            self.idx.append((base + g) * Y * nb + cell)
            self.w.append(wk * sh[ok])

    def quantiles(self, lo: F, width: F) -> F:
        size = int(np.prod(self.shape))
        h = np.bincount(np.concatenate(self.idx), np.concatenate(self.w), minlength=size)
        return _quantiles(h.reshape(self.shape), lo, width)


@dataclass(slots=True, kw_only=True)
class Inputs:
    """The random part of R replications: requests per subgroup and day, capacities."""

    requests: F  # (R, S, T)
    capacity: dict[SimStage, F]  # (R, T)


def draw(plan: Plan, R: int, seed: np.random.SeedSequence) -> Inputs:
    """Requests (Poisson, with a level factor per replication and a gamma factor per month
    for over-dispersion) and capacities (a lognormal factor per replication and stage)."""
    sc = plan.scenario
    rng = np.random.default_rng(seed)
    g_of = np.array([s.group for s in plan.subs])

    def lognormal(sd: float, size: tuple[int, ...]) -> F:
        if sd <= 0:
            return np.ones(size)
        return rng.lognormal(-sd * sd / 2, sd, size)

    # one standard normal per replication, scaled by the day's sd: the level uncertainty can
    # be small where the inflow is known and grow into the forecast
    z = rng.standard_normal(R)
    sd = plan.level_sd
    level = np.exp(z[:, None] * sd[None, :] - sd[None, :] ** 2 / 2)  # (R, T), mean 1
    glevel = np.stack([lognormal(g.level_sd, (R,)) for g in sc.groups], axis=1)
    cv = plan.month_cv
    shape = np.where(cv > 0, 1 / np.where(cv > 0, cv, 1) ** 2, 1.0)
    months = np.where(cv > 0, rng.gamma(shape, 1 / shape, (R, plan.n_months)), 1.0)
    lam = (
        plan.rates[None]
        * level[:, None, :]
        * glevel[:, g_of][:, :, None]
        * months[:, plan.month][:, None, :]
    )
    requests = rng.poisson(lam).astype(np.float64)
    cap = {
        k: plan.capacity[k][None, :] * lognormal(plan.capacity_sd[k], (R,))[:, None]
        for k in SimStage
    }
    return Inputs(requests=requests, capacity=cap)


@dataclass(slots=True, kw_only=True)
class Flows:
    """Daily flows of R replications through the chain, per subgroup."""

    requests: F  # (R, S, T)
    arrivals: dict[SimStage, F]  # daily arrivals at each queue (R, S_stage, T)
    departed: dict[SimStage, F]  # cumulative departures (R, S_stage, T)
    subs: dict[SimStage, Ints]  # which subgroups pass each queue
    lodged: F  # (R, S, T) lodged per day (without the initial backlog)
    decided: F  # (R, S, T) first-instance decisions per day
    granted: F
    rulings: F
    housed: F  # (R, 1, T)
    leave: F  # (R, S, T) leaving reception after a refusal or a Dublin decision


def flows(plan: Plan, inp: Inputs) -> Flows:
    """Run the requests through the queues of the chain."""
    sc, T, S = plan.scenario, plan.T, plan.S
    requests, cap = inp.requests, inp.capacity
    R = requests.shape[0]
    # --- the queues --------------------------------------------------------------------------
    arrivals: dict[SimStage, F] = {}
    departed: dict[SimStage, F] = {}  # cumulative, (R, S_stage, T)
    idx: dict[SimStage, Ints] = {}

    def stage(st: SimStage, a: F, subs: Ints) -> F:
        idx[st] = subs
        arrivals[st] = a
        share = plan.share[st]
        if share is None:
            D = fifo(a, cap[st], LAGS.get(st, 1), plan.hold[st][subs], plan.level[st][subs])
        else:  # capacity shares: a loop over days (flow.shared)
            cls = plan.share_class[st][subs]
            used = np.unique(cls)
            D = shared(
                a,
                cap[st],
                LAGS.get(st, 1),
                np.searchsorted(used, cls),
                share[used],
                plan.hold[st][subs],
                plan.level[st][subs],
            )
        departed[st] = D
        return np.diff(D, axis=2, prepend=0.0)

    every = np.arange(S)
    lodged = stage(SimStage.REQUESTED, requests + plan.inject[SimStage.REQUESTED][None], every)
    interviewed = stage(
        SimStage.REGISTRATION, lodged + plan.inject[SimStage.REGISTRATION][None], every
    )
    rested = shift(interviewed, sc.rest_period_days)
    decided = np.zeros((R, S, T))
    gp = plan.subs_on(SimStage.GENERAL_PROCEDURE)
    started = stage(
        SimStage.GENERAL_PROCEDURE,
        rested[:, gp] + plan.inject[SimStage.GENERAL_PROCEDURE][gp][None],
        gp,
    )
    ended = remap(started, plan.gp_end)
    ext = np.isin(gp, plan.subs_of(Route.EXTENDED))
    decided[:, gp[~ext]] = ended[:, ~ext]
    va = gp[ext]
    decided[:, va] = stage(
        SimStage.EXTENDED_PROCEDURE,
        ended[:, ext] + plan.inject[SimStage.EXTENDED_PROCEDURE][va][None],
        va,
    )
    for st, route in ((SimStage.SAFE_COUNTRY, Route.SAFE_COUNTRY), (SimStage.DUBLIN, Route.DUBLIN)):
        sub = plan.subs_of(route)
        decided[:, sub] = stage(st, rested[:, sub] + plan.inject[st][sub][None], sub)

    # --- after the decision ------------------------------------------------------------------
    dub = plan.subs_of(Route.DUBLIN)
    granted = decided * plan.grant[None]
    refused = decided - granted
    refused[:, dub] = 0.0
    appealed = refused * plan.appeal[None]
    rulings = stage(SimStage.APPEAL, shift(appealed, sc.appeal_lodged_after_days), every)
    won = rulings * plan.success[None, None, :]
    leave = shift(refused - appealed + rulings - won, sc.departure_days)
    leave = _postpone(leave, plan.depart_hold)
    leave[:, dub] += shift(decided[:, dub], sc.dublin_exit_days)
    housing_in = (granted + won).sum(axis=1, keepdims=True) + plan.inject_housing[None, None, :]
    housed = stage(SimStage.HOUSING, housing_in, np.zeros(1, np.int64))
    return Flows(
        requests=requests,
        arrivals=arrivals,
        departed=departed,
        subs=idx,
        lodged=lodged,
        decided=decided,
        granted=granted,
        rulings=rulings,
        housed=housed,
        leave=leave,
    )


def simulate_batch(plan: Plan, R: int, seed: np.random.SeedSequence) -> Batch:
    """Run ``R`` replications of the plan with the given seed."""
    return reduce(plan, flows(plan, draw(plan, R, seed)))


def reduce(plan: Plan, fl: Flows) -> Batch:
    """The outputs of each replication: series, counts per year, waiting-time quantiles."""
    T, h0, S = plan.T, plan.h0, plan.S
    G, Y = len(plan.units), len(plan.years)
    R = fl.requests.shape[0]
    g_of = plan.unit  # outputs are per reporting unit (a group, or a profile of one)
    onehot = np.zeros((S, G))
    onehot[np.arange(S), g_of] = 1.0
    arrivals, departed, idx = fl.arrivals, fl.departed, fl.subs
    requests, lodged, decided, granted = fl.requests, fl.lodged, fl.decided, fl.granted
    rulings, housed, leave = fl.rulings, fl.housed, fl.leave

    # --- series -----------------------------------------------------------------------------
    pre = np.zeros((S, T))
    for stg in SimStage:
        if stg is not SimStage.REQUESTED:
            pre += plan.inject[stg]
    lodged_all = lodged + pre[None]  # pseudo-lodged initial backlog counts as lodged
    L = np.cumsum(lodged_all, axis=2)
    Fc = np.cumsum(decided, axis=2)
    pend_sub = L - Fc
    win = slice(h0 - 1 if h0 > 0 else 0, T)
    pad = 1 if h0 == 0 else 0

    def cut(x: F) -> F:
        y = x[..., win]
        return np.concatenate([np.zeros((*y.shape[:-1], 1)), y], axis=-1) if pad else y

    backlog = {
        st: np.cumsum(arrivals[st].sum(axis=1), axis=1) - departed[st].sum(axis=1)
        for st in SimStage
    }
    entered = np.cumsum(
        requests.sum(axis=1)
        + pre.sum(axis=0)[None]
        + plan.inject_housing[None]
        + plan.inject[SimStage.REQUESTED].sum(axis=0)[None],
        axis=1,
    )
    left = np.cumsum(housed[:, 0] + leave.sum(axis=1), axis=1)
    reception = plan.other_residents[None] + entered - left
    named = {
        "pending": pend_sub.sum(axis=1),
        "reception": reception,
        # the registration phase takes place at the registration centre (Ter Apel)
        "ter_apel": backlog[SimStage.REQUESTED] + backlog[SimStage.REGISTRATION],
        "status_holders": backlog[SimStage.HOUSING],
        **{st.value: backlog[st] for st in SimStage},
    }
    series = np.stack([cut(named[k]) for k in SERIES], axis=1).astype(np.float32)
    pending_by_group = cut(np.einsum("rst,sg->rgt", pend_sub, onehot)).astype(np.float32)

    # --- counts per year ----------------------------------------------------------------------
    yidx = plan.year[:T]

    ystart = np.searchsorted(yidx, np.arange(Y))  # the horizon's days are in year order

    def per_year(x: F) -> F:  # (R, S, T) -> (R, G, Y)
        by_year = np.add.reduceat(x, ystart, axis=2)
        out: F = np.einsum("rsy,sg->rgy", by_year, onehot)
        return out

    yearly = {
        "lodged": per_year(lodged),
        "decisions": per_year(decided),
        "grants": per_year(granted),
        "rulings": per_year(rulings),
    }

    # --- every case: lodging day, decision day, decision term --------------------------------
    lo, width = wait_bins(T)
    nb = len(lo)
    acc = _Acc(R, len(WAIT_STAGES) + 1, G, Y, nb)
    row, arr, dep, mass = joint(L.reshape(R * S, T), Fc.reshape(R * S, T))
    rep, sub = row // S, row % S
    grp = g_of[sub]
    due = plan.due[sub, arr]
    decided_y = plan.year[np.minimum(dep, T)]
    acc.add(len(WAIT_STAGES), rep, grp, decided_y, dep - arr, mass)
    acc.add(len(WAIT_STAGES), rep, G, decided_y, dep - arr, mass)
    has_term = due < T * 4
    in_time = (dep <= due) & (dep < T) & has_term
    by_decision = _Cells(rep, grp, decided_y, R, G, Y)
    within15 = has_term & (dep < T) & (dep <= plan.plus_15_months[arr])
    yearly["decided_with_term"] = by_decision.sum(mass * (has_term & (dep < T)))
    yearly["decided_in_time"] = by_decision.sum(mass * in_time)
    yearly["decided_within_15_months"] = by_decision.sum(mass * within15)
    lodged_y = plan.year[arr]
    late = has_term & (dep > due) & (due < T)
    by_lodging = _Cells(rep, grp, lodged_y, R, G, Y)
    cohort = {
        "size": by_lodging.sum(mass * has_term),
        "in_time": by_lodging.sum(mass * in_time),
        "late": by_lodging.sum(mass * late),
        "pending_end": by_lodging.sum(mass * (dep >= T)),
    }
    # pending at the end of each year, and past the statutory term by then
    overdue = np.zeros((R, G, Y))
    for y in range(Y):
        e = int(ystart[y + 1]) - 1 if y + 1 < Y else T - 1
        m = mass * (has_term & (arr <= e) & (due < e) & (dep > e))
        overdue += _sum_ryg(rep, grp, np.full(len(rep), y), m, R, G, Y)
    yearly["overdue_end"] = overdue
    lt = np.nonzero(late)[0]
    _remedies(plan, yearly, rep[lt], grp[lt], due[lt], dep[lt], mass[lt], R, G, Y)

    # --- waits at each stage ------------------------------------------------------------------
    for k, st in enumerate(WAIT_STAGES):
        _stage_waits(plan, acc, k, st, arrivals[st], departed[st], idx[st], g_of, R, G)
    waits = acc.quantiles(lo, width)
    return Batch(
        series=series, pending_by_group=pending_by_group, yearly=yearly, cohort=cohort, waits=waits
    )


class _Cells:
    """(replication, group, year) cells of many masses: the index is computed once."""

    def __init__(self, rep: Ints, grp: Ints, year: Ints, R: int, G: int, Y: int) -> None:
        self.ok = np.nonzero((year >= 0) & (year < Y))[0]
        self.idx = (rep[self.ok] * G + grp[self.ok]) * Y + year[self.ok]
        self.shape = (R, G, Y)

    def sum(self, w: F) -> F:
        size = self.shape[0] * self.shape[1] * self.shape[2]
        out: F = np.bincount(self.idx, weights=w[self.ok], minlength=size).reshape(self.shape)
        return out


def _sum_ryg(rep: Ints, grp: Ints, year: Ints, w: F, R: int, G: int, Y: int) -> F:
    ok = np.nonzero((year >= 0) & (year < Y) & (w != 0))[0]
    idx = (rep[ok] * G + grp[ok]) * Y + year[ok]
    return np.bincount(idx, weights=w[ok], minlength=R * G * Y).reshape(R, G, Y)


def _postpone(flow: F, hold: npt.NDArray[np.bool_]) -> F:
    """Flows on held days (per subgroup) move to the first day after the held run."""
    out = flow.copy()
    T = flow.shape[2]
    for s in np.nonzero(hold.any(axis=1))[0]:
        h = hold[s]
        edges = np.diff(np.r_[0, h.astype(np.int8), 0])
        for a, b in zip(np.nonzero(edges == 1)[0], np.nonzero(edges == -1)[0], strict=True):
            moved = out[:, s, a:b].sum(axis=1)
            out[:, s, a:b] = 0.0
            if b < T:
                out[:, s, b] += moved
    return out


def _remedies(
    plan: Plan,
    yearly: dict[str, F],
    rep: Ints,
    grp: Ints,
    due: Ints,
    dep: Ints,
    w: F,
    R: int,
    G: int,
    Y: int,
) -> None:
    """Notices of default and penalties per year, from the law's remedy parameters."""
    sc, T, p = plan.scenario, plan.T, plan.remedies
    late = (dep > due) & (due < T)
    notice = due + 1 + sc.notice_delay_days
    noticed = late & (dep > notice) & (notice < T)
    nc = np.clip(notice, 0, T - 1)
    wn = w * noticed * sc.notice_share
    yearly["notices"] = _sum_ryg(rep, grp, plan.year[nc], wn, R, G, Y)
    # Awb 4:17 administrative penalty (off for asylum decisions since 10 July 2020)
    adm = nc + p.admin_start_days[nc]
    admc = np.clip(adm, 0, T - 1)
    ok = noticed & p.admin_allowed[admc] & (adm < T)
    days = np.clip(np.minimum(dep, T) - adm, 0, len(p.admin_amount) - 1)
    yearly["penalty_admin_eur"] = _sum_ryg(
        rep, grp, plan.year[admc], wn * ok * p.admin_amount[days], R, G, Y
    )
    # appeal against failure to decide, court order, court penalty (court practice)
    app = nc + p.appeal_wait_days[nc] + 1
    appc = np.clip(app, 0, T - 1)
    appealed = noticed & (dep > app) & (app < T) & p.appeal_allowed[appc]
    wa = wn * appealed * sc.failure_appeal_share
    yearly["failure_appeals"] = _sum_ryg(rep, grp, plan.year[appc], wa, R, G, Y)
    ruling = app + sc.court_ruling_days
    rc = np.clip(ruling, 0, T - 1)
    weeks = p.court_weeks[rc]
    ordered = appealed & (dep > ruling) & (ruling < T) & p.court_allowed[rc] & ~np.isnan(weeks)
    court_due = ruling + 7 * np.nan_to_num(weeks).astype(np.int64)
    last = np.minimum(dep, T) - 1
    pdays = np.maximum(0, last - court_due)
    amount = np.minimum(np.nan_to_num(p.court_max[rc]), pdays * np.nan_to_num(p.court_per_day[rc]))
    end = plan.year[np.clip(last, 0, T - 1)]
    yearly["penalty_court_eur"] = _sum_ryg(rep, grp, end, wa * ordered * amount, R, G, Y)


def _stage_waits(
    plan: Plan, acc: _Acc, k: int, st: SimStage, a: F, D: F, subs: Ints, g_of: Ints, R: int, G: int
) -> None:
    """Waits at one stage, per group. Within a priority level, the aggregate of subgroups
    that are never held is one FIFO queue, so each of its arrival days has one wait
    distribution shared by all groups in proportion to their arrivals that day; held
    subgroups are merged on their own."""
    T = plan.T
    held = plan.hold[st][subs].any(axis=1)
    A = np.cumsum(a, axis=2)
    h0 = plan.h0
    classes: list[tuple[F, F, F]] = []  # (A, D, weights (R, G, T))
    # each priority level of each capacity-share class is a queue of its own
    level = plan.level[st][subs] + plan.share_class[st][subs] * (int(plan.level[st].max()) + 1)
    for lv in np.unique(level):
        _level_classes(
            classes, a, A, D, (~held) & (level == lv), held & (level == lv), subs, g_of, R, G, T
        )
    for Ac, Dc, w in classes:
        row, arr, dep, mass = joint(Ac, Dc)
        yr = plan.year[np.minimum(dep, T)]
        m = mass * (arr >= h0)  # the initial backlog's arrival day at the stage is unknown
        acc.add_split(k, row, yr, dep - arr, m, [w[row, g, arr] for g in range(G)])


def _level_classes(
    classes: list[tuple[F, F, F]],
    a: F,
    A: F,
    D: F,
    main: npt.NDArray[np.bool_],
    held: npt.NDArray[np.bool_],
    subs: Ints,
    g_of: Ints,
    R: int,
    G: int,
    T: int,
) -> None:
    if main.any():
        daily_a = a[:, main]
        onehot = np.zeros((int(main.sum()), G))
        onehot[np.arange(int(main.sum())), g_of[subs[main]]] = 1.0
        w = np.einsum("rst,sg->rgt", daily_a, onehot)
        tot = daily_a.sum(axis=1)
        w /= np.where(tot > 0, tot, 1.0)[:, None, :]
        classes.append((A[:, main].sum(axis=1), D[:, main].sum(axis=1), w))
    for j in np.nonzero(held)[0]:
        w = np.zeros((R, G, T))
        w[:, g_of[subs[j]]] = 1.0
        classes.append((A[:, j], D[:, j], w))
