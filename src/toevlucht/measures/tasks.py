"""The background task that recomputes the cases a measure touches when there are too many
to recompute while the supervisor waits (on the ``django-tasks-db`` worker)."""

from __future__ import annotations

from typing import Any

from django.tasks import task
from django.utils import timezone

__all__ = ["recompute_for_measure"]


@task()
def recompute_for_measure(measure_pk: int, application_ids: list[int]) -> dict[str, Any]:
    """Recompute these cases (chunked, in worker processes), then mark the measure done.
    Run again after a crash, it recomputes them again: the result is the same."""
    from toevlucht.cases.refresh import recompute_applications
    from toevlucht.measures.models import AnnouncedMeasure

    n = recompute_applications(application_ids)
    AnnouncedMeasure.objects.filter(pk=measure_pk).update(recomputed_at=timezone.now())
    return {"measure": measure_pk, "recomputed": n}
