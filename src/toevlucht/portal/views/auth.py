"""Signing in: password (django-axes counts failures), the optional second factor, the
invitation code (the portal's own stored throttle) and choosing a password."""

from __future__ import annotations

import time

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device

from toevlucht.accounts.models import User
from toevlucht.portal import services
from toevlucht.portal.forms import CodeForm, NewPasswordForm, SignInForm, TokenForm
from toevlucht.portal.languages import activate_for, preferred_language, supported_languages
from toevlucht.portal.models import Invitation
from toevlucht.portal.views.access import is_applicant, safe_next

BACKEND = "django.contrib.auth.backends.ModelBackend"
INVITATION_KEY = "portal_invitation"
INVITATION_SECONDS = 30 * 60  # time to choose a password after the code was accepted


def _remember_language(response: HttpResponse, lang: str | None) -> HttpResponse:
    if lang and lang in supported_languages():
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            lang,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
        )
    return response


@never_cache
@sensitive_post_parameters("password")
def sign_in(request: HttpRequest) -> HttpResponse:
    if is_applicant(request.user) and request.method == "GET":
        return redirect("portal:home")
    form = SignInForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            user = form.get_user()
            if getattr(user, "role", "") != User.Role.APPLICANT:
                form.add_error(None, _("This sign-in is for asylum applicants only."))
            else:
                auth_login(request, user)
                lang = preferred_language(user) or get_language()
                target = safe_next(request, reverse("portal:home"))
                if user_has_device(user):
                    target = f"{reverse('portal:verify')}?{urlencode({'next': target})}"
                return _remember_language(redirect(target), lang)
        elif getattr(request, "axes_locked_out", False):
            # Our own page, in the reader's language, instead of django-axes' English text.
            request.axes_locked_out = False  # type: ignore[attr-defined]
            return render(request, "portal/locked.html", status=429)
    return render(request, "portal/sign_in.html", {"form": form, "next": safe_next(request, "")})


@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not is_applicant(user):
        return redirect("portal:login")
    if not user_has_device(user) or user.is_verified():  # type: ignore[union-attr]
        return redirect(safe_next(request, reverse("portal:home")))
    activate_for(request, preferred_language(user))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.totp_verify(user=user, token=form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(safe_next(request, reverse("portal:home")))
        form.add_error(
            "token",
            _("This code is not right, or you tried too often. Wait a moment and try again."),
        )
    return render(request, "portal/verify.html", {"form": form, "next": safe_next(request, "")})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    lang = get_language()
    auth_logout(request)
    messages.info(request, _("You are signed out."))
    return _remember_language(redirect("portal:login"), lang)


CODE_MESSAGES = {
    services.CodeRejected.THROTTLED: gettext_noop(
        "You tried too many codes. For your safety, wait a while before you try again."
    ),
    services.CodeRejected.UNKNOWN: gettext_noop(
        "This code is not right. Check the letters and numbers and try again. If you have "
        "a newer letter, use the code on that letter."
    ),
    services.CodeRejected.EXPIRED: gettext_noop(
        "This code is too old. Ask your caseworker at the IND for a new letter."
    ),
    services.CodeRejected.USED: gettext_noop(
        "This code has already been used. Sign in with your user name and password."
    ),
}


def _code_message(reason: str) -> str:
    return _(CODE_MESSAGES[reason])


@never_cache
def invitation_code(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_for_code(
                code=form.cleaned_data["code"],
                client_address=get_client_ip_address(request) or "",
            )
        except services.CodeRejected as exc:
            form.add_error("code", _code_message(exc.reason))
        else:
            request.session.cycle_key()
            request.session[INVITATION_KEY] = [invitation.pk, int(time.time())]
            return redirect("portal:invitation_password")
    return render(
        request,
        "portal/invitation_code.html",
        {"form": form, "code_length": services.CODE_LENGTH},
    )


def _pending_invitation(request: HttpRequest) -> Invitation | None:
    pending = request.session.get(INVITATION_KEY)
    if not pending or time.time() - pending[1] > INVITATION_SECONDS:
        return None
    return Invitation.objects.filter(
        pk=pending[0], used_at__isnull=True, revoked_at__isnull=True
    ).first()


@never_cache
@sensitive_post_parameters("password1", "password2")
def invitation_password(request: HttpRequest) -> HttpResponse:
    invitation = _pending_invitation(request)
    if invitation is None:
        messages.info(request, _("Please enter the code from your letter first."))
        return redirect("portal:invitation")
    provisional = User(username=invitation.username, role=User.Role.APPLICANT)
    form = NewPasswordForm(provisional, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_redeem(
                invitation_id=invitation.pk, password=form.cleaned_data["password1"]
            )
        except services.CodeRejected as exc:
            request.session.pop(INVITATION_KEY, None)
            messages.error(request, _code_message(exc.reason))
            return redirect("portal:invitation")
        except ValidationError as exc:
            form.add_error("password1", exc)
        else:
            auth_login(request, user, backend=BACKEND)
            request.session.pop(INVITATION_KEY, None)
            messages.success(
                request,
                _("Your account is ready. Your user name is %(username)s.")
                % {"username": user.username},
            )
            lang = preferred_language(user) or get_language()
            return _remember_language(redirect("portal:home"), lang)
    return render(
        request,
        "portal/invitation_password.html",
        {"form": form, "username": invitation.username},
    )
