"""Recomputing status projections in bulk: time passes and deadlines expire without any
event; a new measure moves the terms of the cases it touches.

``refresh_all`` recomputes the open cases whose projection the law says may have changed by
the date (``CaseStatus.valid_until``), in chunks, each chunk in its own transaction, so a
killed refresh leaves every case either as it was or fully recomputed. The law engine runs
in worker processes (:mod:`toevlucht.cases.pool`); what is written is a
:class:`~toevlucht.cases.projection.Projection`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import CharField, Max, Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from toevlucht import clock
from toevlucht.cases.lawcase import law_applicant_values, trusted_event
from toevlucht.cases.models import Application, CaseStatus, ProcedureEvent
from toevlucht.cases.pool import pipelined, processes_for
from toevlucht.cases.projection import Projection, projection_on, projection_write
from toevlucht.law import Case, Measure
from toevlucht.law.bulk import CaseTable, concat_tables, table_from_cases
from toevlucht.measures.models import AnnouncedMeasure
from toevlucht.measures.selectors import all_measures

__all__ = ["RefreshReport", "open_cases_table", "recompute_applications", "refresh_all"]

CHUNK = 2000
# what a refresh reports as a change when it differs (the clock and the traces aside)
CHANGE_COLUMNS = (
    "stage",
    "next_deadline_due",
    "decision_due",
    "decision_status",
    "overdue",
    "measures_in_force",
)


@dataclass
class RefreshReport:
    as_of: dt.date
    cases: int = 0  # recomputed by the law engine
    changed: int = 0
    errors: int = 0
    unchanged: int = 0  # open cases whose projection still holds (clock moved only)


# A case as plain values (cheap to send to a worker process): application id, reference,
# nationality, birth date, sex, groups, and its events as
# (seq, kind, effective date, data as JSON text, recorded on, event id, corrects id).
RawCase = tuple[
    int,
    str,
    str,
    dt.date | None,
    str,
    list[str],
    list[tuple[int, str, dt.date, str, dt.date | None, int, int | None]],
]
Versions = dict[int, int]  # application id -> id of its latest event when it was read
Rows = list[tuple[int, Projection]]


def _fetch(ids: Sequence[int]) -> list[RawCase]:
    """The cases with these ids as plain values, with two queries and no model instances
    (the bulk path: events were validated when they were recorded)."""
    apps = {
        r[0]: r
        for r in Application.objects.filter(pk__in=ids).values_list(
            "pk",
            "reference",
            "applicant__nationality",
            "applicant__birth_date",
            "applicant__sex",
            "applicant__groups",
        )
    }
    events: dict[int, list[Any]] = defaultdict(list)
    day = dt.date.fromisoformat
    rows = (
        ProcedureEvent.objects.filter(application_id__in=ids)
        .order_by("application_id", "seq")
        # the data as JSON text: the workers decode it, not this (the busiest) process;
        # the days as ISO text, read with date.fromisoformat: the database driver's own
        # conversion of a date column took a fifth of the reading
        .annotate(
            data_text=Cast("data", TextField()),
            effective=Cast("effective_date", CharField()),
            recorded=Cast("recorded_on", CharField()),
        )
        .values_list(
            "application_id",
            "seq",
            "kind",
            "effective",
            "data_text",
            "recorded",
            "pk",
            "corrects_id",
        )
    )
    for app_id, seq, kind, effective, data, recorded, pk, corrects in rows:
        events[app_id].append(
            (seq, kind, day(effective), data, day(recorded) if recorded else None, pk, corrects)
        )
    return [
        (pk, ref, nat, birth, sex, grp or [], events[pk])
        for pk, ref, nat, birth, sex, grp in (apps[i] for i in ids if i in apps)
    ]


def _build(raw: RawCase) -> Case:
    """The law engine's case from its plain values (runs in the worker processes)."""
    _pk, reference, nationality, birth_date, sex, applicant_groups, events = raw
    return Case(
        applicant=law_applicant_values(nationality, birth_date, sex, applicant_groups),
        events=tuple(
            trusted_event(
                kind=kind,
                effective_date=day,
                # most events carry no data: no JSON to decode (a tenth of the build)
                data=json.loads(data) if data and data != "{}" else {},
                recorded_on=recorded,
                pk=pk,
                corrects_id=corrects,
                seq=seq,
            )
            for seq, kind, day, data, recorded, pk, corrects in events
        ),
        reference=reference,
    )


