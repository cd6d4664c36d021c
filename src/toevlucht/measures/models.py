"""Policy measures announced in the app by a supervisor.

The measures of the law data (``law/data/nl/measures.toml``) need no rows: they are read from
the data file. A measure announced here is stored in the same format and turned into a law
``Measure`` by :func:`toevlucht.law.measures.measure_from_dict`, so a case, a forecast and
the data file mean the same thing by it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class AnnouncedMeasure(models.Model):
    measure_id = models.SlugField(max_length=80, unique=True)
    definition = models.JSONField(help_text="the measure in the measures.toml format")
    announced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # set to the case clock's moment by cases.announce (in the demo: its day)
    announced_at = models.DateTimeField(default=timezone.now)
    cases_touched = models.PositiveIntegerField(default=0)
    cases_changed = models.PositiveIntegerField(default=0)
    recomputed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="when the cases it touches were recomputed; empty while a background task "
        "recomputes them (more than TOEVLUCHT_ANNOUNCE_INLINE_MAX cases)",
    )

    def __str__(self) -> str:
        return self.measure_id
