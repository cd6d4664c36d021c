"""Who may open which staff page, and what they may write. Which *cases* a user sees is
decided by :mod:`toevlucht.cases.selectors` alone (a case outside it is a 404); what they
may write, by :mod:`toevlucht.cases.permissions` (the REST API's rule too).

=====================  ==========================================================
role                   pages
=====================  ==========================================================
caseworker             work queue, search, case pages, record and correct every
                       event kind, measures (read), reception
supervisor             as caseworker, and announces policy measures
administrator          as supervisor (runs the system for the authority)
legal aid              client list, search, case pages of mandated clients; records
                       the remedy steps it takes (notice of default received, appeal);
                       the notice-of-default letter; asks a client for a mandate
                       (by V-number) and withdraws its requests; measures (read)
analyst                statistics without personal data, measures (read), reception
applicant              none: the portal (``/portal/``) is theirs
=====================  ==========================================================
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from toevlucht.accounts.models import User
from toevlucht.accounts.roles import AUTHORITY
from toevlucht.accounts.signin import SECOND_FACTOR_ROLES, needs_enrolment, needs_second_factor
from toevlucht.errors import NotAllowed

__all__ = [
    "CASE_READERS",
    "MEASURE_READERS",
    "RECEPTION_READERS",
    "SECOND_FACTOR_ROLES",
    "can_write_notice",
    "forbidden",
    "is_htmx",
    "needs_enrolment",
    "needs_second_factor",
    "safe_next",
    "staff_page",
]

R = User.Role
CASE_READERS = AUTHORITY | {R.LEGAL_AID}
MEASURE_READERS = AUTHORITY | {R.LEGAL_AID, R.ANALYST}
RECEPTION_READERS = AUTHORITY | {R.ANALYST}
UI_LANGUAGES = ("en", "nl")

View = Callable[..., HttpResponseBase]


def _role(user: Any) -> str:
    return str(getattr(user, "role", ""))


def can_write_notice(user: Any) -> bool:
    return _role(user) == R.LEGAL_AID


def safe_next(request: HttpRequest, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def is_htmx(request: HttpRequest) -> bool:
    """A request htmx made (django-htmx's middleware sets ``request.htmx``)."""
    return bool(getattr(request, "htmx", False))


def use_ui_language() -> None:
    """The staff pages are in English and Dutch; other languages fall back to English."""
    if translation.get_language() not in UI_LANGUAGES:
        translation.activate("en")


def forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "web/forbidden.html", status=403)


def not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "web/not_found.html", status=404)


def staff_page(roles: Collection[str]) -> Callable[[View], View]:
    """Signed in (with the second factor where one is set up or required) and in ``roles``:
    otherwise the sign-in page, the second-factor page or a 403. A case the user may not see
    (``Http404`` from a selector) renders our 404 page; a service refusing the actor
    (:class:`~toevlucht.errors.NotAllowed`) our 403 page."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            use_ui_language()
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if needs_second_factor(user):
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('web:verify')}?{query}")
            if needs_enrolment(user):
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('web:two_factor')}?{query}")
            if _role(user) not in roles:
                return forbidden(request)
            try:
                return view(request, *args, **kwargs)
            except NotAllowed:
                return forbidden(request)
            except Http404:
                return not_found(request)

        return wrapper

    return decorate
