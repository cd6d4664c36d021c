"""Recomputing status projections in bulk: time passes and deadlines expire without any
event; a new measure moves the terms of the cases it touches.

``refresh_all`` walks every open case in chunks, each chunk in its own transaction, so a
killed refresh leaves every case either as it was or fully recomputed.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing as mp
import os
from collections import defaultdict, deque
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Field, Max, TextField
from django.db.models.functions import Cast

from toevlucht import clock
from toevlucht.cases.lawcase import law_applicant_values, status_fields, trusted_event
from toevlucht.cases.models import Application, CaseStatus, ProcedureEvent
from toevlucht.law import Case, LawError, Measure, assess
from toevlucht.law.bulk import CaseTable, concat_tables, table_from_cases

CHUNK = 2000
PARALLEL_FROM = 5000  # cases; fewer are recomputed in this process alone
STATUS_COLUMNS = (
    "computed_on",
    "stage",
    "open",
    "next_deadline_kind",
    "next_deadline_due",
    "decision_due",
    "decision_status",
    "overdue",
    "suspended",
    "measures_in_force",
    "deadlines",
    "error",
)


@dataclass
class RefreshReport:
    as_of: dt.date
    cases: int = 0  # recomputed by the law engine
    changed: int = 0
    errors: int = 0
    unchanged: int = 0  # open cases time could not have changed (clock moved only)


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
    rows = (
        ProcedureEvent.objects.filter(application_id__in=ids)
        .order_by("application_id", "seq")
        # the data as JSON text: the workers decode it, not this (the busiest) process
        .annotate(data_text=Cast("data", TextField()))
        .values_list(
            "application_id",
            "seq",
            "kind",
            "effective_date",
            "data_text",
            "recorded_on",
            "pk",
            "corrects_id",
        )
    )
    for app_id, *event in rows:
        events[app_id].append(tuple(event))
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
                data=json.loads(data) if data else {},
                recorded_on=recorded,
                pk=pk,
                corrects_id=corrects,
                seq=seq,
            )
            for seq, kind, day, data, recorded, pk, corrects in events
        ),
        reference=reference,
    )


def _fields(case: Case, as_of: dt.date, measures: dict[str, Measure]) -> dict[str, object]:
    try:
        return status_fields(assess(case, as_of, measures=measures))
    except LawError as exc:
        return {"computed_on": as_of, "error": str(exc)}


def _save(rows: Iterable[tuple[int, dict[str, object]]]) -> None:
    """Write projections with one prepared UPDATE executed many times: Django's bulk_update
    builds a CASE expression per column and row and is two orders of magnitude slower."""
    fields: list[Field[Any, Any]] = []
    for c in STATUS_COLUMNS:
        f = CaseStatus._meta.get_field(c)
        assert isinstance(f, Field)
        fields.append(f)
    table = CaseStatus._meta.db_table
    qn = connection.ops.quote_name
    sets = ", ".join(f"{qn(f.column or f.name)} = %s" for f in fields)
    sql = f"UPDATE {qn(table)} SET {sets} WHERE {qn('application_id')} = %s"
    params = [
        [f.get_db_prep_save(values[f.name], connection) for f in fields] + [pk]
        for pk, values in rows
    ]
    if params:
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)


def _still_current(
    rows: list[tuple[int, dict[str, object]]], seen: Versions
) -> list[tuple[int, dict[str, object]]]:
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
    return [(pk, fields) for pk, fields in rows if latest.get(pk, 0) == seen.get(pk, 0)]


def retention_mark(rows: Iterable[tuple[int, dict[str, object]]], as_of: dt.date) -> int:
    """Give cases that closed (final or withdrawn) their retention date: personal data is due
    for deletion ``TOEVLUCHT_RETENTION_YEARS`` after the case closed."""
    from django.conf import settings

    closed = [pk for pk, fields in rows if fields.get("open") is False]
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


def recompute_applications(
    ids: Sequence[int], as_of: dt.date | None = None, processes: int | None = None
) -> int:
    """Recompute these cases' projections, one transaction per chunk; the law engine runs
    in worker processes from 5,000 cases (see ``refresh_all``). Returns how many were
    written (a case that got a new event meanwhile keeps the projection of that event)."""
    from toevlucht.measures.services import all_measures

    as_of = as_of or clock.today()
    measures = all_measures()
    n = 0
    chunks = [list(ids[k : k + CHUNK]) for k in range(0, len(ids), CHUNK)]
    for _chunk, rows, seen in _assessed_chunks(
        chunks, as_of, measures, _processes(processes, len(ids))
    ):
        with transaction.atomic():
            rows = _still_current(rows, seen)
            _save(rows)
            retention_mark(rows, as_of)
        n += len(rows)
    return n


def _processes(asked: int | None, n: int) -> int:
    if asked is not None:
        return asked
    return min(os.cpu_count() or 1, 4) if n >= PARALLEL_FROM else 1


def _defaults(as_of: dt.date) -> dict[str, object]:
    return {
        "computed_on": as_of,
        "stage": "",
        "open": True,
        "next_deadline_kind": "",
        "next_deadline_due": None,
        "decision_due": None,
        "decision_status": "",
        "overdue": False,
        "suspended": False,
        "measures_in_force": [],
        "deadlines": [],
        "error": "",
    }


_worker_state: dict[str, Any] = {}


def _worker_init(as_of: dt.date, measures: dict[str, Measure]) -> None:
    _worker_state["as_of"], _worker_state["measures"] = as_of, measures


def _worker_assess(batch: list[RawCase]) -> list[tuple[int, dict[str, object]]]:
    as_of, measures = _worker_state["as_of"], _worker_state["measures"]
    return [
        (raw[0], {**_defaults(as_of), **_fields(_build(raw), as_of, measures)}) for raw in batch
    ]


Versions = dict[int, int]  # application id -> id of its latest event when it was read


def _versions(raw: Sequence[RawCase]) -> Versions:
    return {r[0]: max((e[5] for e in r[6]), default=0) for r in raw}


def _in_workers[R](
    chunks: list[list[int]],
    work: Callable[[list[RawCase]], R],
    as_of: dt.date,
    measures: dict[str, Measure],
    processes: int,
) -> Iterator[tuple[list[int], list[R], Versions]]:
    """(chunk, ``work``'s results on its parts, versions read) for each chunk, in order. With
    worker processes, one chunk is always in flight: while the workers process it, this
    process reads the next one and the caller writes the previous one. Only this process
    touches the database."""
    if processes <= 1:
        _worker_init(as_of, measures)
        for chunk in chunks:
            raw = _fetch(chunk)
            yield chunk, [work(raw)], _versions(raw)
        return
    if not connection.in_atomic_block:
        connection.close()  # the workers fork below: let them inherit no open connection
    pool = ProcessPoolExecutor(
        max_workers=processes,
        mp_context=mp.get_context("fork"),
        initializer=_worker_init,
        initargs=(as_of, measures),
    )
    pending: deque[tuple[list[int], list[Future[R]], Versions]] = deque()
    try:
        pool.submit(os.getpid).result()  # fork every worker now, before a connection opens
        for chunk in chunks:
            raw = _fetch(chunk)
            size = -(-len(raw) // processes) or 1
            futures = [pool.submit(work, raw[k : k + size]) for k in range(0, len(raw), size)]
            pending.append((chunk, futures, _versions(raw)))
            if len(pending) > 1:
                done, fs, seen = pending.popleft()
                yield done, [f.result() for f in fs], seen
        while pending:
            done, fs, seen = pending.popleft()
            yield done, [f.result() for f in fs], seen
    finally:
        pool.shutdown(cancel_futures=True)


def _assessed_chunks(
    chunks: list[list[int]], as_of: dt.date, measures: dict[str, Measure], processes: int
) -> Iterator[tuple[list[int], list[tuple[int, dict[str, object]]], Versions]]:
    """(chunk, projections, versions read) for each chunk, in order (see ``_in_workers``)."""
    for chunk, parts, seen in _in_workers(chunks, _worker_assess, as_of, measures, processes):
        yield chunk, [row for part in parts for row in part], seen


def _worker_table(batch: list[RawCase]) -> tuple[list[int], CaseTable]:
    cases = [_build(raw) for raw in batch]
    return [raw[0] for raw in batch], table_from_cases(cases, _worker_state["as_of"])


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
    chunks = [ids[k : k + CHUNK] for k in range(0, len(ids), CHUNK)]
    out_ids: list[int] = []
    tables: list[CaseTable] = []
    for _chunk, parts, _seen in _in_workers(
        chunks, _worker_table, as_of, {}, _processes(processes, len(ids))
    ):
        for part_ids, table in parts:
            out_ids += part_ids
            tables.append(table)
    return out_ids, concat_tables(tables)


def _measure_dates(measures: dict[str, Measure]) -> list[tuple[dt.date, frozenset[str]]]:
    """Every date on which a measure can change a projection (a period starts or ends, an
    extension is announced, a ruling disapplies it), with the nationalities it is scoped to
    (empty: all)."""
    out: list[tuple[dt.date, frozenset[str]]] = []
    for m in measures.values():
        days: set[dt.date] = set()
        for p in m.periods:
            days |= {d for d in (p.start, p.until, p.announced) if d is not None}
        days |= {r.date for r in m.rulings if r.disapplies and r.date is not None}
        out += [(d, m.scope.nationalities) for d in days]
    return out


def _needs_recompute(
    row: tuple[Any, ...], as_of: dt.date, boundaries: list[tuple[dt.date, frozenset[str]]]
) -> bool:
    """Whether time passing from the row's ``computed_on`` to ``as_of`` can change its
    projection: a deadline still running has fallen due, or a measure that could touch the
    case began, ended, was extended or disapplied in between. Anything unusual: yes."""
    _pk, computed_on, deadlines, error, stage, nationality = row
    if computed_on == as_of:
        return False
    if error or not stage or computed_on is None or as_of < computed_on:
        return True
    for d in deadlines or []:
        if (
            d.get("status") in ("running", "suspended")
            and d.get("due")
            and (dt.date.fromisoformat(d["due"]) < as_of)
        ):
            return True
    return any(
        computed_on < day <= as_of and (not scope or nationality in scope)
        for day, scope in boundaries
    )


def refresh_all(
    as_of: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
    processes: int | None = None,
    force: bool = False,
) -> RefreshReport:
    """Bring every open case's projection to ``as_of``; report how many changed.

    A case is recomputed by the law engine only if time can have changed it since its
    projection was computed (a running deadline fell due, a measure that may touch it began,
    ended, was extended or disapplied) — or always with ``force``. The law engine runs in
    ``processes`` worker processes (default: one per core when there are 5,000 cases to
    recompute); the database is read and written by this process only, one transaction per
    chunk of 2,000 cases.

    A measure announced in the app whose cases a background task has not yet recomputed
    (the worker was down or killed) makes this a full recompute, after which it is marked
    done: the periodic refresh heals a lost announcement task.
    """
    from django.utils import timezone

    from toevlucht.measures.models import AnnouncedMeasure
    from toevlucht.measures.services import all_measures

    as_of = as_of or clock.today()
    pending = list(
        AnnouncedMeasure.objects.filter(recomputed_at__isnull=True).values_list("pk", flat=True)
    )
    force = force or bool(pending)
    measures = all_measures()
    boundaries = _measure_dates(measures)
    rows_all = (
        CaseStatus.objects.filter(open=True)
        .order_by("pk")
        .values_list(
            "pk",
            "computed_on",
            "deadlines",
            "error",
            "stage",
            "application__applicant__nationality",
        )
    )
    ids = [r[0] for r in rows_all if force or _needs_recompute(r, as_of, boundaries)]
    report = RefreshReport(as_of=as_of, cases=0)
    total_open = CaseStatus.objects.filter(open=True).count()
    chunks = [ids[k : k + CHUNK] for k in range(0, len(ids), CHUNK)]
    for chunk, assessed, seen in _assessed_chunks(
        chunks, as_of, measures, _processes(processes, len(ids))
    ):
        with transaction.atomic():
            rows = _still_current(assessed, seen)
            old = {
                r[0]: r[1:]
                for r in CaseStatus.objects.filter(pk__in=chunk).values_list(
                    "pk",
                    "stage",
                    "next_deadline_due",
                    "decision_due",
                    "decision_status",
                    "overdue",
                    "measures_in_force",
                )
            }
            for pk, fields in rows:
                new = (
                    fields["stage"],
                    fields["next_deadline_due"],
                    fields["decision_due"],
                    fields["decision_status"],
                    fields["overdue"],
                    fields["measures_in_force"],
                )
                report.changed += old.get(pk) != new
                report.errors += bool(fields["error"])
            _save(rows)
            retention_mark(rows, as_of)
        report.cases += len(chunk)
        if progress is not None:
            progress(report.cases, len(ids))
    # the others only move their clock: nothing in their projection depends on the day
    with transaction.atomic():
        _touch_clock(ids, as_of)
        AnnouncedMeasure.objects.filter(pk__in=pending).update(recomputed_at=timezone.now())
    report.unchanged = total_open - report.cases
    return report


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


__all__ = ["RefreshReport", "open_cases_table", "recompute_applications", "refresh_all"]
