"""Who may write what through the API. Reads are decided by ``cases.selectors`` alone.

* authority staff (caseworker, supervisor, administrator) record and correct every event kind
  and record placements, on the cases the selectors let them see;
* legal aid records, on the cases of its mandate, the steps of a remedy against a late
  decision that it takes for the applicant: a notice of default received by the authority and
  an appeal;
* applicants and analysts write nothing;
* policy measures are announced (and previewed) by supervisors and administrators.
"""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission

from toevlucht.accounts.models import User
from toevlucht.law import EventKind

__all__ = ["can_announce_measures", "can_record_event", "can_record_placement"]

STAFF = frozenset({User.Role.CASEWORKER, User.Role.SUPERVISOR, User.Role.ADMINISTRATOR})
LEGAL_AID_KINDS = frozenset({EventKind.NOTICE_OF_DEFAULT_RECEIVED, EventKind.APPEAL_LODGED})


def can_record_event(user: Any, kind: str) -> bool:
    role = getattr(user, "role", "")
    if role in STAFF:
        return True
    return role == User.Role.LEGAL_AID and kind in LEGAL_AID_KINDS


def can_record_placement(user: Any) -> bool:
    return getattr(user, "role", "") in STAFF


def can_announce_measures(user: Any) -> bool:
    return getattr(user, "role", "") in (User.Role.SUPERVISOR, User.Role.ADMINISTRATOR)


class IsActiveUser(BasePermission):
    """Signed in (token or session) with an active account."""

    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_active)
