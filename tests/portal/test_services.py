"""Invitations: who may issue them, codes that expire, are used once and replace each other,
the stored throttle on guessing, redeeming into an applicant account; the language and the
second factor."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_otp.oath import TOTP

from toevlucht import clock
from toevlucht.accounts.models import User
from toevlucht.audit.models import AuditEntry
from toevlucht.portal import services
from toevlucht.portal.models import CodeAttempt, Invitation
from toevlucht.portal.services import CodeRejected

PASSWORD = "a long and private passphrase"


@pytest.fixture
def caseworker(make_user: Any) -> Any:
    return make_user("cw", "caseworker", "ind")


def issue(case: Any, actor: Any, language: str = "ru") -> services.IssuedInvitation:
    return services.invitation_issue(actor=actor, application=case, language=language)


def test_a_caseworker_of_the_authority_issues_a_code_that_is_stored_only_as_an_hmac(
    reservist_case: Any, caseworker: Any
) -> None:
    issued = issue(reservist_case, caseworker)
    inv = Invitation.objects.get()
    assert len(issued.code) == services.CODE_LENGTH
    assert set(issued.code) <= set(services.CODE_ALPHABET)
    assert issued.code not in inv.code_digest
    assert inv.username.isdigit()
    assert len(inv.username) == 8
    assert inv.expires_at - inv.issued_at == dt.timedelta(days=30)
    assert AuditEntry.objects.filter(action="create", object_type="invitation").exists()
    assert issued.code_display.count("-") == 2


@pytest.mark.parametrize(
    ("role", "org"),
    [
        ("caseworker", "other_authority"),
        ("supervisor", "other_authority"),
        ("legal_aid", "vwn"),
        ("analyst", "ind"),
        ("administrator", "ind"),
        ("applicant", None),
    ],
)
def test_nobody_but_caseworkers_and_supervisors_of_the_cases_authority_may_issue(
    reservist_case: Any, make_user: Any, role: str, org: str | None
) -> None:
    extra = {"applicant": reservist_case.applicant} if role == "applicant" else {}
    actor = make_user(f"u-{role}", role, org, **extra)
    with pytest.raises(PermissionDenied):
        issue(reservist_case, actor)
    assert not Invitation.objects.exists()


def test_a_supervisor_of_the_authority_may_issue(reservist_case: Any, make_user: Any) -> None:
    issue(reservist_case, make_user("sv", "supervisor", "ind"))
    assert Invitation.objects.count() == 1


def test_an_unknown_language_is_refused(reservist_case: Any, caseworker: Any) -> None:
    with pytest.raises(ValueError, match="portal language"):
        issue(reservist_case, caseworker, language="xx")


def test_a_new_code_replaces_the_open_one(reservist_case: Any, caseworker: Any) -> None:
    first = issue(reservist_case, caseworker)
    second = issue(reservist_case, caseworker)
    with pytest.raises(CodeRejected) as exc:
        services.invitation_for_code(code=first.code, client_address="10.0.0.1")
    assert exc.value.reason == CodeRejected.UNKNOWN
    found = services.invitation_for_code(code=second.code, client_address="10.0.0.1")
    assert found.pk == second.invitation.pk
    assert Invitation.objects.filter(revoked_at__isnull=True).count() == 1


def test_a_code_is_accepted_as_typed_on_a_cyrillic_keyboard(
    reservist_case: Any, caseworker: Any
) -> None:
    issued = issue(reservist_case, caseworker)
    cyrillic = issued.code.translate(str.maketrans("ABCEHKMPTXY3", "АВСЕНКМРТХУЗ"))
    typed = " " + cyrillic.lower()[:6] + " - " + cyrillic.lower()[6:] + " "
    found = services.invitation_for_code(code=typed, client_address="10.0.0.1")
    assert found.pk == issued.invitation.pk


def test_redeeming_creates_the_applicants_account_and_uses_the_code_up(
    reservist_case: Any, caseworker: Any
) -> None:
    issued = issue(reservist_case, caseworker, language="uk")
    inv = services.invitation_for_code(code=issued.code, client_address="10.0.0.1")
    user = services.invitation_redeem(invitation_id=inv.pk, password=PASSWORD)
    assert user.role == User.Role.APPLICANT
    assert user.applicant_id == reservist_case.applicant_id
    assert user.language == "uk"
    assert user.username == inv.username
    assert user.check_password(PASSWORD)
    with pytest.raises(CodeRejected) as exc:
        services.invitation_for_code(code=issued.code, client_address="10.0.0.1")
    assert exc.value.reason == CodeRejected.USED
    with pytest.raises(CodeRejected):
        services.invitation_redeem(invitation_id=inv.pk, password=PASSWORD + "!")
    assert AuditEntry.objects.filter(action="redeem", actor_id=user.pk).exists()


def test_a_second_invitation_resets_the_password_of_the_existing_account(
    reservist_case: Any, caseworker: Any, applicant_of: Any
) -> None:
    account = applicant_of(reservist_case, username="orlov")
    issued = issue(reservist_case, caseworker)
    assert issued.invitation.username == "orlov"
    user = services.invitation_redeem(invitation_id=issued.invitation.pk, password=PASSWORD)
    assert user.pk == account.pk
    assert User.objects.filter(applicant=reservist_case.applicant).count() == 1


def test_a_weak_password_is_refused_and_leaves_the_code_open(
    reservist_case: Any, caseworker: Any
) -> None:
    issued = issue(reservist_case, caseworker)
    with pytest.raises(ValidationError):
        services.invitation_redeem(invitation_id=issued.invitation.pk, password="12345678")
    assert not User.objects.filter(applicant=reservist_case.applicant).exists()
    services.invitation_for_code(code=issued.code, client_address="10.0.0.1")


def test_an_invitation_is_dated_and_expires_by_the_case_clock(
    reservist_case: Any, caseworker: Any, settings: Any
) -> None:
    """The demo's clock stands in 2022: the letter's date and the code's expiry follow it."""
    settings.TOEVLUCHT_AS_OF = "2022-10-01"
    inv = issue(reservist_case, caseworker).invitation
    assert timezone.localdate(inv.issued_at) == dt.date(2022, 10, 1)
    assert inv.expires_at - inv.issued_at == dt.timedelta(days=services.invitation_days())