def _versions(raw: Sequence[RawCase]) -> Versions:
    return {r[0]: max((e[5] for e in r[6]), default=0) for r in raw}


def _project(as_of: dt.date, measures: Mapping[str, Measure], batch: Sequence[RawCase]) -> Rows:
    """Worker: the projections of a batch of cases."""
    return [(raw[0], projection_on(_build(raw), as_of, measures)) for raw in batch]


def _table(as_of: dt.date, batch: Sequence[RawCase]) -> tuple[list[int], CaseTable]:
    """Worker: a batch of cases as rows of ``law.bulk``'s table."""
    return [raw[0] for raw in batch], table_from_cases([_build(raw) for raw in batch], as_of)


def _chunks(ids: Sequence[int]) -> list[list[int]]:
    return [list(ids[k : k + CHUNK]) for k in range(0, len(ids), CHUNK)]


# The read and build steps for other bulk readers of the case core (the forecasts).
fetch_raw = _fetch
build_case = _build
chunks = _chunks


def _projected(
    ids: Sequence[int], as_of: dt.date, measures: Mapping[str, Measure], processes: int | None
) -> Iterator[tuple[list[int], Rows, Versions]]:
    """(chunk, projections, versions read) for each chunk of ``ids``, in order."""
    work = partial(_project, as_of, measures)
    for chunk, raw, parts in pipelined(
        _chunks(ids), _fetch, work, processes_for(processes, len(ids))
    ):
        yield chunk, [row for part in parts for row in part], _versions(raw)


def _still_current(rows: Rows, seen: Versions) -> Rows:
    """The projections whose case has no event newer than the history they were computed
    from. Call inside the write transaction: the cases are locked first (as ``event_record``
    locks its case; on SQLite the IMMEDIATE transaction holds the write lock), so an event
    recorded while a chunk was being assessed keeps the projection ``event_record`` wrote
    instead of being overwritten with a stale one."""
    ids = [pk for pk, _ in rows]
    list(Application.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))
    latest = dict(
        ProcedureEvent.objects.filter(application_id__in=ids)
        .values("application_id")
        .annotate(latest=Max("pk"))
        .values_list("application_id", "latest")
    )
    return [(pk, p) for pk, p in rows if latest.get(pk, 0) == seen.get(pk, 0)]


def recompute_applications(
    ids: Sequence[int], as_of: dt.date | None = None, processes: int | None = None
) -> int:
    """Recompute these cases' projections, one transaction per chunk; the law engine runs
    in worker processes from 5,000 cases (see ``refresh_all``). Returns how many were
    written (a case that got a new event meanwhile keeps the projection of that event)."""
    as_of = as_of or clock.today()
    n = 0
    for _chunk, rows, seen in _projected(ids, as_of, all_measures(), processes):
        with transaction.atomic():
            current = _still_current(rows, seen)
            projection_write(current, as_of)
        n += len(current)
    return n


def open_cases_table(
    as_of: dt.date, nationalities: Collection[str] = (), processes: int | None = None
) -> tuple[list[int], CaseTable]:
    """Every open case (only those of ``nationalities`` if given) as rows of ``law.bulk``'s
    table on ``as_of``, with their application ids; built in worker processes from 5,000
    cases, like a refresh."""
    qs = CaseStatus.objects.filter(open=True)
    if nationalities:
        qs = qs.filter(application__applicant__nationality__in=sorted(nationalities))
    ids = list(qs.order_by("pk").values_list("pk", flat=True))
    out_ids: list[int] = []
    tables: list[CaseTable] = []
    for _chunk, _raw, parts in pipelined(
        _chunks(ids), _fetch, partial(_table, as_of), processes_for(processes, len(ids))
    ):
        for part_ids, table in parts:
            out_ids += part_ids
            tables.append(table)
    return out_ids, concat_tables(tables)


