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
from typing import Any

from toevlucht.law.errors import HistoryError
from toevlucht.law.model import (
    AppealAgainst,
    AppealLevel,
    Case,
    DecisionOutcome,
    Event,
    EventKind,
    InterviewKind,
    Procedure,
    RulingOutcome,
    Stage,
    Track,
)
from toevlucht.law.regime import (
    Framework,
    Regime,
    procedure_regime,
    responsibility_framework,
)
from toevlucht.law.sources import Citation, load_sources
from toevlucht.law.trace import Label

__all__ = [
    "TRANSITIONS",
    "History",
    "Transition",
    "Warning",
    "known_events",
    "replay",
    "transition_for",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Transition:
    kind: EventKind
    variant: str  # "" or a short description for messages; never used to select a row
    latest: Stage  # the event may happen while the case is at most at this stage
    to: Stage | None  # None: the stage does not change
    source_id: str | None
    # selects this row among the rows of its kind, from the event and the facts so far
    when: Callable[[Event, History], bool] = lambda e, h: True
    # the procedure regimes in which this step exists
    regimes: frozenset[Regime] = frozenset(Regime)

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
OLD = frozenset({Regime.VW2000})
APR = frozenset({Regime.APR})
TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        kind=K.ASYLUM_REQUESTED,
        variant="",
        latest=S.REQUESTED,
        to=S.REQUESTED,
        source_id="vb-3-107b",
    ),
    Transition(
        kind=K.APPLICATION_REGISTERED,
        variant="",
        latest=S.REQUESTED,
        to=S.REGISTERED,
        source_id="apr-27-1",
        regimes=APR,
    ),
    Transition(
        kind=K.APPLICATION_LODGED,
        variant="",
        latest=S.REQUESTED,
        to=S.REGISTRATION,
        source_id="vb-3-108",
        regimes=OLD,
    ),
    Transition(
        kind=K.APPLICATION_LODGED,
        variant="",
        latest=S.REGISTERED,
        to=S.EXAMINATION,
        source_id="apr-28-1",
        regimes=APR,
    ),
    Transition(
        kind=K.PROCEDURE_ASSIGNED,
        variant="",
        latest=S.EXAMINATION,
        to=S.EXAMINATION,
        source_id="apr-35-4",
        regimes=APR,
    ),
    Transition(
        kind=K.TRACK_ASSIGNED,
        variant="",
        latest=S.EXAMINATION,
        to=None,
        source_id="vb-3-109",
    ),
    Transition(
        kind=K.DUBLIN_RESPONSIBILITY_ESTABLISHED,
        variant="",
        latest=S.EXAMINATION,
        to=None,
        source_id="vw-42-6",
    ),
    Transition(
        kind=K.RESPONSIBILITY_ASSUMED,
        variant="",
        latest=S.EXAMINATION,
        to=None,
        source_id="vw-42-6",
        regimes=OLD,
    ),
    Transition(
        kind=K.RESPONSIBILITY_ASSUMED,
        variant="",
        latest=S.EXAMINATION,
        to=None,
        source_id="apr-35-transfer",
        regimes=APR,
    ),
    Transition(
        kind=K.EURODAC_HIT,
        variant="",
        latest=S.EXAMINATION,
        to=None,
        source_id=None,
    ),
    Transition(
        kind=K.TRANSFER_REQUEST_SENT,
        variant="",
        latest=S.EXAMINATION,
        to=None,
        source_id=None,
    ),
    Transition(
        kind=K.TRANSFER_REQUEST_ANSWERED,
        variant="",
        latest=S.FURTHER_APPEAL,
        to=None,
        source_id=None,
    ),
    Transition(
        kind=K.TRANSFER_PERIOD_EXTENDED,
        variant="",
        latest=S.FURTHER_APPEAL,
        to=None,
        source_id=None,
    ),
    Transition(
        kind=K.TRANSFERRED,
        variant="",
        latest=S.FURTHER_APPEAL,
        to=S.TRANSFERRED,
        source_id=None,
    ),
    Transition(
        kind=K.INTERVIEW_SCHEDULED,
        variant="",
        latest=S.EXAMINATION,
        to=None,
        source_id="vb-3-108d",
    ),
    Transition(
        kind=K.REGISTRATION_INTERVIEW_HELD,
        variant="",
        latest=S.REGISTRATION,
        to=S.REST_PERIOD,
        source_id="vb-3-108d",
        regimes=OLD,
    ),
    Transition(
        kind=K.GENERAL_PROCEDURE_EXTENDED,
        variant="before the start",
        latest=S.REST_PERIOD,
        to=None,
        source_id="vb-3-115",
        when=lambda e, h: h.gp_start is None,
        regimes=OLD,
    ),
    Transition(
        kind=K.GENERAL_PROCEDURE_STARTED,
        variant="",
        latest=S.REST_PERIOD,
        to=S.GENERAL_PROCEDURE,
        source_id="vb-3-110",
        regimes=OLD,
    ),
    Transition(
        kind=K.GENERAL_PROCEDURE_EXTENDED,
        variant="after the start",
        latest=S.GENERAL_PROCEDURE,
        to=None,
        source_id="vb-3-115",
        when=lambda e, h: h.gp_start is not None,
        regimes=OLD,
    ),
    Transition(
        kind=K.DETAILED_INTERVIEW_HELD,
        variant="",
        latest=S.EXAMINATION,
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
        regimes=OLD,
    ),
    Transition(
        kind=K.INTENTION_ISSUED,
        variant="extended procedure",
        latest=S.EXAMINATION,
        to=S.EXTENDED_PROCEDURE,
        source_id="vb-3-116",
        when=lambda e, h: e.procedure is Procedure.EXTENDED,
        regimes=OLD,
    ),
    Transition(
        kind=K.VIEW_SUBMITTED,
        variant="",
        latest=S.EXAMINATION,
        to=None,
        source_id="vb-3-116",
        regimes=OLD,
    ),
    Transition(
        kind=K.REFERRED_TO_EXTENDED_PROCEDURE,
        variant="",
        latest=S.GENERAL_PROCEDURE,
        to=S.EXTENDED_PROCEDURE,
        source_id="vb-3-115",
        regimes=OLD,
    ),
    Transition(
        kind=K.DECISION_TERM_EXTENDED,
        variant="",
        latest=S.EXAMINATION,
        to=None,
        source_id="vw-42-4",
    ),
    Transition(
        kind=K.NOTICE_OF_DEFAULT_RECEIVED,
        variant="",
        latest=S.EXAMINATION,
        to=None,
        source_id="awb-6-12",
    ),
    Transition(
        kind=K.APPEAL_LODGED,
        variant="against failure to decide",
        latest=S.EXAMINATION,
        to=None,
        source_id="awb-6-12",
        when=_against(AppealAgainst.FAILURE_TO_DECIDE, AppealLevel.COURT),
    ),
    Transition(
        kind=K.DECISION_NOTIFIED,
        variant="",
        latest=S.EXAMINATION,
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
        latest=S.EXAMINATION,
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
    facts replayed so far and the case's regime.

    Raises:
        HistoryError: no row fits (the event with these details is no step of the procedure,
            or not of the regime that governs this case).
        AssertionError: more than one row fits: the table itself is ambiguous.
    """
    rows = [t for t in (TRANSITIONS if table is None else table) if t.kind is event.kind]
    rows = [t for t in rows if t.when(event, h)]
    if not rows:
        raise HistoryError(
            f"{event.kind.value} with these details is not a step of the procedure "
            f"({', '.join(f'{k}={v}' for k, v in sorted(event.data.items()))})",
            index=event.index,
            key="error.not_a_step",
            params={
                "event": Label(f"event.{event.kind.value}"),
                "day": event.date,
                "details": tuple(_detail(k, v) for k, v in sorted(event.data.items())),
            },
        )
    fitting = [t for t in rows if h.regime in t.regimes]
    if not fitting:
        raise HistoryError(
            f"{event.kind.value} on {event.date.isoformat()} is not a step of "
            f"{_REGIME_NAMES[h.regime]}, which governs this application ({h.regime_reason()})",
            index=event.index,
            key="error.not_in_regime",
            params={
                "event": Label(f"event.{event.kind.value}"),
                "day": event.date,
                "regime": Label(f"regime.{h.regime.value}"),
            },
        )
    assert len(fitting) == 1, f"the transitions table has {len(fitting)} rows for {event}"
    return fitting[0]


_REGIME_NAMES = {
    Regime.VW2000: "the old procedure (Vw 2000 and Vb 2000 before 12 June 2026)",
    Regime.APR: "the APR procedure (Regulation 2024/1348, Vw 2000 as amended)",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Warning:
    """An incomplete history: a step the law requires before another is missing. The
    assessment goes on; the warning says what is missing and on which article."""

    key: str  # message key (warning.*)
    source_id: str
    index: int  # the event whose required predecessor is missing
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def source(self) -> Citation:
        return load_sources()[self.source_id]


@dataclass(slots=True, kw_only=True)
class History:
    """The facts of a case as known on one date, after replaying its events."""

    as_of: dt.date
    events: list[Event] = field(default_factory=list)
    regime: Regime = Regime.VW2000
    regime_basis: str = "none"  # lodged | requested | events | none: what chose the regime
    stage: Stage | None = None
    track: Track = Track.GENERAL
    requested: Event | None = None
    registered: Event | None = None  # APR art. 27
    lodged: Event | None = None
    procedure: Event | None = None  # the latest procedure_assigned (APR)
    dublin_responsible: Event | None = None  # the Netherlands is responsible
    eurodac_hits: list[Event] = field(default_factory=list)
    transfer_requests: list[Event] = field(default_factory=list)
    transfer_answers: list[Event] = field(default_factory=list)
    transfer_extensions: list[Event] = field(default_factory=list)
    transferred: Event | None = None
    warnings: list[Warning] = field(default_factory=list)
    stage_since: Event | None = None  # the event that brought the case to its stage
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
    def apr(self) -> bool:
        """The application is under the APR regime."""
        return self.regime is Regime.APR

    def regime_reason(self) -> str:
        """Why the regime is what it is, in plain English (for error messages)."""
        if self.regime_basis == "lodged" and self.lodged is not None:
            return f"lodged on {self.lodged.date.isoformat()}"
        if self.regime_basis == "requested" and self.requested is not None:
            return f"requested on {self.requested.date.isoformat()}, not yet lodged"
        if self.regime_basis == "events":
            return "as its recorded events show"
        return "no lodging or request recorded"

    @property
    def registered_on(self) -> dt.date | None:
        """The day the application was registered for the responsibility rules: the APR's
        registration, else the lodging (the old law registers on lodging), else the request."""
        for e in (self.registered, self.lodged, self.requested):
            if e is not None:
                return e.date
        return None

    @property
    def framework(self) -> Framework:
        """Dublin III or the AMMR, by the registration date (AMMR art. 84)."""
        return responsibility_framework(registered=self.registered_on)

    @property
    def assigned_procedure(self) -> Procedure | None:
        """The APR procedure assigned to the application, if any."""
        return None if self.procedure is None else self.procedure.procedure

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


def _label(e: Event) -> Label:
    """The event's kind by its name in the catalogue, for a keyed error."""
    return Label(f"event.{e.kind.value}")


# data fields whose values the catalogue names (the section of the catalogue)
_NAMED_VALUES = {"procedure": "procedure", "interview": "interview", "track": "track"}


def _detail(name: str, value: object) -> Label | str:
    """One data field of an event in a keyed error: by the catalogue's name where it has
    one (a procedure, an interview, a track), else as ``name=value``."""
    section = _NAMED_VALUES.get(name)
    return Label(f"{section}.{value}") if section else f"{name}={value}"


def _is_apr_marker(e: Event) -> bool:
    """An event that exists only under the APR (or carries a value only the APR knows)."""
    if e.kind in (EventKind.APPLICATION_REGISTERED, EventKind.PROCEDURE_ASSIGNED):
        return True
    if e.kind is EventKind.DECISION_NOTIFIED:
        return e.procedure.apr or e.get("granted_under") is not None
    if e.kind is EventKind.DECISION_TERM_EXTENDED:
        return e.extension_ground.apr
    return False


def _regime_of(events: list[Event]) -> tuple[Regime, str]:
    """The procedure regime and what chose it (regimes.toml): the lodging date; not yet
    lodged, the request date, or an APR registration already recorded; with neither, the
    vocabulary of the events recorded (an incomplete history)."""
    lodged = next((e for e in events if e.kind is EventKind.APPLICATION_LODGED), None)
    if lodged is not None:
        return procedure_regime(lodged=lodged.date, requested=None), "lodged"
    if any(e.kind is EventKind.APPLICATION_REGISTERED for e in events):
        return Regime.APR, "events"
    requested = next((e for e in events if e.kind is EventKind.ASYLUM_REQUESTED), None)
    if requested is not None:
        return procedure_regime(lodged=None, requested=requested.date), "requested"
    if any(_is_apr_marker(e) for e in events):
        return Regime.APR, "events"
    return Regime.VW2000, "events" if events else "none"


def _out_of_order(e: Event, stage_event: Event, stage: Stage, row: Transition) -> HistoryError:
    """An event that cannot follow the stage the case reached. The event out of place is
    the one whose position in the file disagrees with its date: when the event that brought
    the case to ``stage`` was given after ``e`` but is dated before it, that one is."""
    culprit, other = (stage_event, e) if stage_event.index > e.index else (e, stage_event)
    params: dict[str, object] = {
        "event": _label(culprit),
        "day": culprit.date,
        "other": _label(other),
        "other_day": other.date,
    }
    if culprit is stage_event:
        problem = (
            f"{_describe(culprit)} is dated before {_describe(other)}, which the procedure "
            "requires to come first"
        )
        key = "error.dated_before"
    else:
        problem = (
            f"{_describe(culprit)} is impossible after {_describe(other)}: the case had already "
            f"reached the stage '{stage.value}', and {culprit.kind.value}"
            f"{' (' + row.variant + ')' if row.variant else ''} belongs to a stage up to "
            f"'{row.latest.value}'"
        )
        key = "error.impossible_after"
        params["stage"] = Label(f"stage.{stage.value}")
    return HistoryError(problem, index=culprit.index, key=key, params=params)


def replay(case: Case, as_of: dt.date) -> History:
    """Validate the events known on ``as_of`` against the procedure and collect the facts."""
    h = History(as_of=as_of)
    h.events = known_events(case.events, as_of)
    h.regime, h.regime_basis = _regime_of(h.events)
    last: Event | None = None
    stage_event: Event | None = None
    for e in h.events:
        row = transition_for(e, h)
        stage = h.stage
        if stage is not None and stage.closed:
            assert last is not None
            raise HistoryError(
                f"{_describe(e)} comes after {_describe(last)}, which ended the procedure",
                index=e.index,
                key="error.after_end",
                params={
                    "event": Label(f"event.{e.kind.value}"),
                    "day": e.date,
                    "other": Label(f"event.{last.kind.value}"),
                    "other_day": last.date,
                },
            )
        if e.kind is EventKind.DECISION_NOTIFIED and h.decision is not None:
            raise HistoryError(
                f"{_describe(e)} follows the decision of {h.decision.date.isoformat()}, "
                "which no court has annulled",
                index=e.index,
                key="error.decision_after_decision",
                params={"event": _label(e), "day": e.date, "other_day": h.decision.date},
            )
        if stage is not None and stage.rank > row.latest.rank:
            assert last is not None
            raise _out_of_order(e, stage_event or last, stage, row)
        _check_regime_data(h, e)
        _warn(h, e)
        _collect(h, e)
        if row.to is not None and (
            stage is None
            or row.to.rank >= stage.rank
            or row.to in (Stage.WITHDRAWN, Stage.TRANSFERRED)
        ):
            if row.to is not stage:
                stage_event = e
            h.stage = row.to
        elif stage is None:
            h.stage = _implied_stage(e, h)
            stage_event = e
        if e.kind is EventKind.COURT_RULING and _annuls(e, h):
            h.reopened = e
            h.stage = Stage.EXAMINATION if h.apr else Stage.EXTENDED_PROCEDURE
            stage_event = e
        last = e
    h.stage_since = stage_event
    return h


def _check_regime_data(h: History, e: Event) -> None:
    """Event data that only one regime knows (a procedure, an extension ground, a grant
    article) on a case of the other regime."""
    bad: tuple[str, str, Label | str] | None = None  # (field, value, the value by its name)
    if e.kind is EventKind.DECISION_NOTIFIED:
        if e.procedure.apr != h.apr:
            bad = ("procedure", e.procedure.value, Label(f"procedure.{e.procedure.value}"))
        elif e.get("granted_under") is not None and not h.apr:
            bad = ("granted_under", str(e.get("granted_under")), str(e.get("granted_under")))
    elif e.kind is EventKind.DECISION_TERM_EXTENDED:
        g = e.extension_ground
        if (g.apr and not h.apr) or (g.old_regime and h.apr):
            bad = ("ground", g.value, Label(f"extension_ground.{g.value}"))
    elif e.kind is EventKind.INTERVIEW_SCHEDULED and h.apr:
        if e.interview is InterviewKind.REGISTRATION:
            bad = ("interview", e.interview.value, Label(f"interview.{e.interview.value}"))
    elif (
        e.kind is EventKind.PROCEDURE_ASSIGNED
        and e.get("relocation")
        and e.procedure is not Procedure.BORDER
    ):
        raise HistoryError(
            f"{_describe(e)}: relocation extends only the border procedure (Vw 2000 art. 3(6))",
            index=e.index,
            key="error.relocation_not_border",
            params={"event": _label(e), "day": e.date},
        )
    if bad is not None:
        field, raw, named = bad
        raise HistoryError(
            f"{_describe(e)} has {field}={raw}, which is not part of {_REGIME_NAMES[h.regime]} "
            f"that governs this application ({h.regime_reason()})",
            index=e.index,
            key="error.value_not_in_regime",
            params={
                "event": _label(e),
                "day": e.date,
                "field": Label(f"field.{field}"),
                "value": named,
                "regime": Label(f"regime.{h.regime.value}"),
            },
        )


def _warn(h: History, e: Event) -> None:
    """A step the law requires before ``e`` is missing: accepted as an incomplete history,
    and flagged. Old regime: a refusal without an intention to refuse (Vw 2000 art. 39 as it
    stood before 12 June 2026, Awb 4:8)."""
    if (
        e.kind is EventKind.DECISION_NOTIFIED
        and not h.apr
        and e.decision_outcome is DecisionOutcome.REFUSED
        and not any(i.date <= e.date for i in h.intentions)
    ):
        h.warnings.append(
            Warning(
                key="warning.refusal_without_intention",
                source_id="vw-39",
                index=e.index,
                params={"day": e.date},
            )
        )


def _implied_stage(e: Event, h: History) -> Stage:
    """The stage an incomplete history is at least in, judged from its first event."""
    if h.apr:
        return Stage.EXAMINATION
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
    elif k is EventKind.APPLICATION_REGISTERED:
        h.registered = h.registered or e
    elif k is EventKind.APPLICATION_LODGED:
        h.lodged = e
    elif k is EventKind.PROCEDURE_ASSIGNED:
        h.procedure = e
    elif k is EventKind.RESPONSIBILITY_ASSUMED:
        h.dublin_responsible = h.dublin_responsible or e
    elif k is EventKind.EURODAC_HIT:
        h.eurodac_hits.append(e)
    elif k is EventKind.TRANSFER_REQUEST_SENT:
        h.transfer_requests.append(e)
    elif k is EventKind.TRANSFER_REQUEST_ANSWERED:
        h.transfer_answers.append(e)
    elif k is EventKind.TRANSFER_PERIOD_EXTENDED:
        h.transfer_extensions.append(e)
    elif k is EventKind.TRANSFERRED:
        h.transferred = e
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
                key="error.decision_after_decision",
                params={"event": _label(e), "day": e.date, "other_day": h.decision.date},
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
            key="error.appeal_without_decision",
            params={"event": _label(e), "day": e.date},
        )
    if level is AppealLevel.COURT and h.pending_appeals(AppealLevel.COURT):
        raise HistoryError(
            f"{_describe(e)}: an appeal to the district court is already pending",
            index=e.index,
            key="error.appeal_pending",
            params={"event": _label(e), "day": e.date},
        )
    if level is AppealLevel.COUNCIL_OF_STATE:
        if not h.rulings_at(AppealLevel.COURT):
            raise HistoryError(
                f"{_describe(e)} is a further appeal, but no ruling of the district court "
                "precedes it",
                index=e.index,
                key="error.further_appeal_without_ruling",
                params={"event": _label(e), "day": e.date},
            )
        if against is not AppealAgainst.DECISION:
            raise HistoryError(
                f"{_describe(e)}: a further appeal is against the district court's ruling; "
                "give against='decision'",
                index=e.index,
                key="error.further_appeal_against_ruling",
                params={"event": _label(e), "day": e.date},
            )


def _check_ruling(h: History, e: Event) -> None:
    level = e.level
    if not h.pending_appeals(level):
        where = "district court" if level is AppealLevel.COURT else "Council of State"
        raise HistoryError(
            f"{_describe(e)} is a ruling of the {where}, but no appeal is pending there",
            index=e.index,
            key=(
                "error.ruling_without_appeal"
                if level is AppealLevel.COURT
                else "error.ruling_without_further_appeal"
            ),
            params={"event": _label(e), "day": e.date},
        )
