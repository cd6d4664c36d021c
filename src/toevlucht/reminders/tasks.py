"""The periodic reminder task for the ``django-tasks-db`` worker.

Each run first enqueues the next one (``run_after`` now + ``TOEVLUCHT_REMINDER_INTERVAL``
seconds), so a worker killed during a run does not end the schedule; then recomputes every
open case (time passes, deadlines expire: ``cases.refresh.refresh_all``) and sends the
reminders that are due. Start the schedule once with ``python -m django reminders_schedule``
and keep ``python -m django db_worker`` running.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.tasks import TaskContext, task
from django.utils import timezone

__all__ = ["run_reminders", "schedule_next"]


def _pending(exclude: Any = None, *, ready_now: bool = False) -> Any:
    from django_tasks_db.models import DBTaskResult

    qs = DBTaskResult.objects.ready() if ready_now else DBTaskResult.objects.filter(status="READY")
    qs = qs.filter(task_path=run_reminders.module_path)
    return qs.exclude(id=exclude) if exclude is not None else qs


def schedule_next(*, now: bool = False, current: Any = None) -> bool:
    """Enqueue a run (immediately, or after the interval) unless one is already waiting;
    True if one was enqueued."""
    if now:
        if _pending(current, ready_now=True).exists():
            return False
        run_reminders.enqueue()
        return True
    if _pending(current).exists():
        return False
    after = timezone.now() + dt.timedelta(seconds=settings.TOEVLUCHT_REMINDER_INTERVAL)
    run_reminders.using(run_after=after).enqueue()
    return True


@task(takes_context=True)
def run_reminders(context: TaskContext[Any, Any]) -> dict[str, Any]:
    """Recompute every open case, then send the reminders due today."""
    from toevlucht.cases.refresh import refresh_all
    from toevlucht.reminders.services import reminders_send

    schedule_next(current=context.task_result.id)
    refreshed = refresh_all()
    report = reminders_send()
    return {
        "as_of": report.as_of.isoformat(),
        "refreshed": refreshed.cases,
        "changed": refreshed.changed,
        "due": report.due,
        "sent": report.sent,
        "already_sent": report.already_sent,
        "no_email": report.no_email,
    }
