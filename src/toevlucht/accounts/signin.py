"""The one sign-in policy of the staff pages, the portal and the API (issue 13, item 2).

A user is signed in completely when

* they used their second factor, if they have a confirmed one (a session signed in with the
  password only is half way: the pages ask for the code, the API refuses);
* under ``TOEVLUCHT_REQUIRE_2FA=1``, staff who read personal data (``SECOND_FACTOR_ROLES``)
  have a confirmed second factor at all — their pages send them to set one up, and their
  API tokens are refused until they have, however old the token.

An API token is issued only to a session that is signed in completely (``api.views``), so a
token holder has passed the second factor when the token was made. Applicants have no API:
the portal is theirs (``docs/portal.md``, ``docs/api.md``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django_otp import user_has_device

from toevlucht.accounts.models import User
from toevlucht.accounts.roles import AUTHORITY, role_of

__all__ = ["SECOND_FACTOR_ROLES", "api_refusal", "needs_enrolment", "needs_second_factor"]

R = User.Role
SECOND_FACTOR_ROLES = AUTHORITY | {R.LEGAL_AID}  # everyone who reads personal data on pages


def needs_second_factor(user: Any) -> bool:
    """Signed in with a password only, although a confirmed second factor is set up."""
    return bool(
        user.is_authenticated
        and user_has_device(user)
        and not getattr(user, "is_verified", lambda: False)()
    )


def needs_enrolment(user: Any) -> bool:
    """Required to have a second factor (``TOEVLUCHT_REQUIRE_2FA``) and has none."""
    return bool(
        settings.TOEVLUCHT_REQUIRE_2FA
        and role_of(user) in SECOND_FACTOR_ROLES
        and not user_has_device(user)
    )


def api_refusal(user: Any, *, session: bool) -> str | None:
    """Why ``user`` may not use the API (None: they may). ``session``: signed in by the
    browser's session cookie rather than a token."""
    if role_of(user) == R.APPLICANT:
        return "the API is for staff; applicants use the portal"
    if session and needs_second_factor(user):
        return "sign in with your second factor first"
    if needs_enrolment(user):
        return "set up a second factor on the site first (it is required)"
    return None
