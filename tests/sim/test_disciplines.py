"""Queue disciplines beyond first in, first out: capacity shares, cohorts, the fast lane.

The share discipline (``flow.shared``) is checked against the FIFO engine (one class gives
the same departures), against strict priority (a share of 1 is a priority), against its own
definition (each class gets its share when both have cases; what one leaves goes to the
other) and against the per-applicant SimPy reference with common arrivals.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.sim.helpers import scenario_text, write
from toevlucht.law.periods import add_months
from toevlucht.sim.engine import draw, flows, simulate_batch
from toevlucht.sim.errors import ScenarioError
from toevlucht.sim.flow import fifo, joint, shared
from toevlucht.sim.lawbridge import decision_due
from toevlucht.sim.loader import load_scenario
from toevlucht.sim.plan import build_plan
from toevlucht.sim.scenario import Route, SimStage


def _daily(D: np.ndarray) -> np.ndarray:
    return np.diff(D, axis=-1, prepend=0.0)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 12))
def test_with_one_class_the_share_discipline_equals_the_fifo_engine_exactly(
    seed: int, load: int
) -> None:
    rng = np.random.default_rng(seed)
    R, S, T = 3, 4, 150
    a = rng.poisson(load, (R, S, T)).astype(float)
    c = rng.poisson(20, (R, T)).astype(float)
    D = shared(a, c, 1, np.zeros(S, np.int64), np.ones((1, T)))
    assert np.array_equal(D, fifo(a, c, 1))  # integer flows: the same numbers, bit for bit
    hold = np.zeros((S, T), bool)
    hold[2, int(rng.integers(0, 100)) :][:40] = True
    Dh = shared(a, c, 1, np.zeros(S, np.int64), np.ones((1, T)), hold=hold)
    assert np.allclose(Dh, fifo(a, c, 1, hold=hold), atol=1e-7)


def test_a_share_of_one_is_a_strict_priority() -> None:
    rng = np.random.default_rng(3)
    R, S, T = 2, 4, 200
    a = rng.poisson(5, (R, S, T)).astype(float)
    c = np.full((R, T), 18.0)
    cls = np.array([0, 1, 0, 1])
    share = np.vstack([np.ones(T), np.zeros(T)])
    assert np.allclose(shared(a, c, 1, cls, share), fifo(a, c, 1, level=cls), atol=1e-9)


def test_each_class_gets_its_share_and_what_one_leaves_goes_to_the_other() -> None:
    T = 250
    a = np.zeros((1, 2, T))
    a[0, 0, :60] = 20.0  # class 0: overloaded for 60 days, then nothing
    a[0, 1, :] = 20.0  # class 1: always overloaded
    c = np.full((1, T), 10.0)
    share = np.vstack([np.full(T, 0.7), np.full(T, 0.3)])
    d = _daily(shared(a, c, 1, np.array([0, 1]), share))[0]
    busy = slice(1, 60)  # both have cases waiting (served from the day after arrival)
    assert np.allclose(d[0, busy], 7.0)
    assert np.allclose(d[1, busy], 3.0)
    total = d.sum(axis=0)
    assert np.allclose(total[1:], 10.0)  # work-conserving: the capacity is always used
    # class 0's queue (1,200 - 7 a day) runs out later; from then class 1 gets everything
    dry = np.nonzero(np.cumsum(d[0]) >= 1200 - 1e-9)[0][0]
    assert np.allclose(d[1, dry + 1 :], 10.0)
    assert np.isclose(d[0].sum(), 1200.0)


SHARES_RUS = """
[stages.general_procedure]
shares = { RUS = 0.25 }
"""


def test_with_shares_every_applicant_gets_the_same_decision_day_as_in_the_reference(
    tmp_path: Path,
) -> None:
    pytest.importorskip("simpy")
    from tests.sim.test_reference import _chain, _pairs_des, _pairs_engine
    from toevlucht.sim.reference import simulate_des

    text = scenario_text(
        extra_group="RUS", ext_syr=0.0, ext_rus=0.0, rate_rus=500, registration=1000000, general=32
    ).replace("[stages.general_procedure]\n", SHARES_RUS.strip() + "\n")
    plan = build_plan(load_scenario(str(write(tmp_path, text))))
    cls = plan.share_class[SimStage.GENERAL_PROCEDURE]
    share = plan.share[SimStage.GENERAL_PROCEDURE]
    assert share is not None
    assert sorted(set(cls.tolist())) == [0, 1]
    inp = draw(plan, 2, np.random.SeedSequence(4))
    fl = flows(plan, inp)
    for r in range(2):
        chain = dataclasses.replace(
            _chain(plan, inp, r), general_share_class=tuple(cls.tolist()), general_shares=share
        )
        out = simulate_des(chain, seed=r)
        for s in range(plan.S):
            assert np.array_equal(_pairs_engine(plan, fl, r, s), _pairs_des(plan, out, s))
    # both queues are overloaded: the general procedures started split 24 : 8 a working day
    started = np.diff(fl.departed[SimStage.GENERAL_PROCEDURE][0], axis=1, prepend=0.0)
    busy = started.sum(axis=0) == 32
    rus = next(i for i, s in enumerate(plan.subs_on(SimStage.GENERAL_PROCEDURE)) if cls[s] == 0)
    assert busy.sum() > 50
    assert np.allclose(started[rus, busy], 8.0)


COHORTS = """
[[initial]]
stage = "general_procedure"
count = 3000
lodged_from = 2021-06-01
lodged_until = 2021-12-01

