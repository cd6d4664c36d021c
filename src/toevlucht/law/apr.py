"""The clocks of an application under the APR (Regulation 2024/1348, applied from 12 June
2026) and the Vreemdelingenwet 2000 as amended that day: registration (art. 27), lodging
(art. 28), the examination term (art. 35, and Vw 2000 art. 3(6) for the border procedure),
and the appeal terms of the new Vw 2000 art. 69.

Old applications (lodged before 12 June 2026) never come here: their rules are in
``deadlines`` and ``decision_term``. What is a reading, and what is not confirmed, is said in
the data (``terms.toml``, ``sources.toml``, ``regimes.toml``) and in each trace.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from toevlucht.law.calendar import LegalCalendar, TermUnit
from toevlucht.law.decision_term import (
    MeasureTouch,
    extends_expired_term,
    first_touch,
    measure_not_applied,
)
from toevlucht.law.errors import HistoryError
from toevlucht.law.measures import Match, Measure, MeasureKind
from toevlucht.law.model import (
    AppealAgainst,
    AppealLevel,
    Applicant,
    DecisionOutcome,
    Event,
    EventKind,
    ExtensionGround,
    GrantGround,
    Procedure,
    RefusalGround,
    Track,
)
from toevlucht.law.params import value
from toevlucht.law.periods import add_months, add_weeks
from toevlucht.law.procedure import History
from toevlucht.law.regime import on_boundary, regime_rules
from toevlucht.law.responsibility import netherlands_responsible_from
from toevlucht.law.sources import Status
from toevlucht.law.terms import (
    Deadline,
    DeadlineKind,
    DeadlineStatus,
    atw_term,
    cite,
    eu_term,
    status_on,
)
from toevlucht.law.trace import Label, Trace

__all__ = [
    "APPEAL_PARAMS",
    "GROUND_MAX",
    "GROUND_PROCEDURE",
    "TERM_PARAM",
    "AppealTerm",
    "apr_appeal",
    "apr_appeal_term",
    "apr_decision",
    "apr_further_appeal",
    "apr_interim_relief",
    "apr_lodging",
    "apr_registration",
    "exceeds_apr_max",
    "other_procedure_at_the_time",
    "procedure_on",
]

ONE_DAY = dt.timedelta(days=1)


def _boundary(h: History, tr: Trace) -> None:
    """Say so when the application was lodged (or requested) on the boundary day itself."""
    lodged = h.lodged.date if h.lodged else None
    requested = h.requested.date if h.requested else None
    if on_boundary(lodged, requested):
        rules = regime_rules()
        tr.add(
            "apr.boundary",
            rules.apr_source,
            status=rules.boundary_status,
            day=rules.apr_lodged_from,
        )


# --- registration and lodging (APR art. 27-28) ------------------------------------------------


def _days_deadline(
    kind: DeadlineKind,
    start_key: str,
    start_source: str,
    start: dt.date,
    param: str,
    done: dt.date | None,
    as_of: dt.date,
    cal: LegalCalendar,
    note: tuple[str, str] | None = None,
) -> Deadline:
    """A term of calendar days set by the APR, from ``start`` (1182/71's roll-forward as the
    unsettled other reading)."""
    days = value(param, start)
    tr = Trace()
    tr.add(start_key, cite(start_source), date=start, day=start)
    nominal = start + dt.timedelta(days=int(days.value))
    key = f"apr.{param.removeprefix('apr_')}"  # apr.registration_days, apr.lodging_days
    tr.add(key, days.source, date=nominal, days=days.value, due=nominal)
    due, alternative = eu_term(cal, tr, nominal, rolls=Status.UNCONFIRMED)
    if note is not None:  # (message key, source id) of a rule not applied
        tr.add(note[0], cite(note[1]), status=Status.UNCONFIRMED)
    return Deadline(
        kind=kind,
        start=start,
        due=due,
        status=status_on(due, done, as_of),
        steps=tr.freeze(),
        done_on=done,
        certainty=Status.UNCONFIRMED if alternative else Status.CONFIRMED,
        alternative_due=alternative,
    )


def apr_registration(h: History, cal: LegalCalendar, as_of: dt.date) -> Deadline | None:
    """Registration no later than 5 days after the application was made (art. 27(1))."""
    if h.requested is None:
        return None
    done_event = h.registered or h.lodged
    return _days_deadline(
        DeadlineKind.REGISTRATION,
        "apr.made",
        "apr-26",
        h.requested.date,
        "apr_registration_days",
        done_event.date if done_event is not None else None,
        as_of,
        cal,
        note=("apr.registration_crisis", "apr-27-1-crisis"),
    )


def apr_lodging(h: History, cal: LegalCalendar, as_of: dt.date) -> Deadline | None:
    """Lodging no later than 21 days from registration (art. 28(1))."""
    if h.registered is None:
        return None
    return _days_deadline(
        DeadlineKind.LODGING,
        "apr.registered",
        "apr-27-1",
        h.registered.date,
        "apr_lodging_days",
        h.lodged.date if h.lodged else None,
        as_of,
        cal,
    )


# --- the examination term (APR art. 35; Vw 2000 art. 3(6), 43 as amended) ---------------------


def procedure_on(h: History, day: dt.date) -> Procedure | None:
    """The APR procedure assigned on or before ``day`` (the latest assignment)."""
    out: Procedure | None = None
    for e in h.events:
        if e.kind is EventKind.PROCEDURE_ASSIGNED and e.date <= day:
            out = e.procedure
    return out


# the term each procedure gets (art. 35(1), (3), (4)); the border procedure has its own
TERM_PARAM = {
    Procedure.ADMISSIBILITY: "apr_admissibility_months",
    Procedure.ACCELERATED: "apr_accelerated_months",
    Procedure.REGULAR: "apr_regular_months",
}
# the procedure whose term each APR ground extends, and the parameter of its maximum
GROUND_PROCEDURE = {
    ExtensionGround.APR_35_2: Procedure.ADMISSIBILITY,
    ExtensionGround.APR_35_5: Procedure.REGULAR,
}
GROUND_MAX = {
    ExtensionGround.APR_35_2: "apr_admissibility_extension_max_months",
    ExtensionGround.APR_35_5: "apr_regular_extension_max_months",
}


def exceeds_apr_max(months: Any, used: Any, limit: Any) -> Any:
    """APR art. 35(2), (5): an extension that brings the extensions on its ground past the
    maximum (ints or numpy arrays, as the bulk path shares it)."""
    return used + months > limit


def other_procedure_at_the_time(at_the_time: Any, wanted: Any, none: Any = None) -> Any:
    """The extension rests on a ground of another procedure than the one assigned when it
    was made (``none``: no procedure was assigned then, which is not a contradiction)."""
    return (at_the_time != none) & (at_the_time != wanted)


@dataclass(slots=True)
class _State:
    due: dt.date
    used: dict[ExtensionGround, int]
    postponed: bool = False


def _extension(
    e: Event, procedure: Procedure, at_the_time: Procedure | None, st: _State, tr: Trace
) -> None:
    """Apply one ``decision_term_extended`` of an APR case; ``procedure`` is the one that
    governs the term now, ``at_the_time`` the one assigned when the extension was made."""
    months, ground = int(e.get("months")), e.extension_ground
    if extends_expired_term(e.date, st.due):
        raise HistoryError(
            f"decision_term_extended on {e.date.isoformat()} comes after the examination term "
            f"expired on {st.due.isoformat()}; APR art. 35 extends a running term only",
            index=e.index,
            key="error.apr_extension_after_expiry",
            params={"day": e.date, "due": st.due},
        )
    if ground is ExtensionGround.VW_43:
        st.postponed = True
        st.due = add_months(st.due, months)
        tr.add("apr.postponed", cite("vw26-43"), date=st.due, on=e.date, months=months, due=st.due)
        return
    wanted = GROUND_PROCEDURE[ground]
    if at_the_time is not None and other_procedure_at_the_time(at_the_time, wanted):
        raise HistoryError(
            f"decision_term_extended on {e.date.isoformat()} rests on APR art. {ground.value}, "
            f"which extends the {wanted.value} term; the procedure assigned then is "
            f"{at_the_time.value}",
            index=e.index,
            key="error.apr_extension_wrong_procedure",
            params={
                "day": e.date,
                "ground": ground.value,
                "wanted": Label(f"procedure.{wanted.value}"),
                "actual": Label(f"procedure.{at_the_time.value}"),
            },
        )
    limit_p = value(GROUND_MAX[ground], e.date)
    limit = int(limit_p.value)
    used = st.used.get(ground, 0)
    if exceeds_apr_max(months, used, limit):
        further = ""
        key = "error.apr_extension_beyond_max"
        params: dict[str, object] = {
            "day": e.date,
            "ground": ground.value,
            "total": used + months,
            "limit": limit,
        }
        if ground is ExtensionGround.APR_35_5:
            extra = value("apr_regular_further_extension_months", e.date)
            further = (
                f" (a further {extra.value} months reported in some copies of art. 35(5) is "
                "not confirmed and is not applied)"
            )
            key = "error.apr_extension_beyond_max_unconfirmed"
            params["further"] = int(extra.value)
        raise HistoryError(
            f"a {months}-month extension on {e.date.isoformat()} would bring the extensions "
            f"under APR art. {ground.value} to {used + months} months; it allows at most "
            f"{limit}{further}",
            index=e.index,
            key=key,
            params=params,
        )
    if procedure is not wanted:
        # the procedure changed after the extension (say admissibility, then the merits):
        # the extension belonged to a term that no longer governs
        tr.add(
            "apr.extension_other_procedure",
            limit_p.source,
            on=e.date,
            ground=ground.value,
            procedure=Label(f"procedure.{procedure.value}"),
        )
        return
    st.used[ground] = used + months
    st.due = add_months(st.due, months)
    tr.add(
        "decision.extended",
        limit_p.source,
        date=st.due,
        on=e.date,
        months=months,
        ground=ground,
        due=st.due,
    )


def _measure(
    m: Measure,
    on: dt.date,
    match: Match,
    st: _State,
    tr: Trace,
    as_of: dt.date,
    individual_43: bool,
) -> MeasureTouch:
    def touch(applied: bool, reason: str) -> MeasureTouch:
        return MeasureTouch(measure=m, on=on, match=match, applied=applied, reason=reason)

    if m.kind is MeasureKind.GENERAL_TERM_EXTENSION:
        # a general extension of old Vw 42(4)(b) has no ground in the APR
        tr.add("apr.measure_not_in_regime", cite("apr-35-5"), measure=m)
        return touch(False, "not_in_regime")
    refused = measure_not_applied(m, on, match, st.due, tr, as_of)
    if refused is not None:
        return touch(False, refused)
    assert m.term_extension_months is not None  # (measure_not_applied refuses a measure without)
    if st.postponed or individual_43:
        # the applicant's own postponement letter (or a measure applied before) governs
        tr.add("measure.superseded", cite("vw26-43"), measure=m)
        return touch(False, "superseded")
    st.postponed = True
    st.due = add_months(st.due, m.term_extension_months)
    tr.add(
        "apr.measure_postponed",
        cite("apr-35-7"),
        date=st.due,
        measure=m,
        day=on,
        months=m.term_extension_months,
        due=st.due,
    )
    return touch(True, "applied")


def apr_decision(
    h: History,
    applicant: Applicant,
    measures: Mapping[str, Measure],
    cal: LegalCalendar,
    as_of: dt.date,
) -> tuple[Deadline | None, list[MeasureTouch], list[str]]:
    """The examination term of an APR application, with the measures that touch it."""
    notes: list[str] = []
    if h.lodged is None:
        return None, [], notes
    tr = Trace()
    _boundary(h, tr)
    procedure = h.assigned_procedure
    lodged = h.lodged.date
    if procedure is Procedure.BORDER:
        return _border(h, cal, as_of, tr), [], notes
    start = lodged
    if h.track is Track.DUBLIN:
        responsible = netherlands_responsible_from(h, cal, as_of)
        if responsible is None:
            notes.append("note.apr_decision_dublin_not_started")
            return None, [], notes
        start, why = responsible
        tr.add(
            "apr.start_responsible",
            cite("apr-35-transfer"),
            date=start,
            day=start,
            why=Label(f"responsible_why.{why}"),
        )
    else:
        tr.add("apr.start", cite("apr-28-1"), date=start, day=start)
    if procedure is None:
        procedure = Procedure.REGULAR
        tr.add("apr.procedure_unknown", cite("apr-35-4"), status=Status.UNCONFIRMED)
    months = value(TERM_PARAM[procedure], start)
    st = _State(due=add_months(start, int(months.value)), used={})
    tr.add(
        "apr.base",
        months.source,
        date=st.due,
        months=months.value,
        procedure=Label(f"procedure.{procedure.value}"),
        due=st.due,
    )
    tr.add("apr.no_intention", cite("vw26-39"))

    first_decision = h.decisions[0].date if h.decisions else None
    items: list[tuple[dt.date, int, Event | Measure, Match | None]] = []
    for e in h.term_extensions:
        items.append((e.date, e.index, e, None))
    for m in measures.values():
        if m.kind is MeasureKind.DEPARTURE_MORATORIUM or not m.known_on(as_of):
            continue
        hit = first_touch(m, applicant, lodged, start, first_decision, as_of)
        if hit is not None:
            items.append((hit[0], 10_000, m, hit[1]))
    items.sort(key=lambda x: (x[0], x[1]))
    touches: list[MeasureTouch] = []
    individual_43 = any(e.extension_ground is ExtensionGround.VW_43 for e in h.term_extensions)
    for on, _, item, match in items:
        if isinstance(item, Event):
            _extension(item, procedure, procedure_on(h, item.date), st, tr)
        else:
            assert match is not None
            touches.append(_measure(item, on, match, st, tr, as_of, individual_43))
    certainty = Status.CONFIRMED
    if st.postponed:
        caps = [int(c) for c in value("apr_postponement_cap_months", start).value]
        cap_p = value("apr_postponement_cap_months", start)
        tr.add(
            "apr.postponement_cap_unknown",
            cap_p.source,
            status=Status.UNCONFIRMED,
            first=caps[0],
            first_day=add_months(start, caps[0]),
            second=caps[1],
            second_day=add_months(start, caps[1]),
        )
        certainty = Status.UNCONFIRMED
    due, alternative = eu_term(cal, tr, st.due, rolls=Status.UNCONFIRMED)
    if alternative is not None:
        certainty = Status.UNCONFIRMED
    tr.add("decision.due", None, date=due, due=due)
    status = status_on(due, first_decision, as_of)
    if status is DeadlineStatus.RUNNING and any(
        t.reason in ("applied", "superseded") and t.measure.in_force_on(as_of, as_of)
        for t in touches
    ):
        status = DeadlineStatus.SUSPENDED
    return (
        Deadline(
            kind=DeadlineKind.DECISION,
            start=start,
            due=due,
            status=status,
            steps=tr.freeze(),
            done_on=first_decision,
            certainty=certainty,
            alternative_due=alternative,
        ),
        touches,
        notes,
    )


def _border(h: History, cal: LegalCalendar, as_of: dt.date, tr: Trace) -> Deadline:
    """Vw 2000 art. 3(6) (new): a decision within 5 weeks of registration, 4 weeks more on
    relocation; without one the applicant is let in by operation of law."""
    assert h.lodged is not None
    reg_event = h.registered or h.lodged
    reg = reg_event.date
    tr.add("apr.border_start", cite("vw26-3-6"), date=reg, day=reg)
    weeks_p = value("border_procedure_weeks", reg)
    weeks = int(weeks_p.value)
    nominal = add_weeks(reg, weeks)
    tr.add("apr.border_weeks", weeks_p.source, date=nominal, weeks=weeks, nominal=nominal)
    assigned = h.procedure
    if assigned is not None and assigned.get("relocation"):
        extra_p = value("border_procedure_relocation_weeks", reg)
        weeks += int(extra_p.value)
        nominal = add_weeks(reg, weeks)
        tr.add(
            "apr.border_relocation",
            extra_p.source,
            date=nominal,
            weeks=extra_p.value,
            nominal=nominal,
        )
    tr.add("apr.atw_reach", cite("atw-1-1"), status=Status.UNCONFIRMED)
    due = atw_term(cal, tr, reg, nominal, 7 * weeks, TermUnit.WEEKS, weeks)
    alternative = nominal if due != nominal else None
    tr.add("apr.border_entry", cite("vw26-3-6"))
    first_decision = h.decisions[0].date if h.decisions else None
    return Deadline(
        kind=DeadlineKind.DECISION,
        start=reg,
        due=due,
        status=status_on(due, first_decision, as_of),
        steps=tr.freeze(),
        done_on=first_decision,
        certainty=Status.UNCONFIRMED if alternative else Status.CONFIRMED,
        alternative_due=alternative,
    )


# --- appeal (Vw 2000 art. 69 as amended) ------------------------------------------------------

_ONE_WEEK_GROUNDS = (
    RefusalGround.DUBLIN,
    RefusalGround.INADMISSIBLE,
    RefusalGround.MANIFESTLY_UNFOUNDED,
    RefusalGround.NOT_PROCESSED,
)


# the appeal terms of the new Vw 69, in the order the bulk path codes them (0, 1, 2)
APPEAL_PARAMS = ("apr_appeal_term_one_week", "apr_appeal_term_two_weeks", "apr_appeal_term_weeks")


@dataclass(frozen=True, slots=True, kw_only=True)
class AppealTerm:
    """Which lid of the new Vw 69 governs an appeal against ``decision``."""

    param: str  # the terms.toml parameter of the appeal term
    key: str  # the trace message
    lid_2a: bool  # a case of lid 2(a): the further-appeal term is two weeks (lid 5(a))
    alternative_param: str | None = None  # the other reading, where it is not settled
    source_id: str | None = None  # the source of the unsettled reading


def apr_appeal_term(decision: Event) -> AppealTerm:
    """The appeal term of the new Vw 69 for ``decision``.

    Readings (sources.toml, terms.toml): a refusal without a ground is taken as a refusal
    as unfounded under art. 31 (two weeks, lid 2(b)), with four weeks (lid 1) as the other
    reading, since art. 31(2) and (4) refuse without 'als ongegrond'; a grant that does not
    say which article it rests on gets the two weeks of a grant under art. 29a, with four
    weeks as the other reading."""
    if decision.decision_outcome is DecisionOutcome.REFUSED:
        ground = decision.refusal_ground
        if ground in _ONE_WEEK_GROUNDS:
            return AppealTerm(param="apr_appeal_term_one_week", key="apr.appeal_2a", lid_2a=True)
        if ground is RefusalGround.UNFOUNDED:
            return AppealTerm(
                param="apr_appeal_term_two_weeks", key="apr.appeal_2b_31", lid_2a=False
            )
        return AppealTerm(
            param="apr_appeal_term_two_weeks",
            key="apr.appeal_refused_no_ground",
            lid_2a=False,
            alternative_param="apr_appeal_term_weeks",
            source_id="vw26-69-2-b-31",
        )
    grant = decision.granted_under
    if grant is GrantGround.SUBSIDIARY:
        return AppealTerm(param="apr_appeal_term_two_weeks", key="apr.appeal_2b_29a", lid_2a=False)
    if grant is GrantGround.REFUGEE:
        return AppealTerm(param="apr_appeal_term_weeks", key="apr.appeal_refugee", lid_2a=False)
    return AppealTerm(
        param="apr_appeal_term_two_weeks",
        key="apr.appeal_grant_unknown",
        lid_2a=False,
        alternative_param="apr_appeal_term_weeks",
        source_id="vw26-29a",
    )


def _weeks_term(cal: LegalCalendar, tr: Trace, start: dt.date, weeks: int) -> dt.date:
    return atw_term(cal, tr, start, add_weeks(start, weeks), 7 * weeks, TermUnit.WEEKS, weeks)


def apr_appeal(h: History, cal: LegalCalendar, as_of: dt.date) -> Deadline | None:
    decision = h.latest_decision
    if decision is None:
        return None
    term = apr_appeal_term(decision)
    param = value(term.param, decision.date)
    weeks = int(param.value)
    tr = Trace()
    tr.add("appeal.start", cite("awb-6-8"), date=decision.date, day=decision.date)
    nominal = add_weeks(decision.date, weeks)
    tr.add(term.key, param.source, date=nominal, weeks=weeks, nominal=nominal)
    if decision.refusal_ground is RefusalGround.DUBLIN:
        tr.add("apr.appeal_transfer", cite("vw26-69-4"))
    tr.add("atw.applies_statute", cite("atw-1-1"))
    due = _weeks_term(cal, tr, decision.date, weeks)
    certainty, alternative = Status.CONFIRMED, None
    if term.alternative_param is not None:
        alt_p = value(term.alternative_param, decision.date)
        alternative = _weeks_term(cal, Trace(), decision.date, int(alt_p.value))
        assert term.source_id is not None
        tr.add(
            "apr.appeal_other_reading",
            cite(term.source_id),
            status=Status.UNCONFIRMED,
            weeks=alt_p.value,
            alt=alternative,
        )
        certainty = Status.UNCONFIRMED
    tr.add("appeal.posted", None)
    appeal = h.appeal_against(decision)
    done = appeal.date if appeal is not None else None
    return Deadline(
        kind=DeadlineKind.APPEAL,
        start=decision.date,
        due=due,
        status=status_on(due, done, as_of),
        steps=tr.freeze(),
        done_on=done,
        certainty=certainty,
        alternative_due=alternative,
    )


def apr_interim_relief(h: History, cal: LegalCalendar, as_of: dt.date) -> Deadline | None:
    """Vw 2000 art. 69(6) (new): where an appeal does not suspend the decision (the cases
    of APR art. 68(3), as the decision says: ``no_suspensive_effect``), interim relief must
    be asked within one week of the decision's notification."""
    decision = h.latest_decision
    if decision is None or not decision.get("no_suspensive_effect"):
        return None
    p = value("apr_interim_relief_weeks", decision.date)
    weeks = int(p.value)
    tr = Trace()
    tr.add("apr.interim_start", cite("apr-68-3"), date=decision.date, day=decision.date)
    nominal = add_weeks(decision.date, weeks)
    tr.add("apr.interim_weeks", p.source, date=nominal, weeks=weeks, nominal=nominal)
    due = _weeks_term(cal, tr, decision.date, weeks)
    asked = next(
        (a for a in h.appeals if a.date >= decision.date and a.get("interim_relief")), None
    )
    done = asked.date if asked is not None else None
    return Deadline(
        kind=DeadlineKind.INTERIM_RELIEF,
        start=decision.date,
        due=due,
        status=status_on(due, done, as_of),
        steps=tr.freeze(),
        done_on=done,
    )


