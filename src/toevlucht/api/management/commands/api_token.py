"""``python -m django api_token USERNAME [--rotate]``: print (or replace) a user's API token.

For operators and the demo; people get theirs from a signed-in browser session
(``POST /api/auth/token/``), which keeps the second factor in the way."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from rest_framework.authtoken.models import Token

from toevlucht.accounts.models import User


class Command(BaseCommand):
    help = "Print (or with --rotate replace) the API token of a user."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--rotate", action="store_true", help="replace an existing token")

    def handle(self, *args: Any, username: str, rotate: bool, **options: Any) -> None:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {username!r}")
        lifetime = dt.timedelta(days=settings.TOEVLUCHT_API_TOKEN_DAYS)
        expired = Token.objects.filter(user=user, created__lt=timezone.now() - lifetime)
        if rotate or expired.exists():  # an expired token would be refused: a new one
            Token.objects.filter(user=user).delete()
        token, _ = Token.objects.get_or_create(user=user)
        self.stdout.write(token.key)
