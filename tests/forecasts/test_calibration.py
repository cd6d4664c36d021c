"""The calibration of the bands (forecasts.calibration), the pace from censored days
(engine._censored_mle), and the backtest's rules that keep its coverage honest: a forecast is
scored only once its band has closed, each past day is widened only by what was known on it,
and a small nationality group is judged by its queue only where its own record agrees."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

from toevlucht.forecasts import engine
from toevlucht.forecasts.backtest import GroupScore, _add, consistent, judged, score
from toevlucht.forecasts.calibration import Closed, factors, score_of, widen, within
from toevlucht.forecasts.snapshot import CaseRow, Leg, Snapshot

Q = "vw2000:decision"


def test_a_score_is_how_far_outside_its_band_the_step_came_in_half_widths() -> None:
    band = (10.0, 20.0, 40.0)
    assert score_of(band, 15.0) == 1.0
    assert score_of(band, 5.0) == pytest.approx(1 + 5 / 10)  # below: the lower half-width
    assert score_of(band, 60.0) == pytest.approx(1 + 20 / 20)  # above: the upper half-width
    assert score_of(band, None) == math.inf  # closed and not come: no finite band holds it
    assert score_of((5.0, 5.0, 5.0), 7.0) == pytest.approx(3.0)  # a nil half-width counts as 1


def test_the_factor_is_the_conformal_quantile_and_needs_enough_closed_forecasts() -> None:
    band = (10.0, 20.0, 30.0)
    # 16 inside, 4 came 10 days late (score 2.0): 20 forecasts, the 80 % band needs rank
    # ceil(0.8 * 21) = 17 of the sorted scores, which is 2.0
    closed = [Closed(("decision", Q), band, 20.0) for _ in range(16)]
    closed += [Closed(("decision", Q), band, 40.0) for _ in range(4)]
    assert factors(closed)[("decision", Q)].factor == pytest.approx(2.0)
    assert factors(closed)[("decision", Q)].n == 20
    # with 17 inside and 3 late, rank 17 is inside: the model's band stands (never narrowed)
    ok = [Closed(("decision", Q), band, 20.0) for _ in range(17)]
    ok += [Closed(("decision", Q), band, 40.0) for _ in range(3)]
    assert factors(ok)[("decision", Q)].factor == 1.0
    # too few of a kind: no factor at all
    assert factors(closed[:19]) == {}
    # more never came than the band may miss: no band is wide enough
    never = [Closed(("decision", Q), band, None) for _ in range(5)] + closed[:15]
    assert math.isinf(factors(never)[("decision", Q)].factor)


def test_widening_moves_each_tail_out_and_keeps_the_median() -> None:
    assert widen((10.0, 20.0, 40.0), 1.0) == (10.0, 20.0, 40.0)
    assert widen((10.0, 20.0, 40.0), 1.5) == (5.0, 20.0, 50.0)
    assert widen((3.0, 20.0, 40.0), 2.0)[0] == 1.0  # not before the day after the forecast
    lo, mid, hi = widen((10.0, 20.0, 40.0), math.inf)
    assert math.isnan(lo)
    assert math.isnan(hi)
    assert mid == 20.0
    nan_band = (math.nan, math.nan, math.nan)
    assert all(math.isnan(x) for x in widen(nan_band, 2.0))


def test_the_probability_by_a_day_follows_the_widened_band() -> None:
    draws = np.arange(1, 101, dtype=np.int64)  # a step on days 1..100, evenly
    band = (10.0, 50.0, 90.0)
    assert within(draws, band, 1.0, 50.0) == pytest.approx(0.5)
    # widened by 1.5, the p90 moves to day 110: by day 110, 90 % as the band says
    assert within(draws, band, 1.5, 110.0) == pytest.approx(0.9)
    assert within(draws, band, 1.5, 50.0) == pytest.approx(0.5)  # the median stays
    assert within(draws, band, 1.5, 90.0) < within(draws, band, 1.0, 90.0)
    assert math.isnan(within(draws, band, math.inf, 50.0))


def test_the_pace_from_censored_days_is_not_biased_by_the_days_a_queue_ran_dry() -> None:
    rng = np.random.default_rng(3)
    lam, queue_len = 4.0, 4  # capacity Poisson(4) a day; 4 cases to serve each day
    capacity = rng.poisson(lam, size=4000)
    exits = np.minimum(capacity, queue_len)
    exact = exits[capacity < queue_len]  # someone was left waiting: exits = capacity
    censored = exits[capacity >= queue_len]  # it served all it had: capacity >= exits
    naive = float(exact.mean())  # the days someone was left waiting only
    est, info = engine._censored_mle(exact.astype(np.int64), censored.astype(np.int64))
    assert naive < 0.7 * lam  # the days that leave someone waiting are the slow ones
    assert est == pytest.approx(lam, rel=0.05)
    assert 1 / math.sqrt(info) < 0.1  # and it knows how certain it is


def _row(app: int, legs: tuple[Leg, ...], open_: bool, queue: str = "") -> CaseRow:
    since = legs[-1].entered if legs else None
    return CaseRow(app, "SYR", "vw2000", legs, open_, queue, since, since, "", None, None)


def test_a_forecast_is_scored_once_its_band_has_closed_whatever_came() -> None:
    made = engine.Result(dt.date(2022, 1, 1), engine.Params())
    band = (10.0, 20.0, 30.0)
    today_open, today_closed = dt.date(2022, 1, 25), dt.date(2022, 2, 15)
    early = dt.date(2022, 1, 5)  # before the p10
    inside = dt.date(2022, 1, 18)
    for today, came, expect in (
        (today_open, early, (0, 0, 1)),  # a known miss, but the band is open: not scored
        (today_open, inside, (0, 0, 1)),  # a known hit, likewise
        (today_open, None, (0, 0, 1)),
        (today_closed, early, (1, 0, 0)),
        (today_closed, inside, (1, 1, 0)),
        (today_closed, None, (1, 0, 0)),  # closed and not come: a miss
    ):
        g = GroupScore("decision", Q, "SYR")
        _add(g, made, band, came, False, today)
        assert (g.outcomes, g.held, g.censored) == expect, (today, came)
    g = GroupScore("decision", Q, "SYR")
    _add(g, made, band, None, True, today_closed)  # withdrawn: no outcome
    assert (g.outcomes, g.censored) == (0, 1)


def test_a_small_group_is_judged_by_its_queue_only_where_its_own_record_agrees() -> None:
    pooled = GroupScore("decision", Q, "all", outcomes=200, held=170)
    failing_pool = GroupScore("decision", Q, "all", outcomes=200, held=100)
    few_good = GroupScore("decision", Q, "GEO", outcomes=12, held=10)
    few_bad = GroupScore("decision", Q, "AFG", outcomes=15, held=4)
    many_bad = GroupScore("decision", Q, "RUS", outcomes=40, held=15)
    assert judged(few_good, pooled, 0.7, 20) == (True, True)
    assert judged(few_bad, pooled, 0.7, 20) == (False, True)  # 4 of 15 at 70 %: too unlikely
    assert judged(many_bad, pooled, 0.7, 20) == (False, False)  # enough of its own: its own
    assert judged(None, pooled, 0.7, 20) == (True, True)
    assert judged(few_good, failing_pool, 0.7, 20) == (False, False)
    assert consistent(8, 14, 0.7)
    assert not consistent(4, 15, 0.7)


def test_each_past_day_is_widened_only_by_what_was_known_on_it() -> None:
    """The backtest's factor for a past day comes from the forecasts before it, scored
    against that day's snapshot: what is recorded later cannot change it. Here the queue
    serves one case a day until 1 March and then stops; on 1 April, the forecasts of
    February have closed and missed (never come): no band is wide enough, and the factor
    April took does not change whatever 'today' holds."""
    start = dt.date(2021, 11, 1)
    rows_by_day: dict[dt.date, list[CaseRow]] = {}
    days = [dt.date(2022, 2, 1), dt.date(2022, 3, 1), dt.date(2022, 4, 1)]
    for day in days:
        rows = []
        for k in range(120):
            entered = start + dt.timedelta(days=k)
            left = entered + dt.timedelta(days=30)
            stop = dt.date(2022, 3, 1)
            if left >= min(day, stop):
                rows.append(_row(k, (Leg(Q, entered, None, False),), True, Q))
            else:
                rows.append(_row(k, (Leg(Q, entered, left, False),), False))
        rows_by_day[day] = rows
    past = [Snapshot(d, rows_by_day[d]) for d in days]
    p = engine.Params(replications=40, window_days=60, min_group=1, seed=2)
    seen: list[dict[tuple[str, str], float]] = []

    def scored(today: Snapshot) -> None:
        import toevlucht.forecasts.backtest as bt

        orig = bt.run

        def spy(snap: Snapshot, *a: object, **kw: object) -> engine.Result:
            spread = kw.get("spread") or {}
            seen.append({k: v.factor for k, v in spread.items()})  # type: ignore[union-attr]
            return orig(snap, *a, **kw)  # type: ignore[arg-type]

        bt.run = spy  # type: ignore[assignment]
        try:
            score(today, past, p, groups={"SYR": "SYR"}, min_calibration=5)
        finally:
            bt.run = orig

    scored(Snapshot(dt.date(2022, 6, 1), rows_by_day[days[-1]]))
    first = list(seen)
    seen.clear()
    later = [
        _row(r.application, (Leg(Q, r.legs[0].entered, dt.date(2022, 5, 30), False),), False)
        for r in rows_by_day[days[-1]]
    ]
    scored(Snapshot(dt.date(2022, 6, 1), later))  # everything decided after all, recorded late
    assert seen == first  # the factors each past day took are the same
    assert first[0] == {}
    # on 1 April more of the closed forecasts never came than any band may miss
    assert math.isinf(first[-1][("decision", Q)])


def _fifo_queue(
    seed: int, arrivals: float, capacity: float, same_day: bool, days: int = 800
) -> Snapshot:
    """A first-in-first-out queue served on working days at a Poisson capacity; a case can
    be served on the day it arrives (``same_day``) or from the next working day."""
    rng = np.random.default_rng(seed)
    start = dt.date(2020, 1, 6)
    line: list[tuple[int, dt.date]] = []
    rows: list[CaseRow] = []
    app = 0
    for k in range(days):
        day = start + dt.timedelta(days=k)
        if day.weekday() >= 5:
            continue
        for _ in range(int(rng.poisson(arrivals))):
            line.append((app, day))
            app += 1
        served = 0
        cap = int(rng.poisson(capacity))
        while line and served < cap and (same_day or line[0][1] < day):
            a, entered = line.pop(0)
            rows.append(_row(a, (Leg(Q, entered, day, False),), False))
            served += 1
    as_of = start + dt.timedelta(days=days)
    rows += [_row(a, (Leg(Q, e, None, False),), True, Q) for a, e in line]
    return Snapshot(as_of, rows)


@pytest.mark.parametrize("same_day", [True, False])
def test_the_pace_read_from_a_queue_is_its_capacity_whether_or_not_it_serves_the_same_day(
    same_day: bool,
) -> None:
    p = engine.Params(window_days=700)
    rates = []
    for seed in range(6):
        snap = _fifo_queue(seed, arrivals=2.7, capacity=3.0, same_day=same_day)
        waiting = {r.application: r.since for r in snap.open_rows() if r.since is not None}
        observed, days = engine._busy_pace(snap, Q, 0, p, waiting)
        rates.append(observed / days * 7 / 5)  # per working day
    assert np.mean(rates) == pytest.approx(3.0, rel=0.05)


def test_a_queue_that_served_no_one_has_no_pace() -> None:
    day = dt.date(2022, 3, 1)
    rows = [
        _row(k, (Leg(Q, day - dt.timedelta(days=100 + k), None, False),), True, Q) for k in range(5)
    ]
    waiting = {r.application: r.since for r in rows if r.since is not None}
    assert engine._busy_pace(Snapshot(day, rows), Q, 0, engine.Params(), waiting) == (0, 91)
    assert engine._censored_mle(np.zeros(30, dtype=np.int64), np.zeros(0, dtype=np.int64))[0] == 0


def test_no_chance_of_a_decision_within_a_term_already_over() -> None:
    draws = np.arange(1, 101, dtype=np.int64)
    band = (26.0, 64.0, 95.0)
    assert within(draws, band, 1.9, 0.0) == 0.0
    assert within(draws, band, 1.9, -5.0) == 0.0
    assert within(draws, band, 1.0, 0.0) == 0.0


def test_a_case_withdrawn_after_its_band_closed_is_a_miss_and_one_withdrawn_inside_is_not() -> None:
    from toevlucht.forecasts.backtest import _ended_in_band

    made = dt.date(2022, 1, 1)
    hi = 30.0  # the band closes on 31 January
    inside = CaseRow(
        1, "SYR", "vw2000", (), False, "", None, None, "", None, None, dt.date(2022, 1, 20)
    )
    after = CaseRow(
        2, "SYR", "vw2000", (), False, "", None, None, "", None, None, dt.date(2022, 3, 1)
    )
    unknown = CaseRow(3, "SYR", "vw2000", (), False, "", None, None, "", None, None)
    assert _ended_in_band(inside, made, hi)
    assert not _ended_in_band(after, made, hi)
    assert _ended_in_band(unknown, made, hi)
    res = engine.Result(made, engine.Params())
    for ended, expect in ((True, (0, 0, 1)), (False, (1, 0, 0))):
        g = GroupScore("decision", Q, "SYR")
        _add(g, res, (10.0, 20.0, hi), None, ended, dt.date(2022, 4, 1))
        assert (g.outcomes, g.held, g.censored) == expect


def test_the_gate_reads_a_small_group_by_its_queue_and_names_why_not() -> None:
    from toevlucht.forecasts.models import BacktestGroup, BacktestRun
    from toevlucht.forecasts.services import Unavailable, _gate, spread_of

    def grp(
        nat: str, outcomes: int, held: int, passes: bool, by_queue: bool = False
    ) -> BacktestGroup:
        return BacktestGroup(
            target="decision", queue=Q, nationality_group=nat, forecasts=outcomes,
            outcomes=outcomes,
            held=held, censored=0, recent_outcomes=0, recent_held=0, passes=passes,
            judged_by_queue=by_queue,
        )  # fmt: skip

    pooled = grp("all", 200, 170, True)
    scores = {
        ("decision", f"{Q}|all"): pooled,
        ("decision", f"{Q}|GEO"): grp("GEO", 12, 10, True, True),
        ("decision", f"{Q}|AFG"): grp("AFG", 15, 4, False, True),
        ("decision", f"{Q}|RUS"): grp("RUS", 40, 15, False),
    }
    assert _gate(scores, "decision", Q, f"{Q}|GEO", 20) == ("", pooled)
    assert _gate(scores, "decision", Q, f"{Q}|AFG", 20)[0] == Unavailable.FAILED
    assert _gate(scores, "decision", Q, f"{Q}|RUS", 20)[0] == Unavailable.FAILED
    assert _gate(scores, "decision", Q, f"{Q}|IRN", 20) == ("", pooled)  # none of its own
    assert _gate(None, "decision", Q, f"{Q}|GEO", 20)[0] == Unavailable.NO_BACKTEST
    few_pool = {("decision", f"{Q}|all"): grp("all", 5, 5, False)}
    assert _gate(few_pool, "decision", Q, f"{Q}|GEO", 20)[0] == Unavailable.TOO_FEW
    bad_pool = {("decision", f"{Q}|all"): grp("all", 200, 60, False)}
    assert _gate(bad_pool, "decision", Q, f"{Q}|GEO", 20)[0] == Unavailable.FAILED
    run = BacktestRun(
        spread={
            f"decision|{Q}": {"factor": None, "n": 30},
            f"next_step|{Q}": {"factor": 1.5, "n": 40},
        }
    )
    spread = spread_of(run)
    assert math.isinf(spread[("decision", Q)].factor)
    assert spread[("next_step", Q)].factor == 1.5
    assert spread_of(None) == {}
