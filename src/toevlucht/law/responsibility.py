"""The responsibility clocks: which Member State examines the application, and when the
Netherlands becomes responsible because a term passed (the Dublin track).

Three deadlines, each counted under the framework in force for the case (``History.framework``:
Dublin III for an application registered before 1 July 2026, the AMMR from then):

* ``transfer_request`` — the Netherlands' time to send its take-charge request or take-back
  request (AMMR: notification). Dublin III art. 21(1), 23(2); AMMR art. 39(1), 41. Missed,
  the Netherlands is responsible (except, as recorded, a late AMMR take-back notification).
* ``transfer_reply`` — the requested state's time to answer. Dublin III art. 22, 25; AMMR
  art. 40, 41. Where silence is acceptance, the acceptance is derived on the day after the
  term, and the transfer clock starts from it.
* ``transfer`` — the time to carry out the transfer. Dublin III art. 29; AMMR art. 46. Missed,
  the Netherlands is responsible (Dublin III art. 29(2), AMMR art. 37, 46): on this track the
  remedy that matters.

Every number is a dated parameter of ``terms.toml`` (``dublin_*``, ``ammr_*``). The terms are
EU terms, not Atw terms: :func:`~toevlucht.law.terms.eu_term` ends them (Dublin III art. 42:
no roll-forward; the AMMR: 1182/71 art. 3(4) as the unsettled other reading). Readings the
engine takes are said in the trace and in ``docs/law.md``.

:func:`check_responsibility` rejects an impossible history (a reply without a request, a
second reply, an extension without an acceptance or beyond the maximum, a transfer before an
acceptance); :func:`responsibility_deadlines` calls it first.
:func:`netherlands_responsible_from` says from which day, and why, the Netherlands is
responsible.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from toevlucht.law.calendar import LegalCalendar
from toevlucht.law.errors import HistoryError
from toevlucht.law.model import (
    AppealAgainst,
    AppealLevel,
    Event,
    EventKind,
    RefusalGround,
    Track,
    TransferAnswer,
    TransferExtensionGround,
    TransferRequest,
)
from toevlucht.law.params import DatedValue, parameter
from toevlucht.law.periods import add_months, add_weeks
from toevlucht.law.procedure import History, Warning
from toevlucht.law.regime import Framework
from toevlucht.law.sources import Status
from toevlucht.law.terms import Deadline, DeadlineKind, DeadlineStatus, cite, eu_term, status_on
from toevlucht.law.trace import Label, Trace

__all__ = [
    "Claim",
    "Responsibility",
    "analyse",
    "check_responsibility",
    "netherlands_responsible_from",
    "on_responsibility_track",
    "responsibility_deadlines",
    "responsibility_warnings",
    "transfer_steps",
]

ONE_DAY = dt.timedelta(days=1)
DUBLIN = Framework.DUBLIN_III
AMMR = Framework.AMMR

# The parameter of each term, by framework (terms.toml, "Responsibility").
_P: dict[Framework, dict[str, str]] = {
    DUBLIN: {
        "charge_request": "dublin_take_charge_request_months",
        "charge_request_hit": "dublin_take_charge_request_hit_months",
        "back_request": "dublin_take_back_request_months",
        "back_request_hit": "dublin_take_back_request_hit_months",
        "charge_reply": "dublin_take_charge_reply_months",
        "charge_reply_urgent": "dublin_take_charge_reply_urgent_months",
        "back_reply": "dublin_take_back_reply_months",
        "back_reply_hit": "dublin_take_back_reply_hit_weeks",
        "transfer": "dublin_transfer_months",
        "imprisonment": "dublin_transfer_imprisonment_months",
        "absconding": "dublin_transfer_absconding_months",
    },
    AMMR: {
        "charge_request": "ammr_take_charge_request_months",
        "charge_request_hit": "ammr_take_charge_request_hit_months",
        "back_request_hit": "ammr_take_back_notification_weeks",
        "charge_reply": "ammr_take_charge_reply_months",
        "charge_reply_hit": "ammr_take_charge_reply_hit_weeks",
        "back_reply": "ammr_take_back_confirmation_weeks",
        "charge_silence": "ammr_take_charge_silence_is_acceptance",
        "transfer": "ammr_transfer_months",
        "imprisonment": "ammr_transfer_imprisonment_months",
        "absconding": "ammr_transfer_absconding_months",
    },
}
# The article that makes the Netherlands responsible after a missed transfer term.
_TRANSFER_MISSED_SOURCE = {DUBLIN: "dublin-29-2", AMMR: "ammr-37"}
_EXTENSION_SOURCE = {DUBLIN: "dublin-29-2", AMMR: "ammr-46-2"}


def _end(
    cal: LegalCalendar, tr: Trace, nominal: dt.date, fw: Framework
) -> tuple[dt.date, dt.date | None]:
    """:func:`eu_term` for the framework; a last day beyond the legal calendar's years (an
    AMMR extension of years) stays where it is, and the trace says the calendar ends."""
    if not cal.first_year <= nominal.year <= cal.last_year:
        tr.add("transfer.beyond_calendar", None, status=Status.UNCONFIRMED, day=nominal)
        return nominal, None
    return eu_term(cal, tr, nominal, rolls=_rolls(fw))


def _rolls(fw: Framework) -> Status | None:
    """Dublin III art. 42 moves no last day; for the AMMR 1182/71 art. 3(4) is unsettled."""
    return None if fw is DUBLIN else Status.UNCONFIRMED


def _unsure(v: DatedValue) -> Status:
    if Status.UNCONFIRMED in (v.status, v.source.status):
        return Status.UNCONFIRMED
    return Status.CONFIRMED


def _term(
    tr: Trace | None, rule: str, name: str, start: dt.date, on: dt.date
) -> tuple[dt.date, DatedValue]:
    """The nominal end of the term ``name`` running from ``start`` (the day after it counts
    first); records the step in ``tr``."""
    p = parameter(name)
    v = p.on(on)
    n = int(v.value)
    nominal = add_months(start, n) if p.unit == "months" else add_weeks(start, n)
    if tr is not None:
        tr.add(
            f"transfer.term_{p.unit}",
            v.source,
            date=nominal,
            status=_unsure(v),
            rule=Label(f"transfer.rule_{rule}"),
            n=n,
            start=start,
            nominal=nominal,
        )
    return nominal, v


def _certainty(tr: Trace, alternative: dt.date | None) -> Status:
    if alternative is not None or any(s.status is Status.UNCONFIRMED for s in tr.steps):
        return Status.UNCONFIRMED
    return Status.CONFIRMED


def _later(due: dt.date, *others: dt.date | None) -> dt.date | None:
    """The latest of ``others`` if it is after ``due`` (the other reading's day), else None."""
    late = max((o for o in others if o is not None), default=None)
    return late if late is not None and late > due else None


# --- the facts ----------------------------------------------------------------------------


@dataclass(slots=True, kw_only=True)
class Claim:
    """One request (or AMMR notification) and what became of it."""

    request: Event
    hit: Event | None  # the Eurodac hit for the requested state, on or before the request
    answer: Event | None = None
    # filled in by the analysis
    reply_due: dt.date | None = None
    reply_alt: dt.date | None = None
    accepted_on: dt.date | None = None  # explicit, or tacit (the day after the reply term)
    accepted_alt: dt.date | None = None  # tacit acceptance under the rolled reading
    tacit: bool = False
    refused_on: dt.date | None = None

    @property
    def state(self) -> str:
        return str(self.request.get("member_state"))

    @property
    def kind(self) -> TransferRequest:
        return self.request.transfer_request


@dataclass(slots=True, kw_only=True)
class Responsibility:
    """Everything the responsibility clocks say about a case on one date."""

    framework: Framework
    claims: list[Claim] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    responsible: tuple[dt.date, str] | None = None  # (from, why)
    transfer_appeal: bool = False  # an appeal against the transfer decision was lodged in time
    warnings: list[Warning] = field(default_factory=list)  # a late request, a late transfer


def on_responsibility_track(h: History) -> bool:
    """The case is on the Dublin track, or a Eurodac hit or a transfer request is recorded."""
    return h.track is Track.DUBLIN or bool(h.eurodac_hits) or bool(h.transfer_requests)


def _label(e: Event) -> Label:
    return Label(f"event.{e.kind.value}")


def _claims(h: History) -> list[Claim]:
    """Each request with its answer: an answer answers the latest request before it."""
    claims: list[Claim] = []
    for e in h.events:
        if e.kind is EventKind.TRANSFER_REQUEST_SENT:
            state = e.get("member_state")
            hit = next(
                (x for x in h.eurodac_hits if x.get("member_state") == state and x.date <= e.date),
                None,
            )
            claims.append(Claim(request=e, hit=hit))
        elif e.kind is EventKind.TRANSFER_REQUEST_ANSWERED:
            if not claims:
                raise HistoryError(
                    f"transfer_request_answered on {e.date.isoformat()} (events[{e.index}]): "
                    "no transfer request precedes it; a reply answers a request",
                    index=e.index,
                    key="error.transfer.answer_without_request",
                    params={"event": _label(e), "day": e.date},
                )
            last = claims[-1]
            if last.answer is not None:
                raise HistoryError(
                    f"transfer_request_answered on {e.date.isoformat()} (events[{e.index}]): "
                    f"the request of {last.request.date.isoformat()} was already answered on "
                    f"{last.answer.date.isoformat()}; a request has one reply",
                    index=e.index,
                    key="error.transfer.second_answer",
                    params={
                        "event": _label(e),
                        "day": e.date,
                        "other_day": last.request.date,
                        "answered": last.answer.date,
                    },
                )
            last.answer = e
    return claims


# --- transfer_request ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class _RequestTerm:
    due: dt.date
    alternative: dt.date | None
    consequence: dt.date | None  # from this day the Netherlands is responsible if no request


def _charge_term(
    h: History, fw: Framework, tr: Trace | None, hit: Event | None, on: dt.date
) -> tuple[dt.date, dt.date | None] | None:
    """(due, hit-only day if later) of a take-charge request (Dublin III art. 21(1), AMMR
    art. 39(1)). Reading: after a hit the term from registration remains the outer limit."""
    reg = h.registered_on
    base = _term(tr, "charge_request", _P[fw]["charge_request"], reg, on)[0] if reg else None
    if hit is None:
        return None if base is None else (base, None)
    from_hit = _term(tr, "charge_request_hit", _P[fw]["charge_request_hit"], hit.date, on)[0]
    if base is None or from_hit <= base:
        return from_hit, None
    if tr is not None:
        tr.add(
            "transfer.outer_limit",
            cite("dublin-21-1" if fw is DUBLIN else "ammr-39-1"),
            date=base,
            status=Status.UNCONFIRMED,
            due=base,
            alt=from_hit,
        )
    return base, from_hit


def _back_term(
    h: History, fw: Framework, tr: Trace | None, hit: Event | None, on: dt.date
) -> dt.date | None:
    """A take-back request's term (Dublin III art. 23(2)) or notification's (AMMR art. 41,
    which runs only from a hit)."""
    if hit is not None:
        return _term(tr, "back_request_hit", _P[fw]["back_request_hit"], hit.date, on)[0]
    reg = h.registered_on
    if fw is AMMR or reg is None:
        return None
    return _term(tr, "back_request", _P[fw]["back_request"], reg, on)[0]


def _request_term(
    h: History,
    fw: Framework,
    cal: LegalCalendar,
    tr: Trace,
    kind: TransferRequest | None,
    hit: Event | None,
    on: dt.date,
) -> _RequestTerm | None:
    if kind is TransferRequest.TAKE_CHARGE:
        charge = _charge_term(h, fw, tr, hit, on)
        if charge is None:
            return None
        due, alt = charge
        consequence: dt.date | None = due + ONE_DAY
    elif kind is TransferRequest.TAKE_BACK:
        back = _back_term(h, fw, tr, hit, on)
        if back is None:
            return None
        due, alt = back, None
        consequence = None if fw is AMMR else due + ONE_DAY
        if fw is AMMR:
            tr.add("transfer.back_no_consequence", cite("ammr-41"), status=Status.UNCONFIRMED)
    else:  # no request yet: the type is not known
        charge = _charge_term(h, fw, tr, hit, on)
        back = _back_term(h, fw, tr, hit, on)
        if charge is None and back is None:
            return None
        dues = [d for d in (charge[0] if charge else None, back) if d is not None]
        due = min(dues)
        alt = _later(due, *dues, charge[1] if charge else None)
        # certain whichever request it will be: after the later primary term
        with_consequence = [charge[0]] if charge else []
        if fw is DUBLIN and back is not None:
            with_consequence.append(back)
        consequence = max(with_consequence) + ONE_DAY if with_consequence else None
        if alt is not None:
            tr.add("transfer.type_unknown", None, status=Status.UNCONFIRMED, due=due, alt=alt)
    due_end, rolled = _end(cal, tr, due, fw)
    alt_end = None
    if alt is not None:
        alt_due, alt_rolled = _end(cal, Trace(), alt, fw)
        alt_end = alt_rolled or alt_due
    return _RequestTerm(
        due=due_end, alternative=_later(due_end, rolled, alt_end), consequence=consequence
    )


def _start_step(h: History, fw: Framework, tr: Trace) -> None:
    reg = h.registered_on
    src = cite("ammr-84")
    if reg is None:
        tr.add("transfer.start_unknown", src, framework=Label(f"transfer.framework_{fw.value}"))
    else:
        tr.add("transfer.start", src, day=reg, framework=Label(f"transfer.framework_{fw.value}"))


def _late_request(fw: Framework, c: Claim, due: dt.date, start: dt.date) -> Warning:
    if fw is AMMR:
        source = "ammr-39-1"
    else:
        source = "dublin-21-1" if c.kind is TransferRequest.TAKE_CHARGE else "dublin-23-2"
    return Warning(
        key="warning.transfer.request_late",
        source_id=source,
        index=c.request.index,
        params={"day": c.request.date, "due": due, "start": start},
    )


def _request_deadline(
    h: History, fw: Framework, cal: LegalCalendar, claims: list[Claim], r: Responsibility
) -> Deadline | None:
    tr = Trace()
    _start_step(h, fw, tr)
    first = claims[0] if claims else None
    hit = first.hit if first else (h.eurodac_hits[0] if h.eurodac_hits else None)
    if hit is not None:
        tr.add("transfer.hit", None, date=hit.date, day=hit.date, state=hit.get("member_state"))
    on = h.registered_on or (hit.date if hit else h.as_of)
    term = _request_term(h, fw, cal, tr, first.kind if first else None, hit, on)
    if term is None:
        return None
    done = first.request.date if first else None
    if first is not None:
        tr.add(
            "transfer.request_sent",
            None,
            date=done,
            request=Label(f"transfer.request_{first.kind.value}"),
            state=first.state,
            day=done,
        )
    cons = term.consequence
    if cons is not None and (done is None or done >= cons):
        if done is not None:
            tr.add("transfer.request_late", None, day=done, due=term.due, start=cons)
            r.responsible = _earliest(r.responsible, (cons, "request_late"))
            assert first is not None
            r.warnings.append(_late_request(fw, first, term.due, cons))
        elif h.as_of >= cons:
            tr.add("transfer.request_missed", None, due=cons - ONE_DAY, start=cons)
            r.responsible = _earliest(r.responsible, (cons, "request_term_missed"))
    # a later request (after a refusal) is out of time too once the term has passed
    for c in claims[1:]:
        if cons is not None and c.request.date >= cons:
            r.responsible = _earliest(r.responsible, (cons, "request_late"))
            r.warnings.append(_late_request(fw, c, term.due, cons))
    return Deadline(
        kind=DeadlineKind.TRANSFER_REQUEST,
        start=h.registered_on or (hit.date if hit else on),
        due=term.due,
        status=status_on(term.due, done, h.as_of),
        steps=tr.freeze(),
        done_on=done,
        certainty=_certainty(tr, term.alternative),
        alternative_due=term.alternative,
    )


# --- transfer_reply -------------------------------------------------------------------------


def _reply(fw: Framework, cal: LegalCalendar, c: Claim, as_of: dt.date, tr: Trace) -> None:
    """The reply term of claim ``c`` and what became of it (accepted, refused, tacit)."""
    sent = c.request.date
    tr.add(
        "transfer.request_sent",
        None,
        date=sent,
        request=Label(f"transfer.request_{c.kind.value}"),
        state=c.state,
        day=sent,
    )
    tr.add("transfer.received", None, day=sent)
    p = _P[fw]
    silence_status = Status.CONFIRMED
    if c.kind is TransferRequest.TAKE_CHARGE:
        if fw is DUBLIN and c.request.get("urgent"):
            nominal, _ = _term(tr, "charge_reply_urgent", p["charge_reply_urgent"], sent, sent)
        elif fw is AMMR and c.hit is not None:
            nominal, _ = _term(tr, "charge_reply_hit", p["charge_reply_hit"], sent, sent)
        else:
            nominal, _ = _term(tr, "charge_reply", p["charge_reply"], sent, sent)
        if fw is AMMR:
            if c.request.get("urgent"):
                tr.add("transfer.urgent_ammr", None, status=Status.UNCONFIRMED)
            flag = parameter(p["charge_silence"]).on(sent)
            silence_status = _unsure(flag)
            silent_accepts = bool(flag.value)
        else:
            silent_accepts = True
    else:
        if fw is DUBLIN and c.hit is not None:
            nominal, _ = _term(tr, "back_reply_hit", p["back_reply_hit"], sent, sent)
        elif fw is DUBLIN:
            nominal, _ = _term(tr, "back_reply", p["back_reply"], sent, sent)
        else:
            nominal, _ = _term(tr, "back_confirmation", p["back_reply"], sent, sent)
        silent_accepts = True
    due, rolled = _end(cal, tr, nominal, fw)
    c.reply_due, c.reply_alt = due, rolled
    a = c.answer
    if a is not None and a.date <= due:
        if a.transfer_answer is TransferAnswer.ACCEPTED:
            tr.add("transfer.accepted", None, date=a.date, state=c.state, day=a.date)
            c.accepted_on = a.date
        else:
            tr.add("transfer.refused", None, date=a.date, state=c.state, day=a.date)
            c.refused_on = a.date
        return
    if as_of <= due or not silent_accepts:
        if a is not None:  # late, and silence is no acceptance
            key = "accepted" if a.transfer_answer is TransferAnswer.ACCEPTED else "refused"
            tr.add(f"transfer.{key}", None, date=a.date, state=c.state, day=a.date)
            if key == "accepted":
                c.accepted_on = a.date
            else:
                c.refused_on = a.date
        return
    c.tacit, c.accepted_on = True, due + ONE_DAY
    c.accepted_alt = rolled + ONE_DAY if rolled is not None else None
    silence_source = (
        cite({DUBLIN: "dublin-22", AMMR: "ammr-40"}[fw])
        if c.kind is TransferRequest.TAKE_CHARGE
        else cite({DUBLIN: "dublin-25", AMMR: "ammr-41"}[fw])
    )
    if silence_source.status is Status.UNCONFIRMED:
        silence_status = Status.UNCONFIRMED
    tr.add(
        "transfer.silence_accepts",
        silence_source,
        date=c.accepted_on,
        status=silence_status,
        due=due,
        day=c.accepted_on,
    )
    if c.accepted_alt is not None:
        tr.add(
            "transfer.silence_accepts_rolled",
            cite("eu-1182-71-3"),
            status=Status.UNCONFIRMED,
            end=rolled,
            day=c.accepted_alt,
        )
    if a is not None:
        tr.add("transfer.late_answer", None, day=a.date, due=due, accepted=c.accepted_on)


def _reply_deadline(fw: Framework, cal: LegalCalendar, c: Claim, as_of: dt.date) -> Deadline:
    tr = Trace()
    _reply(fw, cal, c, as_of, tr)
    assert c.reply_due is not None
    done = c.answer.date if c.answer is not None else None
    return Deadline(
        kind=DeadlineKind.TRANSFER_REPLY,
        start=c.request.date,
        due=c.reply_due,
        status=status_on(c.reply_due, done, as_of),
        steps=tr.freeze(),
        done_on=done,
        certainty=_certainty(tr, c.reply_alt),
        alternative_due=c.reply_alt,
    )


# --- transfer ------------------------------------------------------------------------------


def _extensions(h: History, fw: Framework, claims: list[Claim]) -> list[Event]:
    """The extensions, checked: each after an acceptance, at most imprisonment then
    absconding (Dublin III art. 29(2): at most 1 year, at most 18 months; AMMR art. 46(2))."""
    art = cite(_EXTENSION_SOURCE[fw]).label
    seen: list[TransferExtensionGround] = []
    for e in h.transfer_extensions:
        if not any(c.accepted_on is not None and c.accepted_on <= e.date for c in claims):
            raise HistoryError(
                f"transfer_period_extended on {e.date.isoformat()} (events[{e.index}]): no "
                f"request had been accepted by then; the transfer period ({art}) runs only "
                "after an acceptance",
                index=e.index,
                key="error.transfer.extension_without_acceptance",
                params={"event": _label(e), "day": e.date, "article": art},
            )
        g = e.transfer_extension_ground
        if seen and not (
            seen == [TransferExtensionGround.IMPRISONMENT]
            and g is TransferExtensionGround.ABSCONDING
        ):
            raise HistoryError(
                f"transfer_period_extended on {e.date.isoformat()} (events[{e.index}]): the "
                f"transfer period was already extended ({', '.join(s.value for s in seen)}); "
                f"{art} allows one extension to its maximum, and after imprisonment only the "
                "longer one for absconding",
                index=e.index,
                key="error.transfer.extension_beyond_max",
                params={
                    "event": _label(e),
                    "day": e.date,
                    "ground": Label(f"transfer.ground_{g.value}"),
                    "article": art,
                },
            )
        seen.append(g)
    return list(h.transfer_extensions)


def _transfer_decision_appeal(h: History, start: dt.date) -> tuple[Event, Event | None] | None:
    """The appeal to the district court against the transfer decision (a refusal under Vw
    2000 art. 30), with its ruling if there is one."""
    decision = next((d for d in h.decisions if d.refusal_ground is RefusalGround.DUBLIN), None)
    if decision is None:
        return None
    appeal = h.appeal_against(decision)
    if appeal is None or appeal.against is not AppealAgainst.DECISION:
        return None
    ruling = next((r for a, r in h.ruled_appeals(AppealLevel.COURT) if a is appeal), None)
    return appeal, ruling


def _transfer_deadline(
    h: History,
    fw: Framework,
    cal: LegalCalendar,
    c: Claim,
    extensions: list[Event],
    r: Responsibility,
) -> Deadline:
    assert c.accepted_on is not None
    start = c.accepted_on
    tr = Trace()
    how = "tacit" if c.tacit else "explicit"
    tr.add(
        "transfer.transfer_start",
        cite("dublin-29-1" if fw is DUBLIN else "ammr-46-1"),
        date=start,
        day=start,
        state=c.state,
        how=Label(f"transfer.how_{how}"),
    )
    p = _P[fw]
    name, rule = p["transfer"], "transfer"
    nominal, _ = _term(tr, rule, name, start, start)
    due, rolled = _end(cal, tr, nominal, fw)
    for e in extensions:
        if e.date > due:
            tr.add("transfer.extension_late", None, day=e.date, due=due)
            continue
        g = e.transfer_extension_ground
        tr.add(
            "transfer.extended",
            cite(_EXTENSION_SOURCE[fw]),
            day=e.date,
            ground=Label(f"transfer.ground_{g.value}"),
        )
        name, rule = p[g.value], f"transfer_{g.value}"
        nominal, _ = _term(tr, rule, name, start, start)
        due, rolled = _end(cal, tr, nominal, fw)
    months = int(parameter(name).on(start).value)
    alts: list[dt.date | None] = [rolled]
    if c.accepted_alt is not None:  # the tacit acceptance under the rolled reading
        alts += _end(cal, Trace(), add_months(c.accepted_alt, months), fw)
    appeal = _transfer_decision_appeal(h, start)
    if appeal is not None and appeal[0].date <= due:
        r.transfer_appeal = True
        lodged, ruling = appeal
        if ruling is None:
            tr.add(
                "transfer.appeal_pending",
                cite("dublin-29-1" if fw is DUBLIN else "ammr-46-1"),
                status=Status.UNCONFIRMED,
                day=lodged.date,
                n=months,
            )
        else:
            alt_nominal = add_months(ruling.date, months)
            alt_due, alt_rolled = _end(cal, Trace(), alt_nominal, fw)
            alts += [alt_due, alt_rolled]
            tr.add(
                "transfer.appeal_ruled",
                cite("dublin-29-1" if fw is DUBLIN else "ammr-46-1"),
                status=Status.UNCONFIRMED,
                day=lodged.date,
                ruling=ruling.date,
                n=months,
                alt=_later(due, alt_due, alt_rolled) or alt_due,
            )
    done = h.transferred.date if h.transferred is not None else None
    missed = cite(_TRANSFER_MISSED_SOURCE[fw])
    if done is not None:
        tr.add("transfer.transferred", None, date=done, day=done, state=c.state)
        if done > due:
            tr.add("transfer.transferred_late", missed, day=done, due=due)
            r.responsible = _earliest(r.responsible, (due + ONE_DAY, "transfer_term_missed"))
            assert h.transferred is not None
            r.warnings.append(
                Warning(
                    key="warning.transfer.transferred_late",
                    source_id=_TRANSFER_MISSED_SOURCE[fw],
                    index=h.transferred.index,
                    params={"day": done, "due": due},
                )
            )
    elif h.as_of > due:
        tr.add("transfer.expired", missed, date=due + ONE_DAY, due=due, start=due + ONE_DAY)
        r.responsible = _earliest(r.responsible, (due + ONE_DAY, "transfer_term_missed"))
    alternative = _later(due, *alts)
    return Deadline(
        kind=DeadlineKind.TRANSFER,
        start=start,
        due=due,
        status=status_on(due, done, h.as_of),
        steps=tr.freeze(),
        done_on=done,
        certainty=_certainty(tr, alternative),
        alternative_due=alternative,
    )


# --- validation, the whole analysis ----------------------------------------------------------


def _earliest(a: tuple[dt.date, str] | None, b: tuple[dt.date, str]) -> tuple[dt.date, str]:
    return b if a is None or b[0] < a[0] else a


def _check_transferred(h: History, fw: Framework, claims: list[Claim]) -> None:
    t = h.transferred
    if t is None:
        return
    if any(c.accepted_on is not None and c.accepted_on <= t.date for c in claims):
        return
    art = cite("dublin-29-1" if fw is DUBLIN else "ammr-46-1").label
    raise HistoryError(
        f"transferred on {t.date.isoformat()} (events[{t.index}]): no request had been "
        f"accepted by then, explicitly or by silence; a transfer follows an acceptance ({art})",
        index=t.index,
        key="error.transfer.transferred_before_acceptance",
        params={"event": _label(t), "day": t.date, "article": art},
    )


def analyse(h: History, cal: LegalCalendar, as_of: dt.date | None = None) -> Responsibility:
    """The responsibility clocks of ``h`` on ``as_of`` (default: the history's date).

    Raises:
        HistoryError: the transfer events contradict the regulation (see the module doc).
    """
    as_of = h.as_of if as_of is None else as_of
    fw = h.framework
    r = Responsibility(framework=fw)
    transfer_events = h.transfer_answers or h.transfer_extensions or h.transferred
    if not on_responsibility_track(h) and not transfer_events:
        return r
    claims = _claims(h)
    r.claims = claims
    replies = [_reply_deadline(fw, cal, c, as_of) for c in claims]
    _check_transferred(h, fw, claims)
    extensions = _extensions(h, fw, claims)
    if not on_responsibility_track(h):
        return r
    assumed = h.dublin_responsible
    if assumed is not None and (not claims or assumed.date < claims[0].request.date):
        r.responsible = (assumed.date, "assumed")
        return r  # settled before any request: no clock runs
    request = _request_deadline(h, fw, cal, claims, r)
    if request is not None:
        r.deadlines.append(request)
    if claims:
        last = claims[-1]
        r.deadlines.append(replies[-1])
        if last.accepted_on is not None and last.accepted_on <= as_of:
            r.deadlines.append(_transfer_deadline(h, fw, cal, last, extensions, r))
        elif last.refused_on is not None:
            r.responsible = _earliest(r.responsible, (last.refused_on, "refused"))
    if assumed is not None:
        r.responsible = _earliest(r.responsible, (assumed.date, "assumed"))
        # a clock still running when the Netherlands took the case over no longer runs
        r.deadlines = [d for d in r.deadlines if d.done_on is not None or d.due < assumed.date]
    if h.transferred is not None and (
        r.responsible is None or r.responsible[0] > h.transferred.date
    ):
        r.responsible = None
    return r


def check_responsibility(h: History, cal: LegalCalendar) -> None:
    """Raise :class:`HistoryError` if the transfer events of ``h`` contradict the regulation
    (for replay; :func:`responsibility_deadlines` runs the same checks)."""
    analyse(h, cal)


def responsibility_deadlines(h: History, cal: LegalCalendar, as_of: dt.date) -> list[Deadline]:
    """The ``transfer_request``, ``transfer_reply`` and ``transfer`` deadlines that have
    started on ``as_of`` (none off the Dublin track)."""
    return analyse(h, cal, as_of).deadlines


def responsibility_warnings(h: History, cal: LegalCalendar, as_of: dt.date) -> list[Warning]:
    """The responsibility facts accepted but flagged: a request after its term (the
    Netherlands is responsible from the day after the term), a transfer after the transfer
    term. For the assessment's ``warnings`` beside ``History.warnings``."""
    return analyse(h, cal, as_of).warnings


def netherlands_responsible_from(
    h: History, cal: LegalCalendar, as_of: dt.date
) -> tuple[dt.date, str] | None:
    """The day from which the Netherlands is responsible for the application, and why:
    ``assumed`` (responsibility_assumed or dublin_responsibility_established), ``refused``
    (the latest request refused and none after it), ``request_term_missed`` (no request by
    the end of the term), ``request_late`` (a request after it), ``transfer_term_missed``
    (no transfer within the transfer term). None: not (yet) responsible, or transferred."""
    return analyse(h, cal, as_of).responsible


# --- next steps --------------------------------------------------------------------------------


def transfer_steps(
    h: History, cal: LegalCalendar, deadlines: list[Deadline], as_of: dt.date
) -> list[tuple[str, dict[str, Any]]]:
    """Next steps for the applicant and legal aid on the Dublin track, as (key, params)."""
    if not on_responsibility_track(h) and h.dublin_responsible is None:
        return []
    r = analyse(h, cal, as_of)
    by = {d.kind: d for d in deadlines}
    last = r.claims[-1] if r.claims else None
    steps: list[tuple[str, dict[str, Any]]] = []
    if h.transferred is not None and r.responsible is None:
        state = last.state if last else ""
        return [("next_transfer.transferred", {"state": state, "day": h.transferred.date})]
    if r.responsible is not None:
        day, why = r.responsible
        if why == "transfer_term_missed":
            t = by[DeadlineKind.TRANSFER]
            article = cite(_TRANSFER_MISSED_SOURCE[r.framework]).label
            steps.append(("next_transfer.expired", {"due": t.due, "day": day, "article": article}))
            if r.transfer_appeal:
                steps.append(("next_transfer.expired_appeal", {"due": t.due}))
        elif why in ("request_late", "request_term_missed"):
            steps.append(("next_transfer.request_missed", {"due": day - ONE_DAY, "day": day}))
        elif why == "refused":
            assert last is not None
            steps.append(("next_transfer.refused", {"state": last.state, "day": day}))
        else:
            steps.append(("next_transfer.nl_responsible", {"day": day}))
        return steps
    transfer = by.get(DeadlineKind.TRANSFER)
    reply = by.get(DeadlineKind.TRANSFER_REPLY)
    request = by.get(DeadlineKind.TRANSFER_REQUEST)
    if last is not None and last.tacit and last.accepted_on is not None and reply is not None:
        steps.append(
            (
                "next_transfer.tacit",
                {"state": last.state, "due": reply.due, "day": last.accepted_on},
            )
        )
    if transfer is not None and transfer.status is DeadlineStatus.RUNNING and last is not None:
        steps.append(("next_transfer.transfer", {"state": last.state, "due": transfer.due}))
        if r.transfer_appeal:
            steps.append(("next_transfer.transfer_appeal", {}))
    elif reply is not None and reply.status is DeadlineStatus.RUNNING and last is not None:
        steps.append(("next_transfer.reply", {"state": last.state, "due": reply.due}))
    elif request is not None and request.status is DeadlineStatus.RUNNING:
        steps.append(("next_transfer.request", {"due": request.due}))
    return steps
