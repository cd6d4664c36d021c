"""Shaping what the selectors return for the templates: events become a timeline that shows
corrections as such, and two projections become the list of deadlines that changed (kept in
the session for the next page, its dates read back here).

Nothing here computes a date or decides anything: it only rearranges.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from toevlucht.cases.models import ProcedureEvent
from toevlucht.law import EventKind
from toevlucht.web.labels import choice_label, event_kind_label, field_label

__all__ = [
    "TimelineEntry",
    "changes_from_session",
    "deadline_changes",
    "timeline",
]

_SESSION_DATE_KEYS = ("before_due", "after_due")


def changes_from_session(changes: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """What a write changed, as kept in the session by :mod:`toevlucht.web.services`
    (``deadlines`` or ``rows`` of ``{before_due, after_due, ...}`` with ISO dates), with
    those dates as ``datetime.date`` again for the templates."""
    if not changes:
        return None
    out = dict(changes)
    for key in ("deadlines", "rows"):
        if key in out:
            out[key] = [
                {
                    k: dt.date.fromisoformat(v) if k in _SESSION_DATE_KEYS and v else v
                    for k, v in row.items()
                }
                for row in out[key]
            ]
    return out


@dataclass
class TimelineEntry:
    event: ProcedureEvent
    label: str
    data: list[tuple[str, str]]
    corrects_seq: int | None = None
    retracts: bool = False
    corrected_by: list[int] = field(default_factory=list)
    retracted: bool = False

    @property
    def superseded(self) -> bool:
        return self.retracted or bool(self.corrected_by)


def _data_items(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    out = []
    for name, value in data.items():
        if name == "scheduled_for" and isinstance(value, str):
            out.append((field_label(name), value))
        else:
            out.append((field_label(name), choice_label(name, value)))
    return out


def timeline(events: Iterable[ProcedureEvent]) -> list[TimelineEntry]:
    """Events in the order they were recorded; a correction names the event it corrects and
    the corrected event names its corrections (a retraction voids it)."""
    entries = [
        TimelineEntry(event=e, label=event_kind_label(e.kind), data=_data_items(e.data))
        for e in events
    ]
    by_pk = {t.event.pk: t for t in entries}
    for t in entries:
        target = by_pk.get(t.event.corrects_id) if t.event.corrects_id else None
        if target is None:
            continue
        t.corrects_seq = target.event.seq
        if t.event.kind == EventKind.RETRACTION:
            t.retracts = True
            target.retracted = True
        else:
            target.corrected_by.append(t.event.seq)
    return entries


def _index(rows: Sequence[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    return {str(r["kind"]): r for r in rows}


def deadline_changes(
    before: Sequence[Mapping[str, Any]], after: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """Deadlines of two status projections (``CaseStatus.deadlines``) whose due date or
    status differ, new and gone ones included: ``{kind, before_due, before_status,
    after_due, after_status}`` (JSON-safe, kept in the session for the next page)."""
    b, a = _index(before), _index(after)
    out = []
    for kind in [*a, *(k for k in b if k not in a)]:
        old, new = b.get(kind, {}), a.get(kind, {})
        if (old.get("due"), old.get("status")) == (new.get("due"), new.get("status")):
            continue
        out.append(
            {
                "kind": kind,
                "before_due": old.get("due"),
                "before_status": old.get("status", ""),
                "after_due": new.get("due"),
                "after_status": new.get("status", ""),
            }
        )
    return out
