"""Issue 13, items 2 and 3: one sign-in policy for pages and API; applicants have no API.

Before: after a password-only portal sign-in the pages asked for the code but 5 of 5 API
case endpoints answered 200; under TOEVLUCHT_REQUIRE_2FA=1 3 of 3 existing staff tokens
still read cases; an applicant's token showed who recorded each event."""

from __future__ import annotations

from typing import Any

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from toevlucht.api.tokens import issue

pytestmark = pytest.mark.django_db

CASE_ENDPOINTS = ["", "{pk}/", "{pk}/events/", "{pk}/deadlines/", "{pk}/placements/"]


def _urls(world: dict[str, Any]) -> list[str]:
    return [f"/api/cases/{e.format(pk=world['own'].pk)}" for e in CASE_ENDPOINTS]


def _device(user: Any) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def _session(user: Any, device: TOTPDevice | None = None) -> APIClient:
    """Signed in with the password; with ``device``, with the second factor too."""
    c = APIClient()
    c.force_login(user)
    if device is not None:
        s = c.session
        s[DEVICE_ID_SESSION_KEY] = device.persistent_id
        s.save()
    return c


def _token(user: Any) -> APIClient:
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {issue(user)}")
    return c


def test_a_password_only_portal_session_reads_no_case_through_the_api(
    world: dict[str, Any],
) -> None:
    applicant = world["users"]["applicant"]
    _device(applicant)
    c = _session(applicant)
    assert c.get("/portal/").status_code == 302  # the portal asks for the code
    for url in _urls(world):
        r = c.get(url)
        assert r.status_code == 403, url
        assert r["Content-Type"] == "application/problem+json"


def test_a_password_only_staff_session_reads_no_case_through_the_api(
    world: dict[str, Any],
) -> None:
    cw = world["users"]["caseworker"]
    device = _device(cw)
    for url in _urls(world):
        assert _session(cw).get(url).status_code == 403, url
        assert _session(cw, device).get(url).status_code == 200, url


@pytest.mark.parametrize("role", ["caseworker", "supervisor", "legal_aid"])
def test_existing_staff_tokens_without_a_second_factor_are_refused_when_it_is_required(
    world: dict[str, Any], settings: Any, role: str
) -> None:
    user = world["users"][role]
    c = _token(user)  # made before the requirement
    assert c.get("/api/cases/").status_code == 200
    settings.TOEVLUCHT_REQUIRE_2FA = True
    r = c.get("/api/cases/")
    assert r.status_code == 403
    assert "second factor" in r.json()["detail"]
    _device(user)
    assert c.get("/api/cases/").status_code == 200


def test_a_token_cannot_be_made_past_the_second_factor(world: dict[str, Any]) -> None:
    cw = world["users"]["caseworker"]
    device = _device(cw)
    assert _session(cw).post("/api/auth/token/").status_code == 403
    assert _session(cw, device).post("/api/auth/token/").status_code == 201


def test_applicants_have_no_api(world: dict[str, Any]) -> None:
    """An applicant's token and session see nothing: the API showed who recorded each event,
    the caseworker's user name and the internal fields the portal hides."""
    applicant = world["users"]["applicant"]
    for c in (_token(applicant), _session(applicant)):
        for url in [*_urls(world), "/api/centres/", "/api/measures/"]:
            r = c.get(url)
            assert r.status_code == 403, url
            assert "portal" in r.json()["detail"]
            assert world["users"]["caseworker"].username not in r.content.decode()
    assert _session(applicant).post("/api/auth/token/").status_code == 403


def test_api_tokens_expire(world: dict[str, Any], settings: Any) -> None:
    """Issue 13, item 9: tokens worked for ever."""
    import datetime as dt

    from django.utils import timezone

    settings.TOEVLUCHT_API_TOKEN_DAYS = 90
    cw = world["users"]["caseworker"]
    c = _token(cw)
    assert c.get("/api/cases/").status_code == 200
    Token.objects.filter(user=cw).update(created=timezone.now() - dt.timedelta(days=91))
    r = c.get("/api/cases/")
    assert r.status_code == 401
    assert "expired" in r.json()["detail"]


def test_the_operators_command_replaces_an_expired_token(world: dict[str, Any]) -> None:
    import datetime as dt
    import io

    from django.core.management import call_command
    from django.utils import timezone

    cw = world["users"]["caseworker"]
    old = Token.objects.create(user=cw)
    Token.objects.filter(pk=old.pk).update(created=timezone.now() - dt.timedelta(days=365))
    out = io.StringIO()
    call_command("api_token", cw.username, stdout=out)
    key = out.getvalue().strip()
    assert key != old.key
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert c.get("/api/cases/").status_code == 200


def test_a_token_is_shown_once_stored_hashed_and_revocable(world: dict[str, Any]) -> None:
    """Issue 13, item 9: tokens were stored in clear and lived until someone deleted the row.
    A key shows only in the answer that made it; the database holds its digest; a new key
    replaces the old one, and revoking it (DELETE /api/auth/token/) ends it at once."""
    cw = world["users"]["caseworker"]
    session = _session(cw, _device(cw))
    first = session.post("/api/auth/token/")
    assert first.status_code == 201
    key = first.json()["token"]
    assert not Token.objects.filter(key=key).exists()  # not in clear
    assert Token.objects.filter(user=cw).count() == 1
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert c.get("/api/cases/").status_code == 200
    second = session.post("/api/auth/token/").json()["token"]
    assert second != key
    assert c.get("/api/cases/").status_code == 401  # the old key ended with the new one
    c.credentials(HTTP_AUTHORIZATION=f"Token {second}")
    assert c.get("/api/cases/").status_code == 200
    assert session.delete("/api/auth/token/").status_code == 204
    assert c.get("/api/cases/").status_code == 401
    assert not Token.objects.filter(user=cw).exists()
