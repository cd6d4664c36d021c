"""What every statutory deadline shares: its kind, its status on the assessment date, the
value that carries its trace, and term arithmetic under the Algemene termijnenwet that records
why a date moved (or did not)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from toevlucht.law.calendar import LegalCalendar, TermUnit, atw_applies
from toevlucht.law.sources import Citation, Status, load_sources
from toevlucht.law.trace import Label, Step, Trace

__all__ = [
    "Deadline",
    "DeadlineKind",
    "DeadlineStatus",
    "atw_term",
    "cite",
    "eu_term",
    "flag_unknown_decree_years",
    "skipped_holidays",
    "status_on",
]


class DeadlineKind(StrEnum):
    REGISTRATION = "registration"
    LODGING = "lodging"  # APR art. 28: lodging within 21 days of registration
    TRANSFER_REQUEST = "transfer_request"  # send the take-charge/take-back request
    TRANSFER_REPLY = "transfer_reply"  # the requested state's reply
    TRANSFER = "transfer"  # carry out the transfer; after it, the Netherlands is responsible
    GENERAL_PROCEDURE_DECISION = "general_procedure_decision"
    VIEW_ON_INTENTION = "view_on_intention"
    DECISION = "decision"
    APPEAL = "appeal"
    FURTHER_APPEAL = "further_appeal"
    COURT_ORDER = "court_order"
    INTERIM_RELIEF = "interim_relief"  # Vw 2000 art. 69(6) (new): request within one week

    @property
    def binds_authority(self) -> bool:
        """A term the authority must meet (register, decide, obey a court's order); the
        others are the applicant's (a view, an appeal) or internal to the procedure."""
        return self in (DeadlineKind.REGISTRATION, DeadlineKind.DECISION, DeadlineKind.COURT_ORDER)


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


def cite(source_id: str) -> Citation:
    return load_sources()[source_id]


def status_on(due: dt.date, done: dt.date | None, as_of: dt.date) -> DeadlineStatus:
    if done is not None:
        return DeadlineStatus.MET if done <= due else DeadlineStatus.EXPIRED
    return DeadlineStatus.EXPIRED if as_of > due else DeadlineStatus.RUNNING


def atw_term(
    cal: LegalCalendar,
    tr: Trace,
    event: dt.date,
    nominal: dt.date,
    days: int,
    unit: TermUnit,
    amount: int,
) -> dt.date:
    """Apply the Atw to a term of ``amount`` ``unit`` ending on ``nominal``; record why."""
    if not atw_applies(unit, amount, event):
        if not cal.is_working_day(nominal):
            tr.add("atw.not_applied", cite("atw-4"), date=nominal, day=nominal)
        return nominal
    out = cal.atw_end(event, nominal, days)
    if out.article == "1":
        holiday = out.holiday
        tr.add(
            "atw.moved",
            cite("atw-1-1"),
            date=out.end,
            nominal=nominal,
            reason=holiday if holiday is not None else Label(f"weekday.{out.reason.lower()}"),
            end=out.end,
        )
    elif out.article == "2":
        tr.add("atw.two_working_days", cite("atw-2"), date=out.end, nominal=nominal, end=out.end)
    flag_unknown_decree_years(cal, tr, event, out.end)
    return out.end


def flag_unknown_decree_years(cal: LegalCalendar, tr: Trace, start: dt.date, end: dt.date) -> None:
    for year in range(start.year, end.year + 1):
        if not cal.decree_known(year):
            tr.add("atw.decree_unknown", cite("atw-3-1"), status=Status.UNCONFIRMED, year=year)


def skipped_holidays(cal: LegalCalendar, tr: Trace, start: dt.date, end: dt.date) -> None:
    day = start
    while day <= end:
        h = cal.holiday_on(day)
        if h is not None and day.weekday() < 5:
            tr.add("calendar.holiday_skipped", h.source, holiday=h, day=day)
        day += dt.timedelta(days=1)


def eu_term(
    cal: LegalCalendar, tr: Trace, nominal: dt.date, *, rolls: Status | None
) -> tuple[dt.date, dt.date | None]:
    """The end of a term set by an EU regulation (not an Atw term, law-2026.md 7.1), as
    ``(due, alternative_due)``.

    ``rolls`` says whether Regulation 1182/71 art. 3(4) moves a last day that is a Saturday,
    Sunday or public holiday to the next working day: ``None`` where the regulation's own
    counting rule excludes it (Dublin III art. 42: periods include Saturdays, Sundays and
    holidays), ``Status.UNCONFIRMED`` where it is not settled whether 1182/71 applies (the
    APR and the AMMR): the term then ends on ``nominal`` and the rolled day is the
    ``alternative_due``; ``Status.CONFIRMED`` where it applies.
    """
    if cal.is_working_day(nominal):
        return nominal, None
    if rolls is None:
        tr.add("eu.no_roll", None, date=nominal, day=nominal)
        return nominal, None
    rolled = cal.roll_forward(nominal)
    if rolls is Status.CONFIRMED:
        tr.add("eu.rolled", cite("eu-1182-71-3"), date=rolled, day=nominal, end=rolled)
        return rolled, None
    tr.add(
        "eu.roll_unsettled",
        cite("eu-1182-71-3"),
        status=Status.UNCONFIRMED,
        day=nominal,
        end=rolled,
    )
    return nominal, rolled
