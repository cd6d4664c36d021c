"""Writes of the staff pages: the case services, plus which deadlines the write changed (for
the message on the next page). No rule here: the law engine recomputes the projection."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from toevlucht.accounts.models import User
from toevlucht.cases import services
from toevlucht.cases.announce import measure_announce
from toevlucht.cases.models import Application, CaseStatus, ProcedureEvent
from toevlucht.cases.selectors import applications_visible_to
from toevlucht.measures.models import AnnouncedMeasure
from toevlucht.web.presenters import deadline_changes

__all__ = [
    "event_correct_and_compare",
    "event_record_and_compare",
    "measure_announce_and_compare",
]


def _projection(application_id: int) -> dict[str, Any]:
    row = (
        CaseStatus.objects.filter(application_id=application_id)
        .values("stage", "deadlines")
        .first()
    )
    return dict(row) if row else {"stage": "", "deadlines": []}


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """What a write changed, JSON-safe (it is kept in the session for the next page)."""
    return {
        "stage_before": before["stage"],
        "stage_after": after["stage"],
        "deadlines": deadline_changes(before["deadlines"], after["deadlines"]),
    }


def event_record_and_compare(
    *,
    actor: User,
    application: Application,
    kind: str,
    effective_date: dt.date,
    data: Mapping[str, Any],
    note: str,
) -> tuple[ProcedureEvent, dict[str, Any]]:
    """``cases.services.event_record``; returns the event and what it changed (stage before
    and after, the deadlines whose date or status moved).
    Raises ``EventRejected`` as the service does (nothing written)."""
    before = _projection(application.pk)
    event = services.event_record(
        actor=actor,
        application=application,
        kind=kind,
        effective_date=effective_date,
        data=data,
        note=note,
    )
    return event, _changes(before, _projection(application.pk))


def event_correct_and_compare(
    *,
    actor: User,
    event: ProcedureEvent,
    retract: bool,
    effective_date: dt.date | None,
    data: Mapping[str, Any] | None,
    note: str,
) -> tuple[ProcedureEvent, dict[str, Any]]:
    """``cases.services.event_correct`` (a new date or data, or a retraction); returns the
    correction and what it changed."""
    before = _projection(event.application_id)
    correction = services.event_correct(
        actor=actor,
        event=event,
        retract=retract,
        effective_date=None if retract else effective_date,
        data=None if retract else data,
        note=note,
    )
    return correction, _changes(before, _projection(event.application_id))


CHANGES_KEPT = 200  # cases listed under "what changed"; the count covers them all


def measure_announce_and_compare(
    *, actor: User, definition: Mapping[str, Any]
) -> tuple[AnnouncedMeasure, dict[str, Any]]:
    """``cases.announce.measure_announce``; returns the stored measure and, for the
    actor's own open cases, how many have their decision term moved and the first
    :data:`CHANGES_KEPT` of them (``{pk, reference, before_due, before_status, after_due,
    after_status}``, JSON-safe) — from the law's bulk computation the announcement made, so
    it is known at once, also while a background task writes the projections. Raises
    ``MeasureRejected`` as the service does."""
    row, preview = measure_announce(actor=actor, definition=definition)
    visible = set(
        applications_visible_to(actor).filter(status__open=True).values_list("pk", flat=True)
    )
    moved = sorted(pk for pk in preview.terms if pk in visible)
    refs = dict(
        Application.objects.filter(pk__in=moved[:CHANGES_KEPT]).values_list("pk", "reference")
    )
    rows = []
    for pk in moved[:CHANGES_KEPT]:
        (before_due, before_status), (after_due, after_status) = preview.terms[pk]
        rows.append(
            {
                "pk": pk,
                "reference": refs.get(pk, ""),
                "before_due": _iso(before_due),
                "before_status": before_status,
                "after_due": _iso(after_due),
                "after_status": after_status,
            }
        )
    return row, {"count": len(moved), "rows": rows}


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
