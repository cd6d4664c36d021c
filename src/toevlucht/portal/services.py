"""Writes of the applicant's portal: invitations (issue, check a code under a stored
throttle, redeem), the applicant's language, the optional second factor (TOTP).

Each service checks its own permission, writes in one transaction and audits. No legal rule
lives here.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from toevlucht import clock
from toevlucht.accounts.models import User
from toevlucht.audit.log import record
from toevlucht.cases.models import Application
from toevlucht.errors import NotAllowed
from toevlucht.portal.languages import supported_languages
from toevlucht.portal.models import CodeAttempt, Invitation

__all__ = [
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "CodeRejected",
    "IssuedInvitation",
    "applicant_language_set",
    "applicant_password_change",
    "can_issue_invitation",
    "code_normalize",
    "invitation_for_code",
    "invitation_issue",
    "invitation_redeem",
    "totp_confirm",
    "totp_device_pending",
    "totp_remove",
    "totp_verify",
]

# No I, L, O, U, 0, 1: letters that are easy to confuse when read from paper.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
CODE_LENGTH = 12  # 30**12: about 59 bits
# What a Russian or Ukrainian keyboard types for the Latin letters of a code that look alike.
_LOOKALIKES = str.maketrans("АВСЕНКМРТХУЗ", "ABCEHKMPTXY3")

ISSUER_ROLES = (User.Role.CASEWORKER, User.Role.SUPERVISOR)


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def invitation_days() -> int:
    return _setting("TOEVLUCHT_PORTAL_INVITATION_DAYS", 30)


def code_failures_allowed() -> int:
    return _setting("TOEVLUCHT_PORTAL_CODE_FAILURES", 5)


def code_window() -> dt.timedelta:
    return dt.timedelta(minutes=_setting("TOEVLUCHT_PORTAL_CODE_WINDOW_MINUTES", 15))


class CodeRejected(Exception):
    """An invitation code did not open an account; ``reason`` is one of the constants."""

    THROTTLED = "throttled"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True, slots=True)
class IssuedInvitation:
    invitation: Invitation
    code: str  # shown once, on the letter; only its HMAC is stored

    @property
    def code_display(self) -> str:
        c = self.code
        return "-".join(c[i : i + 4] for i in range(0, len(c), 4))


def code_normalize(raw: str) -> str:
    """The code as typed (spaces, dashes, lower case, Cyrillic look-alikes) in canonical form.

    >>> code_normalize(" abcd-efgh jkМН ")
    'ABCDEFGHJKMH'
    """
    up = raw.upper().translate(_LOOKALIKES)
    return "".join(ch for ch in up if ch.isalnum())


def _digest(code: str) -> str:
    return salted_hmac("toevlucht.portal.invitation", code, algorithm="sha256").hexdigest()


def _client_key(address: str) -> str:
    return salted_hmac(
        "toevlucht.portal.code-client", address or "unknown", algorithm="sha256"
    ).hexdigest()


def can_issue_invitation(actor: Any, application: Application) -> bool:
    """Caseworkers and supervisors of the authority responsible for the case."""
    return bool(
        actor is not None
        and actor.is_authenticated
        and actor.is_active
        and getattr(actor, "role", "") in ISSUER_ROLES
        and actor.organisation_id is not None
        and actor.organisation_id == application.organisation_id
    )


def _new_username() -> str:
    """Eight digits: the same on every keyboard layout, easy to read out and type."""
    while True:
        name = str(secrets.randbelow(9 * 10**7) + 10**7)
        taken = (
            User.objects.filter(username=name).exists()
            or Invitation.objects.filter(username=name).exists()
        )
        if not taken:
            return name


@transaction.atomic
def invitation_issue(*, actor: Any, application: Application, language: str) -> IssuedInvitation:
    """Issue a one-time code for the applicant of ``application`` (obtained through a
    selector); any open invitation of the applicant is revoked.

    Raises:
        NotAllowed: ``actor`` is not a caseworker or supervisor of the case's authority.
        ValueError: ``language`` is not a language of the portal.
    """
    if not can_issue_invitation(actor, application):
        raise NotAllowed(gettext("only caseworkers and supervisors of the case's authority"))
    if language not in supported_languages():
        raise ValueError(f"{language!r} is not a portal language")
    applicant = application.applicant
    now = clock.now()  # the letter's date and the code's expiry follow the case clock
    Invitation.objects.select_for_update().filter(
        applicant=applicant, used_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    account = User.objects.filter(applicant=applicant).first()
    username = account.username if account is not None else _new_username()
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    invitation = Invitation.objects.create(
        applicant=applicant,
        username=username,
        code_digest=_digest(code),
        language=language,
        issued_by=actor,
        issued_at=now,
        expires_at=now + dt.timedelta(days=invitation_days()),
    )
    record(
        actor=actor,
        action="create",
        purpose="portal invitation",
        object_type="invitation",
        object_ids=[invitation.pk],
        detail={"applicant": applicant.pk, "application": application.pk},
    )
    return IssuedInvitation(invitation=invitation, code=code)


def _open_or_raise(invitation: Invitation, now: dt.datetime) -> None:
    if invitation.used_at is not None:
        raise CodeRejected(CodeRejected.USED)
    if invitation.revoked_at is not None:
        raise CodeRejected(CodeRejected.UNKNOWN)
    if invitation.expires_at <= now:
        raise CodeRejected(CodeRejected.EXPIRED)


def invitation_for_code(*, code: str, client_address: str) -> Invitation:
    """The open invitation a code belongs to. Every try is stored; after
    ``TOEVLUCHT_PORTAL_CODE_FAILURES`` failures from one client within the window, codes
    from it are not even checked until the window has passed.

    Raises:
        CodeRejected: throttled, unknown (or replaced), expired or already used.
    """
    client = _client_key(client_address)
    now = timezone.now()
    failures = CodeAttempt.objects.filter(
        client=client, at__gte=now - code_window(), succeeded=False
    ).count()
    if failures >= code_failures_allowed():
        raise CodeRejected(CodeRejected.THROTTLED)
    normal = code_normalize(code)
    invitation = None
    if len(normal) == CODE_LENGTH:
        invitation = Invitation.objects.filter(code_digest=_digest(normal)).first()
    try:
        if invitation is None:
            raise CodeRejected(CodeRejected.UNKNOWN)
        _open_or_raise(invitation, clock.now())
    except CodeRejected:
        CodeAttempt.objects.create(client=client, at=now, succeeded=False)
        raise
    CodeAttempt.objects.create(client=client, at=now, succeeded=True)
    CodeAttempt.objects.filter(at__lt=now - dt.timedelta(days=1)).delete()
    return invitation


@transaction.atomic
def invitation_redeem(*, invitation_id: int, password: str) -> User:
    """Open (or reopen) the applicant's account with ``password``; the code is used up.

    Raises:
        CodeRejected: the invitation was used, replaced or expired meanwhile.
        django.core.exceptions.ValidationError: the password is too weak.
    """
    invitation = (
        Invitation.objects.select_for_update().select_related("applicant").get(pk=invitation_id)
    )
    now = clock.now()
    _open_or_raise(invitation, now)
    user = User.objects.filter(applicant=invitation.applicant).first()
    if user is None:
        user = User(
            username=invitation.username,
            role=User.Role.APPLICANT,
            applicant=invitation.applicant,
            language=invitation.language,
        )
    elif user.role != User.Role.APPLICANT:  # pragma: no cover - the constraint forbids it
        raise NotAllowed(gettext("the account of this applicant is not an applicant's account"))
    validate_password(password, user)
    user.set_password(password)
    user.is_active = True  # a caseworker's new invitation is how access is given back
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # the eight digits were taken since the letter was printed
        user.username = _new_username()
        user.save()
    Invitation.objects.filter(pk=invitation.pk).update(used_at=now, username=user.username)
    record(
        actor=user,
        action="redeem",
        purpose="applicant portal access",
        object_type="invitation",
        object_ids=[invitation.pk],
        detail={"applicant": invitation.applicant_id},
    )
    return user


def applicant_language_set(*, user: Any, language: str) -> None:
    """Remember the language an applicant chose on the page (it is also the default of
    the letters staff print for them)."""
    if language not in supported_languages():
        raise ValueError(f"{language!r} is not a portal language")
    if getattr(user, "role", "") == User.Role.APPLICANT and user.language != language:
        user.language = language
        user.save(update_fields=["language"])


def applicant_password_change(*, user: Any, password: str) -> None:
    """A new password for a signed-in applicant (the form checked the old one)."""
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    record(
        actor=user,
        action="update",
        purpose="password change",
        object_type="user",
        object_ids=[user.pk],
    )


# --- second factor -------------------------------------------------------------------------


def totp_device_pending(user: Any) -> TOTPDevice:
    """The applicant's unconfirmed TOTP device, created on first call."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="portal", confirmed=False)
    return device


@transaction.atomic
def totp_confirm(*, user: Any, token: str) -> TOTPDevice | None:
    """Confirm the pending device with a code from the app; None if the code is wrong."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(token.strip()):
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record(
        actor=user,
        action="create",
        purpose="second factor",
        object_type="otp_device",
        object_ids=[device.pk],
    )
    return device


def totp_verify(*, user: Any, token: str) -> TOTPDevice | None:
    """The confirmed device that accepts ``token`` (throttled by django-otp), or None."""
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(token.strip()):
            return device
    return None


@transaction.atomic
def totp_remove(*, user: Any, token: str) -> bool:
    """Remove the second factor; a current code from the app proves it is the owner."""
    device = totp_verify(user=user, token=token)
    if device is None:
        return False
    TOTPDevice.objects.filter(user=user).delete()
    record(
        actor=user,
        action="delete",
        purpose="second factor",
        object_type="otp_device",
        object_ids=[device.pk],
    )
    return True
