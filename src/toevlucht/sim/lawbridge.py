"""The simulator's only door to the law: calendar, decision terms, measures, penalties.

No rule is copied here. Every date the simulator needs is asked of :mod:`toevlucht.law`:

* working days from the legal calendar's ``busdaycalendar`` (Atw holidays and equated days);
* the last day of the general procedure from ``general_procedure_days`` (Vb 2000 art. 3.110),
  counted in procedure days like :meth:`LegalCalendar.nth_procedure_day`;
* the decision due date of a cohort from the law's bulk path (``law.bulk.compute``, the
  vectorised :func:`toevlucht.law.assess`) for a synthetic case: the cohort's applicant
  profile, lodged that day, undecided, with the scenario's measures as the law knew them on
  ``law.as_of`` (tests compare it with ``assess`` itself);
* which cases a measure holds, and when, from the measure's own periods and scope;
* penalty terms and amounts from the dated parameters and
  :func:`toevlucht.law.remedies.administrative_penalty_amount`.

Why an undecided case is enough: a measure moves a term only if it touches the case while
the term still runs. If a case decided on day t was decided in time, every measure the
undecided case adds after t only moves the due date further; if it was late, no measure
touches it after its term expired. So "decided in time" is ``t <= due_undecided`` and the
days late are ``t - due_undecided`` (tested against ``assess`` with a decision event).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

from toevlucht.law import Applicant, Measure, legal_calendar
from toevlucht.law.bulk import SEX_CODES, CaseTable, compute
from toevlucht.law.errors import DataError
from toevlucht.law.measures import EffectStatus, MatchStatus, MeasureKind, groups
from toevlucht.law.params import value
from toevlucht.law.periods import add_months
from toevlucht.law.remedies import administrative_penalty_amount
from toevlucht.sim.errors import SimError
from toevlucht.sim.scenario import Dated, Group, Profile, Scenario

__all__ = [
    "NEVER",
    "MeasureEffect",
    "RemedyParams",
    "decision_due",
    "departure_days",
    "describe_measures",
    "fixed_term_due",
    "hold_days",
    "law_term_due",
    "measures_as_known",
    "procedure_end",
    "remedy_params",
    "representative",
    "working_days",
]

NEVER = np.iinfo(np.int64).max // 4  # a due date that never comes (no term running)
Ints = npt.NDArray[np.int64]
F = npt.NDArray[np.float64]
_ZERO = Dated.constant(0.0)


def working_days(dates: npt.NDArray[np.datetime64]) -> npt.NDArray[np.bool_]:
    """Atw working days (not Saturday, Sunday, holiday or equated day)."""
    cal = legal_calendar().busdaycalendar
    return np.is_busday(dates.astype("datetime64[D]"), busdaycal=cal)


def procedure_end(dates: npt.NDArray[np.datetime64]) -> npt.NDArray[np.datetime64]:
    """The day the general procedure that starts on each date must end (Vb 2000 art. 3.110).

    Day 1 is the start (rolled forward to a working day); the decision is due on procedure
    day ``general_procedure_days``. Vectorised :meth:`LegalCalendar.nth_procedure_day`.
    """
    cal = legal_calendar().busdaycalendar
    d = dates.astype("datetime64[D]")
    out = np.empty_like(d)
    # the number of days may change over time: group by value
    ns = np.array([int(value("general_procedure_days", x).value) for x in _pydates(d)])
    for n in np.unique(ns):
        m = ns == n
        out[m] = np.busday_offset(d[m], int(n) - 1, roll="forward", busdaycal=cal)
    return out


def _pydates(d: npt.NDArray[np.datetime64]) -> list[dt.date]:
    return [x.item() for x in d.astype("datetime64[D]")]


def measures_as_known(measures: Sequence[Measure], as_of: dt.date) -> dict[str, Measure]:
    """The measures with only the periods and rulings known on ``as_of``, by id."""
    out: dict[str, Measure] = {}
    for m in measures:
        mid = m.id
        rulings = tuple(r for r in m.rulings if r.date is None or r.date <= as_of)
        periods = m.periods_known(as_of)
        if periods:
            out[mid] = dataclasses.replace(m, periods=periods, rulings=rulings)
    return out


def representative(group: Group, profile: Profile, lodged: dt.date) -> Applicant:
    """An applicant of the profile, of the profile's age on the lodging day (mid-year)."""
    birth = None
    if profile.age is not None:
        try:
            birth = lodged.replace(year=lodged.year - profile.age) - dt.timedelta(days=182)
        except ValueError:  # 29 February
            birth = dt.date(lodged.year - profile.age, 2, 28) - dt.timedelta(days=182)
    return Applicant(
        nationality=group.nationality, birth_date=birth, sex=profile.sex, groups=profile.groups
    )


