"""The status projection: what ``CaseStatus`` keeps of the law engine's assessment of a case,
and the one write of it.

:class:`Projection` lists the computed columns once; :func:`projection_from` fills them from
an assessment (with ``valid_until``: until when the law says the projection holds), and
:func:`projection_write` writes any number of them with one prepared UPDATE and marks the
cases that closed for retention. Every write of a projection — an event recorded, a refresh,
an announced measure's recompute — goes through it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from enum import IntEnum
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Field
from django.utils import timezone

from toevlucht.cases.models import Application, CaseStatus
from toevlucht.law import Case, LawError, Measure, Stage, assess
from toevlucht.law.assess import Assessment
from toevlucht.law.deadlines import DeadlineKind, DeadlineStatus
from toevlucht.law.validity import valid_until

__all__ = [
    "COLUMNS",
    "ProjectedDeadline",
    "Projection",
    "QueueBand",
    "projected_deadlines",
    "projection_from",
    "projection_on",
    "projection_write",
    "retention_mark",
]


class QueueBand(IntEnum):
    """The bands of the work queue by legal urgency, in order (``CaseStatus.queue_band``);
    within a band cases are ordered by ``queue_date``."""

    OVERDUE = 0  # a term the authority must meet expired undone: most days late first
    WAITING_LATE = 1  # no running term, waiting; the law's next step late or missing
    DUE = 2  # a running (or suspended) term: soonest due first
    WAITING = 3  # no running term, waiting: longest wait first
    OTHER = 4  # nothing running, nobody waiting on the authority (e.g. closed)


ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True, slots=True, kw_only=True)
class Projection:
    """The columns of ``CaseStatus`` the law engine computes (see the model for each)."""

    computed_on: dt.date
    valid_until: dt.date | None = None  # None: holds until an event is recorded
    stage: str = ""
    track: str = "general"
    regime: str = "vw2000"
    open: bool = True
    next_deadline_kind: str = ""
    next_deadline_due: dt.date | None = None
    decision_due: dt.date | None = None
    decision_status: str = ""
    overdue: bool = False
    suspended: bool = False
    measures_in_force: list[str] = field(default_factory=list)
    deadlines: list[dict[str, Any]] = field(default_factory=list)
    error: str = ""
    waiting_since: dt.date | None = None
    stage_since: dt.date | None = None
    late_since: dt.date | None = None
    late_reason: str = ""
    queue_band: int = QueueBand.OTHER
    queue_date: dt.date | None = None


COLUMNS = tuple(f.name for f in fields(Projection))


@dataclass(frozen=True, slots=True, kw_only=True)
class ProjectedDeadline:
    """One deadline as the projection keeps it (``CaseStatus.deadlines``), typed again."""

    kind: DeadlineKind
    due: dt.date
    status: DeadlineStatus
    done_on: dt.date | None

    @property
    def running(self) -> bool:
        return self.status is DeadlineStatus.RUNNING


def projected_deadlines(stored: Sequence[Mapping[str, Any]] | None) -> list[ProjectedDeadline]:
    """The deadlines of a stored projection: the projection reads back its own column, so
    no other module parses it."""
    return [
        ProjectedDeadline(
            kind=DeadlineKind(d["kind"]),
            due=dt.date.fromisoformat(d["due"]),
            status=DeadlineStatus(d["status"]),
            done_on=dt.date.fromisoformat(d["done_on"]) if d.get("done_on") else None,
        )
        for d in stored or []
    ]


def interview_alert_days() -> int:
    """Days after the request by which a registration interview should have been held before
    the queue flags it as missing (``TOEVLUCHT_REGISTRATION_INTERVIEW_ALERT_DAYS``; the
    story's five weeks by default). A setting, not law: changing it needs a ``refresh
    --all``."""
    return int(getattr(settings, "TOEVLUCHT_REGISTRATION_INTERVIEW_ALERT_DAYS", 35))


@dataclass(frozen=True, slots=True)
class _Urgency:
    waiting_since: dt.date | None
    stage_since: dt.date | None
    late_since: dt.date | None
    late_reason: str
    band: QueueBand
    date: dt.date | None
    alert_on: dt.date | None  # a later day on which the interview flag will be raised


def _urgency(a: Assessment) -> _Urgency:
    """Where the case stands in the work queue, from the law's deadlines alone.

    *Late*: a term the authority must meet (``DeadlineKind.binds_authority``) expired with
    its act undone, or no registration interview ``interview_alert_days()`` after the
    request. *Waiting*: before the decision with no term running (a request not yet lodged
    whose registration term expired, a Dublin case whose decision term has not started)."""
    h = a.history
    stage = a.stage
    start = h.requested or h.lodged
    awaiting = stage is not None and stage.awaiting_decision
    waiting_since: dt.date | None = None
    if awaiting and start is not None:
        waiting_since = start.date
    elif stage in (Stage.APPEAL, Stage.FURTHER_APPEAL) and h.appeals:
        waiting_since = h.appeals[-1].date
    stage_since = h.stage_since.date if h.stage_since is not None and stage is h.stage else None
    late: list[tuple[dt.date, str]] = [
        (d.due + ONE_DAY, d.kind.value)
        for d in a.deadlines
        if d.kind.binds_authority and d.status is DeadlineStatus.EXPIRED and d.done_on is None
    ]
    alert_on = None
    if (
        awaiting
        and start is not None
        and h.registration_interview is None
        and stage in (Stage.REQUESTED, Stage.REGISTRATION)
    ):
        day = start.date + dt.timedelta(days=interview_alert_days())
        if day <= a.as_of:
            late.append((day, "registration_interview"))
        else:
            alert_on = day
    # the term the authority is late on counts before a missing interview or registration
    authority_late = [(day, kind) for day, kind in late if kind in ("decision", "court_order")]
    late_since, late_reason = min(authority_late or late) if late else (None, "")
    running = a.next_deadline is not None
    date: dt.date | None
    if authority_late:
        band, date = QueueBand.OVERDUE, late_since
    elif not running and waiting_since is not None:
        band = QueueBand.WAITING_LATE if late else QueueBand.WAITING
        date = waiting_since
    elif a.next_deadline is not None:
        band, date = QueueBand.DUE, a.next_deadline.due
    else:
        band, date = QueueBand.OTHER, waiting_since or stage_since
    return _Urgency(waiting_since, stage_since, late_since, late_reason, band, date, alert_on)


def projection_from(
    case: Case, assessment: Assessment, measures: Mapping[str, Measure]
) -> Projection:
    """The projection of ``assessment`` (of ``case``, with ``measures``)."""
    a = assessment
    nxt = a.next_deadline
    decision = a.deadline("decision")
    u = _urgency(a)
    until = valid_until(case, a, measures)
    if u.alert_on is not None and (until is None or u.alert_on < until):
        until = u.alert_on  # the day the interview flag is raised: time alone changes it
    return Projection(
        computed_on=a.as_of,
        valid_until=until,
        waiting_since=u.waiting_since,
        stage_since=u.stage_since,
        late_since=u.late_since,
        late_reason=u.late_reason,
        queue_band=u.band,
        queue_date=u.date,
        stage=a.stage.value if a.stage else "",
        track=a.history.track.value,
        regime=a.regime.value,
        open=a.stage is None or not a.stage.closed,
        next_deadline_kind=nxt.kind.value if nxt else "",
        next_deadline_due=nxt.due if nxt else None,
        decision_due=decision.due if decision else None,
        decision_status=decision.status.value if decision else "",
        overdue=a.overdue,
        suspended=decision is not None and decision.status is DeadlineStatus.SUSPENDED,
        measures_in_force=[v.measure.id for v in a.measures if v.in_force],
        deadlines=[
            {
                "kind": d.kind.value,
                "due": d.due.isoformat(),
                "status": d.status.value,
                "done_on": d.done_on.isoformat() if d.done_on else None,
            }
            for d in a.deadlines
        ],
    )


def projection_on(case: Case, as_of: dt.date, measures: Mapping[str, Measure]) -> Projection:
    """Assess ``case`` on ``as_of`` and project it; a case the law engine cannot assess gets
    a projection that says why (and is recomputed by every refresh)."""
    try:
        return projection_from(case, assess(case, as_of, measures=measures), measures)
    except LawError as exc:
        return Projection(computed_on=as_of, error=str(exc))


def _column(name: str) -> Field[Any, Any]:
    f = CaseStatus._meta.get_field(name)
    assert isinstance(f, Field)
    return f


def projection_write(rows: Sequence[tuple[int, Projection]], as_of: dt.date) -> None:
    """Write these (application id, projection) rows, then give the cases that closed their
    retention date. Call inside a transaction.

    One prepared UPDATE executed many times: Django's ``bulk_update`` builds a CASE
    expression per column and row and is two orders of magnitude slower. A case without a
    status row yet gets one."""
    if not rows:
        return
    columns = [_column(c) for c in COLUMNS]
    stamp = _column("computed_at")
    now = stamp.get_db_prep_save(timezone.now(), connection)
    qn = connection.ops.quote_name
    sets = ", ".join(f"{qn(f.column or f.name)} = %s" for f in [*columns, stamp])
    sql = f"UPDATE {qn(CaseStatus._meta.db_table)} SET {sets} WHERE {qn('application_id')} = %s"
    params = [
        [f.get_db_prep_save(getattr(p, f.name), connection) for f in columns] + [now, pk]
        for pk, p in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
        written = cursor.rowcount
    if written != len(rows):  # some case had no status row (or the driver does not count)
        have = set(
            CaseStatus.objects.filter(pk__in=[pk for pk, _ in rows]).values_list("pk", flat=True)
        )
        CaseStatus.objects.bulk_create(
            CaseStatus(application_id=pk, **{c: getattr(p, c) for c in COLUMNS})
            for pk, p in rows
            if pk not in have
        )
    retention_mark(rows, as_of)


def retention_mark(rows: Sequence[tuple[int, Projection]], as_of: dt.date) -> int:
    """Give cases that closed (final or withdrawn) their retention date: personal data is due
    for deletion ``TOEVLUCHT_RETENTION_YEARS`` after the case closed. Returns how many got
    one (a case keeps the date it got first)."""
    closed = [pk for pk, p in rows if not p.open]
    if not closed:
        return 0
    years = int(settings.TOEVLUCHT_RETENTION_YEARS)
    try:
        until = as_of.replace(year=as_of.year + years)
    except ValueError:  # 29 February
        until = as_of.replace(year=as_of.year + years, day=28)
    return Application.objects.filter(pk__in=closed, retention_until__isnull=True).update(
        retention_until=until
    )
