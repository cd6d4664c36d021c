"""The demo's e-mail: each message printed on the console as it would be read (recipient,
subject, body), not as the raw MIME that Django's console backend prints, so that the demo
shows the reminders it sends. Nothing leaves the machine."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

from django.core.mail.backends.base import BaseEmailBackend

__all__ = ["DemoConsoleBackend"]


class DemoConsoleBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[Any]) -> int:
        out = sys.stdout
        for m in email_messages:
            out.write(f"  ✉ to {', '.join(m.to)}: {m.subject}\n")
            for line in str(m.body).strip().splitlines():
                if line:
                    out.write(f"      {line}\n")
        out.flush()
        return len(email_messages)
