"""A scenario turned into day-indexed arrays: the deterministic part of a simulation.

Built once per scenario (in the parent process) and shipped to the workers that draw the
replications. Day index 0 is the earliest pseudo-lodging day of the initial backlog (or the
scenario start); ``h0`` is the index of the scenario start. Capacities are zero before
``h0``, so the initial backlog simply waits there with its real lodging dates, oldest
furthest along the procedure (first in, first out).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from toevlucht.law.model import Track
from toevlucht.law.periods import add_months
from toevlucht.sim.errors import SimError
from toevlucht.sim.lawbridge import (
    NEVER,
    RemedyParams,
    decision_due,
    departure_days,
    fixed_term_due,
    hold_days,
    law_term_due,
    procedure_end,
    remedy_params,
    working_days,
)
from toevlucht.sim.scenario import FAST, HOLDABLE, ROUTE_STAGES, Dated, Route, Scenario, SimStage

__all__ = ["Plan", "Sub", "Unit", "build_plan", "daily"]

F = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class Sub:
    """A subgroup: one profile of one nationality group on one route, in one cohort (by
    request day, e.g. the old regime's or the APR's) and lane (1: the general procedure's
    fast lane, ``fast_share``)."""

    group: int
    profile: int
    route: Route
    cohort: int = 0
    lane: int = 0

    def names(self, sc: Scenario) -> tuple[str, ...]:
        """The names a stage's ``priority`` and ``shares`` can give this subgroup by."""
        lane = (FAST,) if self.lane else ()
        gid, cid = sc.groups[self.group].id, sc.cohorts[self.cohort].id
        return (self.route.value, gid, cid, f"{cid}:{gid}", *lane)


@dataclass(frozen=True, slots=True)
class Unit:
    """A reporting unit: a nationality group, or one profile of a group that has several
    (``RUS:conscript``), so that a measure on part of a group shows in the output."""

    id: str
    name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Plan:
    scenario: Scenario
    first: dt.date
    T: int
    h0: int
    dates: npt.NDArray[np.datetime64]
    year: Ints  # calendar-year index per day (-1 before the start), length T + 1 (T: pending)
    years: tuple[int, ...]
    month: Ints  # month index per day (for over-dispersion factors)
    n_months: int
    level_sd: F  # (T,) sd of the log inflow level factor on each day
    month_cv: F  # (n_months,) coefficient of variation of each month's factor
    subs: tuple[Sub, ...]
    units: tuple[Unit, ...]  # what outputs are reported by: a group, or a profile of it
    unit: Ints  # (S,) the unit of each subgroup
    rates: F  # (S, T) expected requests per day
    capacity: Mapping[SimStage, F]  # (T,) cases per day, 0 on closed days and before h0
    capacity_sd: Mapping[SimStage, float]
    inject: Mapping[SimStage, F]  # (S, T) initial backlog by pseudo-lodging day
    inject_housing: F  # (T,)
    hold: Mapping[SimStage, B]  # (S, T)
    level: Mapping[SimStage, Ints]  # (S,) priority level at each stage (0 first)
    share_class: Mapping[SimStage, Ints]  # (S,) capacity-share class at each stage
    share: Mapping[SimStage, F | None]  # (C, T) capacity share of each class; None: one class
    gp_end: Ints  # (T,) day the general procedure started that day ends
    plus_15_months: Ints  # (T,) the day 15 months after each day (the IND's published measure)
    due: Ints  # (S, T) decision due day by lodging day (NEVER: no term)
    grant: F  # (S, T) share granted, by decision day
    appeal: F  # (S, T) share of refusals appealed
    success: F  # (T,) share of appeals that end in a grant
    depart_hold: B  # (S, T) departure moratorium keeps a refused applicant in reception
    other_residents: F
    reception_capacity: F
    remedies: RemedyParams

    @property
    def S(self) -> int:
        return len(self.subs)

    def subs_on(self, stage: SimStage) -> npt.NDArray[np.int64]:
        return np.array(
            [i for i, s in enumerate(self.subs) if stage in ROUTE_STAGES[s.route]], np.int64
        )

    def subs_of(self, route: Route) -> npt.NDArray[np.int64]:
        return np.array([i for i, s in enumerate(self.subs) if s.route is route], np.int64)


