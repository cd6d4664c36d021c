"""API tokens stored hashed: the database holds a digest of each key, never the key.

A key is 256 random bits, shown once — in the answer that made it. DRF's ``Token`` row
keeps ``digest(key)`` in its ``key`` column (40 hex characters of SHA-256: a lookup of a
secret that cannot be guessed needs no slow hash), so someone who reads the database or the
admin learns no working credential. Migration ``accounts 0003`` hashed the keys stored in
clear before, so tokens already handed out keep working.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction
from rest_framework.authtoken.models import Token

KEY_COLUMN = 40  # Token.key's length


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:KEY_COLUMN]


@transaction.atomic
def issue(user: Any) -> str:
    """A new key for ``user``, replacing any token they had; the key itself is not kept."""
    Token.objects.filter(user=user).delete()
    key = secrets.token_urlsafe(32)
    Token.objects.create(user=user, key=digest(key))
    return key


def revoke(user: Any) -> None:
    Token.objects.filter(user=user).delete()
