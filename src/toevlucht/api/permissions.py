"""The API's gate: a signed-in, active user. What a user may write is checked inside the
services (:mod:`toevlucht.cases.permissions`); which cases they see, by ``cases.selectors``."""

from __future__ import annotations

from typing import Any

from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from toevlucht.accounts.signin import api_refusal

__all__ = ["IsActiveUser"]


class IsActiveUser(BasePermission):
    """Signed in (token or session) with an active account, under the sign-in policy of the
    pages (``accounts.signin``): the second factor where it is set up or required; no
    applicants (403 with the reason)."""

    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        session = isinstance(request.successful_authenticator, SessionAuthentication)
        reason = api_refusal(user, session=session)
        if reason is not None:
            raise PermissionDenied(reason)
        return True