def daily(d: Dated, first: dt.date, days: int) -> F:
    """The step function evaluated on each of ``days`` days from ``first``."""
    starts = np.array([max(s, dt.date(1, 1, 2)) for s in d.starts], dtype="datetime64[D]")
    day = np.datetime64(first, "D") + np.arange(days)
    idx = np.searchsorted(starts, day, side="right") - 1
    vals = np.array(d.values, dtype=np.float64)
    out: F = np.where(idx >= 0, vals[np.maximum(idx, 0)], 0.0)
    return out


def _route_shares(sc: Scenario, g: int, first: dt.date, days: int) -> dict[Route, F]:
    grp = sc.groups[g]
    ext = daily(grp.extended_share, first, days)
    gen = grp.tracks.get(Track.GENERAL, 0.0)
    return {
        Route.GENERAL: gen * (1 - ext),
        Route.EXTENDED: gen * ext,
        Route.SAFE_COUNTRY: np.full(days, grp.tracks.get(Track.SAFE_COUNTRY, 0.0)),
        Route.DUBLIN: np.full(days, grp.tracks.get(Track.DUBLIN, 0.0)),
    }


def build_plan(sc: Scenario) -> Plan:
    first = min([sc.start] + [b.lodged_from for b in sc.initial])
    T = (sc.end - first).days + 1
    h0 = (sc.start - first).days
    dates = np.datetime64(first, "D") + np.arange(T)
    py = [first + dt.timedelta(days=i) for i in range(T)]
    years = tuple(range(sc.start.year, sc.end.year + 1))
    year = np.array([d.year - sc.start.year if i >= h0 else -1 for i, d in enumerate(py)] + [-2])
    month = np.array(
        [(d.year - sc.start.year) * 12 + d.month - 1 if i >= h0 else 0 for i, d in enumerate(py)]
    )
    work = working_days(dates)

    in_cohort = _cohort_days(sc, dates)
    subs: list[Sub] = []
    rates: list[F] = []
    shares: dict[int, dict[Route, F]] = {}
    for g, grp in enumerate(sc.groups):
        shares[g] = _route_shares(sc, g, first, T)
        per_day = daily(grp.requests_per_month, first, T) / np.array(
            [calendar.monthrange(d.year, d.month)[1] for d in py]
        )
        per_day *= np.array([grp.seasonality[d.month - 1] for d in py])
        for a, b, f in grp.shocks:
            per_day[(dates >= np.datetime64(a)) & (dates < np.datetime64(b))] *= f
        per_day[:h0] = 0.0
        fast = daily(grp.fast_share, first, T)
        for p, prof in enumerate(grp.profiles):
            for route in Route:
                for c in range(len(sc.cohorts)):
                    for lane in (0, 1):
                        if lane and route is not Route.GENERAL:
                            continue
                        lane_f = (fast if lane else 1 - fast) if route is Route.GENERAL else 1.0
                        r = per_day * prof.share * shares[g][route] * lane_f * in_cohort[c]
                        backlog = lane == 0 and _in_backlog(
                            sc, route, shares[g][route], in_cohort[c], dates
                        )
                        if r.any() or backlog:
                            subs.append(Sub(g, p, route, c, lane))
                            rates.append(r)
    S = len(subs)
    if S == 0:
        raise SimError(
            f"{sc.file}: nothing flows: every group's requests are 0 in the scenario's period "
            "and there is no initial backlog",
            message_key="error.nothing_flows",
            params={"file": sc.file},
        )

    capacity: dict[SimStage, F] = {}
    for stage, spec in sc.stages.items():
        cap = daily(spec.capacity, first, T)
        if spec.working_days:
            cap = np.where(work, cap, 0.0)
        cap[:h0] = 0.0
        capacity[stage] = cap

    first_month = np.array(
        [daily(g.requests_per_month, sc.start, 1)[0] for g in sc.groups], dtype=np.float64
    )
    default_g = first_month / first_month.sum() if first_month.sum() > 0 else None
    inject = {stage: np.zeros((S, T)) for stage in SimStage}
    for blk in sc.initial:
        i0, i1 = (blk.lodged_from - first).days, (blk.lodged_until - first).days
        weights = np.zeros(S)
        for i, s in enumerate(subs):
            if blk.stage not in ROUTE_STAGES[s.route] or s.lane:
                continue
            gid = sc.groups[s.group].id
            gshare = (
                blk.shares.get(gid, 0.0)
                if blk.shares
                else (default_g[s.group] if default_g is not None else 1 / len(sc.groups))
            )
            rshare = float(shares[s.group][s.route][h0 if h0 < T else 0])
            weights[i] = gshare * sc.groups[s.group].profiles[s.profile].share * rshare
        # each lodging day's cases belong to the cohort of that day
        w = weights[:, None] * np.array([in_cohort[s.cohort][i0:i1] for s in subs])
        tot = w.sum(axis=0)
        if (tot > 0).any():
            per_day = blk.count / int((tot > 0).sum())
            inject[blk.stage][:, i0:i1] += per_day * w / np.where(tot > 0, tot, 1.0)[None, :]
    inject_housing = np.zeros(T)
    inject_housing[0] = sc.initial_status_holders

    hold = {stage: np.zeros((S, T), bool) for stage in SimStage}
    depart = np.zeros((S, T), bool)
    due = np.full((S, T), NEVER, dtype=np.int64)
    grant = np.zeros((S, T))
    appeal = np.zeros((S, T))
    cache: dict[tuple[int, int, int], tuple[dict[str, B], B, Ints]] = {}
    for i, s in enumerate(subs):
        grp = sc.groups[s.group]
        prof = grp.profiles[s.profile]
        coh = sc.cohorts[s.cohort]
        if (s.group, s.profile, s.cohort) not in cache:
            cache[(s.group, s.profile, s.cohort)] = (
                hold_days(sc, grp, prof, first, T),
                departure_days(sc, grp, prof, first, T),
                law_term_due(first, T, coh.term_param)
                if coh.term_param
                else decision_due(sc, grp, prof, first, T)
                if coh.term_months is None
                else fixed_term_due(first, T, coh.term_months),
            )
        holds, dep, d = cache[(s.group, s.profile, s.cohort)]
        for name, mask in holds.items():
            hold[SimStage(name)][i] = mask
        if coh.worked_from is not None:  # the cohort's decisions are taken from this day on
            until = min(T, max(0, (coh.worked_from - first).days))
            for st in HOLDABLE:
                hold[st][i, :until] = True
        depart[i] = dep
        if s.route is not Route.DUBLIN:  # the Dublin term starts at responsibility (Vw 42(6))
            due[i] = d
            rate = (
                grp.safe_country_grant_rate
                if s.route is Route.SAFE_COUNTRY
                else (prof.grant_rate or grp.grant_rate)
            )
            grant[i] = daily(rate, first, T)
            appeal[i] = daily(grp.appeal_rate, first, T)

    units: list[Unit] = []
    unit_index: dict[tuple[int, int, int], int] = {}
    multi = len(sc.cohorts) > 1
    for g, grp in enumerate(sc.groups):
        for p, prof in enumerate(grp.profiles):
            for c, coh in enumerate(sc.cohorts):
                uid = grp.id if len(grp.profiles) == 1 else f"{grp.id}:{prof.id}"
                name = grp.name if len(grp.profiles) == 1 else f"{grp.name} ({prof.id})"
                if multi:
                    uid, name = f"{uid}:{coh.id}", f"{name}, {coh.id}"
                units.append(Unit(uid, name))
                unit_index[(g, p, c)] = len(units) - 1
    used = sorted({unit_index[(s.group, s.profile, s.cohort)] for s in subs})
    renum = {u: k for k, u in enumerate(used)}  # only units that have cases
    units = [units[u] for u in used]
    unit = np.array(
        [renum[unit_index[(s.group, s.profile, s.cohort)]] for s in subs], dtype=np.int64
    )

    level: dict[SimStage, Ints] = {}
    share_class: dict[SimStage, Ints] = {}
    share: dict[SimStage, F | None] = {}
    for stage, spec in sc.stages.items():
        lv = np.full(S, len(spec.priority), dtype=np.int64)
        cl = np.full(S, len(spec.shares), dtype=np.int64)  # the last class: no name matched
        for i, sub in enumerate(subs):
            names = sub.names(sc)
            for k, name in enumerate(spec.priority):
                if name in names:
                    lv[i] = k
                    break
            for k, (name, _) in enumerate(spec.shares):
                if name in names:
                    cl[i] = k
                    break
        level[stage] = lv
        share_class[stage] = cl
        if spec.shares:
            named = np.array([daily(d, first, T) for _, d in spec.shares])
            share[stage] = np.vstack([named, np.clip(1 - named.sum(axis=0), 0, 1)[None]])
        else:
            share[stage] = None

    gp_end = (procedure_end(dates) - dates[0]).astype(np.int64)
    plus15 = np.array([(add_months(d, 15) - first).days for d in py], dtype=np.int64)
    return Plan(
        scenario=sc,
        first=first,
        T=T,
        h0=h0,
        dates=dates,
        year=year,
        years=years,
        month=month,
        n_months=int(month.max()) + 1,
        level_sd=daily(sc.inflow_level_sd, first, T),
        month_cv=_monthly(daily(sc.inflow_month_cv, first, T), month, int(month.max()) + 1),
        subs=tuple(subs),
        units=tuple(units),
        unit=unit,
        rates=np.array(rates).reshape(S, T),
        capacity=capacity,
        capacity_sd={k: v.capacity_sd for k, v in sc.stages.items()},
        inject=inject,
        inject_housing=inject_housing,
        hold=hold,
        level=level,
        share_class=share_class,
        share=share,
        gp_end=gp_end,
        plus_15_months=plus15,
        due=due,
        grant=grant,
        appeal=appeal,
        success=daily(sc.appeal_success, first, T),
        depart_hold=depart,
        other_residents=daily(sc.other_residents, first, T),
        reception_capacity=daily(sc.reception_capacity, first, T),
        remedies=remedy_params(first, T),
    )


