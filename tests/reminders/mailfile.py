"""An e-mail backend for the worker tests: appends each message to a file (one line: subject
and recipients) and, when ``REMINDER_KILL_AT=n``, SIGKILLs its own process just before
sending the n-th message — inside the transaction that holds the reminder's marker."""

from __future__ import annotations

import os
import signal
from collections.abc import Sequence
from typing import Any

from django.core.mail.backends.base import BaseEmailBackend


class KillingFileBackend(BaseEmailBackend):
    sent = 0

    def send_messages(self, email_messages: Sequence[Any]) -> int:
        for m in email_messages:
            KillingFileBackend.sent += 1
            if KillingFileBackend.sent == int(os.environ.get("REMINDER_KILL_AT", "0")):
                os.kill(os.getpid(), signal.SIGKILL)
            with open(os.environ["REMINDER_MAIL_LOG"], "a", encoding="utf-8") as f:
                f.write(f"{m.subject}|{','.join(m.to)}\n")
                f.flush()
                os.fsync(f.fileno())
        return len(email_messages)
