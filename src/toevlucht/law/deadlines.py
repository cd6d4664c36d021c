"""Statutory deadlines of a case, each with its status on the assessment date and its trace.

Kinds: ``registration`` (Vb 3.107b), ``general_procedure_decision`` (Vb 3.110, 3.115),
``view_on_intention`` (Vb 3.114, 3.116), ``decision`` (Vw 42, 43 and the general
measures), ``appeal`` (Vw 69), ``further_appeal`` (Vw 69(1), Awb 6:24) and
``court_order`` (a term a court set after an appeal against failure to decide).
The decision term has its own module (`decision_term`); what all deadlines share is in `terms`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

from toevlucht.law.apr import (
    apr_appeal,
    apr_decision,
    apr_further_appeal,
    apr_interim_relief,
    apr_lodging,
    apr_registration,
)
from toevlucht.law.calendar import LegalCalendar, TermUnit
from toevlucht.law.decision_term import MeasureTouch, decision_deadline, first_touch
from toevlucht.law.errors import HistoryError
from toevlucht.law.measures import Measure
from toevlucht.law.model import (
    AppealAgainst,
    AppealLevel,
    Applicant,
    DecisionOutcome,
    Event,
    GpExtensionGround,
    Procedure,
    RulingOutcome,
    Stage,
)
from toevlucht.law.params import value
from toevlucht.law.periods import add_weeks
from toevlucht.law.procedure import History
from toevlucht.law.regime import regime_rules
from toevlucht.law.responsibility import responsibility_deadlines
from toevlucht.law.sources import Status
from toevlucht.law.terms import (
    Deadline,
    DeadlineKind,
    DeadlineStatus,
    atw_term,
    cite,
    flag_unknown_decree_years,
    skipped_holidays,
    status_on,
)
from toevlucht.law.trace import Label, Trace

__all__ = [
    "Deadline",
    "DeadlineKind",
    "DeadlineStatus",
    "MeasureTouch",
    "compute_deadlines",
    "first_touch",
]


# --- registration -------------------------------------------------------------------------


def _registration(h: History, cal: LegalCalendar, as_of: dt.date) -> Deadline | None:
    if h.requested is None:
        return None
    req = h.requested.date
    other = bool(h.requested.get("to_other_authority"))
    param = value(
        "registration_term_other_authority_working_days"
        if other
        else "registration_term_working_days",
        req,
    )
    tr = Trace()
    tr.add("registration.start", cite("vb-3-107b"), date=req, day=req)
    due = cal.add_working_days(req, int(param.value))
    skipped_holidays(cal, tr, req + dt.timedelta(days=1), due)
    tr.add(
        "registration.due_other" if other else "registration.due",
        param.source,
        date=due,
        days=param.value,
        due=due,
    )
    flag_unknown_decree_years(cal, tr, req, due)
    done = h.lodged.date if h.lodged else None
    return Deadline(
        kind=DeadlineKind.REGISTRATION,
        start=req,
        due=due,
        status=status_on(due, done, as_of),
        steps=tr.freeze(),
        done_on=done,
    )


# --- general procedure ----------------------------------------------------------------------


def _gp_extension_days(h: History) -> tuple[int, int]:
    """(days added before the start, days added after it), validated against Vb 3.115."""
    start = h.gp_start.date if h.gp_start else None
    before = [e for e in h.gp_extensions if start is None or e.date < start]
    after = [e for e in h.gp_extensions if start is not None and e.date >= start]
    on = start or (h.gp_extensions[0].date if h.gp_extensions else h.as_of)
    exact_before = int(value("general_procedure_extension_before_start_days", on).value)
    limits = {
        str(g): int(d) for g, d in value("general_procedure_extension_after_start_days", on).value
    }
    if len(before) > 1 or len(after) > 1:
        extra = (before[1:] or after[1:])[0]
        raise HistoryError(
            f"general_procedure_extended on {extra.date.isoformat()}: Vb 2000 art. 3.115 allows "
            "one extension before the general procedure starts and one after",
            index=extra.index,
            key="error.gp_extension_twice",
            params={"event": Label(f"event.{extra.kind.value}"), "day": extra.date},
        )
    if before and before[0].get("days") != exact_before:
        e = before[0]
        raise HistoryError(
            f"general_procedure_extended on {e.date.isoformat()} adds {e.get('days')} days before "
            f"the general procedure starts; Vb 2000 art. 3.115(3) extends it by exactly "
            f"{exact_before}",
            index=e.index,
            key="error.gp_extension_before_start",
            params={
                "event": Label(f"event.{e.kind.value}"),
                "day": e.date,
                "days": e.get("days"),
                "exact": exact_before,
            },
        )
    if after:
        e = after[0]
        raw_ground = e.get("ground")
        ground = None if raw_ground is None else GpExtensionGround(raw_ground)
        limit = (
            max(limits.values())
            if ground is None
            else next(d for g, d in limits.items() if ground in g)
        )
        if e.get("days") > limit:
            which = f"on ground {ground}" if ground else "on any ground"
            raise HistoryError(
                f"general_procedure_extended on {e.date.isoformat()} adds {e.get('days')} days "
                f"after the start; Vb 2000 art. 3.115(3) allows at most {limit} {which}",
                index=e.index,
                key=(
                    "error.gp_extension_after_start_on_ground"
                    if ground is not None
                    else "error.gp_extension_after_start"
                ),
                params={
                    "event": Label(f"event.{e.kind.value}"),
                    "day": e.date,
                    "days": e.get("days"),
                    "limit": limit,
                    **({"ground": ground.value} if ground is not None else {}),
                },
            )
    return (before[0].get("days") if before else 0, after[0].get("days") if after else 0)


def _general_procedure(h: History, cal: LegalCalendar, as_of: dt.date) -> Deadline | None:
    if h.gp_start is None:
        return None
    start = h.gp_start.date
    before, after = _gp_extension_days(h)
    days = value("general_procedure_days", start)
    tr = Trace()
    day1 = cal.roll_forward(start)
    tr.add("gp.start", cite("vb-3-110"), date=day1, day=day1)
    total = int(days.value)
    tr.add("gp.days", days.source, days=total)
    for label, extra in (("before", before), ("after", after)):
        if extra:
            total += extra
            tr.add(f"gp.extended_{label}", cite("vb-3-115"), days=extra, total=total)
    due = cal.nth_procedure_day(day1, total)
    skipped_holidays(cal, tr, day1, due)
    flag_unknown_decree_years(cal, tr, day1, due)
    tr.add("gp.due", cite("vb-3-110"), date=due, n=total, due=due)
    candidates = [e.date for e in h.decisions if e.procedure is Procedure.GENERAL]
    if h.referred is not None:
        candidates.append(h.referred.date)
    done = min(candidates) if candidates else None
    if done is not None and h.referred is not None and done == h.referred.date:
        tr.add("gp.referred", cite("vb-3-115"), day=done)
    return Deadline(
        kind=DeadlineKind.GENERAL_PROCEDURE_DECISION,
        start=day1,
        due=due,
        status=status_on(due, done, as_of),
        steps=tr.freeze(),
        done_on=done,
    )


def _view(h: History, cal: LegalCalendar, as_of: dt.date) -> Deadline | None:
    if not h.intentions:
        return None
    intention = h.intentions[-1]
    tr = Trace()
    extended = intention.procedure is Procedure.EXTENDED
    tr.add(
        "view.start_extended" if extended else "view.start_general",
        cite("vb-3-116" if extended else "vb-3-113"),
        date=intention.date,
        day=intention.date,
    )
    if extended:
        weeks = value("extended_procedure_view_weeks", intention.date)
        nominal = add_weeks(intention.date, int(weeks.value))
        tr.add("view.weeks", weeks.source, date=nominal, weeks=weeks.value, nominal=nominal)
        tr.add("atw.applies_amvb", cite("atw-5"))
        due = atw_term(
            cal, tr, intention.date, nominal, 7 * int(weeks.value), TermUnit.WEEKS, int(weeks.value)
        )
        tr.add("view.late_considered", cite("vb-3-116"))
    else:
        if h.gp_start is None:
            return None
        before, after = _gp_extension_days(h)
        day1 = cal.roll_forward(h.gp_start.date)
        if before or after:
            without, with_before = value(
                "general_procedure_extended_view_days", intention.date
            ).value
            n = int(with_before if before else without)
            due = cal.add_working_days(intention.date, n)
            tr.add("view.gp_extended", cite("vb-3-115-6"), date=due, n=n, due=due)
        else:
            day_n = value("general_procedure_view_day", intention.date)
            due = max(cal.nth_procedure_day(day1, int(day_n.value)), intention.date)
            tr.add("view.gp_day", day_n.source, date=due, n=day_n.value, due=due)
    done = next((v.date for v in h.views if v.date >= intention.date), None)
    return Deadline(
        kind=DeadlineKind.VIEW_ON_INTENTION,
        start=intention.date,
        due=due,
        status=status_on(due, done, as_of),
        steps=tr.freeze(),
        done_on=done,
    )


# --- appeals ----------------------------------------------------------------------------------


def short_appeal_term(decision: Event) -> bool:
    """Vw 2000 art. 69(2): one week after a refusal in the general procedure or on the
    grounds of art. 30, 30a, 30b or 30c (Dublin, inadmissible, manifestly unfounded, not
    processed)."""
    if decision.decision_outcome is not DecisionOutcome.REFUSED:
        return False
    ground = decision.refusal_ground
    return decision.procedure is Procedure.GENERAL or (ground is not None and ground.short_old)


def _appeal(h: History, cal: LegalCalendar, as_of: dt.date) -> Deadline | None:
    decision = h.latest_decision
    if decision is None:
        return None
    short = short_appeal_term(decision)
    param = value("appeal_term_short_weeks" if short else "appeal_term_weeks", decision.date)
    weeks = int(param.value)
    tr = Trace()
    tr.add("appeal.start", cite("awb-6-8"), date=decision.date, day=decision.date)
    nominal = add_weeks(decision.date, weeks)
    ground = decision.refusal_ground
    if short and ground is not None:
        tr.add(
            "appeal.weeks_short_ground",
            param.source,
            date=nominal,
            weeks=weeks,
            ground=Label(f"refusal_ground.{ground}"),
            nominal=nominal,
        )
    elif short:
        tr.add(
            "appeal.weeks_short_general", param.source, date=nominal, weeks=weeks, nominal=nominal
        )
    else:
        tr.add("appeal.weeks", param.source, date=nominal, weeks=weeks, nominal=nominal)
    due = atw_term(cal, tr, decision.date, nominal, 7 * weeks, TermUnit.WEEKS, weeks)
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
    )


def _further_appeal(h: History, cal: LegalCalendar, as_of: dt.date) -> Deadline | None:
    ruled = h.ruled_appeals(AppealLevel.COURT)
    if not ruled or ruled[-1][0].against is not AppealAgainst.DECISION:
        return None
    ruling = ruled[-1][1]
    decision = next((d for d in reversed(h.decisions) if d.date <= ruling.date), None)
    short = decision is not None and short_appeal_term(decision)
    tr = Trace()
    tr.add("further.start", cite("awb-6-24"), date=ruling.date, day=ruling.date)
    long_p = value("further_appeal_term_weeks", ruling.date)
    long_due = atw_term(
        cal,
        Trace(),
        ruling.date,
        add_weeks(ruling.date, int(long_p.value)),
        7 * int(long_p.value),
        TermUnit.WEEKS,
        int(long_p.value),
    )
    certainty = Status.CONFIRMED
    alternative = None
    if short:
        short_p = value("further_appeal_term_short_weeks", ruling.date)
        nominal = add_weeks(ruling.date, int(short_p.value))
        tr.add(
            "further.short",
            short_p.source,
            date=nominal,
            status=Status.UNCONFIRMED,
            weeks=short_p.value,
            nominal=nominal,
            long_due=long_due,
        )
        due = atw_term(
            cal,
            tr,
            ruling.date,
            nominal,
            7 * int(short_p.value),
            TermUnit.WEEKS,
            int(short_p.value),
        )
        certainty, alternative = Status.UNCONFIRMED, long_due
    else:
        nominal = add_weeks(ruling.date, int(long_p.value))
        tr.add("further.weeks", long_p.source, date=nominal, weeks=long_p.value, nominal=nominal)
        due = atw_term(
            cal, tr, ruling.date, nominal, 7 * int(long_p.value), TermUnit.WEEKS, int(long_p.value)
        )
    further = h.further_appeal_after(ruling)
    done = further.date if further is not None else None
    return Deadline(
        kind=DeadlineKind.FURTHER_APPEAL,
        start=ruling.date,
        due=due,
        status=status_on(due, done, as_of),
        steps=tr.freeze(),
        done_on=done,
        certainty=certainty,
        alternative_due=alternative,
    )


def court_order_ruling(h: History) -> Event | None:
    """The latest ruling on an appeal against failure to decide that set a term."""
    for appeal, ruling in reversed(h.ruled_appeals(AppealLevel.COURT)):
        if (
            appeal.against is AppealAgainst.FAILURE_TO_DECIDE
            and ruling.ruling_outcome is RulingOutcome.WELL_FOUNDED
            and ruling.get("decide_within_weeks") is not None
        ):
            return ruling
    return None


def _court_order(h: History, as_of: dt.date) -> Deadline | None:
    ruling = court_order_ruling(h)
    if ruling is None:
        return None
    weeks = int(ruling.get("decide_within_weeks"))
    due = add_weeks(ruling.date, weeks)
    tr = Trace()
    tr.add("court_order.due", cite("awb-8-55d"), date=due, day=ruling.date, weeks=weeks, due=due)
    done = next((d.date for d in h.decisions if d.date >= ruling.date), None)
    return Deadline(
        kind=DeadlineKind.COURT_ORDER,
        start=ruling.date,
        due=due,
        status=status_on(due, done, as_of),
        steps=tr.freeze(),
        done_on=done,
    )


_Rule = Callable[[History, LegalCalendar, dt.date], Deadline | None]


def compute_deadlines(
    h: History,
    applicant: Applicant,
    measures: Mapping[str, Measure],
    cal: LegalCalendar,
    as_of: dt.date,
) -> tuple[list[Deadline], list[MeasureTouch], list[str]]:
    """Every deadline that has started on ``as_of``, the measures touching the decision
    term, and notes (message keys) about what could not be computed."""
    out: list[Deadline] = []
    fns: tuple[_Rule, ...]
    later: tuple[_Rule, ...]
    if h.apr:
        old_request = h.requested is not None and h.requested.date < regime_rules().apr_lodged_from
        fns = (_registration if old_request else apr_registration, apr_lodging)
        decision, touches, notes = apr_decision(h, applicant, measures, cal, as_of)
        later = (apr_appeal, apr_interim_relief, apr_further_appeal)
    else:
        fns = (_registration, _general_procedure, _view)
        decision, touches, notes = decision_deadline(h, applicant, measures, cal, as_of)
        later = (_appeal, _further_appeal)
    for fn in fns:
        d = fn(h, cal, as_of)
        if d is not None:
            out.append(d)
    if decision is not None:
        out.insert(0, decision)
    for fn2 in later:
        d = fn2(h, cal, as_of)
        if d is not None:
            out.append(d)
    co = _court_order(h, as_of)
    if co is not None:
        out.append(co)
    out.extend(responsibility_deadlines(h, cal, as_of))
    if h.stage is Stage.WITHDRAWN:
        notes.append("note.case_withdrawn")
    return out, touches, notes