def _monthly(x: F, month: Ints, n: int) -> F:
    """The value on the first day of each month index (the largest, if it varies)."""
    out = np.zeros(n)
    np.maximum.at(out, month, x)
    return out


def _cohort_days(sc: Scenario, dates: npt.NDArray[np.datetime64]) -> B:
    """``(cohorts, T)``: the days each cohort covers (by request or lodging day)."""
    out = np.zeros((len(sc.cohorts), len(dates)), bool)
    for c, coh in enumerate(sc.cohorts):
        lo = np.datetime64(coh.start, "D") if coh.start else dates[0]
        nxt = sc.cohorts[c + 1].start if c + 1 < len(sc.cohorts) else None
        hi = np.datetime64(nxt, "D") if nxt else dates[-1] + np.timedelta64(1, "D")
        out[c] = (dates >= lo) & (dates < hi)
    return out


def _in_backlog(
    sc: Scenario, route: Route, share: F, days: B, dates: npt.NDArray[np.datetime64]
) -> bool:
    """Whether an initial backlog puts cases of this route and cohort (``days``) anywhere."""
    if not share.any():
        return False
    for b in sc.initial:
        if b.stage in ROUTE_STAGES[route]:
            inside = (dates >= np.datetime64(b.lodged_from)) & (
                dates < np.datetime64(b.lodged_until)
            )
            if (inside & days).any():
                return True
    return False
