"""Sent reminders: one row per (case, deadline kind, due date, recipient), written in the
transaction that sends the e-mail, so each reminder goes out exactly once."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Reminder(models.Model):
    application = models.ForeignKey(
        "cases.Application", on_delete=models.PROTECT, related_name="reminders"
    )
    deadline_kind = models.CharField(max_length=40)
    due = models.DateField()
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reminders"
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    sent_on = models.DateField(help_text="the case-clock day it was sent")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "deadline_kind", "due", "recipient"],
                name="reminder_once_per_deadline_and_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"reminder {self.pk}"
