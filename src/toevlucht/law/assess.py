"""``assess(case, as_of)``: where a case stands on a date, by the law as known on that date.

The assessment holds the stage, every deadline that has started (with status and trace),
the policy measures touching the case, the remedies when the authority is late, and the
next steps. It computes and explains; it never weighs the claim itself.

>>> from toevlucht.law.model import parse_case
>>> case = parse_case({"applicant": {"nationality": "RUS"},
...     "events": [{"kind": "application_lodged", "date": "2022-03-10"}]})
>>> a = assess(case, dt.date(2022, 5, 9))
>>> a.stage.value, a.deadline("decision").due
('registration', datetime.date(2022, 9, 10))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from toevlucht.law.calendar import LegalCalendar, legal_calendar
from toevlucht.law.deadlines import (
    Deadline,
    DeadlineKind,
    DeadlineStatus,
    MeasureTouch,
    compute_deadlines,
    first_touch,
)
from toevlucht.law.measures import Match, MatchStatus, Measure, MeasureKind, load_measures
from toevlucht.law.model import Case, InterviewKind, Procedure, Stage, Track
from toevlucht.law.procedure import History, Warning, replay
from toevlucht.law.regime import Framework, Regime, on_boundary
from toevlucht.law.remedies import Remedy, RemedyKind, compute_remedies
from toevlucht.law.responsibility import responsibility_warnings, transfer_steps
from toevlucht.law.trace import Label

__all__ = ["Assessment", "MeasureView", "NextStep", "assess"]


@dataclass(frozen=True, slots=True, kw_only=True)
class MeasureView:
    """A measure that touches the case, as known on the assessment date."""

    measure: Measure
    match: Match
    on: dt.date  # first day it touches the case
    in_force: bool  # in force on the assessment date
    applied: bool  # moved the decision term
    reason: str  # applied | unconfirmed | disapplied | possibly | term_expired | ... | no_effect
    until: dt.date | None  # end as known on the assessment date

    @property
    def holds(self) -> bool:
        """The measure holds the case's decision on the assessment date: a decision
        moratorium or stop in force whose effect applies (or was replaced by the applicant's
        own extension letter). ``in_force`` alone is also true for a measure only shown."""
        return (
            self.in_force
            and self.reason in ("applied", "superseded")
            and self.measure.kind in (MeasureKind.DECISION_MORATORIUM, MeasureKind.DECISION_STOP)
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class NextStep:
    key: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class Assessment:
    as_of: dt.date
    stage: Stage | None
    history: History
    deadlines: tuple[Deadline, ...]
    measures: tuple[MeasureView, ...]
    remedies: tuple[Remedy, ...]
    next_steps: tuple[NextStep, ...]
    notes: tuple[str, ...]
    regime: Regime = Regime.VW2000
    framework: Framework = Framework.DUBLIN_III
    warnings: tuple[Warning, ...] = ()

    def deadline(self, kind: str | DeadlineKind) -> Deadline | None:
        return next((d for d in self.deadlines if d.kind == kind), None)

    def remedy(self, kind: str | RemedyKind) -> Remedy | None:
        return next((r for r in self.remedies if r.kind == kind), None)

    @property
    def next_deadline(self) -> Deadline | None:
        """The earliest deadline still running or suspended."""
        open_ = [
            d
            for d in self.deadlines
            if d.status in (DeadlineStatus.RUNNING, DeadlineStatus.SUSPENDED)
        ]
        return min(open_, key=lambda d: d.due, default=None)

    @property
    def overdue(self) -> bool:
        """The authority is late: the decision term expired without a decision."""
        d = self.deadline(DeadlineKind.DECISION)
        return d is not None and d.status is DeadlineStatus.EXPIRED and d.done_on is None


def _stage_on(h: History, deadlines: list[Deadline], as_of: dt.date) -> Stage | None:
    """The replayed stage, moved to FINAL once an appeal term passed unused."""
    stage = h.stage
    if stage is Stage.DECIDED:
        appeal = next((d for d in deadlines if d.kind is DeadlineKind.APPEAL), None)
        if (
            appeal is not None
            and appeal.status is DeadlineStatus.EXPIRED
            and appeal.done_on is None
        ):
            return Stage.FINAL
    if stage is Stage.APPEAL_DECIDED:
        further = next((d for d in deadlines if d.kind is DeadlineKind.FURTHER_APPEAL), None)
        if (
            further is not None
            and further.done_on is None
            and as_of > (further.alternative_due or further.due)
        ):
            return Stage.FINAL
    return stage


def _measure_views(
    case: Case,
    h: History,
    touches: list[MeasureTouch],
    measures: Mapping[str, Measure],
    as_of: dt.date,
) -> list[MeasureView]:
    views: list[MeasureView] = []
    touched = {t.measure.id for t in touches}
    for t in touches:
        views.append(
            MeasureView(
                measure=t.measure,
                match=t.match,
                on=t.on,
                in_force=t.measure.in_force_on(as_of, as_of),
                applied=t.applied,
                reason=t.reason,
                until=t.measure.until_known(as_of),
            )
        )
    first = h.events[0].date if h.events else None
    if first is None:
        return views
    lodged = h.lodged.date if h.lodged else None
    decided = h.decisions[0].date if h.decisions else None
    for m in measures.values():
        if m.id in touched or not m.known_on(as_of):
            continue
        if (
            m.kind is not MeasureKind.DEPARTURE_MORATORIUM
            and lodged is not None
            and h.track is not Track.DUBLIN
        ):
            continue  # decision-term measures are handled by the decision deadline
        until = None if m.kind is MeasureKind.DEPARTURE_MORATORIUM else decided
        hit = first_touch(m, case.applicant, lodged, first, until, as_of)
        if hit is None:
            continue
        reason = "possibly" if hit[1].status is MatchStatus.POSSIBLY else "no_effect"
        if m.kind is not MeasureKind.DEPARTURE_MORATORIUM and reason != "possibly":
            reason = "not_lodged" if lodged is None else "dublin"
        views.append(
            MeasureView(
                measure=m,
                match=hit[1],
                on=hit[0],
                in_force=m.in_force_on(as_of, as_of),
                applied=False,
                reason=reason,
                until=m.until_known(as_of),
            )
        )
    return sorted(views, key=lambda v: (v.on, v.measure.id))


def _next_steps(
    stage: Stage | None,
    h: History,
    deadlines: list[Deadline],
    remedies: list[Remedy],
    as_of: dt.date,
) -> list[NextStep]:
    by = {d.kind: d for d in deadlines}
    steps: list[NextStep] = []
    for s in h.scheduled:
        when = s.get("scheduled_for")
        done = (
            h.registration_interview
            if s.interview is InterviewKind.REGISTRATION
            else (h.detailed_interviews[-1] if h.detailed_interviews else None)
        )
        if when >= as_of and (done is None or done.date < s.date):
            steps.append(
                NextStep(
                    key="next.interview_scheduled",
                    params={"interview": Label(f"interview.{s.interview}"), "day": when},
                )
            )
    if stage is None:
        return steps
    if stage is Stage.REQUESTED and DeadlineKind.REGISTRATION in by:
        steps.append(
            NextStep(key="next.registration", params={"due": by[DeadlineKind.REGISTRATION].due})
        )
    if stage is Stage.REGISTERED and DeadlineKind.LODGING in by:
        steps.append(NextStep(key="next.apr_lodging", params={"due": by[DeadlineKind.LODGING].due}))
    if stage is Stage.EXAMINATION and DeadlineKind.DECISION in by:  # (not while Dublin waits)
        procedure = h.assigned_procedure or Procedure.REGULAR
        steps.append(
            NextStep(
                key="next.apr_examination",
                params={"procedure": Label(f"procedure.{procedure.value}")},
            )
        )
    if stage is Stage.REGISTRATION:
        steps.append(NextStep(key="next.registration_interview"))
    if stage is Stage.REST_PERIOD:
        steps.append(NextStep(key="next.rest_period"))
    if stage is Stage.GENERAL_PROCEDURE and DeadlineKind.GENERAL_PROCEDURE_DECISION in by:
        steps.append(
            NextStep(
                key="next.general_procedure",
                params={"due": by[DeadlineKind.GENERAL_PROCEDURE_DECISION].due},
            )
        )
    view = by.get(DeadlineKind.VIEW_ON_INTENTION)
    if view is not None and view.status is DeadlineStatus.RUNNING and stage.awaiting_decision:
        steps.append(NextStep(key="next.view", params={"due": view.due}))
    decision = by.get(DeadlineKind.DECISION)
    if stage.awaiting_decision and decision is not None:
        if decision.status is DeadlineStatus.EXPIRED:
            steps.append(NextStep(key="next.decision_late", params={"due": decision.due}))
            for r in remedies:
                if r.kind is RemedyKind.NOTICE_OF_DEFAULT and r.available:
                    steps.append(NextStep(key="next.notice_of_default"))
                if (
                    r.kind is RemedyKind.APPEAL_FAILURE_TO_DECIDE
                    and r.available_from
                    and not r.used_on
                ):
                    steps.append(
                        NextStep(key="next.appeal_failure", params={"day": r.available_from})
                    )
        else:
            key = (
                "next.decision_suspended"
                if decision.status is DeadlineStatus.SUSPENDED
                else "next.decision"
            )
            steps.append(NextStep(key=key, params={"due": decision.due}))
            if h.assigned_procedure is Procedure.BORDER:
                steps.append(NextStep(key="next.border_entry", params={"due": decision.due}))
    appeal = by.get(DeadlineKind.APPEAL)
    if stage is Stage.DECIDED and h.decision is not None:
        outcome = h.decision.decision_outcome
        steps.append(NextStep(key=f"next.decided_{outcome}"))
        if appeal is not None and appeal.status is DeadlineStatus.RUNNING:
            steps.append(NextStep(key="next.appeal", params={"due": appeal.due}))
        relief = by.get(DeadlineKind.INTERIM_RELIEF)
        if relief is not None and relief.status is DeadlineStatus.RUNNING:
            steps.append(NextStep(key="next.interim_relief", params={"due": relief.due}))
    if stage is Stage.APPEAL:
        steps.append(NextStep(key="next.court"))
    further = by.get(DeadlineKind.FURTHER_APPEAL)
    if (
        stage is Stage.APPEAL_DECIDED
        and further is not None
        and further.status is DeadlineStatus.RUNNING
    ):
        steps.append(NextStep(key="next.further_appeal", params={"due": further.due}))
    if stage is Stage.FURTHER_APPEAL:
        steps.append(NextStep(key="next.council_of_state"))
    if stage is Stage.FINAL:
        steps.append(NextStep(key="next.final"))
    if stage is Stage.WITHDRAWN:
        steps.append(NextStep(key="next.withdrawn"))
    steps.extend(_transfer_steps(h, deadlines, as_of))
    return steps


def _transfer_steps(h: History, deadlines: list[Deadline], as_of: dt.date) -> list[NextStep]:
    """The Dublin track: the responsibility clocks and, when one passed, that the
    Netherlands is responsible (toevlucht.law.responsibility)."""
    return [
        NextStep(key=k, params=p) for k, p in transfer_steps(h, legal_calendar(), deadlines, as_of)
    ]


def assess(
    case: Case,
    as_of: dt.date,
    *,
    measures: Mapping[str, Measure] | None = None,
    calendar: LegalCalendar | None = None,
) -> Assessment:
    """Assess ``case`` on ``as_of``, counting only events and measures known on that date.

    Raises:
        HistoryError: the events known on ``as_of`` contradict the procedure.
        CalendarRangeError: a date falls outside the legal calendar.
    """
    measures = load_measures() if measures is None else measures
    cal = legal_calendar() if calendar is None else calendar
    h = replay(case, as_of)
    deadlines, touches, notes = compute_deadlines(h, case.applicant, measures, cal, as_of)
    decision = next((d for d in deadlines if d.kind is DeadlineKind.DECISION), None)
    remedies = compute_remedies(h, decision, as_of) if h.stage is not Stage.WITHDRAWN else []
    stage = _stage_on(h, deadlines, as_of)
    views = _measure_views(case, h, touches, measures, as_of)
    if not h.events:
        notes.append("note.case_no_events")
    elif h.regime_basis == "events":
        notes.append("note.regime_events")
    if on_boundary(h.lodged.date if h.lodged else None, h.requested.date if h.requested else None):
        notes.append("note.regime_boundary")
    return Assessment(
        as_of=as_of,
        stage=stage,
        history=h,
        deadlines=tuple(deadlines),
        measures=tuple(views),
        remedies=tuple(remedies),
        next_steps=tuple(_next_steps(stage, h, deadlines, remedies, as_of)),
        notes=tuple(notes),
        regime=h.regime,
        framework=h.framework,
        warnings=(*h.warnings, *responsibility_warnings(h, cal, as_of)),
    )
