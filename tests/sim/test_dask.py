"""Batches on a Dask cluster give the same result as in one process (optional ``dask`` extra)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.sim.helpers import scenario_text, write
from toevlucht.sim import SimError, load_scenario, run

distributed = pytest.importorskip("distributed")


def test_a_run_on_a_dask_cluster_equals_a_run_in_one_process(tmp_path: Path) -> None:
    sc = load_scenario(str(write(tmp_path, scenario_text())))
    local = run(sc, 60, seed=3, workers=1)
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    ) as cluster:
        remote = run(sc, 60, seed=3, dask=cluster.scheduler_address)
    assert np.array_equal(local.batch.series, remote.batch.series)
    assert np.array_equal(local.batch.waits, remote.batch.waits, equal_nan=True)


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path: Path) -> None:
    sc = load_scenario(str(write(tmp_path, scenario_text())))
    with pytest.raises(SimError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9"):
        run(sc, 2, dask="tcp://127.0.0.1:9", dask_timeout=1)
