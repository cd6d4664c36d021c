"""Who may open a portal page, and in which language it is shown."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from toevlucht.accounts.models import User
from toevlucht.accounts.signin import needs_second_factor
from toevlucht.portal.languages import activate_for, preferred_language

View = Callable[..., HttpResponse]


def is_applicant(user: Any) -> bool:
    return bool(user.is_authenticated and getattr(user, "role", "") == User.Role.APPLICANT)


def applicant_page(view: View) -> View:
    """Signed-in applicants only (and their second factor, if they set one up); the page
    is in the applicant's language. Anyone else: a 404, so nothing is revealed."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("portal:login"))
        if not is_applicant(user):
            raise Http404("the portal is for applicants")
        if needs_second_factor(user):
            return redirect(f"{reverse('portal:verify')}?{urlencode({'next': request.path})}")
        activate_for(request, preferred_language(user))
        return view(request, *args, **kwargs)

    return wrapper


def staff_page(view: View) -> View:
    """Signed-in staff; which staff may do what is decided by the selectors (404)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


def safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
