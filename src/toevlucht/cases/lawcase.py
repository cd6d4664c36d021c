"""Turning stored applicants and events into the law engine's values, and back.

This is the only place that knows both the database rows and :mod:`toevlucht.law`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from toevlucht.cases.models import Applicant, ProcedureEvent
from toevlucht.law import EVENT_FIELDS, Case, Event, EventKind, Sex, groups, parse_event
from toevlucht.law import Applicant as LawApplicant


def law_applicant(a: Applicant) -> LawApplicant:
    known = groups()
    return LawApplicant(
        nationality=a.nationality,
        birth_date=a.birth_date,
        sex=Sex(a.sex) if a.sex else None,
        groups=frozenset(g for g in a.groups if g in known),
    )


def raw_event(
    *,
    kind: str,
    effective_date: dt.date,
    data: Mapping[str, Any],
    recorded_on: dt.date | None,
    pk: int | None,
    corrects_id: int | None,
) -> dict[str, Any]:
    raw: dict[str, Any] = {"kind": kind, "date": effective_date.isoformat(), **data}
    if recorded_on is not None:
        raw["recorded"] = recorded_on.isoformat()
    if pk is not None:
        raw["id"] = str(pk)
    if corrects_id is not None:
        raw["corrects"] = str(corrects_id)
    return raw


def law_event(e: ProcedureEvent) -> Event:
    return parse_event(
        raw_event(
            kind=e.kind,
            effective_date=e.effective_date,
            data=e.data,
            recorded_on=e.recorded_on,
            pk=e.pk,
            corrects_id=e.corrects_id,
        ),
        index=e.seq,
    )


_DATE_FIELDS = {
    kind: tuple(name for name, spec in specs.items() if spec.type is dt.date)
    for kind, specs in EVENT_FIELDS.items()
}


def trusted_event(
    *,
    kind: str,
    effective_date: dt.date,
    data: Mapping[str, Any],
    recorded_on: dt.date | None,
    pk: int,
    corrects_id: int | None,
    seq: int,
) -> Event:
    """A stored event as a law event without re-validating it (it was validated when it was
    recorded): the fast path of bulk recomputation."""
    k = EventKind(kind)
    values = dict(data)
    for name in _DATE_FIELDS[k]:
        if isinstance(values.get(name), str):
            values[name] = dt.date.fromisoformat(values[name])
    return Event(
        kind=k,
        date=effective_date,
        data=values,
        recorded=recorded_on,
        id=str(pk),
        corrects=str(corrects_id) if corrects_id is not None else None,
        index=seq,
    )


def law_applicant_values(
    nationality: str, birth_date: dt.date | None, sex: str, applicant_groups: list[str]
) -> LawApplicant:
    known = groups()
    return LawApplicant(
        nationality=nationality,
        birth_date=birth_date,
        sex=Sex(sex) if sex else None,
        groups=frozenset(g for g in applicant_groups if g in known),
    )


def law_case(applicant: Applicant, events: Iterable[ProcedureEvent], reference: str = "") -> Case:
    return Case(
        applicant=law_applicant(applicant),
        events=tuple(law_event(e) for e in events),
        reference=reference,
    )
