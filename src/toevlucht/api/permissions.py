"""The API's gate: a signed-in, active user. What a user may write is checked inside the
services (:mod:`toevlucht.cases.permissions`); which cases they see, by ``cases.selectors``."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission

__all__ = ["IsActiveUser"]


class IsActiveUser(BasePermission):
    """Signed in (token or session) with an active account."""

    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_active)
