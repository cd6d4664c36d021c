"""Run replications: in this process, over a pool of processes, or on a Dask cluster.

Replications are cut into batches of a fixed size, and batch ``i`` of a run always draws
from ``SeedSequence(seed).spawn(n)[i]``, so the result depends on the seed and the number of
replications only — not on how many processes or which cluster ran it. Two scenarios run
with the same seed share their random numbers where they have the same groups (common
random numbers), which makes their differences sharper than their bands.
"""

from __future__ import annotations

import concurrent.futures as cf
import importlib
import multiprocessing
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from toevlucht.sim.engine import Batch, simulate_batch
from toevlucht.sim.errors import SimError
from toevlucht.sim.lawbridge import MeasureEffect, describe_measures
from toevlucht.sim.plan import Plan, build_plan
from toevlucht.sim.scenario import Scenario

__all__ = ["BATCH", "Run", "run", "run_many"]

BATCH = 50  # replications per batch: small enough for memory, large enough for numpy

Progress = Callable[[int], None]


@dataclass(slots=True, kw_only=True)
class Run:
    """The replications of one scenario, reduced (see :class:`~toevlucht.sim.engine.Batch`)."""

    scenario: Scenario
    plan: Plan
    batch: Batch
    replications: int
    seed: int
    measures: list[MeasureEffect]
    seconds: float


def _batches(replications: int) -> list[int]:
    if replications < 1:
        raise SimError(
            f"replications must be at least 1, got {replications}",
            message_key="error.replications",
            params={"got": replications},
        )
    full, rest = divmod(replications, BATCH)
    return [BATCH] * full + ([rest] if rest else [])


_PLANS: dict[int, Plan] = {}


def _init(plans: Sequence[Plan]) -> None:
    _PLANS.clear()
    _PLANS.update(enumerate(plans))


def _work(which: int, size: int, seed: np.random.SeedSequence) -> Batch:
    return simulate_batch(_PLANS[which], size, seed)


def run_many(
    scenarios: Sequence[Scenario],
    replications: int,
    seed: int = 0,
    *,
    workers: int | None = None,
    dask: str | None = None,
    dask_timeout: float = 10.0,
    progress: Progress | None = None,
) -> list[Run]:
    """Run several scenarios, spreading all their batches over one pool of workers.

    Args:
        workers: processes (default: the machine's cores; 1 runs in this process).
        dask: address of a Dask scheduler (``tcp://host:8786``) to run the batches on.
        dask_timeout: seconds to wait for the scheduler.
        progress: called with the number of replications just finished.
    """
    t0 = time.perf_counter()
    plans = [build_plan(s) for s in scenarios]
    sizes = _batches(replications)
    seeds = np.random.SeedSequence(seed).spawn(len(sizes))
    jobs = [(k, i) for k in range(len(plans)) for i in range(len(sizes))]
    results: dict[tuple[int, int], Batch] = {}
    n_workers = workers or os.cpu_count() or 1
    if dask:
        results = _run_dask(dask, dask_timeout, plans, jobs, sizes, seeds, progress)
    elif n_workers == 1 or len(jobs) == 1:
        _init(plans)
        for k, i in jobs:
            results[(k, i)] = _work(k, sizes[i], seeds[i])
            if progress:
                progress(sizes[i])
    else:
        ctx = multiprocessing.get_context("spawn")
        with cf.ProcessPoolExecutor(
            max_workers=min(n_workers, len(jobs)),
            mp_context=ctx,
            initializer=_init,
            initargs=(plans,),
        ) as pool:
            futures = {pool.submit(_work, k, sizes[i], seeds[i]): (k, i) for k, i in jobs}
            for f in cf.as_completed(futures):
                results[futures[f]] = f.result()
                if progress:
                    progress(sizes[futures[f][1]])
    seconds = time.perf_counter() - t0
    return [
        Run(
            scenario=s,
            plan=plans[k],
            batch=Batch.concat([results[(k, i)] for i in range(len(sizes))]),
            replications=replications,
            seed=seed,
            measures=describe_measures(s),
            seconds=seconds,
        )
        for k, s in enumerate(scenarios)
    ]


def run(scenario: Scenario, replications: int, seed: int = 0, **kw: Any) -> Run:
    """Run one scenario (see :func:`run_many` for the keyword arguments)."""
    return run_many([scenario], replications, seed, **kw)[0]


def _dask_work(plan: Plan, size: int, seed: np.random.SeedSequence) -> Batch:
    return simulate_batch(plan, size, seed)


def _run_dask(
    address: str,
    timeout: float,
    plans: list[Plan],
    jobs: list[tuple[int, int]],
    sizes: list[int],
    seeds: list[np.random.SeedSequence],
    progress: Progress | None,
) -> dict[tuple[int, int], Batch]:
    try:  # optional, and only partly typed: use it as Any
        distributed: Any = importlib.import_module("distributed")
    except ImportError:
        raise SimError(
            "running on a Dask cluster needs the 'dask' extra: uv sync --extra dask",
            message_key="error.no_dask",
            params={},
        ) from None
    try:
        client = distributed.Client(address, timeout=timeout)
    except OSError as exc:
        raise SimError(
            f"cannot reach the Dask scheduler at {address}: {exc}",
            message_key="error.dask_unreachable",
            params={"address": address, "detail": str(exc)},
        ) from None
    with client:
        remote = client.scatter(plans, broadcast=True)
        futures = {
            client.submit(_dask_work, remote[k], sizes[i], seeds[i], pure=False): (k, i)
            for k, i in jobs
        }
        out: dict[tuple[int, int], Batch] = {}
        for f in distributed.as_completed(list(futures)):
            out[futures[f]] = f.result()
            if progress:
                progress(sizes[futures[f][1]])
        return out
