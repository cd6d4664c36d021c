"""The law's assessment (JSON, see :mod:`toevlucht.law.report`) shaped for the portal's
pages. Pure functions: they read fields the law computed and pick which sentence a template
shows; they decide nothing about the law.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from toevlucht.portal.formatting import parse_day
from toevlucht.portal.selectors import PublicEvent

__all__ = [
    "appointments",
    "current_placement",
    "decision_deadline",
    "decision_state",
    "other_deadlines",
    "remedy_state",
    "remedy_views",
]


def decision_deadline(a: dict[str, Any]) -> dict[str, Any] | None:
    return next((d for d in a.get("deadlines", []) if d["kind"] == "decision"), None)


def other_deadlines(a: dict[str, Any]) -> list[dict[str, Any]]:
    """Every deadline but the decision term: open ones first, then those done."""
    rest = [d for d in a.get("deadlines", []) if d["kind"] != "decision"]
    return sorted(rest, key=lambda d: (d["status"] == "met", d["due"] or ""))


def decision_state(a: dict[str, Any]) -> str:
    """Which sentence describes the decision term: ``not_started`` (no term yet),
    ``running``, ``extended`` (a measure gave more time), ``late`` (expired, undecided),
    ``decided`` (in time) or ``decided_late``."""
    d = decision_deadline(a)
    if d is None:
        return "not_started"
    if d.get("done_on"):
        return "decided_late" if d.get("late_by_days") else "decided"
    if d["status"] == "expired":
        return "late"
    if d["status"] == "suspended":
        return "extended"
    return "running"


def remedy_state(r: dict[str, Any], as_of: dt.date) -> str:
    """``used`` (notice received, appeal lodged), ``available`` now, ``from`` a later date,
    ``by_court`` (a penalty a court may attach to its order: never something the applicant
    can simply do now), or ``not`` available."""
    if r.get("used_on"):
        return "used"
    if r.get("available"):
        return "by_court" if r.get("kind") == "court_penalty" else "available"
    start = parse_day(r.get("available_from"))
    if start is not None and start > as_of:
        return "from"
    return "not"


def remedy_views(a: dict[str, Any]) -> list[dict[str, Any]]:
    as_of = dt.date.fromisoformat(a["as_of"])
    return [{**r, "state": remedy_state(r, as_of)} for r in a.get("remedies", [])]


def appointments(
    events: list[PublicEvent], as_of: dt.date
) -> tuple[list[PublicEvent], list[PublicEvent]]:
    """Interviews the IND planned: (coming, earlier). An interview counts as earlier when its
    day has passed or an interview of its kind was held after it was planned."""
    held_kinds = {
        "registration_interview_held": "registration",
        "detailed_interview_held": "detailed",
    }
    coming, earlier = [], []
    for e in events:
        if e.kind != "interview_scheduled":
            continue
        when = e.data.get("scheduled_for")
        held = any(
            held_kinds.get(h.kind) == e.data.get("interview") and h.date >= e.date for h in events
        )
        if when is not None and when >= as_of and not held:
            coming.append(e)
        else:
            earlier.append(e)
    coming.sort(key=lambda e: e.data["scheduled_for"])
    return coming, earlier


def current_placement(placements: list[Any], as_of: dt.date) -> Any | None:
    """The placement (``start`` inclusive, ``end`` exclusive) that covers ``as_of``."""
    return next(
        (p for p in placements if p.start <= as_of and (p.end is None or p.end > as_of)), None
    )
