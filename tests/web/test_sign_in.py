"""Signing in to the staff pages: password with lockout (django-axes), then the TOTP code for
whoever set one up — and for all staff when TOEVLUCHT_REQUIRE_2FA is on. A user is signed in
only after both steps."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "correct horse battery staple"


def _sign_in(client: Client, username: str, password: str = PASSWORD, **extra: str) -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password, **extra})


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_a_password_signs_in_staff_without_a_second_factor_in_the_demo(
    make_user: Any, client: Client
) -> None:
    make_user("cw", "caseworker", "ind")
    r = _sign_in(client, "cw", next="/search/")
    assert r.status_code == 302
    assert r["Location"] == "/search/"
    assert _signed_in(client)


def test_a_wrong_password_is_a_form_error(make_user: Any, client: Client) -> None:
    make_user("cw", "caseworker", "ind")
    r = _sign_in(client, "cw", "wrong")
    assert r.status_code == 400
    assert "Wrong username or password" in r.content.decode()
    assert not _signed_in(client)


def test_an_unsafe_next_is_ignored(make_user: Any, client: Client) -> None:
    make_user("cw", "caseworker", "ind")
    r = _sign_in(client, "cw", next="https://evil.example/")
    assert r["Location"] == "/"


def test_repeated_failures_lock_the_account_out(make_user: Any, client: Client) -> None:
    make_user("cw", "caseworker", "ind")
    for _ in range(5):
        _sign_in(client, "cw", "wrong")
    r = _sign_in(client, "cw")  # even the right password now
    assert r.status_code == 429
    assert "Too many failed attempts" in r.content.decode()
    assert not _signed_in(client)


def test_applicants_are_sent_to_the_portal(make_user: Any, make_case: Any, client: Client) -> None:
    make_user("ap", "applicant", applicant=make_case().applicant)
    r = _sign_in(client, "ap")
    assert r.status_code == 400
    assert "Applicants sign in on the portal" in r.content.decode()
    assert not _signed_in(client)


def test_with_a_device_the_code_is_the_second_step(
    make_user: Any, client: Client, settings: Any
) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no wait after the wrong code below
    user = make_user("cw", "caseworker", "ind")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    r = _sign_in(client, "cw", next="/reception/")
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/code/")
    assert not _signed_in(client)  # not before the code
    assert client.get("/").status_code == 302
    wrong = "123456" if _code(device) != "123456" else "654321"
    r = client.post(r["Location"], {"token": wrong})
    assert r.status_code == 400
    assert "not valid" in r.content.decode()
    r = client.post("/accounts/login/code/?next=/reception/", {"token": _code(device)})
    assert r.status_code == 302
    assert r["Location"] == "/reception/"
    assert _signed_in(client)
    assert client.get("/reception/").status_code == 200


def test_wrong_codes_make_the_user_wait(make_user: Any, client: Client) -> None:
    user = make_user("cw", "caseworker", "ind")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    _sign_in(client, "cw")
    wrong = "123456" if _code(device) != "123456" else "654321"
    client.post("/accounts/login/code/", {"token": wrong})
    r = client.post("/accounts/login/code/", {"token": _code(device)})
    assert r.status_code == 400
    assert "Too many wrong codes" in r.content.decode()
    assert not _signed_in(client)


def test_a_session_without_the_code_is_sent_to_give_it(make_user: Any, client: Client) -> None:
    """Signed in elsewhere (the admin's sign-in page asks no code): the staff pages ask it."""
    user = make_user("cw", "caseworker", "ind")
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.force_login(user)
    r = client.get("/search/")
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/code/")


def test_when_required_staff_set_up_the_app_before_they_are_signed_in(
    make_user: Any, client: Client, settings: Any
) -> None:
    settings.TOEVLUCHT_REQUIRE_2FA = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user = make_user("la", "legal_aid", "vwn")
    r = _sign_in(client, "la")
    assert r["Location"].startswith("/accounts/two-factor/")
    assert not _signed_in(client)
    r = client.get(r["Location"])
    html = r.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html  # the QR code, no external request
    secret = re.search(r'class="secret">([A-Z2-7]+)<', html)
    assert secret is not None
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    r = client.post(
        "/accounts/two-factor/", {"token": "123456" if _code(device) != "123456" else "654321"}
    )
    assert r.status_code == 400
    assert not _signed_in(client)
    r = client.post("/accounts/two-factor/", {"token": _code(device)})
    assert r.status_code == 302
    assert _signed_in(client)
    device.refresh_from_db()
    assert device.confirmed


def test_when_required_a_session_without_a_device_must_set_one_up(
    make_user: Any, client: Client, settings: Any
) -> None:
    settings.TOEVLUCHT_REQUIRE_2FA = True
    client.force_login(make_user("cw", "caseworker", "ind"))
    r = client.get("/")
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/two-factor/")


@pytest.mark.parametrize("role", ["analyst"])
def test_roles_without_personal_data_are_not_forced_to_enrol(
    make_user: Any, client: Client, settings: Any, role: str
) -> None:
    settings.TOEVLUCHT_REQUIRE_2FA = True
    make_user("an", role, "ind")
    r = _sign_in(client, "an")
    assert r["Location"] == "/"
    assert _signed_in(client)


def test_signing_out_is_a_post(make_user: Any, client: Client) -> None:
    client.force_login(make_user("cw", "caseworker", "ind"))
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert not _signed_in(client)
