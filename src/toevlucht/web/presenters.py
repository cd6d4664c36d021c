"""Shaping what the selectors return for the templates: events become a timeline that shows
corrections as such, two projections become the list of deadlines that changed (kept in
the session for the next page, its dates read back here), and a page of the work queue
becomes its rows with their labels and dates already in the page's language.

Nothing here computes a date or decides anything: it only rearranges.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from toevlucht import clock
from toevlucht.cases.countries import country_names
from toevlucht.cases.models import Application, ProcedureEvent
from toevlucht.law import EventKind
from toevlucht.web.labels import (
    choice_label,
    event_kind_label,
    field_label,
    group_label,
    law_label,
)

__all__ = [
    "QueueRow",
    "TimelineEntry",
    "changes_from_session",
    "deadline_changes",
    "queue_rows",
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


@dataclass(frozen=True)
class QueueRow:
    """One line of the work queue with what its cells show, in the page's language: the
    template only places these (no filter or translation per row)."""

    pk: str
    reference: str
    url: str
    select_label: SafeString  # "Select <reference>" for the check box
    name: str  # the applicant's name in Latin script
    native: str  # and in their own
    groups: list[str]
    nationality: str  # by its name
    alert: bool  # overdue, or a late next step
    stage: str = ""
    in_stage: str = ""  # whole days since the stage began
    waiting_iso: str = ""
    waiting: str = ""
    due_kind: str = ""  # the next deadline
    due_iso: str = ""
    due: str = ""
    late_step: SafeString | str = ""  # the badge of a late next step (not when overdue)
    decision_due: str = ""
    expired: SafeString | str = ""  # the badge of an expired decision term
    suspended: bool = False
    caseworker: str | None = None  # None: nobody


class _PageLabels:
    """Labels, dates and phrases for one page of the queue, each computed once (a page of 50
    cases repeats the same stages, deadlines and dates)."""

    def __init__(self) -> None:
        self.today = clock.today()
        self.select = gettext("Select %(r)s")
        self.expired = gettext("expired")
        self.no_interview = gettext("no registration interview yet")
        self.countries = country_names()  # built once per language and process
        self._law: dict[tuple[str, str], str] = {}
        self._dates: dict[dt.date, str] = {}
        self._groups: dict[str, str] = {}
        self._late: dict[dt.date, str] = {}

    def law(self, section: str, value: str) -> str:
        key = (section, value)
        if key not in self._law:
            self._law[key] = law_label(section, value)
        return self._law[key]

    def date(self, day: dt.date | None) -> str:
        if day is None:
            return ""
        if day not in self._dates:
            self._dates[day] = date_format(day, "j M Y")
        return self._dates[day]

    def group(self, group_id: str) -> str:
        if group_id not in self._groups:
            self._groups[group_id] = group_label(group_id)
        return self._groups[group_id]

    def days_late(self, since: dt.date) -> str:
        """ "N days late", counting the first late day as one."""
        if since not in self._late:
            n = (self.today - since).days + 1
            self._late[since] = ngettext("%(n)s day late", "%(n)s days late", n) % {"n": n}
        return self._late[since]


def queue_rows(applications: Iterable[Application]) -> list[QueueRow]:
    """The rows of a page of the work queue (applications with applicant, status and
    caseworker loaded; the page was audited by its selector)."""
    labels = _PageLabels()
    return [_queue_row(app, labels) for app in applications]


def _queue_row(app: Application, t: _PageLabels) -> QueueRow:
    """As ``{% blocktranslate %}`` would: the translations as they are, the values in them
    escaped (hence safe strings); every other value is escaped by the template."""
    a, s = app.applicant, getattr(app, "status", None)
    row = QueueRow(
        pk=str(app.pk),
        reference=app.reference,
        url=reverse("web:case", args=[app.pk]),
        select_label=mark_safe(t.select % {"r": conditional_escape(app.reference)}),
        name=a.display_name,
        native=f"{a.given_names} {a.family_name}",
        groups=[t.group(str(g)) for g in a.groups or []],
        nationality=t.countries.get(a.nationality, a.nationality),
        alert=bool(s is not None and (s.overdue or s.late_since)),
        caseworker=(
            (app.caseworker.get_full_name() or app.caseworker.username) if app.caseworker else None
        ),
    )
    if s is None:  # every case has a status; one without shows empty cells
        return row
    late_step: SafeString | str = ""
    if s.late_since and not s.overdue:
        if s.late_reason == "registration_interview":
            why = t.no_interview
        else:
            kind = conditional_escape(t.law("deadline", s.late_reason))
            why = gettext("%(k)s: late") % {"k": kind}
        late_step = mark_safe(f"{why} · {t.days_late(s.late_since)}")
    expired: SafeString | str = ""
    if s.overdue:
        late = f" · {t.days_late(s.late_since)}" if s.late_since else ""
        expired = mark_safe(f"{t.expired}{late}")
    return replace(
        row,
        stage=t.law("stage", str(s.stage or "")),
        in_stage=str((t.today - s.stage_since).days) if s.stage_since else "",
        waiting_iso=s.waiting_since.isoformat() if s.waiting_since else "",
        waiting=t.date(s.waiting_since),
        due_kind=t.law("deadline", str(s.next_deadline_kind or "")),
        due_iso=s.next_deadline_due.isoformat() if s.next_deadline_due else "",
        due=t.date(s.next_deadline_due),
        late_step=late_step,
        decision_due=t.date(s.decision_due),
        expired=expired,
        suspended=bool(s.suspended),
    )
