"""The procedure as a transitions table, and the replay of a case's events.

Each row of :data:`TRANSITIONS` says which event may happen up to which stage, which stage
it leads to, and the legal source of the step. The table is the only truth about
transitions: a row's ``when`` selects it from the event's data and the facts replayed so far
(a general-procedure extension after the start, a ruling on an appeal against failure to
decide), exactly one row fits each event, and :func:`replay` never picks a row otherwise.
Histories may be incomplete (a case imported in the middle of the procedure), so an event
may skip earlier stages; an event that comes after a later stage has already been reached
contradicts the procedure and is a :class:`~toevlucht.law.errors.HistoryError` that names
both events.

Only events known on the assessment date count (recorded on or before it, effective on or
before it), and a correction replaces the event it corrects from the day it was recorded, so
any past date replays exactly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from toevlucht.law.errors import HistoryError
from toevlucht.law.model import (
    AppealAgainst,
    AppealLevel,
    Case,
    Event,
    EventKind,
    Procedure,
    RulingOutcome,
    Stage,
    Track,
)
from toevlucht.law.sources import Citation, load_sources

__all__ = ["TRANSITIONS", "History", "Transition", "known_events", "replay", "transition_for"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Transition:
    kind: EventKind
    variant: str  # "" or a short description for messages; never used to select a row
    latest: Stage  # the event may happen while the case is at most at this stage
    to: Stage | None  # None: the stage does not change
    source_id: str | None
    # selects this row among the rows of its kind, from the event and the facts so far
    when: Callable[[Event, History], bool] = lambda e, h: True

    @property
    def source(self) -> Citation | None:
        return load_sources()[self.source_id] if self.source_id else None


def _against(against: AppealAgainst, level: AppealLevel) -> Callable[[Event, History], bool]:
    return lambda e, h: e.against is against and e.level is level


def _on_failure_to_decide(e: Event, h: History) -> bool:
    """A district court ruling while the appeal it rules on is against failure to decide."""
    pending = h.pending_appeals(AppealLevel.COURT)
    return (
        e.level is AppealLevel.COURT
        and bool(pending)
        and pending[0].against is AppealAgainst.FAILURE_TO_DECIDE
    )


S = Stage
K = EventKind
TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        kind=K.ASYLUM_REQUESTED,
        variant="",
        latest=S.REQUESTED,
        to=S.REQUESTED,
        source_id="vb-3-107b",
    ),
    Transition(
        kind=K.APPLICATION_LODGED,
        variant="",
        latest=S.REQUESTED,
        to=S.REGISTRATION,
        source_id="vb-3-108",
    ),
    Transition(
        kind=K.TRACK_ASSIGNED,
        variant="",
        latest=S.EXTENDED_PROCEDURE,
        to=None,
        source_id="vb-3-109",
    ),
    Transition(
        kind=K.DUBLIN_RESPONSIBILITY_ESTABLISHED,
        variant="",
        latest=S.EXTENDED_PROCEDURE,
        to=None,
        source_id="vw-42-6",
    ),
    Transition(
        kind=K.INTERVIEW_SCHEDULED,
        variant="",
        latest=S.EXTENDED_PROCEDURE,
        to=None,
        source_id="vb-3-108d",
    ),
    Transition(
        kind=K.REGISTRATION_INTERVIEW_HELD,
        variant="",
        latest=S.REGISTRATION,
        to=S.REST_PERIOD,
        source_id="vb-3-108d",
    ),
    Transition(
        kind=K.GENERAL_PROCEDURE_EXTENDED,
        variant="before the start",
        latest=S.REST_PERIOD,
        to=None,
        source_id="vb-3-115",
        when=lambda e, h: h.gp_start is None,
    ),
    Transition(
        kind=K.GENERAL_PROCEDURE_STARTED,
        variant="",
        latest=S.REST_PERIOD,
        to=S.GENERAL_PROCEDURE,
        source_id="vb-3-110",
    ),
    Transition(
        kind=K.GENERAL_PROCEDURE_EXTENDED,
        variant="after the start",
        latest=S.GENERAL_PROCEDURE,
        to=None,
        source_id="vb-3-115",
        when=lambda e, h: h.gp_start is not None,
    ),
    Transition(
        kind=K.DETAILED_INTERVIEW_HELD,
        variant="",
        latest=S.EXTENDED_PROCEDURE,
        to=None,
        source_id="vb-3-113",
    ),
    Transition(
        kind=K.INTENTION_ISSUED,
        variant="general procedure",
        latest=S.GENERAL_PROCEDURE,
        to=S.GENERAL_PROCEDURE,
        source_id="vb-3-113",
        when=lambda e, h: e.procedure is Procedure.GENERAL,
    ),
    Transition(
        kind=K.INTENTION_ISSUED,
        variant="extended procedure",
        latest=S.EXTENDED_PROCEDURE,
        to=S.EXTENDED_PROCEDURE,
        source_id="vb-3-116",
        when=lambda e, h: e.procedure is Procedure.EXTENDED,
    ),
    Transition(
        kind=K.VIEW_SUBMITTED,
        variant="",
        latest=S.EXTENDED_PROCEDURE,
        to=None,
        source_id="vb-3-116",
    ),
    Transition(
        kind=K.REFERRED_TO_EXTENDED_PROCEDURE,
        variant="",
        latest=S.GENERAL_PROCEDURE,
        to=S.EXTENDED_PROCEDURE,
        source_id="vb-3-115",
    ),
    Transition(
        kind=K.DECISION_TERM_EXTENDED,
        variant="",
        latest=S.EXTENDED_PROCEDURE,
        to=None,
        source_id="vw-42-4",
    ),
    Transition(
        kind=K.NOTICE_OF_DEFAULT_RECEIVED,
        variant="",
        latest=S.EXTENDED_PROCEDURE,
        to=None,
        source_id="awb-6-12",
    ),
    Transition(
        kind=K.APPEAL_LODGED,
        variant="against failure to decide",
        latest=S.EXTENDED_PROCEDURE,
        to=None,
        source_id="awb-6-12",
        when=_against(AppealAgainst.FAILURE_TO_DECIDE, AppealLevel.COURT),
    ),
    Transition(
        kind=K.DECISION_NOTIFIED,
        variant="",
        latest=S.EXTENDED_PROCEDURE,
        to=S.DECIDED,
        source_id="vw-42-1",
    ),
    Transition(
        kind=K.APPEAL_LODGED,
        variant="against the decision",
        latest=S.DECIDED,
        to=S.APPEAL,
        source_id="vw-69-1",
        when=_against(AppealAgainst.DECISION, AppealLevel.COURT),
    ),
    Transition(
        kind=K.COURT_RULING,
        variant="on an appeal against failure to decide",
        latest=S.EXTENDED_PROCEDURE,
        to=None,
        source_id="awb-8-55d",
        when=_on_failure_to_decide,
    ),
    Transition(
        kind=K.COURT_RULING,
        variant="on the appeal",
        latest=S.APPEAL,
        to=S.APPEAL_DECIDED,
        source_id="vw-83b",
        when=lambda e, h: e.level is AppealLevel.COURT and not _on_failure_to_decide(e, h),
    ),
    Transition(
        kind=K.APPEAL_LODGED,
        variant="further appeal",
        latest=S.APPEAL_DECIDED,
        to=S.FURTHER_APPEAL,
        source_id="awb-6-24",
        when=lambda e, h: e.level is AppealLevel.COUNCIL_OF_STATE,
    ),
    Transition(
        kind=K.COURT_RULING,
        variant="on the further appeal",
        latest=S.FURTHER_APPEAL,
        to=S.FINAL,
        source_id="awb-6-24",
        when=lambda e, h: e.level is AppealLevel.COUNCIL_OF_STATE,
    ),
    Transition(
        kind=K.WITHDRAWN, variant="", latest=S.FURTHER_APPEAL, to=S.WITHDRAWN, source_id=None
    ),
)


def transition_for(
    event: Event, h: History, table: tuple[Transition, ...] | None = None
) -> Transition:
    """The one row of ``table`` (default :data:`TRANSITIONS`) that fits ``event`` given the
    facts replayed so far.

    Raises:
        HistoryError: no row fits (the event with these details is no step of the procedure).
        AssertionError: more than one row fits: the table itself is ambiguous.
    """
    rows = [t for t in (TRANSITIONS if table is None else table) if t.kind is event.kind]
    rows = [t for t in rows if t.when(event, h)]
    if not rows:
        raise HistoryError(
            f"{event.kind.value} with these details is not a step of the procedure "
            f"({', '.join(f'{k}={v}' for k, v in sorted(event.data.items()))})",
            index=event.index,
        )
    assert len(rows) == 1, f"the transitions table has {len(rows)} rows for {event}"
    return rows[0]


@dataclass(slots=True, kw_only=True)
class History:
    """The facts of a case as known on one date, after replaying its events."""

    as_of: dt.date
    events: list[Event] = field(default_factory=list)
    stage: Stage | None = None
    stage_since: dt.date | None = None  # the effective date of the event that set the stage
    track: Track = Track.GENERAL
    requested: Event | None = None
    lodged: Event | None = None
    dublin_responsible: Event | None = None
    registration_interview: Event | None = None
    gp_start: Event | None = None
    gp_extensions: list[Event] = field(default_factory=list)
    detailed_interviews: list[Event] = field(default_factory=list)
    intentions: list[Event] = field(default_factory=list)
    views: list[Event] = field(default_factory=list)
    referred: Event | None = None
    term_extensions: list[Event] = field(default_factory=list)
    decisions: list[Event] = field(default_factory=list)
    notices: list[Event] = field(default_factory=list)
    appeals: list[Event] = field(default_factory=list)
    rulings: list[Event] = field(default_factory=list)
    scheduled: list[Event] = field(default_factory=list)
    withdrawn: Event | None = None
    reopened: Event | None = None  # a ruling that annulled the decision

    @property
    def decision(self) -> Event | None:
        """The authority's current decision (none after an annulment)."""
        if not self.decisions:
            return None
        last = self.decisions[-1]
        if self.reopened is not None and self.reopened.date >= last.date:
            return None
        return last

    def decisions_before(self, day: dt.date) -> bool:
        return any(d.date < day for d in self.decisions)

    @property
    def latest_decision(self) -> Event | None:
        """The authority's latest decision, annulled or not (the one an appeal is against)."""
        return self.decisions[-1] if self.decisions else None

    def appeals_at(self, level: AppealLevel) -> list[Event]:
        """The appeals lodged with the district court or with the Council of State."""
        return [a for a in self.appeals if a.level is level]

    def rulings_at(self, level: AppealLevel) -> list[Event]:
        """The rulings of the district court or of the Council of State."""
        return [r for r in self.rulings if r.level is level]

    def pending_appeals(self, level: AppealLevel) -> list[Event]:
        """Appeals at ``level`` not yet ruled on (a court rules on its appeals in order)."""
        return self.appeals_at(level)[len(self.rulings_at(level)) :]

    def ruled_appeals(self, level: AppealLevel) -> list[tuple[Event, Event]]:
        """Each appeal at ``level`` that was ruled on, with its ruling, in order."""
        return list(zip(self.appeals_at(level), self.rulings_at(level), strict=False))

    def appeal_against(self, decision: Event) -> Event | None:
        """The appeal to the district court against ``decision``: the first appeal against a
        decision lodged on or after the day it was notified."""
        return next(
            (
                a
                for a in self.appeals
                if a.level is AppealLevel.COURT
                and a.against is AppealAgainst.DECISION
                and a.date >= decision.date
            ),
            None,
        )

    def appeal_against_latest_decision(self) -> Event | None:
        """The appeal to the district court against the latest decision, if one was lodged
        (what the ``appeal`` deadline's ``done_on`` is, in the scalar and the bulk path)."""
        latest = self.latest_decision
        return None if latest is None else self.appeal_against(latest)

    def further_appeal_after(self, ruling: Event) -> Event | None:
        """The first further appeal to the Council of State lodged on or after ``ruling``."""
        return next(
            (a for a in self.appeals_at(AppealLevel.COUNCIL_OF_STATE) if a.date >= ruling.date),
            None,
        )

    def failure_to_decide_appeal(self) -> Event | None:
        """The first appeal against the authority's failure to decide, if any."""
        return next((a for a in self.appeals if a.against is AppealAgainst.FAILURE_TO_DECIDE), None)