def _signature(group: Group, profile: Profile, measures: dict[str, Measure]) -> tuple[object, ...]:
    """What the due date can depend on: the nationality only if a measure names it."""
    named = set().union(*(m.scope.nationalities for m in measures.values())) if measures else set()
    nat = group.nationality if group.nationality in named else "*"
    return (nat, profile.sex, profile.age, profile.groups)


@cache
def _due_cached(
    nationality: str,
    profile: Profile,
    first: dt.date,
    days: int,
    as_of: dt.date,
    known: tuple[Measure, ...],
) -> tuple[int, ...]:
    """Due dates of cases lodged on each day, undecided, by :func:`toevlucht.law.bulk.compute`
    (the law's vectorised :func:`~toevlucht.law.assess`; tests compare both)."""
    measures = measures_as_known(known, as_of)
    group = Group(
        id="x",
        nationality=nationality,
        name="x",
        requests_per_month=_ZERO,
        seasonality=(1.0,) * 12,
        shocks=(),
        level_sd=0.0,
        tracks={},
        extended_share=_ZERO,
        grant_rate=_ZERO,
        safe_country_grant_rate=_ZERO,
        appeal_rate=_ZERO,
        profiles=(),
    )
    lodged = np.datetime64(first, "D") + np.arange(days)
    births = [representative(group, profile, d).birth_date for d in _pydates(lodged)]
    bit = {g: 1 << i for i, g in enumerate(groups())}
    nat = np.datetime64("NaT", "D")
    table = CaseTable(
        start=lodged,
        lodged=lodged,
        nationality=np.full(days, nationality),
        birth=np.array([nat if b is None else np.datetime64(b, "D") for b in births]),
        sex=np.full(days, SEX_CODES[profile.sex], dtype=np.int8),
        groups=np.full(days, sum(bit[g] for g in profile.groups), dtype=np.uint32),
        first_decision=np.full(days, nat),
        ext_date=np.full((days, 0), nat),
        ext_months=np.zeros((days, 0), np.int16),
        ext_ground=np.zeros((days, 0), np.int8),
        last_decision=np.full(days, nat),
        short_appeal=np.zeros(days, bool),
        appeal_lodged=np.full(days, nat),
        invalid=np.zeros(days, bool),  # the default (length 0) breaks compute(): see report
    )
    last = first + dt.timedelta(days=days - 1)
    r = compute(table, max(as_of, last), measures=measures)
    if r.error.any():
        raise SimError(
            f"the law engine rejected a synthetic case of {nationality}: {profile}",
            message_key="error.synthetic_case",
            params={"nationality": nationality, "profile": str(profile)},
        )
    out = (r.decision_due - np.datetime64(first, "D")).astype(np.int64)
    return tuple(np.where(np.isnat(r.decision_due), NEVER, out).tolist())


def decision_due(sc: Scenario, group: Group, profile: Profile, first: dt.date, days: int) -> Ints:
    """Due day (days after ``first``) of the decision on a case of this profile lodged on
    each of ``days`` days from ``first``, by :func:`toevlucht.law.assess`."""
    measures = measures_as_known(sc.measure_objects(), sc.law_as_of)
    sig = _signature(group, profile, measures)
    nationality = group.nationality if sig[0] != "*" else "XXX"
    plain = dataclasses.replace(profile, id="", share=1.0, grant_rate=None)
    return np.array(
        _due_cached(nationality, plain, first, days, sc.law_as_of, sc.measure_objects()),
        dtype=np.int64,
    )


