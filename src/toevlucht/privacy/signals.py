"""Signals of the privacy package, for apps that hold personal data of their own."""

from __future__ import annotations

from django.dispatch import Signal

__all__ = ["personal_data_erased"]

# Sent inside the erasure's transaction, with ``applicant`` (the erased Applicant); a
# receiver erases what its app holds about that person (the portal: invitation user names).
personal_data_erased = Signal()
