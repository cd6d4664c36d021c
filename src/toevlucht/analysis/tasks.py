"""The background task that runs a forecast (on the django-tasks-db worker).

The run itself happens in a child process under the worker's memory and time limits
(``analysis.sandbox``): a forecast that asks for too much ends as failed, with the reason,
and the worker stays up. Every way out of this task leaves the run done or failed.
"""

from __future__ import annotations

import shutil
from typing import Any

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from toevlucht.analysis.models import SimulationRun


def _fail(run_id: int, reason: str) -> dict[str, Any]:
    SimulationRun.objects.filter(pk=run_id).update(
        status=SimulationRun.Status.FAILED, error=reason, finished_at=timezone.now()
    )
    return {"status": "failed"}


@task()
def simulate(run_id: int) -> dict[str, Any]:
    from toevlucht.analysis.sandbox import kept, run_limited
    from toevlucht.analysis.services import recover_stale

    recover_stale()
    run = SimulationRun.objects.get(pk=run_id)
    SimulationRun.objects.filter(pk=run_id).update(
        status=SimulationRun.Status.RUNNING, started_at=timezone.now()
    )
    try:
        out = run.out_dir
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True, mode=0o700)
        memory_mb = settings.TOEVLUCHT_FORECAST_LIMIT_MB
        outcome = run_limited(
            {
                "out": str(out),
                "scenario": run.scenario,
                "uploaded": run.uploaded,
                "compare": list(run.compare),
                "replications": run.replications,
                "seed": run.seed,
                "memory_mb": memory_mb,
            },
            memory_mb=memory_mb,
            seconds=settings.TOEVLUCHT_FORECAST_LIMIT_SECONDS,
        )
    except Exception as exc:  # never leave a run "running": say what went wrong
        return _fail(
            run_id, kept("not_started", f"the run could not be started: {exc}", detail=str(exc))
        )
    if outcome.error:
        return _fail(run_id, outcome.error)
    SimulationRun.objects.filter(pk=run_id).update(
        status=SimulationRun.Status.DONE, summary=outcome.summary, finished_at=timezone.now()
    )
    return {"status": "done"}
