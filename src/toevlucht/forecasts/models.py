"""What the forecasts store: the latest forecast of each open case, the backtests and the
capacities a supervisor set. Forecasts are derived data: each run replaces the previous one
(the backtests are kept, each run with its day)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from toevlucht.cases.models import Application


class Forecast(models.Model):
    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="forecast"
    )
    computed_on = models.DateField(help_text="the case-clock day it was made for")
    computed_at = models.DateTimeField(auto_now=True)
    queue = models.CharField(max_length=40, blank=True, help_text="<regime>:<step>")
    group = models.CharField(max_length=60, blank=True, help_text="<queue>|<nationality group>")
    next_step = models.CharField(
        max_length=40, blank=True, help_text="the event that ends the wait"
    )
    stage_since = models.DateField(null=True, blank=True)
    next_p10 = models.DateField(null=True, blank=True)
    next_p50 = models.DateField(null=True, blank=True)
    next_p90 = models.DateField(null=True, blank=True)
    decision_p10 = models.DateField(null=True, blank=True)
    decision_p50 = models.DateField(null=True, blank=True)
    decision_p90 = models.DateField(null=True, blank=True)
    within_term_probability = models.FloatField(null=True, blank=True)
    decision_shown = models.BooleanField(default=False, help_text="its group passes the backtest")
    next_shown = models.BooleanField(default=False)
    unavailable_reason = models.CharField(max_length=40, blank=True)
    next_unavailable_reason = models.CharField(max_length=40, blank=True)
    backtest_coverage = models.FloatField(null=True, blank=True)
    next_backtest_coverage = models.FloatField(null=True, blank=True)
    track_held = models.PositiveIntegerField(null=True, blank=True, help_text="last quarter")
    track_total = models.PositiveIntegerField(null=True, blank=True)
    usual_n = models.PositiveIntegerField(default=0, help_text="cases behind the usual wait")
    usual_p50_days = models.PositiveIntegerField(null=True, blank=True)
    usual_p90_days = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["decision_p90"]), models.Index(fields=["group"])]

    def __str__(self) -> str:
        return f"forecast of {self.application_id} on {self.computed_on}"


class BacktestRun(models.Model):
    computed_on = models.DateField(help_text="the case-clock day of the outcomes")
    created_at = models.DateTimeField(auto_now_add=True)
    days = models.JSONField(default=list, help_text="the days forecasts were made on")
    params = models.JSONField(default=dict)
    spread = models.JSONField(
        default=dict,
        help_text="per '<target>|<queue>': the factor that widens today's bands and the closed "
        "forecasts it rests on ({'factor': f or null for none wide enough, 'n': n})",
    )

    class Meta:
        ordering = ["-created_at"]


class BacktestGroup(models.Model):
    run = models.ForeignKey(BacktestRun, on_delete=models.CASCADE, related_name="groups")
    target = models.CharField(max_length=12)  # decision | next_step
    queue = models.CharField(max_length=40)
    nationality_group = models.CharField(max_length=12)
    forecasts = models.PositiveIntegerField()
    outcomes = models.PositiveIntegerField()
    held = models.PositiveIntegerField()
    censored = models.PositiveIntegerField()
    coverage = models.FloatField(null=True)
    median_error_days = models.FloatField(null=True)
    recent_outcomes = models.PositiveIntegerField()
    recent_held = models.PositiveIntegerField()
    passes = models.BooleanField()
    judged_by_queue = models.BooleanField(
        default=False,
        help_text="too few outcomes of its own: judged by its queue's nationalities together",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["run", "target", "queue", "nationality_group"], name="one_score_per_group"
            )
        ]

    @property
    def group(self) -> str:
        return f"{self.queue}|{self.nationality_group}"


class CapacitySetting(models.Model):
    """A queue's pace as a supervisor set it, instead of the one seen in the window."""

    queue = models.CharField(max_length=40, unique=True)
    per_week = models.FloatField()
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    set_at = models.DateTimeField(auto_now=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            # the form and supervision.set_pace check it too; the database has the last word
            models.CheckConstraint(
                condition=models.Q(per_week__gt=0) & models.Q(per_week__lt=10_000),
                name="pace_in_range",
            )
        ]