def fixed_term_due(first: dt.date, days: int, months: int) -> Ints:
    """Due day (days after ``first``) of a decision ``months`` after lodging, for cases
    lodged on each of ``days`` days from ``first``: a term the scenario takes, with its
    source, where the law's data do not yet give it (the APR's, art. 35(4)). Months are
    counted by the law's :func:`~toevlucht.law.periods.add_months` (the same date, or the
    month's last day); whether a term ending on a weekend or holiday runs on is not settled
    for the APR's terms (domain note law-2026 fact 7.2), so it does not run on here."""
    lodged = [first + dt.timedelta(days=i) for i in range(days)]
    return np.array([(add_months(d, months) - first).days for d in lodged], dtype=np.int64)


def law_term_due(first: dt.date, days: int, param: str) -> Ints:
    """Due day of a decision the law's parameter ``param`` (a term in months from lodging,
    e.g. ``apr_regular_months``, APR art. 35(4)) sets for cases lodged on each day, counted
    as :func:`fixed_term_due`; NEVER on days the parameter does not cover (no such cases)."""
    ds = [first + dt.timedelta(days=i) for i in range(days)]
    months = _param(param, ds, np.nan)
    out = np.full(days, NEVER, dtype=np.int64)
    for i, (d, m) in enumerate(zip(ds, months, strict=True)):
        if not np.isnan(m):
            out[i] = (add_months(d, int(m)) - first).days
    return out


def hold_days(
    sc: Scenario, group: Group, profile: Profile, first: dt.date, days: int
) -> dict[str, npt.NDArray[np.bool_]]:
    """For each stage, the days (from ``first``) on which the scenario's holds stop
    decisions on this profile. Periods come from the law's measure as known on ``as_of``."""
    out: dict[str, npt.NDArray[np.bool_]] = {}
    end = first + dt.timedelta(days=days)
    for h in sc.holds:
        m = sc.measure(h.measure)
        for p in m.periods_known(sc.law_as_of):
            start = p.start or h.assume_from
            assert start is not None
            until = p.until or end
            if until <= start:
                continue
            app = representative(group, profile, start)
            if m.match(app, None, start).status is not MatchStatus.APPLIES:
                continue
            a = max(0, (start - first).days)
            b = min(days, (until - first).days)
            for s in h.stages:
                mask = out.setdefault(s.value, np.zeros(days, bool))
                mask[a:b] = True
    return out


def departure_days(
    sc: Scenario, group: Group, profile: Profile, first: dt.date, days: int
) -> npt.NDArray[np.bool_]:
    """Days on which a departure moratorium of the scenario keeps this profile in reception
    (Vw 2000 art. 45(4)): a refused applicant in scope does not leave while it lasts."""
    out = np.zeros(days, bool)
    end = first + dt.timedelta(days=days)
    for m in sc.measure_objects():
        if m.kind is not MeasureKind.DEPARTURE_MORATORIUM:
            continue
        for p in m.periods_known(sc.law_as_of):
            if p.start is None:
                continue
            app = representative(group, profile, p.start)
            if m.match(app, None, p.start).status is MatchStatus.APPLIES:
                a = max(0, (p.start - first).days)
                b = min(days, ((p.until or end) - first).days)
                out[a:b] = True
    return out


