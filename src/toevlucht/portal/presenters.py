"""The law's assessment (:class:`~toevlucht.law.AssessmentView`) shaped for the portal's
pages. Pure functions: they read fields the law computed and pick which sentence a template
shows; they decide nothing about the law.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from toevlucht.law import AssessmentView, DeadlineKind, DeadlineStatus, RemedyKind
from toevlucht.law.view import DeadlineLine, RemedyLine

__all__ = [
    "Explained",
    "current_placement",
    "decision_deadline",
    "decision_state",
    "other_deadlines",
    "remedy_state",
    "remedy_views",
]


@dataclass(frozen=True, slots=True)
class Explained:
    """A line of the assessment with the portal's own words beside it; templates read the
    line's fields through it (``m.title``) and the added ones (``m.what``, ``r.state``)."""

    line: Any
    what: str = ""
    after: str = ""
    state: str = ""

    def __getattr__(self, name: str) -> Any:
        return getattr(self.line, name)


def decision_deadline(a: AssessmentView) -> DeadlineLine | None:
    return a.deadline(DeadlineKind.DECISION)


def other_deadlines(a: AssessmentView) -> list[DeadlineLine]:
    """Every deadline but the decision term: open ones first, then those done."""
    rest = [d for d in a.deadlines if d.kind is not DeadlineKind.DECISION]
    return sorted(rest, key=lambda d: (d.status is DeadlineStatus.MET, d.due))


def decision_state(a: AssessmentView) -> str:
    """Which sentence describes the decision term: ``not_started`` (no term yet),
    ``running``, ``extended`` (a measure gave more time), ``late`` (expired, undecided),
    ``decided`` (in time) or ``decided_late``."""
    d = decision_deadline(a)
    if d is None:
        return "not_started"
    if d.done_on:
        return "decided_late" if d.late_by_days else "decided"
    if d.status is DeadlineStatus.EXPIRED:
        return "late"
    if d.status is DeadlineStatus.SUSPENDED:
        return "extended"
    return "running"


def remedy_state(r: RemedyLine, as_of: dt.date) -> str:
    """``used`` (notice received, appeal lodged), ``available`` now, ``from`` a later date,
    ``by_court`` (a penalty a court may attach to its order: never something the applicant
    can simply do now), or ``not`` available."""
    if r.used_on:
        return "used"
    if r.available:
        return "by_court" if r.kind is RemedyKind.COURT_PENALTY else "available"
    if r.available_from is not None and r.available_from > as_of:
        return "from"
    return "not"


def remedy_views(a: AssessmentView) -> list[Explained]:
    return [Explained(r, state=remedy_state(r, a.as_of)) for r in a.remedies]


def current_placement(placements: list[Any], as_of: dt.date) -> Any | None:
    """The placement (``start`` inclusive, ``end`` exclusive) that covers ``as_of``."""
    return next(
        (p for p in placements if p.start <= as_of and (p.end is None or p.end > as_of)), None
    )
