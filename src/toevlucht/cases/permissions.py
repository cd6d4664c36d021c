"""What a user may *write*: one rule for the staff pages and the REST API. Which *cases* a
user sees (and so may write to at all) is decided by :mod:`toevlucht.cases.selectors` alone.

* authority staff (caseworker, supervisor, administrator) record and correct every event kind
  and record placements, on the cases the selectors let them see;
* legal aid records — and corrects, when it got a date wrong — the steps of a remedy against a
  late decision that it takes for the applicant: a notice of default received by the
  authority, and an appeal;
* supervisors and administrators announce (and preview) policy measures;
* applicants and analysts write nothing here (applicants use the portal).

A retraction is never recorded directly: it is a correction of the event it retracts.
"""

from __future__ import annotations

from typing import Any

from toevlucht.accounts.models import User
from toevlucht.law import EventKind

__all__ = [
    "ANNOUNCERS",
    "AUTHORITY",
    "LEGAL_AID_KINDS",
    "can_announce_measures",
    "can_correct_event",
    "can_record_event",
    "can_record_placement",
    "recordable_kinds",
]

R = User.Role
AUTHORITY = frozenset({R.CASEWORKER, R.SUPERVISOR, R.ADMINISTRATOR})
ANNOUNCERS = frozenset({R.SUPERVISOR, R.ADMINISTRATOR})
LEGAL_AID_KINDS = (EventKind.NOTICE_OF_DEFAULT_RECEIVED, EventKind.APPEAL_LODGED)


def _role(user: Any) -> str:
    return str(getattr(user, "role", ""))


def recordable_kinds(user: Any) -> list[EventKind]:
    """The event kinds ``user`` may record, in the vocabulary's order."""
    kinds: list[EventKind] = [k for k in EventKind if k is not EventKind.RETRACTION]
    if _role(user) in AUTHORITY:
        return kinds
    if _role(user) == R.LEGAL_AID:
        return [k for k in kinds if k in LEGAL_AID_KINDS]
    return []


def can_record_event(user: Any, kind: str) -> bool:
    return kind in {k.value for k in recordable_kinds(user)}


def can_correct_event(user: Any, kind: str) -> bool:
    """Correct or retract an event of ``kind``: whoever may record that kind."""
    return can_record_event(user, kind)


def can_record_placement(user: Any) -> bool:
    return _role(user) in AUTHORITY


def can_announce_measures(user: Any) -> bool:
    return _role(user) in ANNOUNCERS
