"""The fast paths of the forecasts give what the plain ones gave (issue 12: 100,000 open
cases in under a minute): the window's counts as array operations (``engine._Legs``) against
the loops over every leg they replaced, kept here as the reference; the snapshot of a
forecast, read by the worker processes and without the closed cases it does not look at,
against the snapshot of every case read here."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from dataclasses import replace

import numpy as np
import pytest

from toevlucht.demo.seed import seed_cases
from toevlucht.forecasts import engine
from toevlucht.forecasts.engine import OVERTAKEN_AFTER_DAYS, OVERTAKEN_BY, Params, _quick
from toevlucht.forecasts.models import Forecast
from toevlucht.forecasts.services import STORED, forecast_all
from toevlucht.forecasts.snapshot import CaseRow, Leg, Snapshot, take
from toevlucht.measures.selectors import all_measures

DAY = dt.date(2022, 5, 10)
QUEUES = (
    "vw2000:lodging",
    "vw2000:registration_interview",
    "vw2000:general_procedure",
    "vw2000:decision",
    "apr:registration",
    "apr:decision",
)


# -- the reference: the loops over every leg, as engine.py had them ------------------------


def ref_window_stats(
    snap: Snapshot, p: Params
) -> tuple[
    dict[str, float], dict[str, list[tuple[str, int]]], dict[str, float], dict[str, list[int]]
]:
    start = snap.as_of - dt.timedelta(days=p.window_days)
    fast_from = start - dt.timedelta(days=p.fast_days)
    fast_to = snap.as_of - dt.timedelta(days=p.fast_days)
    weekly: dict[str, Counter[int]] = defaultdict(Counter)
    fast_waits: dict[str, list[int]] = defaultdict(list)
    entered: Counter[str] = Counter()
    fast: Counter[str] = Counter()
    waits: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for row in snap.rows:
        for leg in row.legs:
            waited = (leg.left - leg.entered).days if leg.left is not None else None
            quick = _quick(leg, waited, p)
            if leg.left is not None and start <= leg.left < snap.as_of:
                waits[leg.queue].append((row.nationality, waited or 0))
                if not quick:
                    weekly[leg.queue][(snap.as_of - leg.left).days // 7] += 1
            if leg.queue.endswith(":decision") and fast_from <= leg.entered < fast_to:
                entered[leg.queue] += 1
                fast[leg.queue] += quick
                if quick and waited is not None:
                    fast_waits[leg.queue].append(waited)
    shares = {q: fast[q] / entered[q] for q in entered if entered[q]}
    weeks = max(1, p.window_days // 7)
    dispersion = {}
    for q, counts in weekly.items():
        xs = np.array([counts.get(w, 0) for w in range(weeks)], dtype=np.float64)
        mean = xs.mean()
        dispersion[q] = max(1.0, float(xs.var(ddof=1) / mean)) if mean > 0 and weeks > 1 else 1.0
    return shares, dict(waits), dispersion, dict(fast_waits)


def ref_busy_legs(snap: Snapshot, queue: str, min_days: int, p: Params) -> tuple[list, list]:
    start = snap.as_of - dt.timedelta(days=p.window_days)
    ready: list[int] = []
    left: list[int] = []
    for row in snap.rows:
        for leg in row.legs:
            if leg.queue != queue or leg.fast is True:
                continue
            if leg.left is None or leg.left < start:
                continue
            ready.append((leg.entered + dt.timedelta(days=min_days)).toordinal())
            left.append(leg.left.toordinal())
    return sorted(ready), sorted(left)


def ref_set_aside(snap: Snapshot, open_rows: list[CaseRow], p: Params) -> set[int]:
    start = snap.as_of - dt.timedelta(days=p.window_days)
    entered: dict[str, list[int]] = defaultdict(list)
    for row in snap.rows:
        for leg in row.legs:
            if leg.left is None or not start <= leg.left < snap.as_of:
                continue
            if _quick(leg, (leg.left - leg.entered).days, p):
                continue
            entered[leg.queue].append(leg.entered.toordinal())
    sorted_entered = {q: np.sort(np.array(v, dtype=np.int64)) for q, v in entered.items()}
    out: set[int] = set()
    for r in open_rows:
        if not r.queue or r.since is None or r.queue not in sorted_entered:
            continue
        arr = sorted_entered[r.queue]
        later = r.since.toordinal() + OVERTAKEN_AFTER_DAYS
        overtaken = len(arr) - int(np.searchsorted(arr, later, side="right"))
        if overtaken >= OVERTAKEN_BY:
            out.add(r.application)
    return out


# -- random snapshots ----------------------------------------------------------------------


def _snapshot(seed: int, n: int = 600) -> Snapshot:
    """Cases with random paths around the window: legs that left before, in and after it, some
    still running, fast as recorded or not known, some recorded out of order (left before
    entered), in every queue; a third open."""
    rng = random.Random(seed)
    snap = Snapshot(DAY)
    for app in range(1, n + 1):
        regime = rng.choice(["vw2000", "apr"])
        names = [q for q in QUEUES if q.startswith(regime)]
        day = DAY - dt.timedelta(days=rng.randint(0, 240))
        legs = []
        for q in names[: rng.randint(1, len(names))]:
            wait = rng.choice([0, 1, 3, 10, 14, 15, 30, 90]) * rng.choice([1, 1, 1, -1])
            left: dt.date | None = day + dt.timedelta(days=wait)
            if day + dt.timedelta(days=wait) > DAY or rng.random() < 0.1:
                left = None
            fast = rng.choice([None, None, True, False]) if q.endswith(":decision") else None
            legs.append(Leg(q, day, left, fast))
            if left is None:
                break
            day = max(day, left)
        is_open = rng.random() < 0.35
        last = legs[-1]
        queue = last.queue if is_open and last.left is None and rng.random() < 0.9 else ""
        snap.rows.append(
            CaseRow(
                app, rng.choice(["SYR", "AFG", "ERI", "TUR", "XXA"]), regime, tuple(legs),
                is_open, queue, last.entered if queue else None, legs[0].entered, "", None,
                None,
            )
        )  # fmt: skip
    return snap


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("window_days", [91, 60, 7])
def test_the_window_counted_in_arrays_is_the_window_counted_leg_by_leg(
    seed: int, window_days: int
) -> None:
    snap = _snapshot(seed)
    p = Params(window_days=window_days, fast_days=14)
    legs = engine._Legs.of(snap)
    shares, waits, dispersion, fast_waits = engine._window_stats(snap, p, legs)
    r_shares, r_waits, r_dispersion, r_fast_waits = ref_window_stats(snap, p)
    assert shares == r_shares
    assert r_shares  # the test sees fast shares ...
    assert waits == r_waits
    assert list(waits) == list(r_waits)  # the same order: the norms come out in it
    assert dispersion == r_dispersion
    assert any(v > 1 for v in r_dispersion.values()) or window_days == 7  # ... and dispersion
    assert {q: sorted(v) for q, v in fast_waits.items() if v} == {
        q: sorted(v) for q, v in r_fast_waits.items() if v
    }
    for q in QUEUES:
        mine = legs.of_queue(q) & (legs.fast != 1) & legs.has_left
        mine &= legs.left >= (DAY - dt.timedelta(days=window_days)).toordinal()
        ready, left = ref_busy_legs(snap, q, 6, p)
        assert sorted((legs.entered[mine] + 6).tolist()) == ready
        assert sorted(legs.left[mine].tolist()) == left
    open_rows = snap.open_rows()
    aside = engine._set_aside(snap, open_rows, p, legs)
    assert aside == ref_set_aside(snap, open_rows, p)
    assert aside or window_days == 7  # the test sees cases set aside


# -- the snapshot of a forecast: the closed cases it does not look at, counted only -----------


def _key(res: engine.Result) -> str:
    cases = [
        (c.application, c.queue, c.group, c.next_days, c.decision_days, c.within_term, c.reason)
        for c in res.cases
    ]
    return repr((cases, res.rates, res.norms))  # repr: NaN (beyond the horizon) equals itself


@pytest.mark.django_db(transaction=True)
def test_a_forecast_is_the_same_with_the_closed_cases_it_does_not_look_at_left_out() -> None:
    seed_cases(1500, as_of=DAY, seed=4)
    measures = all_measures()
    p = Params(replications=40, seed=3)
    full = take(DAY, measures, processes=1)  # every case, read and replayed in this process
    cutoff = engine.looks_back_to(DAY, p)
    # the workers read their own cases, and leave out the closed ones before the cutoff
    lean = take(DAY, measures, processes=2, leave_out_before=cutoff)
    gone = [r for r in full.rows if not r.open and all(
        leg.entered < cutoff and (leg.left is None or leg.left < cutoff) for leg in r.legs
    )]  # fmt: skip
    assert len(gone) > len(full.rows) // 5  # a fair share of the seeded cases closed early
    assert lean.rows == [r for r in full.rows if r not in gone]
    assert lean.left_out == Counter(r.nationality for r in gone)
    # the groups count them: with a group size that only they reach, it shows
    nat, _n = lean.left_out.most_common(1)[0]
    size = sum(r.nationality == nat for r in full.rows)
    assert engine.nationality_groups(lean, size) == engine.nationality_groups(full, size)
    assert engine.nationality_groups(lean, size)[nat] == nat
    assert engine.nationality_groups(replace(lean, left_out=Counter()), size)[nat] == "other"
    before = engine.run(full, p)
    assert any(not np.isnan(c.decision_days[1]) for c in before.cases)
    assert _key(engine.run(lean, p)) == _key(before)
    # leaving out cases the window does look at changes the forecast: the test can fail
    later = DAY - dt.timedelta(days=p.window_days // 2)
    assert _key(engine.run(take(DAY, measures, leave_out_before=later), p)) != _key(before)


def test_the_forecasts_are_stored_as_the_orm_stores_them(db: None) -> None:
    seed_cases(400, as_of=DAY, seed=5)
    columns = {f.attname for f in Forecast._meta.concrete_fields if not f.primary_key}
    assert set(STORED) == columns  # every column, once
    assert len(STORED) == len(set(STORED))
    summary = forecast_all(DAY)
    names = [n for n in STORED if n != "computed_at"]  # the time of the run aside
    stored = list(Forecast.objects.order_by("application_id").values_list(*names))
    assert len(stored) == summary.open_cases > 0
    assert any(row[names.index("decision_p50")] is not None for row in stored)
    assert all(row[names.index("computed_on")] == DAY for row in stored)
    # the same values through the ORM's bulk_create read back the same
    Forecast.objects.all().delete()
    Forecast.objects.bulk_create(Forecast(**dict(zip(names, row, strict=True))) for row in stored)
    assert list(Forecast.objects.order_by("application_id").values_list(*names)) == stored