def _stale(as_of: dt.date) -> Q:
    """Open cases whose stored projection may not hold on ``as_of``: the law said it holds
    until a day that has come, it was computed for a later day, or it is an error or was
    never computed. A projection computed for ``as_of`` itself is current."""
    return (Q(valid_until__lte=as_of) | Q(computed_on__gt=as_of) | ~Q(error="") | Q(stage="")) & ~Q(
        computed_on=as_of
    )


def refresh_all(
    as_of: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
    processes: int | None = None,
    force: bool = False,
) -> RefreshReport:
    """Bring every open case's projection to ``as_of``; report how many changed.

    A case is recomputed by the law engine only if its projection may not hold on ``as_of``
    (its ``valid_until``, from :func:`toevlucht.law.validity.valid_until`, has come; or it
    is an error) — or always with ``force``. The others only move their clock. The law
    engine runs in ``processes`` worker processes (default: one per core when there are
    5,000 cases to recompute); the database is read and written by this process only, one
    transaction per chunk of 2,000 cases; the clocks of the others move in the last one, so
    a killed refresh has written whole chunks, or everything.

    A measure announced in the app whose cases a background task has not yet recomputed
    (the worker was down or killed) makes this a full recompute, after which it is marked
    done: the periodic refresh heals a lost announcement task.
    """
    as_of = as_of or clock.today()
    pending = list(
        AnnouncedMeasure.objects.filter(recomputed_at__isnull=True).values_list("pk", flat=True)
    )
    force = force or bool(pending)
    open_ = CaseStatus.objects.filter(open=True)
    selected = open_ if force else open_.filter(_stale(as_of))
    ids = list(selected.order_by("pk").values_list("pk", flat=True))
    report = RefreshReport(as_of=as_of)
    total_open = open_.count()
    last = len(_chunks(ids)) - 1
    for k, (chunk, assessed, seen) in enumerate(_projected(ids, as_of, all_measures(), processes)):
        with transaction.atomic():
            rows = _still_current(assessed, seen)
            old = {
                r[0]: r[1:]
                for r in CaseStatus.objects.filter(pk__in=chunk).values_list("pk", *CHANGE_COLUMNS)
            }
            for pk, p in rows:
                report.changed += old.get(pk) != tuple(getattr(p, c) for c in CHANGE_COLUMNS)
                report.errors += bool(p.error)
            projection_write(rows, as_of)
            if k == last:
                # the others only move their clock, with the last chunk: a killed refresh
                # has written whole chunks, or everything
                _finish(ids, as_of, pending)
        report.cases += len(chunk)
        if progress is not None:
            progress(report.cases, len(ids))
    if not ids:
        with transaction.atomic():
            _finish(ids, as_of, pending)
    report.unchanged = total_open - report.cases
    return report


def _finish(recomputed: list[int], as_of: dt.date, pending: list[int]) -> None:
    """The open cases not recomputed move their clock (their projection holds on as_of);
    the announced measures whose cases were all recomputed are marked done."""
    _touch_clock(recomputed, as_of)
    AnnouncedMeasure.objects.filter(pk__in=pending).update(recomputed_at=timezone.now())


def _touch_clock(recomputed: list[int], as_of: dt.date) -> None:
    done = set(recomputed)
    rest = [
        pk
        for pk in CaseStatus.objects.filter(open=True)
        .exclude(computed_on=as_of)
        .values_list("pk", flat=True)
        if pk not in done
    ]
    for k in range(0, len(rest), 5000):
        CaseStatus.objects.filter(pk__in=rest[k : k + 5000]).update(computed_on=as_of)
