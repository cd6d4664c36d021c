"""Simulation runs requested by analysts: a bundled or uploaded scenario run by a
background task; the CSV series and plots are kept under ``var/simulations/<id>/``."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import models


class SimulationRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    scenario = models.CharField(max_length=200, help_text="bundled name or uploaded file name")
    compare = models.JSONField(default=list, blank=True, help_text="bundled scenarios alongside")
    uploaded = models.TextField(blank=True, help_text="the uploaded scenario file, if any")
    replications = models.PositiveIntegerField()
    seed = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    summary = models.TextField(blank=True)
    # why it failed, kept as JSON with its key and parameters (``analysis.run_errors``)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"simulation {self.pk} ({self.scenario})"

    @property
    def error_message(self) -> str:
        """Why it failed, in the active language (the English of a run kept before)."""
        from toevlucht.analysis.run_errors import error_text

        return error_text(self.error) if self.error else ""

    @property
    def out_dir(self) -> Path:
        return Path(settings.VAR_DIR) / "simulations" / str(self.pk)

    def files(self) -> list[str]:
        if not self.out_dir.is_dir():
            return []
        return sorted(
            p.name for p in self.out_dir.iterdir() if p.suffix in (".png", ".csv") and p.is_file()
        )
