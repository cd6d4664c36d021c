"""Fitting a scenario's free parameters to published figures, by a stated method.

The IND's capacities are not published, nor how it orders its work; a scenario's free
parameters (a stage's capacity, a group's ``fast_share``) were once set by hand. Here they
are fitted instead:

* **Objective.** For published figures ``y_i`` (a count or share in a year, a stock on a
  day) and the simulated median ``m_i(θ)`` over replications, the weighted sum of squared
  log ratios ``Σ w_i · log(m_i(θ) / y_i)²``: a relative error, symmetric in over- and
  under-shooting, that gives a stock of 35,000 and a share of 15 % the same footing.
* **Common random numbers.** Every evaluation uses the same seed, so the objective is a
  deterministic function of ``θ`` and differences between two ``θ`` are not noise.
* **Search.** Nelder–Mead (``scipy.optimize.minimize``) on the parameters scaled to
  ``[0, 1]`` between their bounds, from the given start (and any further starts) with a
  first simplex a quarter of each range wide, until the simplex is within 0.2 %
  of each parameter's range and the objective within 1e-4, or a cap on evaluations.
* **Out of sample.** :func:`freeze_capacities` keeps every capacity at the value it has on a
  day (e.g. the end of the fitting year), so a fit on 2022 predicts 2023 without knowing any
  2023 capacity; the published inflow stays an input (a conditional forecast).

>>> from toevlucht.sim.loader import load_scenario
>>> sc = freeze_capacities(load_scenario("nl-2022"), dt.date(2022, 12, 31))
>>> sc.stages[SimStage.GENERAL_PROCEDURE].capacity.on(dt.date(2024, 6, 1))
55.0
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from toevlucht.sim.engine import simulate_batch
from toevlucht.sim.errors import SimError
from toevlucht.sim.lawbridge import describe_measures
from toevlucht.sim.plan import build_plan
from toevlucht.sim.runner import Run
from toevlucht.sim.scenario import Dated, Scenario, SimStage
from toevlucht.sim.summary import by_year, series_value

__all__ = [
    "Fit",
    "Goal",
    "Param",
    "capacity_param",
    "fast_share_param",
    "fit",
    "freeze_capacities",
    "simulated",
]

F = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True, kw_only=True)
class Param:
    """A free parameter: a name, bounds, a start, and how it changes a scenario."""

    name: str
    lo: float
    hi: float
    start: float
    apply: Callable[[Scenario, float], Scenario]


@dataclass(frozen=True, slots=True, kw_only=True)
class Goal:
    """A published figure: ``key`` is a per-year figure of
    :func:`toevlucht.sim.summary.by_year` with ``period`` a year, or a daily series
    (``pending``, ``reception``, ...) with ``period`` a date (the stock at its start)."""

    key: str
    period: str
    value: float
    source: str
    weight: float = 1.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Fit:
    params: tuple[Param, ...]
    x: tuple[float, ...]  # the fitted values, in the order of ``params``
    objective: float
    evaluations: int
    converged: bool

    @property
    def values(self) -> dict[str, float]:
        return {p.name: v for p, v in zip(self.params, self.x, strict=True)}

    def apply(self, sc: Scenario) -> Scenario:
        """``sc`` with the fitted values (e.g. a longer horizon than the fit's)."""
        for p, v in zip(self.params, self.x, strict=True):
            sc = p.apply(sc, v)
        return sc


def capacity_param(stage: SimStage, lo: float, hi: float, start: float) -> Param:
    """A stage's capacity, one constant over the whole horizon."""

    def apply(sc: Scenario, v: float) -> Scenario:
        spec = dataclasses.replace(sc.stages[stage], capacity=Dated.constant(v))
        return dataclasses.replace(sc, stages={**sc.stages, stage: spec})

    return Param(name=f"stages.{stage.value}.capacity", lo=lo, hi=hi, start=start, apply=apply)


def fast_share_param(lo: float, hi: float, start: float) -> Param:
    """One ``fast_share`` for every group (the share of general-procedure cases the IND
    takes up first); the general procedure serves the lane ``fast`` first."""

    def apply(sc: Scenario, v: float) -> Scenario:
        groups = tuple(dataclasses.replace(g, fast_share=Dated.constant(v)) for g in sc.groups)
        gp = sc.stages[SimStage.GENERAL_PROCEDURE]
        prio = gp.priority if "fast" in gp.priority else ("fast", *gp.priority)
        stages = {**sc.stages, SimStage.GENERAL_PROCEDURE: dataclasses.replace(gp, priority=prio)}
        return dataclasses.replace(sc, groups=groups, stages=stages)

    return Param(name="group.fast_share", lo=lo, hi=hi, start=start, apply=apply)


def freeze_capacities(sc: Scenario, day: dt.date) -> Scenario:
    """Every stage's capacity kept at its value on ``day`` from then on (what a forecast made
    on ``day`` knows)."""
    stages = {}
    for st, spec in sc.stages.items():
        keep = [(s, v) for s, v in zip(spec.capacity.starts, spec.capacity.values, strict=True)]
        kept = [(s, v) for s, v in keep if s <= day] or keep[:1]
        cap = Dated(starts=tuple(s for s, _ in kept), values=tuple(v for _, v in kept))
        stages[st] = dataclasses.replace(spec, capacity=cap)
    return dataclasses.replace(sc, stages=stages)


def _run(sc: Scenario, replications: int, seed: int) -> Run:
    """Replications in this process, one batch per call (the fit's evaluations are small)."""
    plan = build_plan(sc)
    batch = simulate_batch(plan, replications, np.random.SeedSequence(seed).spawn(1)[0])
    return Run(
        scenario=sc,
        plan=plan,
        batch=batch,
        replications=replications,
        seed=seed,
        measures=describe_measures(sc),
        seconds=0.0,
    )


def simulated(r: Run, goal: Goal) -> F:
    """The goal's figure in each replication."""
    if len(goal.period) == 4:
        year = int(goal.period)
        if year not in r.plan.years:
            raise SimError(
                f"{goal.key} {goal.period}: not a year of the scenario",
                message_key="error.goal_year",
                params={"goal": goal.key, "period": goal.period},
            )
        out: F = by_year(r, goal.key)[:, r.plan.years.index(year)]
        return out
    x = series_value(r, goal.key, dt.date.fromisoformat(goal.period))
    if x is None:
        raise SimError(
            f"{goal.key} {goal.period}: not a day of the scenario",
            message_key="error.goal_day",
            params={"goal": goal.key, "period": goal.period},
        )
    return x


def objective(r: Run, goals: Sequence[Goal]) -> float:
    total = 0.0
    for g in goals:
        m = float(np.nanmedian(simulated(r, g)))
        total += g.weight * math.log(max(m, 1e-9) / g.value) ** 2
    return total


def fit(
    sc: Scenario,
    params: Sequence[Param],
    goals: Sequence[Goal],
    *,
    replications: int = 20,
    seed: int = 0,
    max_evaluations: int = 120,
    starts: Sequence[Sequence[float]] = (),
) -> Fit:
    """Fit ``params`` so that the simulated medians come close to ``goals`` (see the module
    docstring for the method). ``starts``: further starting points (the objective can have
    several local minima: a median jumps where a wait distribution has two modes); the best
    of all runs is kept."""
    from scipy.optimize import minimize

    lo = np.array([p.lo for p in params])
    span = np.array([p.hi - p.lo for p in params])

    def scenario_at(z: F) -> Scenario:  # z: each parameter scaled to [0, 1]
        out = sc
        for p, v in zip(params, lo + span * z, strict=True):
            out = p.apply(out, float(v))
        return out

    count = 0

    def f(z: F) -> float:
        nonlocal count
        count += 1
        return objective(_run(scenario_at(z), replications, seed), goals)

    best = None
    for x0 in [[p.start for p in params], *starts]:
        z0 = (np.asarray(x0, dtype=np.float64) - lo) / span
        # a wide first simplex (a quarter of each range, towards the middle): a small one
        # can sit on a plateau (a stage that is not a bottleneck) and stop at once
        simplex = np.vstack(
            [z0]
            + [z0 + np.eye(len(z0))[i] * np.where(z0[i] < 0.5, 0.25, -0.25) for i in range(len(z0))]
        )
        res = minimize(
            f,
            z0,
            method="Nelder-Mead",
            bounds=[(0.0, 1.0)] * len(params),
            options={
                "maxfev": max_evaluations,
                "xatol": 2e-3,
                "fatol": 1e-4,
                "initial_simplex": simplex,
            },
        )
        if best is None or res.fun < best.fun:
            best = res
    assert best is not None
    return Fit(
        params=tuple(params),
        x=tuple(float(v) for v in lo + span * best.x),
        objective=float(best.fun),
        evaluations=count,
        converged=bool(best.success),
    )
