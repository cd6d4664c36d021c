"""``toevlucht api-token USERNAME``: make and print a new API token for a user (replacing
any existing one: tokens are stored hashed, so an old one cannot be printed again)."""

from __future__ import annotations

import argparse
import sys

from toevlucht.cli._django import migrate_quietly, setup


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("username", help="e.g. caseworker (the demo's logins)")


def run(args: argparse.Namespace) -> int:
    setup()
    migrate_quietly()
    from toevlucht.accounts.models import User
    from toevlucht.api.tokens import issue

    user = User.objects.filter(username=args.username, is_active=True).first()
    if user is None:
        print(f"toevlucht api-token: no active user {args.username!r}", file=sys.stderr)
        return 2
    print(issue(user))
    return 0
