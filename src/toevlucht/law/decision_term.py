"""The decision term (Vw 2000 art. 42 and 43): six months from lodging, moved by individual
extensions (art. 42(4), 42(5), 43) and by the policy measures that touch the case, capped at the
statutory maximum. Also which measures touched the case and why each did or did not move it.

The walk goes through the individual extensions and the measures that touch the case in
date order. It is written twice, here and in :func:`toevlucht.law.bulk.compute`, sharing its
rules (the dated parameters and the small step functions below, which take one case's ints
and dates or numpy arrays of many). One walk cannot serve both without loss: this one
records a trace step for every item and raises, at the first impossible step, an error
naming the event and the numbers; the bulk walk advances a million cases one item column at
a time with masks. Run on one-row arrays, the bulk walk would cost the scalar path tens of
numpy calls per item and still need this walk's branches to explain itself; run per case,
it would no longer be vectorised. The property tests of ``tests/law/test_bulk.py`` keep
the two walks equal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from toevlucht.law.calendar import LegalCalendar
from toevlucht.law.errors import HistoryError
from toevlucht.law.measures import EffectStatus, Match, MatchStatus, Measure, MeasureKind
from toevlucht.law.model import Applicant, Event, ExtensionGround, Track
from toevlucht.law.params import value
from toevlucht.law.periods import add_months
from toevlucht.law.procedure import History
from toevlucht.law.responsibility import netherlands_responsible_from
from toevlucht.law.sources import Status
from toevlucht.law.terms import Deadline, DeadlineKind, DeadlineStatus, cite, status_on
from toevlucht.law.trace import Label, Trace

__all__ = [
    "MeasureTouch",
    "decision_deadline",
    "exceeds_42_4",
    "exceeds_42_5",
    "extends_expired_term",
    "first_touch",
    "general_extension_months",
    "lacks_prior_42_4",
    "letter_months_42_4",
    "measure_not_applied",
    "room_42_4",
]


# --- the rules of one step of the walk, shared with law.bulk -----------------------------------


def extends_expired_term(on: Any, due: Any) -> Any:
    """Vw 2000 art. 42(4)-(5), 43 and the measures extend a running term only: an item on
    a day after the due date (the last day still counts) cannot extend it."""
    return on > due


def exceeds_42_4(months: Any, used_42_4: Any, general_42_4: Any, limit: Any) -> Any:
    """Individual 42(4) letters may not together exceed the 42(4) maximum (a general
    extension's share of it is capped instead, see :func:`letter_months_42_4`)."""
    return used_42_4 - general_42_4 + months > limit


def lacks_prior_42_4(used_42_4: Any) -> Any:
    """Vw 2000 art. 42(5) extends only a term already extended under art. 42(4)."""
    return used_42_4 == 0


def exceeds_42_5(months: Any, used_42_5: Any, limit: Any) -> Any:
    """The further extension of art. 42(5) has its own maximum."""
    return used_42_5 + months > limit


def room_42_4(limit: Any, used_42_4: Any) -> Any:
    """Months still free under the 42(4) maximum, shared by letters and general extensions
    (negative or zero: none)."""
    return limit - used_42_4


def letter_months_42_4(months: Any, room: Any) -> Any:
    """The months a 42(4) letter adds: capped at the room a general extension left."""
    return np.minimum(months, np.maximum(room, 0))


def general_extension_months(room: Any, measure_months: Any) -> Any:
    """The months a general extension (Vw 42(4)(b)) adds, where there is room."""
    return np.minimum(room, measure_months)


@dataclass(frozen=True, slots=True, kw_only=True)
class MeasureTouch:
    """A measure that touches a case: from when, and whether it moved the decision term."""

    measure: Measure
    on: dt.date
    match: Match
    applied: bool
    reason: str  # key of why (not) applied: applied, unconfirmed, disapplied, possibly, ...


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
    base_months: int  # the term of Vw 2000 art. 42(1)
    months: int = 0  # every month added to the base term, by whatever ground
    used_42_4: int = 0
    used_42_5: int = 0
    general_42_4: int = 0
    moratorium: bool = False


def decision_deadline(
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
        responsible = netherlands_responsible_from(h, cal, as_of)
        if responsible is None:
            notes.append("note.decision_dublin_not_started")
            return None, [], notes
        start, why = responsible
        if why == "assumed":
            tr.add("decision.start_dublin", cite("vw-42-6"), date=start, day=start)
        else:  # by a term of the responsibility rules that passed (responsibility.py)
            tr.add(
                "decision.start_dublin_by_law",
                cite("vw-42-6"),
                date=start,
                day=start,
                why=Label(f"responsible_why.{why}"),
            )
    else:
        tr.add("decision.start", cite("vw-42-1"), date=start, day=start)
    months = value("decision_term_months", start)
    st = _TermState(due=add_months(start, int(months.value)), base_months=int(months.value))
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
    individual_43 = any(e.extension_ground is ExtensionGround.VW_43 for e in h.term_extensions)

    for on, _, item, match in items:
        if isinstance(item, Event):
            _individual_extension(item, st, tr)
            if item.extension_ground is ExtensionGround.VW_43:
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
    # Month-end reading: each extension is counted from the end of the term it extends (10
    # March + 6 months, + 9 months). Where that end was moved back to the end of a shorter
    # month (31 August + 6 months = 28 February), counting the whole term from its start
    # gives a later day (31 August + 15 months = 30 November, not 28 November). Shown, with
    # the safe day for a notice of default; see terms.toml.
    total = int(months.value) + st.months
    alternative = min(add_months(start, total), cap)
    if alternative > st.due:
        tr.add(
            "decision.month_end_reading",
            None,
            status=Status.UNCONFIRMED,
            months=total,
            start=start,
            alt=alternative,
        )
    if not cal.is_working_day(st.due):
        tr.add("atw.not_applied", cite("atw-4"), date=st.due, day=st.due)
    tr.add("decision.due", None, date=st.due, due=st.due)

    status = status_on(st.due, first_decision, as_of)
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
        alternative_due=alternative if alternative > st.due else None,
    )
    return deadline, touches, notes


def _individual_extension(e: Event, st: _TermState, tr: Trace) -> None:
    months, ground = int(e.get("months")), e.extension_ground
    if extends_expired_term(e.date, st.due):
        raise HistoryError(
            f"decision_term_extended on {e.date.isoformat()} comes after the decision term "
            f"expired on {st.due.isoformat()}; Vw 2000 art. 42(4)-(5) and 43 extend a running "
            "term only",
            index=e.index,
            key="error.decision_extension_after_expiry",
            params={"day": e.date, "due": st.due},
        )
    if ground.under_42_4:
        limit = int(value("decision_term_extension_42_4_max_months", e.date).value)
        individual = st.used_42_4 - st.general_42_4
        if exceeds_42_4(months, st.used_42_4, st.general_42_4, limit):
            raise HistoryError(
                f"a {months}-month extension on {e.date.isoformat()} would bring the extensions "
                f"under Vw 2000 art. 42(4) to {individual + months} months; art. 42(4) allows "
                f"at most {limit}",
                index=e.index,
                key="error.decision_extension_42_4_beyond_max",
                params={
                    "day": e.date,
                    "months": months,
                    "total": individual + months,
                    "limit": limit,
                },
            )
        room = room_42_4(limit, st.used_42_4)
        capped = int(letter_months_42_4(months, room))
        if capped < months:
            # a general extension (WBV) already used part of the nine months: the letter
            # cannot take the term beyond the statutory maximum
            tr.add(
                "decision.extension_capped",
                cite("vw-42-4"),
                on=e.date,
                months=months,
                room=max(room, 0),
                limit=limit,
            )
            months = capped
            if months == 0:
                return
        st.used_42_4 += months
        source = cite("vw-42-4")
    elif ground is ExtensionGround.VW_42_5:
        limit = int(value("decision_term_extension_42_5_max_months", e.date).value)
        if lacks_prior_42_4(st.used_42_4):
            raise HistoryError(
                f"the extension under Vw 2000 art. 42(5) on {e.date.isoformat()} is not preceded "
                "by an extension under art. 42(4); art. 42(5) allows a further extension only "
                "after one",
                index=e.index,
                key="error.decision_extension_42_5_without_42_4",
                params={"day": e.date},
            )
        if exceeds_42_5(months, st.used_42_5, limit):
            total = st.base_months + st.used_42_4 + st.used_42_5 + months
            raise HistoryError(
                f"a {months}-month extension on {e.date.isoformat()} under art. 42(5) would bring "
                f"the decision term to {total} months; Vw 2000 art. 42(4)-(5) allow at most "
                f"{st.base_months + st.used_42_4 + limit}",
                index=e.index,
                key="error.decision_extension_42_5_beyond_max",
                params={
                    "day": e.date,
                    "months": months,
                    "total": total,
                    "limit": st.base_months + st.used_42_4 + limit,
                },
            )
        st.used_42_5 += months
        source = cite("vw-42-5")
    else:
        source = cite("vw-43-1")
    st.due = add_months(st.due, months)
    st.months += months
    tr.add(
        "decision.extended",
        source,
        date=st.due,
        on=e.date,
        months=months,
        ground=Label(f"extension_ground.{ground.value}"),
        due=st.due,
    )


def measure_not_applied(
    m: Measure, on: dt.date, match: Match, due: dt.date, tr: Trace, as_of: dt.date
) -> str | None:
    """Why a measure that touches a case on ``on`` cannot move a term ending ``due`` (the
    reason, with its trace step), or None if it can: the scope possibly matches, its effect
    is unconfirmed, a ruling disapplied it, or the term had expired. Shared by both regimes."""
    if match.status is MatchStatus.POSSIBLY:
        tr.add(
            "measure.possibly",
            m.legal_basis,
            status=Status.UNCONFIRMED,
            measure=m,
            missing=tuple(Label(k) for k in match.missing),
        )
        return "possibly"
    if m.term_extension_months is None or m.effect_status is EffectStatus.UNCONFIRMED:
        tr.add("measure.unconfirmed", m.legal_basis, status=Status.UNCONFIRMED, measure=m)
        return "unconfirmed"
    ruling = m.disapplied_by(as_of)
    if ruling is not None:
        tr.add("measure.disapplied", ruling.source, measure=m, day=ruling.date)
        return "disapplied"
    if extends_expired_term(on, due):
        tr.add("measure.term_already_expired", m.legal_basis, measure=m, day=on, due=due)
        return "term_expired"
    return None


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

    refused = measure_not_applied(m, on, match, st.due, tr, as_of)
    if refused is not None:
        return touch(False, refused)
    assert m.term_extension_months is not None  # (measure_not_applied refuses a measure without)
    if m.kind is MeasureKind.GENERAL_TERM_EXTENSION:
        limit = int(value("decision_term_extension_42_4_max_months", on).value)
        room = room_42_4(limit, st.used_42_4)
        if room <= 0:
            tr.add("measure.no_room", cite("vw-42-4"), measure=m, months=limit)
            return touch(False, "no_room")
        months = int(general_extension_months(room, m.term_extension_months))
        st.used_42_4 += months
        st.general_42_4 += months
    else:
        if individual_43:
            tr.add("measure.superseded", m.legal_basis, measure=m)
            return touch(False, "superseded")
        months = m.term_extension_months
        st.moratorium = True
    st.due = add_months(st.due, months)
    st.months += months
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
