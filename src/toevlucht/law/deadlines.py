"""Statutory deadlines of a case, each with its status on the assessment date and its trace.

Kinds: ``registration`` (Vb 3.107b), ``general_procedure_decision`` (Vb 3.110, 3.115),
``view_on_intention`` (Vb 3.114, 3.116), ``decision`` (Vw 42, 43 and the general
measures), ``appeal`` (Vw 69), ``further_appeal`` (Vw 69(1), Awb 6:24) and
``court_order`` (a term a court set after an appeal against failure to decide).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from toevlucht.law.calendar import LegalCalendar, TermUnit, atw_applies
from toevlucht.law.errors import HistoryError
from toevlucht.law.measures import EffectStatus, Match, MatchStatus, Measure, MeasureKind
from toevlucht.law.model import Applicant, Event, Stage, Track
from toevlucht.law.params import value
from toevlucht.law.periods import add_months, add_weeks
from toevlucht.law.procedure import History
from toevlucht.law.sources import Citation, Status, load_sources
from toevlucht.law.trace import Label, Step, Trace

__all__ = [
    "Deadline",
    "DeadlineKind",
    "DeadlineStatus",
    "MeasureTouch",
    "compute_deadlines",
    "first_touch",
]


class DeadlineKind(StrEnum):
    REGISTRATION = "registration"
    GENERAL_PROCEDURE_DECISION = "general_procedure_decision"
    VIEW_ON_INTENTION = "view_on_intention"
    DECISION = "decision"
    APPEAL = "appeal"
    FURTHER_APPEAL = "further_appeal"
    COURT_ORDER = "court_order"


class DeadlineStatus(StrEnum):
    RUNNING = "running"
    MET = "met"
    EXPIRED = "expired"
    SUSPENDED = "suspended"


@dataclass(frozen=True, slots=True, kw_only=True)
class Deadline:
    kind: DeadlineKind
    start: dt.date
    due: dt.date
    status: DeadlineStatus
    steps: tuple[Step, ...]
    done_on: dt.date | None = None  # when the act the deadline is for was done
    certainty: Status = Status.CONFIRMED
    alternative_due: dt.date | None = None  # the other reading, where the law is unsettled

    @property
    def late_by_days(self) -> int | None:
        if self.done_on is not None and self.done_on > self.due:
            return (self.done_on - self.due).days
        return None


@dataclass(frozen=True, slots=True, kw_only=True)
class MeasureTouch:
    """A measure that touches a case: from when, and whether it moved the decision term."""

    measure: Measure
    on: dt.date
    match: Match
    applied: bool
    reason: str  # key of why (not) applied: applied, unconfirmed, disapplied, possibly, ...


def _src(source_id: str) -> Citation:
    return load_sources()[source_id]


def _status(due: dt.date, done: dt.date | None, as_of: dt.date) -> DeadlineStatus:
    if done is not None:
        return DeadlineStatus.MET if done <= due else DeadlineStatus.EXPIRED
    return DeadlineStatus.EXPIRED if as_of > due else DeadlineStatus.RUNNING


def _atw(
    cal: LegalCalendar,
    tr: Trace,
    event: dt.date,
    nominal: dt.date,
    days: int,
    unit: TermUnit,
    amount: int,
) -> dt.date:
    """Apply the Atw to a term of ``amount`` ``unit`` ending on ``nominal``; record why."""
    if not atw_applies(unit, amount):
        if not cal.is_working_day(nominal):
            tr.add("atw.not_applied", _src("atw-4"), date=nominal, day=nominal)
        return nominal
    out = cal.atw_end(event, nominal, days)
    if out.article == "1":
        holiday = out.holiday
        tr.add(
            "atw.moved",
            _src("atw-1-1"),
            date=out.end,
            nominal=nominal,
            reason=holiday if holiday is not None else Label(f"weekday.{out.reason.lower()}"),
            end=out.end,
        )
    elif out.article == "2":
        tr.add("atw.two_working_days", _src("atw-2"), date=out.end, nominal=nominal, end=out.end)
    _flag_unknown_decree_years(cal, tr, event, out.end)
    return out.end


def _flag_unknown_decree_years(cal: LegalCalendar, tr: Trace, start: dt.date, end: dt.date) -> None:
    for year in range(start.year, end.year + 1):
        if not cal.decree_known(year):
            tr.add("atw.decree_unknown", _src("atw-3-1"), status=Status.UNCONFIRMED, year=year)


def _skipped_holidays(cal: LegalCalendar, tr: Trace, start: dt.date, end: dt.date) -> None:
    day = start
    while day <= end:
        h = cal.holiday_on(day)
        if h is not None and day.weekday() < 5:
            tr.add("calendar.holiday_skipped", h.source, holiday=h, day=day)
        day += dt.timedelta(days=1)


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
    tr.add("registration.start", _src("vb-3-107b"), date=req, day=req)
    due = cal.add_working_days(req, int(param.value))
    _skipped_holidays(cal, tr, req + dt.timedelta(days=1), due)
    tr.add(
        "registration.due_other" if other else "registration.due",
        param.source,
        date=due,
        days=param.value,
        due=due,
    )
    _flag_unknown_decree_years(cal, tr, req, due)
    done = h.lodged.date if h.lodged else None
    return Deadline(
        kind=DeadlineKind.REGISTRATION,
        start=req,
        due=due,
        status=_status(due, done, as_of),
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
        )
    if before and before[0].get("days") != exact_before:
        e = before[0]
        raise HistoryError(
            f"general_procedure_extended on {e.date.isoformat()} adds {e.get('days')} days before "
            f"the general procedure starts; Vb 2000 art. 3.115(3) extends it by exactly "
            f"{exact_before}",
            index=e.index,
        )
    if after:
        e = after[0]
        ground = e.get("ground")
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
    tr.add("gp.start", _src("vb-3-110"), date=day1, day=day1)
    total = int(days.value)
    tr.add("gp.days", days.source, days=total)
    for label, extra in (("before", before), ("after", after)):
        if extra:
            total += extra
            tr.add(f"gp.extended_{label}", _src("vb-3-115"), days=extra, total=total)
    due = cal.nth_procedure_day(day1, total)
    _skipped_holidays(cal, tr, day1, due)
    _flag_unknown_decree_years(cal, tr, day1, due)
    tr.add("gp.due", _src("vb-3-110"), date=due, n=total, due=due)
    candidates = [e.date for e in h.decisions if e.get("procedure") == "general"]
    if h.referred is not None:
        candidates.append(h.referred.date)
    done = min(candidates) if candidates else None
    if done is not None and h.referred is not None and done == h.referred.date:
        tr.add("gp.referred", _src("vb-3-115"), day=done)
    return Deadline(
        kind=DeadlineKind.GENERAL_PROCEDURE_DECISION,
        start=day1,
        due=due,
        status=_status(due, done, as_of),
        steps=tr.freeze(),
        done_on=done,
    )


def _view(h: History, cal: LegalCalendar, as_of: dt.date) -> Deadline | None:
    if not h.intentions:
        return None
    intention = h.intentions[-1]
    tr = Trace()
    extended = intention.get("procedure") == "extended"
    tr.add(
        "view.start_extended" if extended else "view.start_general",
        _src("vb-3-116" if extended else "vb-3-113"),
        date=intention.date,
        day=intention.date,
    )
    if intention.get("procedure") == "extended":
        weeks = value("extended_procedure_view_weeks", intention.date)
        nominal = add_weeks(intention.date, int(weeks.value))
        tr.add("view.weeks", weeks.source, date=nominal, weeks=weeks.value, nominal=nominal)
        tr.add("atw.applies_amvb", _src("atw-5"))
        due = _atw(
            cal, tr, intention.date, nominal, 7 * int(weeks.value), TermUnit.WEEKS, int(weeks.value)
        )
        tr.add("view.late_considered", _src("vb-3-116"))
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
            tr.add("view.gp_extended", _src("vb-3-115-6"), date=due, n=n, due=due)
        else:
            day_n = value("general_procedure_view_day", intention.date)
            due = max(cal.nth_procedure_day(day1, int(day_n.value)), intention.date)
            tr.add("view.gp_day", day_n.source, date=due, n=day_n.value, due=due)
    done = next((v.date for v in h.views if v.date >= intention.date), None)
    return Deadline(
        kind=DeadlineKind.VIEW_ON_INTENTION,
        start=intention.date,
        due=due,
        status=_status(due, done, as_of),
        steps=tr.freeze(),
        done_on=done,
    )


# --- the decision term ---------------------------------------------------------------------


def _birthday(b: dt.date, age: int) -> dt.date:
    try:
        return b.replace(year=b.year + age)
    except ValueError:  # 29 February
        return dt.date(b.year + age, 3, 1)


def first_touch(
    m: Measure,
    applicant: Applicant,
    lodged: dt.date | None,
    pending_from: dt.date,
    pending_until: dt.date | None,
    as_of: dt.date,
) -> tuple[dt.date, Match] | None:
    """The first day a known period of ``m`` covers a pending case in its scope.

    ``pending_until`` is the day of the decision (exclusive), None while undecided.
    Returns None if the measure never touches the case; a POSSIBLY match when a fact the
    scope needs is not recorded.
    """
    for p in m.periods_known(as_of):
        t = max(p.start, pending_from) if p.start is not None else pending_from
        end = p.until
        if pending_until is not None:
            end = pending_until if end is None else min(end, pending_until)
        if end is not None and t >= end:
            continue
        match = m.match(applicant, lodged, t)
        if match.status is not MatchStatus.NOT:
            return t, match
        # the applicant may grow into the age range during the period
        if (
            m.scope.age_min is not None
            and applicant.birth_date is not None
            and (applicant.age_on(t) or 0) < m.scope.age_min
        ):
            t2 = _birthday(applicant.birth_date, m.scope.age_min)
            if t2 > t and (end is None or t2 < end):
                match2 = m.match(applicant, lodged, t2)
                if match2.status is not MatchStatus.NOT:
                    return t2, match2
    return None


@dataclass(slots=True)
class _TermState:
    due: dt.date
    used_42_4: int = 0
    used_42_5: int = 0
    general_42_4: int = 0
    moratorium: bool = False


def _decision(
    h: History,
    applicant: Applicant,
    measures: Mapping[str, Measure],
    cal: LegalCalendar,
    as_of: dt.date,
) -> tuple[Deadline | None, list[MeasureTouch], list[str]]:
    notes: list[str] = []
    if h.lodged is None:
        return None, [], notes
    tr = Trace()
    lodged = h.lodged.date
    start = lodged
    if h.track is Track.DUBLIN:
        if h.dublin_responsible is None:
            notes.append("note.decision_dublin_not_started")
            return None, [], notes
        start = h.dublin_responsible.date
        tr.add("decision.start_dublin", _src("vw-42-6"), date=start, day=start)
    else:
        tr.add("decision.start", _src("vw-42-1"), date=start, day=start)
    months = value("decision_term_months", start)
    st = _TermState(due=add_months(start, int(months.value)))
    tr.add("decision.base", months.source, date=st.due, months=months.value, due=st.due)

    first_decision = h.decisions[0].date if h.decisions else None
    touches: list[MeasureTouch] = []
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
    individual_43 = any(e.get("ground") == "43" for e in h.term_extensions)

    for on, _, item, match in items:
        if isinstance(item, Event):
            _individual_extension(item, st, tr)
            if item.get("ground") == "43":
                st.moratorium = True
        else:
            assert match is not None
            touches.append(_measure_extension(item, on, match, st, tr, as_of, individual_43))

    cap_param = value(
        "moratorium_max_months" if st.moratorium else "decision_term_absolute_max_months", start
    )
    cap = add_months(start, int(cap_param.value))
    if st.due > cap:
        st.due = cap
        tr.add("decision.capped", cap_param.source, date=cap, months=cap_param.value, due=cap)
    if not cal.is_working_day(st.due):
        tr.add("atw.not_applied", _src("atw-4"), date=st.due, day=st.due)
    tr.add("decision.due", None, date=st.due, due=st.due)

    status = _status(st.due, first_decision, as_of)
    holding = ("applied", "superseded")  # a moratorium holds the case in either way
    if status is DeadlineStatus.RUNNING and any(
        t.reason in holding
        and t.measure.kind is not MeasureKind.GENERAL_TERM_EXTENSION
        and t.measure.in_force_on(as_of, as_of)
        for t in touches
    ):
        status = DeadlineStatus.SUSPENDED
    deadline = Deadline(
        kind=DeadlineKind.DECISION,
        start=start,
        due=st.due,
        status=status,
        steps=tr.freeze(),
        done_on=first_decision,
    )
    return deadline, touches, notes


def _individual_extension(e: Event, st: _TermState, tr: Trace) -> None:
    months, ground = int(e.get("months")), str(e.get("ground"))
    if e.date > st.due:
        raise HistoryError(
            f"decision_term_extended on {e.date.isoformat()} comes after the decision term "
            f"expired on {st.due.isoformat()}; Vw 2000 art. 42(4)-(5) and 43 extend a running "
            "term only",
            index=e.index,
        )
    if ground.startswith("42(4)"):
        limit = int(value("decision_term_extension_42_4_max_months", e.date).value)
        individual = st.used_42_4 - st.general_42_4
        if individual + months > limit:
            raise HistoryError(
                f"a {months}-month extension on {e.date.isoformat()} would bring the extensions "
                f"under Vw 2000 art. 42(4) to {individual + months} months; art. 42(4) allows "
                f"at most {limit}",
                index=e.index,
            )
        room = limit - st.used_42_4
        if room < months:
            # a general extension (WBV) already used part of the nine months: the letter
            # cannot take the term beyond the statutory maximum
            tr.add(
                "decision.extension_capped",
                _src("vw-42-4"),
                on=e.date,
                months=months,
                room=max(room, 0),
                limit=limit,
            )
            months = max(room, 0)
            if months == 0:
                return
        st.used_42_4 += months
        source = _src("vw-42-4")
    elif ground == "42(5)":
        limit = int(value("decision_term_extension_42_5_max_months", e.date).value)
        if st.used_42_4 == 0:
            raise HistoryError(
                f"the extension under Vw 2000 art. 42(5) on {e.date.isoformat()} is not preceded "
                "by an extension under art. 42(4); art. 42(5) allows a further extension only "
                "after one",
                index=e.index,
            )
        if st.used_42_5 + months > limit:
            total = 6 + st.used_42_4 + st.used_42_5 + months
            raise HistoryError(
                f"a {months}-month extension on {e.date.isoformat()} under art. 42(5) would bring "
                f"the decision term to {total} months; Vw 2000 art. 42(4)-(5) allow at most "
                f"{6 + st.used_42_4 + limit}",
                index=e.index,
            )
        st.used_42_5 += months
        source = _src("vw-42-5")
    else:
        source = _src("vw-43-1")
    st.due = add_months(st.due, months)
    tr.add(
        "decision.extended",
        source,
        date=st.due,
        on=e.date,
        months=months,
        ground=ground,
        due=st.due,
    )


def _measure_extension(
    m: Measure,
    on: dt.date,
    match: Match,
    st: _TermState,
    tr: Trace,
    as_of: dt.date,
    individual_43: bool,
) -> MeasureTouch:
    def touch(applied: bool, reason: str) -> MeasureTouch:
        return MeasureTouch(measure=m, on=on, match=match, applied=applied, reason=reason)

    if match.status is MatchStatus.POSSIBLY:
        tr.add(
            "measure.possibly",
            m.legal_basis,
            status=Status.UNCONFIRMED,
            measure=m,
            missing=tuple(Label(k) for k in match.missing),
        )
        return touch(False, "possibly")
    if m.term_extension_months is None or m.effect_status is EffectStatus.UNCONFIRMED:
        tr.add("measure.unconfirmed", m.legal_basis, status=Status.UNCONFIRMED, measure=m)
        return touch(False, "unconfirmed")
    ruling = m.disapplied_by(as_of)
    if ruling is not None:
        tr.add("measure.disapplied", ruling.source, measure=m, day=ruling.date)
        return touch(False, "disapplied")
    if on > st.due:
        tr.add("measure.term_already_expired", m.legal_basis, measure=m, day=on, due=st.due)
        return touch(False, "term_expired")
    if m.kind is MeasureKind.GENERAL_TERM_EXTENSION:
        limit = int(value("decision_term_extension_42_4_max_months", on).value)
        room = limit - st.used_42_4
        if room <= 0:
            tr.add("measure.no_room", _src("vw-42-4"), measure=m, months=limit)
            return touch(False, "no_room")
        months = min(room, m.term_extension_months)
        st.used_42_4 += months
        st.general_42_4 += months
    else:
        if individual_43:
            tr.add("measure.superseded", m.legal_basis, measure=m)
            return touch(False, "superseded")
        months = m.term_extension_months
        st.moratorium = True
    st.due = add_months(st.due, months)
    status = Status.CONFIRMED
    contested = m.effect_status is EffectStatus.CONTESTED
    tr.add(
        "measure.extended_contested" if contested else "measure.extended",
        m.legal_basis,
        date=st.due,
        status=status,
        measure=m,
        day=on,
        months=months,
        due=st.due,
    )
    return touch(True, "applied")


# --- appeals ----------------------------------------------------------------------------------


def short_appeal_term(decision: Event) -> bool:
    """Vw 2000 art. 69(2): one week after a refusal in the general procedure or on the
    grounds of art. 30, 30a, 30b or 30c (Dublin, inadmissible, manifestly unfounded, not
    processed)."""
    if decision.get("outcome") != "refused":
        return False
    return decision.get("procedure") == "general" or decision.get("refusal_ground") is not None


def _appeal(h: History, cal: LegalCalendar, as_of: dt.date) -> Deadline | None:
    if not h.decisions:
        return None
    decision = h.decisions[-1]
    short = short_appeal_term(decision)
    param = value("appeal_term_short_weeks" if short else "appeal_term_weeks", decision.date)
    weeks = int(param.value)
    tr = Trace()
    tr.add("appeal.start", _src("awb-6-8"), date=decision.date, day=decision.date)
    nominal = add_weeks(decision.date, weeks)
    ground = decision.get("refusal_ground")
    if short and ground:
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
    due = _atw(cal, tr, decision.date, nominal, 7 * weeks, TermUnit.WEEKS, weeks)
    tr.add("appeal.posted", None)
    done = next(
        (
            a.date
            for a in h.appeals
            if a.get("level") == "court"
            and a.get("against") == "decision"
            and a.date >= decision.date
        ),
        None,
    )
    return Deadline(
        kind=DeadlineKind.APPEAL,
        start=decision.date,
        due=due,
        status=_status(due, done, as_of),
        steps=tr.freeze(),
        done_on=done,
    )


def _further_appeal(h: History, cal: LegalCalendar, as_of: dt.date) -> Deadline | None:
    rulings = [r for r in h.rulings if r.get("level") == "court"]
    court_appeals = [a for a in h.appeals if a.get("level") == "court"]
    if (
        not rulings
        or not court_appeals
        or court_appeals[len(rulings) - 1].get("against") != "decision"
    ):
        return None
    ruling = rulings[-1]
    decision = next((d for d in reversed(h.decisions) if d.date <= ruling.date), None)
    short = decision is not None and short_appeal_term(decision)
    tr = Trace()
    tr.add("further.start", _src("awb-6-24"), date=ruling.date, day=ruling.date)
    long_p = value("further_appeal_term_weeks", ruling.date)
    long_due = _atw(
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
        due = _atw(
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
        due = _atw(
            cal, tr, ruling.date, nominal, 7 * int(long_p.value), TermUnit.WEEKS, int(long_p.value)
        )
    done = next(
        (
            a.date
            for a in h.appeals
            if a.get("level") == "council_of_state" and a.date >= ruling.date
        ),
        None,
    )
    return Deadline(
        kind=DeadlineKind.FURTHER_APPEAL,
        start=ruling.date,
        due=due,
        status=_status(due, done, as_of),
        steps=tr.freeze(),
        done_on=done,
        certainty=certainty,
        alternative_due=alternative,
    )


def court_order_ruling(h: History) -> Event | None:
    """The latest ruling on an appeal against failure to decide that set a term."""
    court_appeals = [a for a in h.appeals if a.get("level") == "court"]
    court_rulings = [r for r in h.rulings if r.get("level") == "court"]
    for appeal, ruling in zip(
        reversed(court_appeals[: len(court_rulings)]), reversed(court_rulings), strict=False
    ):
        if (
            appeal.get("against") == "failure_to_decide"
            and ruling.get("outcome") == "well_founded"
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
    tr.add("court_order.due", _src("awb-8-55d"), date=due, day=ruling.date, weeks=weeks, due=due)
    done = next((d.date for d in h.decisions if d.date >= ruling.date), None)
    return Deadline(
        kind=DeadlineKind.COURT_ORDER,
        start=ruling.date,
        due=due,
        status=_status(due, done, as_of),
        steps=tr.freeze(),
        done_on=done,
    )


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
    for fn in (_registration, _general_procedure, _view):
        d = fn(h, cal, as_of)
        if d is not None:
            out.append(d)
    decision, touches, notes = _decision(h, applicant, measures, cal, as_of)
    if decision is not None:
        out.insert(0, decision)
    for fn2 in (_appeal, _further_appeal):
        d = fn2(h, cal, as_of)
        if d is not None:
            out.append(d)
    co = _court_order(h, as_of)
    if co is not None:
        out.append(co)
    if h.stage is Stage.WITHDRAWN:
        notes.append("note.case_withdrawn")
    return out, touches, notes
