"""The case core's tasks for the ``django-tasks-db`` worker.

* :func:`refresh_periodic` — every ``TOEVLUCHT_REMINDER_INTERVAL`` seconds: first enqueue
  the next run (``run_after``), so a worker killed during a run does not end the schedule;
  then bring every open case to the day (``refresh_all``: time passes, deadlines expire);
  then send :data:`refreshed`, on which the apps that act on fresh projections hang their
  work (the reminders: ``reminders.receivers``), in the same run. Start the schedule once
  with ``python -m django reminders_schedule`` and keep ``python -m django db_worker``
  running.
* :func:`recompute_for_measure` — the cases a measure announced in the app touches, when
  there are too many to recompute while the supervisor waits.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.dispatch import Signal
from django.tasks import TaskContext, task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from toevlucht.cases.refresh import recompute_applications, refresh_all
from toevlucht.measures.models import AnnouncedMeasure

__all__ = ["recompute_for_measure", "refresh_periodic", "refreshed", "schedule_next"]

# Sent by the periodic task after every open case was brought to the day, with
# ``report`` (a RefreshReport). A receiver returns a dict of figures for the task's result.
refreshed = Signal()


def _pending(exclude: Any = None, *, ready_now: bool = False) -> Any:
    qs = DBTaskResult.objects.ready() if ready_now else DBTaskResult.objects.filter(status="READY")
    qs = qs.filter(task_path=refresh_periodic.module_path)
    return qs.exclude(id=exclude) if exclude is not None else qs


def schedule_next(*, now: bool = False, current: Any = None) -> bool:
    """Enqueue a run (immediately, or after the interval) unless one is already waiting;
    True if one was enqueued."""
    if now:
        if _pending(current, ready_now=True).exists():
            return False
        refresh_periodic.enqueue()
        return True
    if _pending(current).exists():
        return False
    after = timezone.now() + dt.timedelta(seconds=settings.TOEVLUCHT_REMINDER_INTERVAL)
    refresh_periodic.using(run_after=after).enqueue()
    return True


@task(takes_context=True)
def refresh_periodic(context: TaskContext[Any, Any]) -> dict[str, Any]:
    """Bring every open case to the day, then let the reminders go out (:data:`refreshed`)."""
    schedule_next(current=context.task_result.id)
    report = refresh_all()
    out: dict[str, Any] = {
        "as_of": report.as_of.isoformat(),
        "refreshed": report.cases,
        "changed": report.changed,
    }
    for _receiver, figures in refreshed.send(sender=refresh_periodic, report=report):
        if isinstance(figures, dict):
            out.update(figures)
    return out


@task()
def recompute_for_measure(measure_pk: int, application_ids: list[int]) -> dict[str, Any]:
    """Recompute these cases (chunked, in worker processes), then mark the measure done.
    Run again after a crash, it recomputes them again: the result is the same."""
    n = recompute_applications(application_ids)
    AnnouncedMeasure.objects.filter(pk=measure_pk).update(recomputed_at=timezone.now())
    return {"measure": measure_pk, "recomputed": n}
