"""The reminders go out after every periodic refresh of the projections
(``cases.tasks.refreshed``, sent by ``cases.tasks.refresh_periodic``), so that they read
deadlines brought to the day. Connected in ``RemindersConfig.ready``."""

from __future__ import annotations

from typing import Any

from toevlucht.reminders.services import reminders_send

__all__ = ["send_after_refresh"]


def send_after_refresh(sender: Any, **kwargs: Any) -> dict[str, Any]:
    """Send the reminders due today; the figures go into the periodic task's result."""
    report = reminders_send()
    return {
        "due": report.due,
        "sent": report.sent,
        "already_sent": report.already_sent,
        "no_email": report.no_email,
    }
