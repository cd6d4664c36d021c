"""Who can see my case: the legal-aid mandates of the applicant and the requests waiting for
their answer. A request gives no access until the applicant agrees here; the applicant can
end any access."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from toevlucht import clock
from toevlucht.accounts.services import mandate_confirm, mandate_revoke
from toevlucht.audit.log import record
from toevlucht.cases.selectors import mandates_visible_to
from toevlucht.errors import Rejected
from toevlucht.portal import selectors
from toevlucht.portal.views.access import applicant_page

__all__ = ["access", "access_confirm", "access_end"]


@never_cache
@applicant_page
def access(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    rows = list(mandates_visible_to(request.user).order_by("-pk"))
    requests = [m for m in rows if m.pending]
    active = [
        m
        for m in rows
        if m.consent_date is not None
        and (m.revoked_on is None or m.revoked_on > today)
        and (m.valid_until is None or m.valid_until >= today)
    ]
    if rows:
        record(
            actor=request.user,
            action="list",
            purpose="portal access",
            object_type="mandate",
            object_ids=[m.pk for m in rows],
        )
    cases = selectors.cases_for_applicant(request.user)
    return render(
        request,
        "portal/access.html",
        {
            "page": "access",
            "case": cases[0] if len(cases) == 1 else None,
            "requests": requests,
            "active": active,
        },
    )


def _mandate(request: HttpRequest, pk: int) -> object:
    m = mandates_visible_to(request.user).filter(pk=pk).first()
    if m is None:
        raise Http404("no such mandate")
    return m


@require_POST
@applicant_page
def access_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        mandate_confirm(actor=request.user, mandate=_mandate(request, pk))  # type: ignore[arg-type]
    except Rejected as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Access given."))
    return redirect("portal:access")


@require_POST
@applicant_page
def access_end(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        mandate_revoke(actor=request.user, mandate=_mandate(request, pk))  # type: ignore[arg-type]
    except Rejected as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Access ended."))
    return redirect("portal:access")
