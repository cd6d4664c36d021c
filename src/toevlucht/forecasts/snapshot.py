"""The case core as it stood on a day: every case's path through the chain, from the events
known that day only.

A case's *path* is the list of queues of its regime's chain (:data:`CHAIN`) it has entered,
each with the day it entered and the day it left (none if it is still there). Which event
ends which queue is the chain's data; what was known on a day is the law's
(:func:`toevlucht.law.procedure.known_events`, through :func:`replay`): an event recorded
after the day, or a correction recorded after it, is not seen. That is what makes the
backtest exact: a snapshot taken for a past day is the same whatever was recorded since.

The law also says, per open case, the decision term's end on that day and whether a decision
moratorium holds its decision (``law.bulk``), and until when, as far as known that day.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db import connection

from toevlucht.cases.models import Application
from toevlucht.cases.pool import pipelined, processes_for
from toevlucht.cases.refresh import RawCase, build_case, chunks, fetch_raw
from toevlucht.law import Measure
from toevlucht.law.bulk import NAT, SUSPENDED, compute, table_from_cases
from toevlucht.law.errors import LawError
from toevlucht.law.measures import MeasureKind
from toevlucht.law.model import Case, Event, EventKind, Procedure, Stage, Track
from toevlucht.law.procedure import History, replay
from toevlucht.law.regime import Regime

__all__ = ["CHAIN", "CaseRow", "Leg", "Reason", "Snapshot", "take"]


@dataclass(frozen=True, slots=True)
class Step:
    """One queue of a regime's chain: the stages a case is in while it waits in it, and the
    event that ends the wait (the *next step* shown to the applicant)."""

    name: str
    stages: tuple[Stage, ...]
    ends_with: EventKind


# The chain per regime, in order. Old rules: the request, the lodging (Vb 2000 art. 3.108b),
# the registration interview (3.108d), the rest period until the general procedure starts
# (3.109) and the decision in the general or extended procedure. APR: registration (art. 27),
# lodging (art. 28) and the examination up to the decision (art. 34-35).
CHAIN: dict[Regime, tuple[Step, ...]] = {
    Regime.VW2000: (
        Step("lodging", (Stage.REQUESTED,), EventKind.APPLICATION_LODGED),
        Step(
            "registration_interview", (Stage.REGISTRATION,), EventKind.REGISTRATION_INTERVIEW_HELD
        ),
        Step("general_procedure", (Stage.REST_PERIOD,), EventKind.GENERAL_PROCEDURE_STARTED),
        Step(
            "decision",
            (Stage.GENERAL_PROCEDURE, Stage.EXTENDED_PROCEDURE),
            EventKind.DECISION_NOTIFIED,
        ),
    ),
    Regime.APR: (
        Step("registration", (Stage.REQUESTED,), EventKind.APPLICATION_REGISTERED),
        Step("lodging", (Stage.REGISTERED,), EventKind.APPLICATION_LODGED),
        Step("decision", (Stage.EXAMINATION,), EventKind.DECISION_NOTIFIED),
    ),
}


SHORT_APR_PROCEDURES = (Procedure.ADMISSIBILITY, Procedure.ACCELERATED, Procedure.BORDER)

# "<regime>:<step>", one string per queue: the legs of every case share it (and it is sent
# once per batch from a worker process, not once per leg)
QUEUE_NAMES: dict[tuple[Regime, str], str] = {
    (regime, step.name): f"{regime.value}:{step.name}"
    for regime, steps in CHAIN.items()
    for step in steps
}


class Reason:
    """Why an open case gets no forecast from the chain (codes; the texts are the shell's)."""

    DUBLIN = "dublin"  # another Member State may be responsible: its answer sets the pace
    MORATORIUM_OPEN_ENDED = "moratorium_open_ended"  # a decision moratorium with no known end
    HISTORY_ERROR = "history_error"  # the law cannot read the history
    NOT_IN_CHAIN = "not_in_chain"  # a stage the chain does not model (e.g. a reopened case)
    SET_ASIDE = "set_aside"  # cases that came after it have gone ahead (engine._set_aside)


@dataclass(frozen=True, slots=True)
class Leg:
    queue: str  # "<regime>:<step>"
    entered: dt.date
    left: dt.date | None
    # the decision queue: decided within the general procedure (True), or referred to the
    # extended procedure (False), as recorded; under the APR, in one of its short procedures
    # (True) or the regular one (False); None: not known (yet)
    fast: bool | None = None

    def __reduce__(self) -> tuple[type[Leg], tuple[str, dt.date, dt.date | None, bool | None]]:
        # built by its constructor when unpickled (the worker processes send them): a
        # frozen dataclass's own way sets each field in a Python loop, several times slower
        return (Leg, (self.queue, self.entered, self.left, self.fast))


@dataclass(frozen=True, slots=True)
class CaseRow:
    """One case on the snapshot's day."""

    application: int
    nationality: str
    regime: str
    legs: tuple[Leg, ...]  # the queues entered so far, in order
    open: bool  # awaiting the first-instance decision
    queue: str  # the queue it waits in ("" if closed or not forecast)
    since: dt.date | None  # the day it entered that queue
    waiting_since: dt.date | None  # the day the request was made (or the first event)
    reason: str  # "" or a :class:`Reason`
    decision_due: dt.date | None
    hold_until: dt.date | None  # a decision moratorium holds it until this day
    ended_on: dt.date | None = None  # withdrawn on this day (closed without a decision)

    def __reduce__(self) -> tuple[type[CaseRow], tuple[Any, ...]]:
        return (
            CaseRow,
            (
                self.application, self.nationality, self.regime, self.legs, self.open,
                self.queue, self.since, self.waiting_since, self.reason, self.decision_due,
                self.hold_until, self.ended_on,
            ),
        )  # fmt: skip


@dataclass
class Snapshot:
    as_of: dt.date
    rows: list[CaseRow] = field(default_factory=list)
    # the nationalities of the cases left out of ``rows`` (``take``'s ``leave_out_before``):
    # closed, and every leg of theirs began and ended before that day
    left_out: Counter[str] = field(default_factory=Counter)

    def open_rows(self) -> list[CaseRow]:
        return [r for r in self.rows if r.open]


def _milestone(h: History, kind: EventKind) -> dt.date | None:
    first: Event | None = next((e for e in h.events if e.kind is kind), None)
    return first.date if first is not None else None


def _legs(h: History) -> tuple[Leg, ...]:
    chain = CHAIN[h.regime]
    start = h.requested.date if h.requested is not None else None
    legs: list[Leg] = []
    entered = start
    for step in chain:
        left = _milestone(h, step.ends_with)
        if entered is None:
            entered = left
            continue
        if left is not None and left < entered:
            left = entered  # recorded out of order: the wait was nil, not negative
        fast = None
        if step.ends_with is EventKind.DECISION_NOTIFIED and h.regime is Regime.VW2000:
            first = h.decisions[0] if h.decisions else None
            procedure = first.data.get("procedure") if first is not None else None
            if h.referred is not None and (first is None or h.referred.date <= first.date):
                fast = False
            elif procedure in (Procedure.GENERAL, Procedure.EXTENDED):
                fast = procedure == Procedure.GENERAL
        elif step.ends_with is EventKind.DECISION_NOTIFIED and h.regime is Regime.APR:
            # the APR records the procedure up front: the short ones (admissibility, APR art.
            # 35(1); accelerated, 35(3) and 42; border, 43-44) are decided out of the line
            first = h.decisions[0] if h.decisions else None
            procedure = first.data.get("procedure") if first is not None else None
            procedure = procedure or h.assigned_procedure
            if procedure is not None:
                fast = procedure in SHORT_APR_PROCEDURES
        legs.append(Leg(QUEUE_NAMES[h.regime, step.name], entered, left, fast))
        if left is None:
            break
        entered = left
    return tuple(legs)


def _queue_of(h: History) -> str:
    for step in CHAIN[h.regime]:
        if h.stage in step.stages:
            return QUEUE_NAMES[h.regime, step.name]
    return ""


def _dublin(h: History) -> bool:
    waiting_on_other_state = bool(h.eurodac_hits or h.transfer_requests)
    return (h.track is Track.DUBLIN or waiting_on_other_state) and h.dublin_responsible is None


def _hold(
    applied: Sequence[str], measures: Mapping[str, Measure], as_of: dt.date
) -> tuple[bool, dt.date | None]:
    """(held, until): whether a decision moratorium or stop holds the decision, and until
    when as known on ``as_of`` (None: no known end)."""
    ends: list[dt.date | None] = []
    for mid in applied:
        m = measures.get(mid)
        if m is None or m.kind not in (MeasureKind.DECISION_MORATORIUM, MeasureKind.DECISION_STOP):
            continue
        if m.in_force_on(as_of, as_of):
            ends.append(m.until_known(as_of))
    if not ends:
        return False, None
    if any(e is None for e in ends):
        return True, None
    return True, max(e for e in ends if e is not None)


def _awaiting(h: History) -> bool:
    return h.stage is not None and h.stage.awaiting_decision and h.withdrawn is None


def _before(legs: tuple[Leg, ...], day: dt.date) -> bool:
    """Every leg began, and ended if it did, before ``day``."""
    return all(leg.entered < day and (leg.left is None or leg.left < day) for leg in legs)


Rows = tuple[list[CaseRow], Counter[str]]  # the rows, the nationalities of those left out


def _rows(
    as_of: dt.date,
    measures: Mapping[str, Measure],
    leave_out_before: dt.date | None,
    batch: Sequence[RawCase],
) -> Rows:
    """Worker: the rows of a batch of cases on ``as_of``; a closed case whose legs all lie
    before ``leave_out_before`` is only counted, by its nationality."""
    cases = [build_case(raw) for raw in batch]
    out: list[CaseRow] = []
    left_out: Counter[str] = Counter()
    replayed: list[tuple[RawCase, Case, History | None]] = []
    for raw, case in zip(batch, cases, strict=True):
        try:
            replayed.append((raw, case, replay(case, as_of)))
        except LawError:  # a history the law cannot read is not forecast, and says why
            replayed.append((raw, case, None))
    # the decision term and the measures (law.bulk) of the cases awaiting a decision only
    waiting = [c for _r, c, h in replayed if h is not None and h.events and _awaiting(h)]
    result = compute(table_from_cases(waiting, as_of), as_of, measures) if waiting else None
    i = -1
    for raw, _case, h in replayed:
        pk, nationality = raw[0], raw[2]
        if h is None:
            out.append(
                CaseRow(
                    pk, nationality, "", (), True, "", None, None, Reason.HISTORY_ERROR, None, None
                )
            )
            continue
        if not h.events:
            continue  # nothing known yet on as_of
        awaiting = _awaiting(h)
        if not awaiting:
            legs = _legs(h)
            if leave_out_before is not None and _before(legs, leave_out_before):
                left_out[nationality] += 1
                continue
            out.append(
                CaseRow(
                    pk, nationality, h.regime.value, legs, False, "", None,
                    (h.requested or h.events[0]).date, "", None, None,
                    h.withdrawn.date if h.withdrawn is not None else None,
                )
            )  # fmt: skip
            continue
        i += 1
        assert result is not None  # a case awaiting a decision is in ``waiting``
        legs = _legs(h)
        queue = _queue_of(h) if awaiting else ""
        reason = ""
        held, until = False, None
        if awaiting:
            if bool(result.error[i]):
                reason = Reason.HISTORY_ERROR
            elif _dublin(h):
                reason = Reason.DUBLIN
            elif not queue:
                reason = Reason.NOT_IN_CHAIN
            if int(result.decision_status[i]) == SUSPENDED or result.measure_applied[i].any():
                applied = [
                    m
                    for m, a in zip(result.measure_ids, result.measure_applied[i], strict=True)
                    if a
                ]
                held, until = _hold(applied, measures, as_of)
                if held and until is None and not reason:
                    reason = Reason.MORATORIUM_OPEN_ENDED
        due = result.decision_due[i]
        since = next((leg.entered for leg in legs if leg.queue == queue), None) if queue else None
        out.append(
            CaseRow(
                application=pk,
                nationality=nationality,
                regime=h.regime.value,
                legs=legs,
                open=awaiting,
                queue=queue if not reason else "",
                since=since or (h.stage_since.date if h.stage_since is not None else None),
                waiting_since=(h.requested or h.events[0]).date,
                reason=reason,
                decision_due=None if due == NAT else due.astype(dt.date),
                hold_until=until if held else None,
            )
        )
    return out, left_out


def _read_rows(
    as_of: dt.date,
    measures: Mapping[str, Measure],
    leave_out_before: dt.date | None,
    ids: Sequence[int],
) -> Rows:
    """Worker: :func:`_rows` of the cases ``ids``, read here (the worker's own connection)."""
    return _rows(as_of, measures, leave_out_before, fetch_raw(ids))


def take(
    as_of: dt.date,
    measures: Mapping[str, Measure],
    *,
    ids: Sequence[int] | None = None,
    processes: int | None = None,
    leave_out_before: dt.date | None = None,
) -> Snapshot:
    """The snapshot of every case with an event effective and recorded by ``as_of`` (or of
    ``ids``). The law engine runs in worker processes from 5,000 cases, as in a refresh; on
    SQLite the workers read their cases themselves (outside a transaction: inside one, what
    it wrote is seen only through this process's connection, which reads them then).

    ``leave_out_before``: the closed cases whose every leg began and ended before that day
    are only counted by nationality (``Snapshot.left_out``), not listed — for a forecast
    that looks at nothing before it (``engine.looks_back_to``); a backtest needs them."""
    if ids is None:
        ids = list(
            Application.objects.filter(
                events__effective_date__lte=as_of, events__recorded_on__lte=as_of
            )
            .distinct()
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    snap = Snapshot(as_of)
    n = processes_for(processes, len(ids))
    # the workers read their own cases on SQLite only: on PostgreSQL, a forked worker's
    # reads lost sync with the server in CI (a connection shared across the fork); there
    # this process reads them, as the refresh does
    if n > 1 and not connection.in_atomic_block and connection.vendor == "sqlite":
        read: Callable[[list[int]], Sequence[Any]] = list
        work: Callable[[Sequence[Any]], Rows] = partial(
            _read_rows, as_of, measures, leave_out_before
        )
    else:
        read, work = fetch_raw, partial(_rows, as_of, measures, leave_out_before)
    for _chunk, _raw, parts in pipelined(chunks(ids), read, work, n):
        for rows, left_out in parts:
            snap.rows.extend(rows)
            snap.left_out.update(left_out)
    return snap
