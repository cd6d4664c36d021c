"""The background task that runs a forecast (on the django-tasks-db worker)."""

from __future__ import annotations

import shutil
from typing import Any

from django.tasks import task
from django.utils import timezone

from toevlucht.analysis.models import SimulationRun


@task()
def simulate(run_id: int) -> dict[str, Any]:
    from toevlucht.sim import SimError, load_scenario, run_many
    from toevlucht.sim.report import summary_text, write_csv

    run = SimulationRun.objects.get(pk=run_id)
    SimulationRun.objects.filter(pk=run_id).update(
        status=SimulationRun.Status.RUNNING, started_at=timezone.now()
    )
    out = run.out_dir
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    try:
        if run.uploaded:
            path = out / "scenario.toml"
            path.write_text(run.uploaded, encoding="utf-8")
            scenarios = [load_scenario(str(path))]
        else:
            scenarios = [load_scenario(run.scenario)]
        scenarios += [load_scenario(c) for c in run.compare]
        runs = run_many(scenarios, run.replications, run.seed, workers=1)
        write_csv(runs, out)
        from toevlucht.sim.plots import write_plots

        write_plots(runs, out)
        summary = summary_text(runs)
    except (SimError, OSError) as exc:
        SimulationRun.objects.filter(pk=run_id).update(
            status=SimulationRun.Status.FAILED, error=str(exc), finished_at=timezone.now()
        )
        return {"status": "failed"}
    SimulationRun.objects.filter(pk=run_id).update(
        status=SimulationRun.Status.DONE, summary=summary, finished_at=timezone.now()
    )
    return {"status": "done"}
