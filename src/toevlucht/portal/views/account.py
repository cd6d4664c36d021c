"""The applicant's account: language, password, the optional second factor."""

from __future__ import annotations

import base64
import io
from base64 import b32encode
from typing import Any

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device

from toevlucht.portal import selectors, services
from toevlucht.portal.forms import ChangePasswordForm, TokenForm
from toevlucht.portal.languages import supported_languages
from toevlucht.portal.views.access import applicant_page, is_applicant, safe_next
from toevlucht.portal.views.auth import _remember_language


@require_POST
def language(request: HttpRequest) -> HttpResponse:
    """Change the page language (a form on every page; works without JavaScript)."""
    lang = request.POST.get("language", "")
    target = safe_next(request, reverse("portal:home"))
    if lang not in supported_languages():
        return redirect(target)
    if is_applicant(request.user):
        services.applicant_language_set(user=request.user, language=lang)
    translation.activate(lang)
    return _remember_language(redirect(target), lang)


def _qr_data_uri(text: str) -> str:
    img = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=12)
    buf = io.BytesIO()
    img.save(buf)
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode()


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@never_cache
@applicant_page
def account(request: HttpRequest) -> HttpResponse:
    cases = selectors.cases_for_applicant(request.user)
    ctx: dict[str, Any] = {
        "page": "account",
        "case": cases[0] if len(cases) == 1 else None,
        "has_device": user_has_device(request.user),
        "password_form": ChangePasswordForm(request.user),
        "remove_form": TokenForm(prefix="remove"),
    }
    return render(request, "portal/account.html", ctx)


@never_cache
@sensitive_post_parameters("old_password", "password1", "password2")
@require_POST
@applicant_page
def password_change(request: HttpRequest) -> HttpResponse:
    form = ChangePasswordForm(request.user, request.POST)
    if form.is_valid():
        services.applicant_password_change(
            user=request.user, password=form.cleaned_data["password1"]
        )
        update_session_auth_hash(request, request.user)  # type: ignore[arg-type]
        messages.success(request, _("Your password has been changed."))
        return redirect("portal:account")
    cases = selectors.cases_for_applicant(request.user)
    return render(
        request,
        "portal/account.html",
        {
            "page": "account",
            "case": cases[0] if len(cases) == 1 else None,
            "has_device": user_has_device(request.user),
            "password_form": form,
            "remove_form": TokenForm(prefix="remove"),
        },
    )


@never_cache
@applicant_page
def second_factor(request: HttpRequest) -> HttpResponse:
    """Set up a TOTP app: scan the code (or type the key), then prove it with a code."""
    device = services.totp_device_pending(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        confirmed = services.totp_confirm(user=request.user, token=form.cleaned_data["token"])
        if confirmed is not None:
            otp_login(request, confirmed)
            messages.success(
                request, _("The second step is on. You will need your app to sign in.")
            )
            return redirect("portal:account")
        form.add_error("token", _("This code is not right. Try the newest code from your app."))
    cases = selectors.cases_for_applicant(request.user)
    return render(
        request,
        "portal/second_factor.html",
        {
            "page": "account",
            "case": cases[0] if len(cases) == 1 else None,
            "form": form,
            "qr": _qr_data_uri(device.config_url),
            "secret": _grouped(b32encode(device.bin_key).decode()),
        },
    )


@require_POST
@applicant_page
def second_factor_remove(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST, prefix="remove")
    if form.is_valid() and services.totp_remove(
        user=request.user, token=form.cleaned_data["token"]
    ):
        messages.success(request, _("The second step is off."))
    else:
        messages.error(request, _("The second step is still on: the code was not right."))
    return redirect("portal:account")
