"""Previewing and announcing a policy measure in the app: the law's bulk path says which
open cases it moves; announcing stores it, audits it and recomputes every case whose
projection it can change — those it moves, and those it is in force for or will be without
moving them (``law.validity.may_touch``), whose measures in force and ``valid_until`` it
changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from toevlucht import clock
from toevlucht.accounts.models import User
from toevlucht.audit.log import record
from toevlucht.cases.permissions import check_announce_measures
from toevlucht.cases.refresh import open_cases_table, recompute_applications
from toevlucht.cases.tasks import recompute_for_measure
from toevlucht.law.bulk import STATUS_NAMES, compute
from toevlucht.law.validity import may_touch_table
from toevlucht.measures.models import AnnouncedMeasure
from toevlucht.measures.selectors import all_measures, as_json, measure_parse

__all__ = ["Preview", "measure_announce", "measure_preview"]


Term = tuple[dt.date | None, str]  # a decision term's due date and status ("" if none)


@dataclass(frozen=True)
class Preview:
    touched: list[int]  # application ids whose decision term the measure moves
    changed: list[int]  # of which the due date or status changes today
    # application id -> its decision term (before, with the measure), for the changed ones
    terms: dict[int, tuple[Term, Term]] = field(default_factory=dict)
    # application ids whose projection it can change: the touched and changed ones, and
    # every case it can touch without moving its term (in force for it, or later)
    recompute: list[int] = field(default_factory=list)


def _term(due: np.datetime64, status: int) -> Term:
    day = None if np.isnat(due) else due.astype("datetime64[D]").item()
    return day, STATUS_NAMES[status] if status >= 0 else ""


def measure_preview(
    *, actor: User | None, definition: Mapping[str, Any], as_of: dt.date | None = None
) -> Preview:
    """Which open cases the measure would move, computed with ``law.bulk`` over all of them.

    Raises:
        NotAllowed: the actor is not a supervisor or an administrator (checked first).
        MeasureRejected: the definition is wrong, or its id is taken.
    """
    check_announce_measures(actor)
    m = measure_parse(definition)
    as_of = as_of or clock.today()
    before = all_measures()
    after = {**before, m.id: m}
    # a measure scoped to nationalities cannot touch or change another's case: read only
    # those (a moratorium for one country reads a fraction of a large backlog)
    ids, table = open_cases_table(as_of, m.scope.nationalities)
    if not ids:
        return Preview(touched=[], changed=[])
    r0, r1 = compute(table, as_of, before), compute(table, as_of, after)
    col = r1.measure_ids.index(m.id) if m.id in r1.measure_ids else None
    touched_mask = r1.measure_applied[:, col] if col is not None else np.zeros(len(ids), bool)
    # NaT != NaT in numpy: a case without a decision term on both sides did not change.
    same_due = (r0.decision_due == r1.decision_due) | (
        np.isnat(r0.decision_due) & np.isnat(r1.decision_due)
    )
    changed_mask = ~same_due | (r0.decision_status != r1.decision_status)
    touched = [ids[i] for i in np.flatnonzero(touched_mask)]
    rows = np.flatnonzero(changed_mask)
    terms = {
        ids[i]: (
            _term(r0.decision_due[i], int(r0.decision_status[i])),
            _term(r1.decision_due[i], int(r1.decision_status[i])),
        )
        for i in rows
    }
    may = np.flatnonzero(may_touch_table(m, table) | touched_mask | changed_mask)
    return Preview(
        touched=touched,
        changed=[ids[i] for i in rows],
        terms=terms,
        recompute=[ids[i] for i in may],
    )


def measure_announce(
    *, actor: User, definition: Mapping[str, Any]
) -> tuple[AnnouncedMeasure, Preview]:
    """Store a measure and recompute every case whose projection it changes (the preview's
    ``recompute``); the row says how many cases it moves.

    The preview (``law.bulk`` over every open case, seconds on a large backlog) is computed
    before the write transaction, so other users' writes never wait for it. The measure is
    stored and audited in one short transaction; then up to
    ``TOEVLUCHT_ANNOUNCE_INLINE_MAX`` cases are recomputed here, chunk by chunk, and more (a
    general extension over the whole backlog) by a background task, which would otherwise
    outlast the web server's timeout. ``recomputed_at`` stays empty until that is done; a
    lost task is finished by the next ``refresh``.

    Raises:
        NotAllowed: the actor is not a supervisor or an administrator (checked first).
        MeasureRejected: the definition is wrong, or its id is taken.
    """
    check_announce_measures(actor)
    preview = measure_preview(actor=actor, definition=definition)
    ids = preview.recompute
    inline = len(ids) <= settings.TOEVLUCHT_ANNOUNCE_INLINE_MAX
    with transaction.atomic():
        m = measure_parse(definition)  # again: another supervisor may have taken the id
        row = AnnouncedMeasure.objects.create(
            measure_id=m.id,
            definition=as_json(definition),
            announced_by=actor,
            announced_at=clock.now(),  # the demo's announcements carry its day
            cases_touched=len(preview.touched),
            cases_changed=len(preview.changed),
        )
        record(
            actor=actor,
            action="announce",
            purpose="policy measure",
            object_type="measure",
            object_ids=[m.id],
            detail={"touched": len(preview.touched), "changed": len(preview.changed)},
        )
        if not inline:
            transaction.on_commit(lambda: recompute_for_measure.enqueue(row.pk, ids))
    if inline:
        recompute_applications(ids)
        row.recomputed_at = timezone.now()
        row.save(update_fields=["recomputed_at"])
    return row, preview
