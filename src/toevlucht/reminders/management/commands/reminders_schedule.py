"""``python -m django reminders_schedule``: start the periodic reminder task (a run now,
which enqueues the next) unless a run is already waiting. Safe to run at every deploy or
worker start."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from toevlucht.cases.tasks import schedule_next


class Command(BaseCommand):
    help = "Enqueue a reminder run now, unless one is already waiting to run."

    def handle(self, *args: Any, **options: Any) -> None:
        if schedule_next(now=True):
            self.stdout.write("reminder run enqueued")
        else:
            self.stdout.write("a reminder run is already waiting")