@dataclass(frozen=True, slots=True, kw_only=True)
class RemedyParams:
    """Per day (index from the first day): the law's remedy parameters in force."""

    appeal_allowed: npt.NDArray[np.bool_]  # appeal against failure to decide (Awb 6:12)
    appeal_wait_days: Ints  # days after the notice before that appeal
    admin_allowed: npt.NDArray[np.bool_]  # Awb 4:17 penalty for asylum decisions
    admin_start_days: Ints  # days after the notice the Awb 4:17 penalty starts
    admin_amount: F  # EUR for 0..max days in default (Awb 4:17(2))
    court_allowed: npt.NDArray[np.bool_]  # court penalty (Awb 8:55d) for asylum
    court_weeks: F  # court practice: decide within (NaN: no practice known)
    court_per_day: F
    court_max: F


def _param(name: str, days: list[dt.date], absent: float | None = None) -> F:
    """The law's parameter on each day. ``absent`` is for a value the law's data do not give
    on every day (court practice, known only from 30 November 2022): NaN, "no practice
    known", never a number of its own; without it, a day the data do not cover is the law's
    DataError (a plan's days all lie after the general procedure's data begin, 2015)."""
    out = np.empty(len(days), dtype=np.float64)
    cache_: dict[dt.date, float] = {}
    for i, d in enumerate(days):
        if d not in cache_:
            try:
                cache_[d] = float(value(name, d).value)
            except DataError:
                if absent is None:
                    raise
                cache_[d] = absent
        out[i] = cache_[d]
    return out


def remedy_params(first: dt.date, days: int) -> RemedyParams:
    ds = [first + dt.timedelta(days=i) for i in range(days)]
    max_days = int(value("penalty_max_days", ds[-1]).value)
    return RemedyParams(
        appeal_allowed=_param("appeal_failure_to_decide_for_asylum", ds) > 0,
        appeal_wait_days=(7 * _param("appeal_failure_to_decide_wait_weeks", ds)).astype(np.int64),
        admin_allowed=_param("administrative_penalty_for_asylum", ds) > 0,
        admin_start_days=(7 * _param("penalty_start_after_weeks", ds)).astype(np.int64),
        admin_amount=np.array(
            [administrative_penalty_amount(n, ds[-1]) for n in range(max_days + 1)], float
        ),
        court_allowed=_param("court_penalty_for_asylum", ds) > 0,
        court_weeks=_param("court_penalty_decide_within_weeks", ds, np.nan),
        court_per_day=_param("court_penalty_eur_per_day", ds, np.nan),
        court_max=_param("court_penalty_max_eur", ds, np.nan),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class MeasureEffect:
    """How one measure acts in a forecast: on deadlines (the law) and on decisions (the
    scenario's assumption about practice)."""

    id: str
    title: str
    kind: str
    effect_status: str
    moves_deadlines: bool
    holds: str  # "" or a description of the hold
    note: str


def describe_measures(sc: Scenario) -> list[MeasureEffect]:
    """One line per measure of the scenario, saying plainly what the law does with it and
    what the simulation assumes the IND does."""
    out: list[MeasureEffect] = []
    for m in sc.measure_objects():
        mid = m.id
        moves = m.applied_to_deadlines(sc.law_as_of)
        holds = []
        for h in sc.holds:
            if h.measure != mid:
                continue
            for p in m.periods_known(sc.law_as_of):
                start = p.start or h.assume_from
                assumed = " (start assumed by the scenario)" if p.start is None else ""
                until = p.until.isoformat() if p.until else "open-ended"
                holds.append(
                    f"no decisions at {', '.join(s.value for s in h.stages)} "
                    f"from {start}{assumed} until {until}"
                )
        if m.kind is MeasureKind.DEPARTURE_MORATORIUM:
            note = "refused applicants in scope stay in reception while it lasts"
        elif moves:
            note = f"the law extends the decision term by {m.term_extension_months} months"
        elif m.effect_status is EffectStatus.UNCONFIRMED:
            note = "unconfirmed in the law's data: the statutory decision term is not moved"
        else:
            note = "the law does not move the decision term with it"
        out.append(
            MeasureEffect(
                id=mid,
                title=m.title_en,
                kind=m.kind.value,
                effect_status=m.effect_status.value,
                moves_deadlines=moves,
                holds="; ".join(holds),
                note=note,
            )
        )
    return out
