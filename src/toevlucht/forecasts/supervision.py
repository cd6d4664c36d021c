"""The case core's side of the supervisors' and analysts' pages: the backlog at the current
pace (the snapshot kept per day and state of the event log), and a supervisor's pace per
queue, set or removed under the audit log.

The snapshot is the expensive part (the law engine over every case); it is kept in the
process per (case-clock day, last event, number of events, measures), so the pages do not
read the case core again until an event is recorded, a measure changes or the day changes.
The runs forward are bounded by :mod:`toevlucht.forecasts.exposure`; their results are kept
too (:func:`memo`).
"""

from __future__ import annotations

import datetime as dt
import math
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, cast

from django.db import transaction
from django.db.models import Count, Max

from toevlucht.audit.log import record
from toevlucht.cases.models import ProcedureEvent
from toevlucht.forecasts import exposure as ex
from toevlucht.forecasts import services
from toevlucht.forecasts.models import CapacitySetting
from toevlucht.forecasts.snapshot import CHAIN, Snapshot, take
from toevlucht.law.regime import Regime
from toevlucht.measures.selectors import all_measures

__all__ = [
    "memo",
    "prepared",
    "queue_names",
    "remove_pace",
    "set_pace",
    "snapshot",
    "state_key",
    "valid_pace",
]

_lock = threading.Lock()
_cache: dict[tuple[object, ...], Snapshot] = {}
_results: OrderedDict[tuple[object, ...], object] = OrderedDict()
MAX_RESULTS = 64


def queue_names() -> list[str]:
    """Every queue of every regime's chain, in chain order."""
    return [f"{regime.value}:{step.name}" for regime in Regime for step in CHAIN[regime]]


def _state() -> tuple[object, ...]:
    """The event log's state (events are appended, never changed: a correction is a new
    event) and the measures in force as the app holds them."""
    agg = ProcedureEvent.objects.aggregate(last=Max("pk"), n=Count("pk"))
    measures = hash(tuple(sorted((k, repr(m)) for k, m in all_measures().items())))
    return (agg["last"], agg["n"], measures)


def state_key(as_of: dt.date) -> tuple[object, ...]:
    """What a result on the pages depends on: the day, the event log's state and the paces
    a supervisor set."""
    paces = tuple(sorted(services.capacity_settings().items()))
    return (as_of, *_state(), paces)


def memo[T](key: tuple[object, ...], compute: Callable[[], T]) -> T:
    """``compute()``, kept in the process under ``key`` (the last ``MAX_RESULTS`` results):
    the pages' runs forward are computed once per day, state and settings. Keep small
    results only (counts, bands): never a snapshot or a run's per-case arrays."""
    with _lock:
        if key in _results:
            _results.move_to_end(key)
            return cast(T, _results[key])
    value = compute()
    with _lock:
        _results[key] = value
        while len(_results) > MAX_RESULTS:
            _results.popitem(last=False)
    return value


def snapshot(as_of: dt.date) -> Snapshot:
    """The snapshot on ``as_of``, taken again only when an event was recorded since."""
    key = (as_of, *_state())
    with _lock:
        hit = _cache.get(key)
    if hit is not None:
        return hit
    snap = take(as_of, all_measures())
    with _lock:
        _cache.clear()  # one day's snapshot at a time
        _cache[key] = snap
    return snap


def prepared(as_of: dt.date) -> ex.Prepared:
    """The backlog on ``as_of`` at the current pace: the window's, or a supervisor's."""
    return ex.prepare(snapshot(as_of), services.params(), per_week=services.capacity_settings())


def valid_pace(value: Any) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value) and 0 < value < ex.MAX_PACE


def set_pace(*, actor: Any, queue: str, per_week: float, note: str = "") -> CapacitySetting:
    """Set ``queue``'s pace (cases per week); refused (ValueError) for an unknown queue or a
    pace that is not a finite number above 0 and below 10,000."""
    if queue not in queue_names():
        raise ValueError(f"unknown queue {queue!r}")
    if not valid_pace(per_week):
        raise ValueError("the pace must be a finite number above 0 and below 10,000 a week")
    with transaction.atomic():
        setting, _created = CapacitySetting.objects.update_or_create(
            queue=queue, defaults={"per_week": float(per_week), "set_by": actor, "note": note}
        )
        record(
            actor=actor,
            action="update",
            purpose="capacity_setting",
            object_type="capacity_setting",
            object_ids=[setting.pk],
            detail={"queue": queue, "per_week": float(per_week)},
        )
    return setting


def remove_pace(*, actor: Any, queue: str) -> bool:
    """Remove ``queue``'s set pace (the window's pace holds again); False if none was set."""
    with transaction.atomic():
        setting = CapacitySetting.objects.select_for_update().filter(queue=queue).first()
        if setting is None:
            return False
        pk = setting.pk
        setting.delete()
        record(
            actor=actor,
            action="delete",
            purpose="capacity_setting",
            object_type="capacity_setting",
            object_ids=[pk],
            detail={"queue": queue},
        )
    return True