[[cohort]]
id = "old"
regime = "vw2000"
worked_from = 2022-03-01

[[cohort]]
id = "new"
regime = "apr"
from = 2021-12-01
decision_term_months = 6
source = "a test's assumption"
"""


def _cohort_text(**kw: object) -> str:
    text = scenario_text(ext_syr=0.0, rate_syr=700, general=30, **kw) + COHORTS
    return text.replace(
        "[stages.general_procedure]\n",
        '[stages.general_procedure]\nshares = { new = 0.7 }\npriority = ["fast"]\n',
    )


def _mean_wait(plan_s: list[int], fl_L: np.ndarray, fl_F: np.ndarray, T: int) -> float:
    _, arr, dep, m = joint(fl_L[plan_s].sum(axis=0)[None], fl_F[plan_s].sum(axis=0)[None])
    done = dep < T
    return float((m[done] * (dep[done] - arr[done])).sum() / m[done].sum())


def test_cohorts_the_fast_lane_and_shares_order_the_waits_and_keep_the_old_cohort_back(
    tmp_path: Path,
) -> None:
    text = _cohort_text().replace("grant_rate = 0.9\n", "grant_rate = 0.9\nfast_share = 0.3\n", 1)
    sc = load_scenario(str(write(tmp_path, text)))
    plan = build_plan(sc)
    fl = flows(plan, draw(plan, 1, np.random.SeedSequence(2)))
    T = plan.T
    old = [i for i, s in enumerate(plan.subs) if s.cohort == 0]
    new = [i for i, s in enumerate(plan.subs) if s.cohort == 1]
    fast = [i for i, s in enumerate(plan.subs) if s.lane == 1]
    slow = [i for i in new if plan.subs[i].lane == 0]
    assert old
    assert fast
    assert slow
    assert all(plan.subs[i].cohort == 1 for i in fast)
    L = np.cumsum(fl.lodged[0] + plan.inject[SimStage.GENERAL_PROCEDURE], axis=1)
    F = np.cumsum(fl.decided[0], axis=1)
    # the fast lane is decided faster than the rest of its cohort
    assert _mean_wait(fast, L, F, T) + 20 < _mean_wait(slow, L, F, T)
    # the old cohort is not decided before it is worked on, then gets 30 % of the capacity
    worked = (dt.date(2022, 3, 1) - plan.first).days
    assert F[old, :worked].sum() == 0.0
    assert F[old, -1].sum() > 0
    started = np.diff(fl.departed[SimStage.GENERAL_PROCEDURE][0], axis=1, prepend=0.0)
    gp = list(plan.subs_on(SimStage.GENERAL_PROCEDURE))
    old_gp = [gp.index(i) for i in old if i in gp]
    days = np.nonzero(started.sum(axis=0) > 0)[0]
    days = days[days >= worked + 1]
    share_old = started[old_gp][:, days].sum() / started[:, days].sum()
    assert share_old == pytest.approx(0.3, abs=0.01)  # both queues stay overloaded
    # the new cohort's term is the scenario's 6 months; the old cohort's is the law's
    lodged = [plan.first + dt.timedelta(days=i) for i in range(T)]
    due_new = plan.due[new[0]]
    assert due_new.tolist() == [(add_months(d, 6) - plan.first).days for d in lodged]
    grp, prof = sc.groups[0], sc.groups[0].profiles[0]
    assert np.array_equal(plan.due[old[0]], decision_due(sc, grp, prof, plan.first, T))
    assert [u.id for u in plan.units] == ["SYR:old", "SYR:new"]


def test_one_cohort_gives_the_same_results_as_none(tmp_path: Path) -> None:
    base = scenario_text(extra_group="RUS")
    one = base + '\n[[cohort]]\nid = "everyone"\n'
    a = simulate_batch(build_plan(load_scenario(str(write(tmp_path, base, "a.toml")))), 3, _seed())
    b = simulate_batch(build_plan(load_scenario(str(write(tmp_path, one, "b.toml")))), 3, _seed())
    assert np.array_equal(a.series, b.series)
    assert all(np.array_equal(a.yearly[k], b.yearly[k]) for k in a.yearly)


def _seed() -> np.random.SeedSequence:
    return np.random.SeedSequence(11)


@pytest.mark.parametrize(
    ("old", "new", "key", "words"),
    [
        ("shares = { new = 0.7 }", "shares = { new = 0.7, SYR = 0.5 }", "shares", "add up to 1.2"),
        ("shares = { new = 0.7 }", "shares = { newer = 0.7 }", "shares.newer", "not a route"),
        ('source = "a test\'s assumption"\n', "", "cohort[1].source", "is required"),
        ("from = 2021-12-01\n", "", "cohort[1].from", "is required"),
        (
            "decision_term_months = 6\n",
            'decision_term = "apr_regular_months"\n',
            "cohort[1].decision_term",
            "no value in force on 2021-12-01",
        ),
        (
            "decision_term_months = 6\n",
            'decision_term = "nope"\n',
            "cohort[1].decision_term",
            "no such parameter",
        ),
        ('regime = "vw2000"\n', 'regime = "vw2000"\nfrom = 2020-01-01\n', "cohort[0].from", ""),
    ],
)
def test_a_bad_share_or_cohort_names_the_key(
    tmp_path: Path, old: str, new: str, key: str, words: str
) -> None:
    text = _cohort_text()
    assert old in text
    with pytest.raises(ScenarioError) as exc:
        load_scenario(str(write(tmp_path, text.replace(old, new, 1))))
    assert key in str(exc.value)
    assert words in str(exc.value)


def test_a_route_share_is_a_class_too(tmp_path: Path) -> None:
    plan = build_plan(load_scenario(str(write(tmp_path, _cohort_text()))))
    cls = plan.share_class[SimStage.GENERAL_PROCEDURE]
    names = [plan.subs[i].names(plan.scenario) for i in range(plan.S)]
    assert all((cls[i] == 0) == ("new" in n) for i, n in enumerate(names))
    assert all(s.route is Route.GENERAL for s in plan.subs)