def known_events(events: Iterable[Event], as_of: dt.date) -> list[Event]:
    """Events in force on ``as_of``: recorded and effective by then, corrections applied."""
    known = [e for e in events if e.known_from <= as_of and e.date <= as_of]
    by_id = {e.id: e for e in known if e.id is not None}
    replaced: set[str] = set()
    for e in sorted(known, key=lambda e: (e.known_from, e.index)):
        if e.corrects is None:
            continue
        if e.corrects not in by_id and e.corrects not in replaced:
            # the corrected event is not known yet on as_of (recorded later): ignore
            continue
        replaced.add(e.corrects)
    out = [
        e
        for e in known
        if (e.id is None or e.id not in replaced) and e.kind is not EventKind.RETRACTION
    ]
    return sorted(out, key=lambda e: (e.date, e.index))


def _describe(e: Event) -> str:
    return f"{e.kind.value} on {e.date.isoformat()} (events[{e.index}])"


def replay(case: Case, as_of: dt.date) -> History:
    """Validate the events known on ``as_of`` against the procedure and collect the facts."""
    h = History(as_of=as_of)
    h.events = known_events(case.events, as_of)
    last: Event | None = None
    for e in h.events:
        row = transition_for(e, h)
        stage = h.stage
        if stage in (Stage.WITHDRAWN, Stage.FINAL):
            assert last is not None
            raise HistoryError(
                f"{_describe(e)} comes after {_describe(last)}, which ended the procedure",
                index=e.index,
            )
        if e.kind is EventKind.DECISION_NOTIFIED and h.decision is not None:
            raise HistoryError(
                f"{_describe(e)} follows the decision of {h.decision.date.isoformat()}, "
                "which no court has annulled",
                index=e.index,
            )
        if stage is not None and stage.rank > row.latest.rank:
            assert last is not None
            raise HistoryError(
                f"{_describe(e)} is impossible after {_describe(last)}: the case had already "
                f"reached the stage '{stage.value}', and {e.kind.value}"
                f"{' (' + row.variant + ')' if row.variant else ''} belongs to a stage up to "
                f"'{row.latest.value}'",
                index=e.index,
            )
        _collect(h, e)
        if row.to is not None and (
            stage is None or row.to.rank >= stage.rank or row.to is Stage.WITHDRAWN
        ):
            h.stage = row.to
        elif stage is None:
            h.stage = _implied_stage(e)
        if e.kind is EventKind.COURT_RULING and _annuls(e, h):
            h.reopened = e
            h.stage = Stage.EXTENDED_PROCEDURE
        if h.stage is not stage:
            h.stage_since = e.date
        last = e
    return h