def apr_further_appeal(h: History, cal: LegalCalendar, as_of: dt.date) -> Deadline | None:
    """Vw 2000 art. 69(5) (new): two weeks in the cases of lid 2(a), four weeks in those of
    lid 2(b) and, by lid 1, in every other case."""
    ruled = h.ruled_appeals(AppealLevel.COURT)
    if not ruled or ruled[-1][0].against is not AppealAgainst.DECISION:
        return None
    ruling = ruled[-1][1]
    decision = next((d for d in reversed(h.decisions) if d.date <= ruling.date), None)
    lid_2a = decision is not None and apr_appeal_term(decision).lid_2a
    tr = Trace()
    tr.add("further.start", cite("awb-6-24"), date=ruling.date, day=ruling.date)
    p = value(
        "apr_further_appeal_short_weeks" if lid_2a else "apr_further_appeal_weeks", ruling.date
    )
    weeks = int(p.value)
    nominal = add_weeks(ruling.date, weeks)
    tr.add(
        "apr.further_5a" if lid_2a else "apr.further_5b",
        p.source,
        date=nominal,
        weeks=weeks,
        nominal=nominal,
    )
    due = _weeks_term(cal, tr, ruling.date, weeks)
    further = h.further_appeal_after(ruling)
    done = further.date if further is not None else None
    return Deadline(
        kind=DeadlineKind.FURTHER_APPEAL,
        start=ruling.date,
        due=due,
        status=status_on(due, done, as_of),
        steps=tr.freeze(),
        done_on=done,
    )
