"""Token authentication with hashed keys and a lifetime: DRF's token, refused once older than
``TOEVLUCHT_API_TOKEN_DAYS`` (default 90). An expired token answers 401 like a wrong one;
its user makes a new one (``POST /api/auth/token/``, or ``api_token --rotate``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed


class ExpiringTokenAuthentication(TokenAuthentication):
    """The presented key is hashed before the lookup (``api.tokens``: stored hashed)."""

    def authenticate_credentials(self, key: str) -> Any:
        from toevlucht.api.tokens import digest

        user, token = super().authenticate_credentials(digest(key))
        lifetime = dt.timedelta(days=settings.TOEVLUCHT_API_TOKEN_DAYS)
        if token.created < timezone.now() - lifetime:
            raise AuthenticationFailed("the token has expired; make a new one")
        return user, token