def _implied_stage(e: Event) -> Stage:
    """The stage an incomplete history is at least in, judged from its first event."""
    if e.kind in (
        EventKind.TRACK_ASSIGNED,
        EventKind.DUBLIN_RESPONSIBILITY_ESTABLISHED,
        EventKind.INTERVIEW_SCHEDULED,
        EventKind.DECISION_TERM_EXTENDED,
        EventKind.NOTICE_OF_DEFAULT_RECEIVED,
        EventKind.APPEAL_LODGED,
    ):
        return Stage.REGISTRATION
    if e.kind is EventKind.GENERAL_PROCEDURE_EXTENDED:
        return Stage.REST_PERIOD
    if e.kind in (EventKind.DETAILED_INTERVIEW_HELD, EventKind.VIEW_SUBMITTED):
        return Stage.GENERAL_PROCEDURE
    return Stage.REGISTRATION


def _annuls(ruling: Event, h: History) -> bool:
    """A district court upholding an appeal against the decision annuls it."""
    if ruling.level is not AppealLevel.COURT:
        return False
    if ruling.ruling_outcome is not RulingOutcome.WELL_FOUNDED:
        return False
    appeals = h.appeals_at(AppealLevel.COURT)
    return bool(appeals) and appeals[-1].against is AppealAgainst.DECISION


