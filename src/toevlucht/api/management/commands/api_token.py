"""``python -m django api_token USERNAME [--rotate]``: make and print a new API token.

For operators and the demo; people get theirs from a signed-in browser session
(``POST /api/auth/token/``), which keeps the second factor in the way. Tokens are stored
hashed (``api.tokens``), so an existing one cannot be printed: every call replaces the
user's token (``--rotate`` says so explicitly)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from toevlucht.accounts.models import User
from toevlucht.api.tokens import issue


class Command(BaseCommand):
    help = "Make (replacing any existing one) and print the API token of a user."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--rotate", action="store_true", help="replace an existing token (always done)"
        )

    def handle(self, *args: Any, username: str, rotate: bool, **options: Any) -> None:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {username!r}")
        self.stdout.write(issue(user))
