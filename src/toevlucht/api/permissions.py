"""Who may write what through the API: the same rule as the staff pages
(:mod:`toevlucht.cases.permissions`). Reads are decided by ``cases.selectors`` alone."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission

from toevlucht.cases.permissions import (
    can_announce_measures,
    can_correct_event,
    can_record_event,
    can_record_placement,
)

__all__ = [
    "IsActiveUser",
    "can_announce_measures",
    "can_correct_event",
    "can_record_event",
    "can_record_placement",
]


class IsActiveUser(BasePermission):
    """Signed in (token or session) with an active account."""

    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_active)