def _collect(h: History, e: Event) -> None:
    k = e.kind
    if k is EventKind.ASYLUM_REQUESTED:
        h.requested = h.requested or e
    elif k is EventKind.APPLICATION_LODGED:
        h.lodged = e
    elif k is EventKind.TRACK_ASSIGNED:
        h.track = Track(e.get("track"))
    elif k is EventKind.DUBLIN_RESPONSIBILITY_ESTABLISHED:
        h.dublin_responsible = e
    elif k is EventKind.INTERVIEW_SCHEDULED:
        h.scheduled.append(e)
    elif k is EventKind.REGISTRATION_INTERVIEW_HELD:
        h.registration_interview = e
    elif k is EventKind.GENERAL_PROCEDURE_STARTED:
        h.gp_start = e
    elif k is EventKind.GENERAL_PROCEDURE_EXTENDED:
        h.gp_extensions.append(e)
    elif k is EventKind.DETAILED_INTERVIEW_HELD:
        h.detailed_interviews.append(e)
    elif k is EventKind.INTENTION_ISSUED:
        h.intentions.append(e)
    elif k is EventKind.VIEW_SUBMITTED:
        h.views.append(e)
    elif k is EventKind.REFERRED_TO_EXTENDED_PROCEDURE:
        h.referred = e
    elif k is EventKind.DECISION_TERM_EXTENDED:
        h.term_extensions.append(e)
    elif k is EventKind.DECISION_NOTIFIED:
        if h.decision is not None:
            raise HistoryError(
                f"{_describe(e)} follows the decision of {h.decision.date.isoformat()}, "
                "which no court has annulled",
                index=e.index,
            )
        h.decisions.append(e)
    elif k is EventKind.NOTICE_OF_DEFAULT_RECEIVED:
        h.notices.append(e)
    elif k is EventKind.APPEAL_LODGED:
        _check_appeal(h, e)
        h.appeals.append(e)
    elif k is EventKind.COURT_RULING:
        _check_ruling(h, e)
        h.rulings.append(e)
    elif k is EventKind.WITHDRAWN:
        h.withdrawn = e