def test_an_expired_code_is_refused(reservist_case: Any, caseworker: Any) -> None:
    issued = issue(reservist_case, caseworker)
    Invitation.objects.filter(pk=issued.invitation.pk).update(
        expires_at=clock.now() - dt.timedelta(seconds=1),  # the case clock's moment
        issued_at=clock.now() - dt.timedelta(days=31),
    )
    with pytest.raises(CodeRejected) as exc:
        services.invitation_for_code(code=issued.code, client_address="10.0.0.1")
    assert exc.value.reason == CodeRejected.EXPIRED
    with pytest.raises(CodeRejected):
        services.invitation_redeem(invitation_id=issued.invitation.pk, password=PASSWORD)


def test_guessing_is_throttled_per_client_in_the_database(
    reservist_case: Any, caseworker: Any, settings: Any
) -> None:
    settings.TOEVLUCHT_PORTAL_CODE_FAILURES = 3
    issued = issue(reservist_case, caseworker)
    for _ in range(3):
        with pytest.raises(CodeRejected) as exc:
            services.invitation_for_code(code="AAAA-BBBB-CCCC", client_address="10.0.0.9")
        assert exc.value.reason == CodeRejected.UNKNOWN
    # now even the right code is not checked from that client ...
    with pytest.raises(CodeRejected) as exc:
        services.invitation_for_code(code=issued.code, client_address="10.0.0.9")
    assert exc.value.reason == CodeRejected.THROTTLED
    # ... the tries are stored (not in memory) and do not name the address ...
    assert CodeAttempt.objects.filter(succeeded=False).count() == 3
    assert not CodeAttempt.objects.filter(client__contains="10.0.0.9").exists()
    # ... another client is not affected, and the window passes
    services.invitation_for_code(code=issued.code, client_address="10.0.0.10")
    CodeAttempt.objects.update(at=timezone.now() - dt.timedelta(minutes=16))
    services.invitation_for_code(code=issued.code, client_address="10.0.0.9")


def test_one_open_invitation_per_applicant_is_a_database_constraint(
    reservist_case: Any, caseworker: Any
) -> None:
    from django.db import IntegrityError, transaction

    issued = issue(reservist_case, caseworker)
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(
            applicant=reservist_case.applicant,
            username="12345678",
            code_digest="x" * 64,
            language="ru",
            issued_at=issued.invitation.issued_at,
            expires_at=issued.invitation.expires_at,
        )


def test_the_language_an_applicant_chooses_is_remembered(
    reservist_case: Any, applicant_of: Any, caseworker: Any
) -> None:
    user = applicant_of(reservist_case, language="ru")
    services.applicant_language_set(user=user, language="uk")
    user.refresh_from_db()
    assert user.language == "uk"
    services.applicant_language_set(user=caseworker, language="nl")  # staff: no change
    caseworker.refresh_from_db()
    assert caseworker.language == "en"
    with pytest.raises(ValueError, match="portal language"):
        services.applicant_language_set(user=user, language="de")


def _token(device: Any) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def test_a_second_factor_is_confirmed_with_a_code_and_removed_with_one(
    reservist_case: Any, applicant_of: Any
) -> None:
    user = applicant_of(reservist_case)
    device = services.totp_device_pending(user)
    assert services.totp_confirm(user=user, token="000000") is None
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    confirmed = services.totp_confirm(user=user, token=_token(device))
    assert confirmed is not None
    assert confirmed.confirmed
    assert not services.totp_remove(user=user, token="000000")
    confirmed.refresh_from_db()
    confirmed.throttling_failure_count = 0
    confirmed.throttling_failure_timestamp = None
    confirmed.last_t = -1
    confirmed.save()
    assert services.totp_remove(user=user, token=_token(confirmed))
    from django_otp import user_has_device

    assert not user_has_device(user)
