"""Recomputing status projections in bulk: time passes and deadlines expire without any
event; a new measure moves the terms of the cases it touches.

``refresh_all`` walks every open case in chunks, each chunk in its own transaction, so a
killed refresh leaves every case either as it was or fully recomputed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db import connection, transaction

from toevlucht.cases import clock
from toevlucht.cases.lawcase import law_case, status_fields
from toevlucht.cases.models import Application, CaseStatus, ProcedureEvent
from toevlucht.law import Case, LawError, Measure, assess

CHUNK = 2000
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
    cases: int = 0
    changed: int = 0
    errors: int = 0


def _load(ids: Sequence[int]) -> list[tuple[int, Case, str]]:
    """(application id, law case, reference) for the ids, with two queries."""
    apps = {a.pk: a for a in Application.objects.filter(pk__in=ids).select_related("applicant")}
    events: dict[int, list[ProcedureEvent]] = defaultdict(list)
    for e in ProcedureEvent.objects.filter(application_id__in=ids).order_by(
        "application_id", "seq"
    ):
        events[e.application_id].append(e)
    out = []
    for pk in ids:
        a = apps.get(pk)
        if a is None:
            continue
        try:
            out.append((pk, law_case(a.applicant, events[pk], a.reference), a.reference))
        except LawError as exc:  # a stored event the engine no longer accepts
            out.append(
                (pk, Case(applicant=law_case(a.applicant, []).applicant, events=()), str(exc))
            )
    return out


def open_cases_as_law() -> tuple[list[int], list[Case]]:
    ids = list(CaseStatus.objects.filter(open=True).order_by("pk").values_list("pk", flat=True))
    loaded = _load(ids)
    return [pk for pk, _, _ in loaded], [c for _, c, _ in loaded]


def _fields(case: Case, as_of: dt.date, measures: dict[str, Measure]) -> dict[str, object]:
    try:
        return status_fields(assess(case, as_of, measures=measures))
    except LawError as exc:
        return {"computed_on": as_of, "error": str(exc)}


def _save(rows: Iterable[tuple[int, dict[str, object]]]) -> None:
    objs = [CaseStatus(application_id=pk, **fields) for pk, fields in rows]
    if objs:
        CaseStatus.objects.bulk_update(objs, list(STATUS_COLUMNS), batch_size=500)


def recompute_applications(ids: Sequence[int], as_of: dt.date | None = None) -> int:
    from toevlucht.measures.services import all_measures

    as_of = as_of or clock.today()
    measures = all_measures()
    n = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        with transaction.atomic():
            rows = [
                (pk, {**_defaults(as_of), **_fields(case, as_of, measures)})
                for pk, case, _ in _load(chunk)
            ]
            _save(rows)
            n += len(rows)
    return n


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


def refresh_all(
    as_of: dt.date | None = None, progress: Callable[[int, int], None] | None = None
) -> RefreshReport:
    """Recompute every open case's projection on ``as_of``; report how many changed."""
    from toevlucht.measures.services import all_measures

    as_of = as_of or clock.today()
    measures = all_measures()
    ids = list(CaseStatus.objects.filter(open=True).order_by("pk").values_list("pk", flat=True))
    report = RefreshReport(as_of=as_of)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        with transaction.atomic():
            old = {s.pk: s for s in CaseStatus.objects.filter(pk__in=chunk)}
            rows = []
            for pk, case, _ in _load(chunk):
                fields = {**_defaults(as_of), **_fields(case, as_of, measures)}
                prev = old.get(pk)
                if prev is not None and any(
                    getattr(prev, k) != fields[k] for k in STATUS_COLUMNS if k != "computed_on"
                ):
                    report.changed += 1
                report.errors += bool(fields["error"])
                rows.append((pk, fields))
            _save(rows)
        report.cases += len(chunk)
        if progress is not None:
            progress(report.cases, len(ids))
    connection.close()
    return report


__all__ = ["RefreshReport", "open_cases_as_law", "recompute_applications", "refresh_all"]
