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
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Field
from django.utils import timezone

from toevlucht.cases.models import Application, CaseStatus
from toevlucht.law import Case, LawError, Measure, assess
from toevlucht.law.assess import Assessment
from toevlucht.law.deadlines import DeadlineKind, DeadlineStatus
from toevlucht.law.validity import valid_until

__all__ = [
    "COLUMNS",
    "ProjectedDeadline",
    "Projection",
    "projected_deadlines",
    "projection_from",
    "projection_on",
    "projection_write",
    "retention_mark",
]


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


def projection_from(
    case: Case, assessment: Assessment, measures: Mapping[str, Measure]
) -> Projection:
    """The projection of ``assessment`` (of ``case``, with ``measures``)."""
    a = assessment
    nxt = a.next_deadline
    decision = a.deadline("decision")
    return Projection(
        computed_on=a.as_of,
        valid_until=valid_until(case, a, measures),
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
