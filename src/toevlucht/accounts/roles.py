"""The roles' groups, and the one rule of the accounts app: who records and revokes a
legal-aid mandate. The rules about cases are in :mod:`toevlucht.cases.permissions`, which
builds on these groups."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from toevlucht.accounts.models import User
from toevlucht.errors import NotAllowed

__all__ = [
    "ANNOUNCERS",
    "AUTHORITY",
    "can_manage_mandates",
    "check_manage_mandates",
    "check_request_mandate",
    "role_of",
]

R = User.Role
AUTHORITY = frozenset({R.CASEWORKER, R.SUPERVISOR, R.ADMINISTRATOR})
ANNOUNCERS = frozenset({R.SUPERVISOR, R.ADMINISTRATOR})


def role_of(user: Any) -> str:
    return str(getattr(user, "role", ""))


def can_manage_mandates(user: Any) -> bool:
    """Record (as the authority receives it) or revoke a legal-aid mandate: authority staff."""
    return role_of(user) in AUTHORITY


def check_manage_mandates(actor: User | None) -> None:
    """``actor=None`` is the system itself (demo, seed, an operator's command)."""
    if actor is not None and not can_manage_mandates(actor):
        raise NotAllowed(gettext("only authority staff record or revoke a mandate"))


def check_request_mandate(actor: User) -> None:
    """Only legal aid, of an organisation, asks an applicant for a mandate."""
    if role_of(actor) != R.LEGAL_AID or actor.organisation_id is None:
        raise NotAllowed(gettext("only legal aid requests a mandate"))
