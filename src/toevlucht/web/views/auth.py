"""Signing in to the staff pages: a password (django-axes locks out after repeated failures),
then — for whoever set one up, and for all staff when ``TOEVLUCHT_REQUIRE_2FA=1`` — the code
of a TOTP authenticator app. The user is signed in only once both steps passed; until then
the session holds a pending sign-in for a few minutes.
"""

from __future__ import annotations

import base64
import time
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, get_user_model, login, logout
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from toevlucht.accounts.models import User
from toevlucht.web.access import (
    SECOND_FACTOR_ROLES,
    needs_second_factor,
    safe_next,
    use_ui_language,
)
from toevlucht.web.forms.auth import CodeForm, SignInForm

PENDING = "web_pending_sign_in"
PENDING_SECONDS = 5 * 60


def _pending_user(request: HttpRequest) -> tuple[User | None, dict[str, Any]]:
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None, {}
    pk = pending.get("user")
    if not isinstance(pk, int):
        return None, {}
    user = get_user_model().objects.filter(pk=pk, is_active=True).first()
    return (user if isinstance(user, User) else None), pending


def _finish(request: HttpRequest, user: User, backend: str, device: TOTPDevice | None) -> None:
    if not request.user.is_authenticated or request.user.pk != user.pk:
        if device is not None:
            user.otp_device = device  # type: ignore[attr-defined]  # django-otp's login hook
        login(request, user, backend=backend)
    if device is not None:
        otp_login(request, device)
    request.session.pop(PENDING, None)


@never_cache
@sensitive_post_parameters("password")
def sign_in(request: HttpRequest) -> HttpResponse:
    use_ui_language()
    target = safe_next(request, reverse("web:home"))
    signed_in = request.user.is_authenticated and not needs_second_factor(request.user)
    if request.method == "GET" and signed_in:
        return redirect(target)
    form = SignInForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if user is None:
            if getattr(request, "axes_locked_out", False):
                request.axes_locked_out = False  # type: ignore[attr-defined]  # our page
                return render(request, "web/locked.html", status=429)
            form.add_error(None, _("Wrong username or password."))
        elif not isinstance(user, User) or user.role == User.Role.APPLICANT:
            form.add_error(None, _("This sign-in is for staff. Applicants sign in on the portal."))
        else:
            backend = getattr(user, "backend", "django.contrib.auth.backends.ModelBackend")
            must_enrol = settings.TOEVLUCHT_REQUIRE_2FA and user.role in SECOND_FACTOR_ROLES
            if user_has_device(user) or must_enrol:
                request.session[PENDING] = {
                    "user": user.pk,
                    "backend": backend,
                    "at": time.time(),
                }
                step = "web:verify" if user_has_device(user) else "web:two_factor"
                return redirect(f"{reverse(step)}?{urlencode({'next': target})}")
            _finish(request, user, backend, None)
            return redirect(target)
    status = 400 if request.method == "POST" else 200
    return render(request, "web/sign_in.html", {"form": form, "next": target}, status=status)


@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    """The second step: the code of the authenticator app."""
    use_ui_language()
    target = safe_next(request, reverse("web:home"))
    user, pending = _pending_user(request)
    if user is None and needs_second_factor(request.user):
        user, pending = request.user, {}  # type: ignore[assignment]  # signed in elsewhere
    if user is None:
        return redirect(f"{reverse('web:login')}?{urlencode({'next': target})}")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        device, throttled = None, False
        with transaction.atomic():
            for d in TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True):
                allowed, _info = d.verify_is_allowed()
                throttled = throttled or not allowed
                if allowed and d.verify_token(form.cleaned_data["token"]):
                    device = d
                    break
        if device is None and throttled:
            # django-otp doubles the wait after each wrong code
            form.add_error("token", _("Too many wrong codes: wait a little, then try again."))
        elif device is None:
            form.add_error(
                "token",
                _("That code is not valid. Wait for the next code and try again."),
            )
        else:
            backend = pending.get("backend", "django.contrib.auth.backends.ModelBackend")
            _finish(request, user, backend, device)
            return redirect(target)
    status = 400 if request.method == "POST" else 200
    return render(request, "web/verify.html", {"form": form, "next": target}, status=status)


def _qr_data_uri(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    svg = image.to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


@never_cache
def two_factor(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator app: scan the code, type the first code it shows. Reached
    after the password when the second factor is required and not set up yet, or from the
    account menu."""
    use_ui_language()
    target = safe_next(request, reverse("web:home"))
    user, pending = _pending_user(request)
    if user is None and request.user.is_authenticated and not needs_second_factor(request.user):
        user, pending = request.user, {}
    if user is None:
        return redirect(f"{reverse('web:login')}?{urlencode({'next': request.get_full_path()})}")
    if user.role == User.Role.APPLICANT:  # the portal has its own
        return render(request, "web/forbidden.html", status=403)
    if user_has_device(user):
        return render(request, "web/two_factor.html", {"done": True, "next": target})
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Toevlucht", confirmed=False)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            backend = pending.get("backend", "django.contrib.auth.backends.ModelBackend")
            _finish(request, user, backend, device)
            messages.success(request, _("Your authenticator app is set up."))
            return redirect(target)
        form.add_error("token", _("That code is not valid. Check the time on your phone."))
    context = {
        "form": form,
        "next": target,
        "qr": _qr_data_uri(device.config_url),
        "secret": base64.b32encode(device.bin_key).decode(),
        "done": False,
    }
    return render(request, "web/two_factor.html", context, status=400 if form.errors else 200)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("web:login")
