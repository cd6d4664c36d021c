"""What the backlog means for the organisation at the current pace: how many open cases pass
their decision term in the coming weeks, what pace would keep a share of them within it, and
the legal exposure (notices of default, appeals against failure to decide, court penalties).

Built on the per-case chain of :mod:`toevlucht.sim.backlog`, run from the same backlog as
:func:`toevlucht.forecasts.engine.run` (:func:`prepare` builds it as ``run`` does), but kept
per replication: a count "passing the term within 4 weeks" gets its band from the
replications, where the cases share the drawn pace (summing per-case probabilities would give
the mean but not the band, and would take the cases as independent, which they are not).

* A case *passes its term* within ``h`` days when its term ends on day ``0 <= due < h`` and
  its decision comes after that day (a decision on the term's last day is in time). Cases
  already past the term on the day are counted apart; cases the chain does not model (Dublin,
  an open-ended moratorium, set aside: ``CaseForecast.reason``) are counted apart too.
* The *capacity needed* for a queue: the smallest fixed pace (decisions per week, no
  uncertainty) at which the mean share of the open cases on that queue's path whose term ends
  on or after a chosen day, decided on or before their term's end, reaches a target; found by
  bisection on a log scale with common random numbers (the same seed at every step).
* The *legal exposure* follows :func:`toevlucht.sim.engine._remedies`: the law's remedy
  parameters per day (:func:`toevlucht.sim.lawbridge.remedy_params`), and the behavioural
  shares (who sends a notice, who appeals, how long a court takes) of a bundled scenario,
  which are assumptions, not law.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt

from toevlucht.forecasts import engine
from toevlucht.forecasts.snapshot import CaseRow, Snapshot
from toevlucht.sim import load_scenario
from toevlucht.sim.backlog import Backlog, Forecast, simulate
from toevlucht.sim.lawbridge import remedy_params

__all__ = [
    "HORIZON_WEEKS",
    "MAX_BISECTION_STEPS",
    "MAX_PACE",
    "MAX_REPLICATIONS",
    "Behaviour",
    "Exposure",
    "Legal",
    "Needed",
    "Prepared",
    "exposure",
    "legal",
    "needed",
    "prepare",
    "run",
]

HORIZON_WEEKS = (4, 13, 26)
MAX_REPLICATIONS = 200
MAX_BISECTION_STEPS = 14
MAX_PACE = 10_000.0  # decisions per week: the search's upper end, and a setting's
Ints = npt.NDArray[np.int64]
F = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Prepared:
    """The backlog of one snapshot, ready to run forward."""

    as_of: dt.date
    backlog: Backlog
    rows: list[CaseRow]  # the modelled open cases, in the backlog's order
    due: Ints  # (n,) day offset of each case's term end (NOT_DUE: none known)
    rates: dict[str, engine.QueueRate]
    unmodelled: list[CaseRow]  # open cases the chain does not model
    horizon: int

    @property
    def queue_names(self) -> list[str]:
        return [q.name for q in self.backlog.queues]


NOT_DUE = 10**9


def _offset(day: dt.date | None, as_of: dt.date) -> int:
    return (day - as_of).days if day is not None else 0


def prepare(
    snap: Snapshot,
    p: engine.Params,
    *,
    per_week: Mapping[str, float] | None = None,
    horizon_days: int = 7 * max(HORIZON_WEEKS) + 1,
) -> Prepared:
    """The backlog that :func:`engine.run` runs (:func:`engine.build`: the same paces, the
    window's or ``per_week``, the same cases set aside, the same queues)."""
    bt = engine.build(snap, p, per_week=per_week)
    modelled, rates, unmodelled = bt.modelled, bt.rates, bt.unmodelled
    b = bt.backlog
    due = np.array(
        [
            _offset(r.decision_due, snap.as_of) if r.decision_due is not None else NOT_DUE
            for r in modelled
        ],
        dtype=np.int64,
    )
    return Prepared(snap.as_of, b, modelled, due, rates, unmodelled, horizon_days)


def _run(
    prep: Prepared,
    replications: int,
    seed: int,
    backlog: Backlog | None = None,
    horizon: int | None = None,
) -> Forecast:
    replications = max(1, min(replications, MAX_REPLICATIONS))
    return simulate(
        backlog or prep.backlog,
        replications=replications,
        horizon=max(2, horizon or prep.horizon),
        seed=seed,
    )


# --- how many pass their term ----------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    mean: float
    p10: float
    p50: float
    p90: float

    @classmethod
    def of(cls, counts: F) -> Band:
        q = np.quantile(counts, (0.1, 0.5, 0.9), method="inverted_cdf")
        return cls(float(counts.mean()), float(q[0]), float(q[1]), float(q[2]))


@dataclass(frozen=True)
class ExposureRow:
    regime: str
    queue: str  # the queue the cases wait in on the day
    open_cases: int
    past_term: int  # already past the term's end on the day
    no_term: int  # no term end known (not started, or held by a moratorium's reading)
    passing: dict[int, Band]  # by weeks: cases whose term ends within and who are not decided


@dataclass
class Exposure:
    as_of: dt.date
    replications: int
    rows: list[ExposureRow] = field(default_factory=list)
    total: dict[int, Band] = field(default_factory=dict)
    unmodelled_due: dict[int, int] = field(default_factory=dict)  # not modelled, term ends within
    unmodelled: int = 0
    per_replication: dict[int, F] = field(default_factory=dict)  # total counts, for the plot


def passing_counts(prep: Prepared, f: Forecast, members: Ints, weeks: int) -> F:
    """(R,) per replication: how many of ``members`` pass their term in the next ``weeks``."""
    due = prep.due[members]
    soon = (due >= 0) & (due < 7 * weeks)
    late = f.decision[:, members] > due[None, :]
    return (late & soon[None, :]).sum(axis=1).astype(np.float64)


def run(prep: Prepared, *, replications: int = 100, seed: int = 0) -> Forecast:
    """The backlog run forward at the current pace, over the prepared horizon (26 weeks and
    a day): one run serves :func:`exposure` and :func:`legal`."""
    return _run(prep, replications, seed)


def exposure(
    prep: Prepared, *, replications: int = 100, seed: int = 0, forecast: Forecast | None = None
) -> Exposure:
    f = forecast if forecast is not None else _run(prep, replications, seed)
    out = Exposure(prep.as_of, f.decision.shape[0])
    names = prep.queue_names
    qidx = prep.backlog.queue
    for qi, name in enumerate(names):
        members = np.flatnonzero(qidx == qi)
        if members.size == 0:
            continue
        due = prep.due[members]
        out.rows.append(
            ExposureRow(
                regime=name.split(":", 1)[0],
                queue=name,
                open_cases=int(members.size),
                past_term=int((due < 0).sum()),
                no_term=int((due == NOT_DUE).sum()),
                passing={w: Band.of(passing_counts(prep, f, members, w)) for w in HORIZON_WEEKS},
            )
        )
    everyone = np.arange(len(prep.rows))
    for w in HORIZON_WEEKS:
        counts = passing_counts(prep, f, everyone, w)
        out.total[w] = Band.of(counts)
        out.per_replication[w] = counts
        end = prep.as_of + dt.timedelta(days=7 * w)
        out.unmodelled_due[w] = sum(
            1 for r in prep.unmodelled if r.decision_due and prep.as_of <= r.decision_due < end
        )
    out.unmodelled = len(prep.unmodelled)
    return out


# --- the capacity needed ---------------------------------------------------------------------


@dataclass(frozen=True)
class Needed:
    queue: str
    target: float
    from_day: dt.date
    cases: int  # open cases on the queue's path whose term ends on or after from_day
    current_per_week: float
    current_share: float | None
    per_week: float | None  # None: not reachable at MAX_PACE (another queue holds them up)
    share_at_max: float | None
    steps: int


def _path(prep: Prepared, qi: int) -> npt.NDArray[np.bool_]:
    """(n,) the open cases that still have to pass queue ``qi``."""
    b = prep.backlog
    on = np.zeros((len(b.queues), len(b.queue)), dtype=bool)
    for i, q in enumerate(b.queues):
        on[i] |= b.queue == i
        if q.next != -1:
            on[q.next] |= on[i]
    out: npt.NDArray[np.bool_] = on[qi]
    return out


def _share(
    prep: Prepared, members: Ints, backlog: Backlog, replications: int, seed: int, horizon: int
) -> float:
    """The mean share of ``members`` decided on or before their term's end; the horizon lies
    past every member's term end, so a case still open at it counts as late."""
    f = _run(prep, replications, seed, backlog, horizon)
    due = prep.due[members]
    return float((f.decision[:, members] <= due[None, :]).mean())


def needed(
    prep: Prepared,
    queue: str,
    *,
    target: float,
    from_day: dt.date,
    replications: int = 40,
    steps: int = 10,
    seed: int = 0,
    tolerance: float = 0.02,
    max_days: int = 1095,
) -> Needed:
    """The smallest fixed pace of ``queue`` (per week) that keeps ``target`` of its open
    cases whose term ends on or after ``from_day`` (and within ``max_days``) within their term
    (bisection)."""
    if not 0 < target < 1:
        raise ValueError("the target share must lie strictly between 0 and 1")
    names = prep.queue_names
    if queue not in names:
        raise ValueError(f"unknown queue {queue!r}")
    qi = names.index(queue)
    steps = max(1, min(steps, MAX_BISECTION_STEPS))
    start = _offset(from_day, prep.as_of)
    eligible = _path(prep, qi) & (prep.due >= max(start, 0)) & (prep.due < max_days)
    members = np.flatnonzero(eligible)
    current = prep.rates[queue].per_week
    if members.size == 0:
        return Needed(queue, target, from_day, 0, current, None, None, None, 0)
    horizon = int(prep.due[members].max()) + 2

    def with_pace(per_week: float) -> Backlog:
        qs = list(prep.backlog.queues)
        qs[qi] = replace(qs[qi], rate=per_week / 7, fixed=True)
        return replace(prep.backlog, queues=tuple(qs))

    now = _share(prep, members, prep.backlog, replications, seed, horizon)
    at_max = _share(prep, members, with_pace(MAX_PACE), replications, seed, horizon)
    used = 2
    if at_max < target:
        return Needed(queue, target, from_day, int(members.size), current, now, None, at_max, used)
    lo, hi = 0.1, MAX_PACE  # per week; search on a log scale
    for _ in range(steps):
        mid = math.sqrt(lo * hi)
        used += 1
        if _share(prep, members, with_pace(mid), replications, seed, horizon) >= target:
            hi = mid
        else:
            lo = mid
        if hi / lo < 1 + tolerance:
            break
    return Needed(queue, target, from_day, int(members.size), current, now, hi, at_max, used)


# --- legal exposure --------------------------------------------------------------------------


@dataclass(frozen=True)
class Behaviour:
    """What applicants and courts do: a bundled scenario's assumptions, not law."""

    scenario: str
    notice_share: float
    notice_delay_days: int
    failure_appeal_share: float
    court_ruling_days: int


@dataclass(frozen=True)
class Legal:
    horizon_weeks: int
    late: Band  # cases past their term on some day of the window and not decided by it
    notices: Band  # expected notices of default sent in the window
    appeals: Band  # expected appeals against failure to decide lodged in the window
    court_penalty_eur: Band  # court penalties accrued in the window
    admin_penalty_eur: Band  # Awb 4:17 penalties accrued in the window
    court_practice_known: bool  # the law's data hold court practice for some ruling day
    appeals_allowed: bool  # on some day of the window
    behaviour: Behaviour


def legal(
    prep: Prepared,
    behaviour: Behaviour,
    *,
    weeks: int = max(HORIZON_WEEKS),
    replications: int = 100,
    seed: int = 0,
    forecast: Forecast | None = None,
) -> Legal:
    """Expected notices, appeals against failure to decide and penalties in the next
    ``weeks`` at the current pace, as :func:`toevlucht.sim.engine._remedies` counts them."""
    f = forecast if forecast is not None else _run(prep, replications, seed)
    h = min(7 * weeks, prep.horizon)
    has = prep.due < NOT_DUE
    due = prep.due[has]
    dec = f.decision[:, has]
    r = dec.shape[0]
    if due.size == 0:
        zero = Band.of(np.zeros(r))
        return Legal(weeks, zero, zero, zero, zero, zero, False, False, behaviour)
    first = min(int(due.min()), 0)
    span = h - first + behaviour.court_ruling_days + 400  # every day looked up below
    p = remedy_params(prep.as_of + dt.timedelta(days=first), span)

    def at(arr: np.ndarray, day: Ints) -> np.ndarray:
        out: np.ndarray = arr[np.clip(day - first, 0, span - 1)]
        return out

    late = (dec > due[None, :]) & (due[None, :] < h)
    notice = due + 1 + behaviour.notice_delay_days  # (n,)
    noticed = late & (dec > notice[None, :])
    in_window = (notice >= 0) & (notice < h)
    notices = (noticed & in_window[None, :]).sum(axis=1) * behaviour.notice_share
    # Awb 4:17 administrative penalty
    adm = notice + at(p.admin_start_days, notice)
    adm_ok = at(p.admin_allowed, adm)

    def admin_total(t: int) -> F:
        days = np.clip(np.minimum(dec, t) - adm[None, :], 0, len(p.admin_amount) - 1)
        return np.asarray(p.admin_amount[days], dtype=np.float64)

    admin = ((admin_total(h) - admin_total(0)) * (noticed & adm_ok[None, :])).sum(axis=1)
    admin = admin * behaviour.notice_share
    # appeal against failure to decide, the court's order and its penalty
    app = notice + at(p.appeal_wait_days, notice) + 1
    app_ok = at(p.appeal_allowed, app)
    appealed = noticed & (dec > app[None, :]) & app_ok[None, :]
    app_in = (app >= 0) & (app < h)
    share = behaviour.notice_share * behaviour.failure_appeal_share
    appeals = (appealed & app_in[None, :]).sum(axis=1) * share
    ruling = app + behaviour.court_ruling_days
    weeks_given = at(p.court_weeks, ruling)
    known = ~np.isnan(weeks_given)
    ordered = appealed & (dec > ruling[None, :]) & (at(p.court_allowed, ruling) & known)[None, :]
    court_due = ruling + 7 * np.nan_to_num(weeks_given).astype(np.int64)
    per_day = np.nan_to_num(at(p.court_per_day, ruling))
    cap = np.nan_to_num(at(p.court_max, ruling))

    def court_total(t: int) -> F:
        days = np.maximum(0, np.minimum(dec, t) - court_due[None, :])
        return np.asarray(np.minimum(cap[None, :], days * per_day[None, :]), dtype=np.float64)

    court = ((court_total(h) - court_total(0)) * ordered).sum(axis=1) * share
    window = np.arange(0, h, dtype=np.int64)
    return Legal(
        horizon_weeks=weeks,
        late=Band.of(late.sum(axis=1).astype(np.float64)),
        notices=Band.of(notices.astype(np.float64)),
        appeals=Band.of(appeals.astype(np.float64)),
        court_penalty_eur=Band.of(court.astype(np.float64)),
        admin_penalty_eur=Band.of(admin.astype(np.float64)),
        court_practice_known=bool(np.any(~np.isnan(at(p.court_weeks, window)))),
        appeals_allowed=bool(np.any(at(p.appeal_allowed, window))),
        behaviour=behaviour,
    )


def decision_queues(prep: Prepared) -> Sequence[str]:
    return [q.name for q in prep.backlog.queues if q.next == -1]


def behaviour_of(scenario: str) -> Behaviour:
    """The remedies' behavioural assumptions of a bundled scenario."""
    sc = load_scenario(scenario)
    return Behaviour(
        scenario=scenario,
        notice_share=sc.notice_share,
        notice_delay_days=sc.notice_delay_days,
        failure_appeal_share=sc.failure_appeal_share,
        court_ruling_days=sc.court_ruling_days,
    )
