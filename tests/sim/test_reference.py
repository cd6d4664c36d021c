"""The engine against the per-applicant SimPy reference (simulation-notes §3.4).

The sharp test: fed the same daily lodgings (common random numbers), the engine and the
reference give every applicant the same lodging day and decision day. With a decision
stop on one nationality the engine splits a partly served day in proportion while the
reference serves in random order, so the two agree in distribution: tested with common
arrivals (per-replication means within a fraction of a day) and with independent streams
(Kolmogorov-Smirnov and Welch over 100 reference replications).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from tests.sim.helpers import scenario_text, write
from toevlucht.sim.engine import Flows, Inputs, draw, flows
from toevlucht.sim.flow import joint
from toevlucht.sim.loader import load_scenario
from toevlucht.sim.plan import Plan, build_plan
from toevlucht.sim.reference import Chain, Outcome, simulate_des
from toevlucht.sim.scenario import Route, SimStage

pytest.importorskip("simpy")

STOP = """
[[hold]]
measure = "ru-decision-stop-2022-press"
assume_from = 2022-03-15
"""


def _plan(tmp_path: Path, **kw: object) -> Plan:
    return build_plan(load_scenario(str(write(tmp_path, scenario_text(**kw)))))


def _chain(plan: Plan, inp: Inputs, r: int) -> Chain:
    cap = {k: np.rint(v).astype(np.int64) for k, v in plan.capacity.items()}
    return Chain(
        lodged=inp.requests[r].astype(np.int64),  # lodging is not a bottleneck here
        extended=tuple(s.route is Route.EXTENDED for s in plan.subs),
        registration=cap[SimStage.REGISTRATION],
        rest_days=plan.scenario.rest_period_days,
        general=cap[SimStage.GENERAL_PROCEDURE],
        gp_end=plan.gp_end,
        extended_capacity=cap[SimStage.EXTENDED_PROCEDURE],
        hold=plan.hold[SimStage.GENERAL_PROCEDURE],
    )


def _pairs_engine(plan: Plan, fl: Flows, r: int, s: int) -> np.ndarray:
    T = plan.T
    L = np.cumsum(fl.lodged[r, s : s + 1], axis=1)
    F = np.cumsum(fl.decided[r, s : s + 1], axis=1)
    _, arr, dep, m = joint(L, F)
    h = np.zeros((T, T + 1))
    np.add.at(h, (arr, dep), m)
    return h


def _pairs_des(plan: Plan, out: Outcome, s: int) -> np.ndarray:
    T = plan.T
    k = out.cls == s
    dec = np.where(out.decided[k] >= 0, out.decided[k], T)
    h = np.zeros((T, T + 1))
    np.add.at(h, (out.lodged[k], dec), 1)
    return h


@pytest.mark.parametrize("extended", [1.0, 0.0])
def test_every_applicant_gets_the_same_decision_day_as_in_the_simpy_reference(
    tmp_path: Path, extended: float
) -> None:
    plan = _plan(tmp_path, ext_syr=extended)
    inp = draw(plan, 3, np.random.SeedSequence(11))
    fl = flows(plan, inp)
    for r in range(3):
        out = simulate_des(_chain(plan, inp, r), seed=r)
        assert len(out.lodged) == inp.requests[r].sum()
        assert np.array_equal(_pairs_engine(plan, fl, r, 0), _pairs_des(plan, out, 0))
        assert (out.decided >= 0).sum() > 1000  # the comparison is not vacuous


def _mean_wait(h: np.ndarray, T: int) -> float:
    lodge, dec = np.nonzero(h[:, :T])
    w = h[lodge, dec]
    return float((w * (dec - lodge)).sum() / w.sum())


def test_with_a_decision_stop_the_engine_and_the_reference_agree_on_common_arrivals(
    tmp_path: Path,
) -> None:
    plan = _plan(
        tmp_path,
        end="2022-07-31",
        extra_group="RUS",
        rate_syr=600,
        rate_rus=240,
        registration=32,
        general=30,
        extended=30,
        measures='["ru-decision-stop-2022-press"]',
        holds=STOP,
    )
    rus = next(i for i, s in enumerate(plan.subs) if plan.scenario.groups[s.group].id == "RUS")
    assert plan.hold[SimStage.GENERAL_PROCEDURE][rus].sum() > 30  # held 15 March - 20 May
    inp = draw(plan, 4, np.random.SeedSequence(3))
    fl = flows(plan, inp)
    for r in range(4):
        out = simulate_des(_chain(plan, inp, r), seed=100 + r)
        for s in range(plan.S):
            e, d = _pairs_engine(plan, fl, r, s), _pairs_des(plan, out, s)
            assert e.sum() == pytest.approx(d.sum())
            # decided by the end: equal up to the partly served last days
            assert e[:, : plan.T].sum() == pytest.approx(d[:, : plan.T].sum(), abs=40)
            assert _mean_wait(e, plan.T) == pytest.approx(_mean_wait(d, plan.T), abs=0.5)


@pytest.mark.slow
def test_independent_streams_give_the_same_distributions_ks_and_welch(tmp_path: Path) -> None:
    plan = _plan(
        tmp_path,
        start="2022-03-01",
        end="2022-06-10",
        extra_group="RUS",
        rate_syr=360,
        rate_rus=150,
        registration=18,
        general=17,
        extended=17,
        measures='["ru-decision-stop-2022-press"]',
        holds=STOP,
    )
    n_des, n_np = 100, 1000
    eng = flows(plan, draw(plan, n_np, np.random.SeedSequence(2024)))
    metrics_np = _metrics_engine(plan, eng)
    des = []
    for r in range(n_des):
        inp = draw(plan, 1, np.random.SeedSequence([7, r]))
        des.append(_metrics_des(plan, simulate_des(_chain(plan, inp, 0), seed=r)))
    metrics_des = np.array(des)
    for j in range(metrics_np.shape[1]):
        ks = stats.ks_2samp(metrics_np[:, j], metrics_des[:, j]).pvalue
        welch = stats.ttest_ind(metrics_np[:, j], metrics_des[:, j], equal_var=False).pvalue
        assert ks > 0.001, (j, ks)
        assert welch > 0.001, (j, welch)


def _metrics_engine(plan: Plan, fl: Flows) -> np.ndarray:
    """Per replication and class: decided by the end, mean lodging-to-decision wait."""
    R, S, T = fl.lodged.shape
    L = np.cumsum(fl.lodged, axis=2).reshape(R * S, T)
    F = np.cumsum(fl.decided, axis=2).reshape(R * S, T)
    row, arr, dep, m = joint(L, F)
    ok = dep < T
    n = np.bincount(row[ok], m[ok], minlength=R * S)
    w = np.bincount(row[ok], m[ok] * (dep - arr)[ok], minlength=R * S)
    return np.stack([n, w / n], axis=1).reshape(R, S * 2)


def _metrics_des(plan: Plan, out: Outcome) -> list[float]:
    row: list[float] = []
    for s in range(plan.S):
        h = _pairs_des(plan, out, s)
        row += [h[:, : plan.T].sum(), _mean_wait(h, plan.T)]
    return row


def test_with_a_priority_every_applicant_gets_the_same_decision_day_as_in_the_reference(
    tmp_path: Path,
) -> None:
    """Cases decided in the general procedure (RUS here) are started before referred ones."""
    text = scenario_text(
        extra_group="RUS", ext_rus=0.0, rate_rus=300, registration=1000000, general=30
    ).replace(
        "[stages.general_procedure]\n", '[stages.general_procedure]\npriority = ["general"]\n'
    )
    plan = build_plan(load_scenario(str(write(tmp_path, text))))
    level = plan.level[SimStage.GENERAL_PROCEDURE]
    assert sorted(level.tolist()) == [0, 1]
    inp = draw(plan, 2, np.random.SeedSequence(8))
    fl = flows(plan, inp)
    for r in range(2):
        chain = dataclasses.replace(_chain(plan, inp, r), general_level=tuple(level.tolist()))
        out = simulate_des(chain, seed=r)
        for s in range(plan.S):
            assert np.array_equal(_pairs_engine(plan, fl, r, s), _pairs_des(plan, out, s))
    # the priority shows: the referred cases wait longer for the general procedure
    waits = [_mean_wait(_pairs_engine(plan, fl, 0, s), plan.T) for s in range(plan.S)]
    general = next(i for i, s in enumerate(plan.subs) if s.route is Route.GENERAL)
    assert waits[general] < min(w for i, w in enumerate(waits) if i != general)