def _check_appeal(h: History, e: Event) -> None:
    level, against = e.level, e.against
    if level is AppealLevel.COURT and against is AppealAgainst.DECISION and h.decision is None:
        raise HistoryError(
            f"{_describe(e)} is an appeal against a decision, but no decision of the authority "
            "precedes it",
            index=e.index,
        )
    if level is AppealLevel.COURT and h.pending_appeals(AppealLevel.COURT):
        raise HistoryError(
            f"{_describe(e)}: an appeal to the district court is already pending", index=e.index
        )
    if level is AppealLevel.COUNCIL_OF_STATE:
        if not h.rulings_at(AppealLevel.COURT):
            raise HistoryError(
                f"{_describe(e)} is a further appeal, but no ruling of the district court "
                "precedes it",
                index=e.index,
            )
        if against is not AppealAgainst.DECISION:
            raise HistoryError(
                f"{_describe(e)}: a further appeal is against the district court's ruling; "
                "give against='decision'",
                index=e.index,
            )


def _check_ruling(h: History, e: Event) -> None:
    level = e.level
    if not h.pending_appeals(level):
        where = "district court" if level is AppealLevel.COURT else "Council of State"
        raise HistoryError(
            f"{_describe(e)} is a ruling of the {where}, but no appeal is pending there",
            index=e.index,
        )
