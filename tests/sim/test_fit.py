"""Fitting free parameters: the method recovers a capacity it was not told."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import numpy as np

from tests.sim.helpers import scenario_text, write
from toevlucht.sim.fit import (
    Goal,
    _run,
    capacity_param,
    fast_share_param,
    fit,
    freeze_capacities,
    objective,
    simulated,
)
from toevlucht.sim.loader import load_scenario
from toevlucht.sim.scenario import SimStage


def test_the_fit_recovers_the_capacity_that_made_the_figures(tmp_path: Path) -> None:
    sc = load_scenario(str(write(tmp_path, scenario_text(general=33, extended=60, ext_syr=0.0))))
    truth = _run(sc, 5, 0)
    goals = [
        Goal(
            key=k,
            period=p,
            value=float(np.median(simulated(truth, Goal(key=k, period=p, value=1, source="")))),
            source="the true run",
        )
        for k, p in (("pending", "2022-06-01"), ("decisions", "2022"))
    ]
    assert objective(truth, goals) == 0.0
    gp = capacity_param(SimStage.GENERAL_PROCEDURE, 10, 80, 50)
    res = fit(sc, [gp], goals, replications=5, seed=0)
    assert abs(res.x[0] - 33) < 0.5
    assert res.objective < 1e-4
    # a start far off gives a worse objective: the search, not the start, found it
    assert objective(_run(gp.apply(sc, 50), 5, 0), goals) > 100 * res.objective + 1e-3


def test_freezing_keeps_what_was_known_on_the_day_and_the_fast_share_reaches_the_stage(
    tmp_path: Path,
) -> None:
    text = scenario_text().replace(
        "[stages.general_procedure]\ncapacity = 33",
        "[stages.general_procedure]\ncapacity = [{ from = 2022-01-01, value = 33 }, "
        "{ from = 2022-04-01, value = 50 }]",
    )
    sc = load_scenario(str(write(tmp_path, text)))
    frozen = freeze_capacities(sc, dt.date(2022, 3, 31))
    cap = frozen.stages[SimStage.GENERAL_PROCEDURE].capacity
    assert cap.on(dt.date(2022, 6, 1)) == 33.0
    assert sc.stages[SimStage.GENERAL_PROCEDURE].capacity.on(dt.date(2022, 6, 1)) == 50.0
    fast = fast_share_param(0, 1, 0.5).apply(sc, 0.4)
    assert all(g.fast_share.on(dt.date(2022, 2, 1)) == 0.4 for g in fast.groups)
    assert fast.stages[SimStage.GENERAL_PROCEDURE].priority[0] == "fast"
    assert dataclasses.replace(fast, groups=sc.groups).groups == sc.groups
