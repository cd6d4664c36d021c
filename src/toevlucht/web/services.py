"""Writes of the staff pages: the case services, plus which deadlines the write changed (for
the message on the next page). No rule here: the law engine recomputes the projection."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from toevlucht.accounts.models import User
from toevlucht.cases import services
from toevlucht.cases.models import Application, CaseStatus, ProcedureEvent
from toevlucht.cases.selectors import applications_visible_to
from toevlucht.measures.models import AnnouncedMeasure
from toevlucht.measures.services import measure_announce
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


def _decision_terms(actor: User) -> dict[int, tuple[Any, str]]:
    rows = (
        applications_visible_to(actor)
        .filter(status__open=True)
        .values_list("pk", "status__decision_due", "status__decision_status")
    )
    return {pk: (due, status) for pk, due, status in rows}


def measure_announce_and_compare(
    *, actor: User, definition: Mapping[str, Any]
) -> tuple[AnnouncedMeasure, dict[str, Any]]:
    """``measures.services.measure_announce``; returns the stored measure and, for the
    actor's own open cases, how many had their decision term moved and the first
    :data:`CHANGES_KEPT` of them (``{pk, reference, before_due, before_status, after_due,
    after_status}``, JSON-safe). Raises ``MeasureRejected`` as the service does."""
    before = _decision_terms(actor)
    row = measure_announce(actor=actor, definition=definition)
    after = _decision_terms(actor)
    moved = sorted(pk for pk, term in after.items() if before.get(pk, term) != term)
    refs = dict(
        Application.objects.filter(pk__in=moved[:CHANGES_KEPT]).values_list("pk", "reference")
    )
    rows = [
        {
            "pk": pk,
            "reference": refs.get(pk, ""),
            "before_due": _iso(before[pk][0]),
            "before_status": before[pk][1],
            "after_due": _iso(after[pk][0]),
            "after_status": after[pk][1],
        }
        for pk in moved[:CHANGES_KEPT]
    ]
    return row, {"count": len(moved), "rows": rows}


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
