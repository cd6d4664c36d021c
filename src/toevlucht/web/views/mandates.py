"""Legal aid asks a client for a mandate, by the V-number the client gave: the request goes
to the applicant, who confirms it in the portal; until then it gives no access. The page
lists the organisation's requests still waiting, and withdraws one.

Privacy: legal aid may not see who a V-number belongs to before the mandate is confirmed, so
the page shows V-numbers and dates only, never the applicant's name or case."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from toevlucht.accounts.models import Mandate, User
from toevlucht.accounts.services import mandate_revoke
from toevlucht.audit.log import record
from toevlucht.cases.mandate_requests import request_by_v_number
from toevlucht.cases.selectors import mandates_visible_to
from toevlucht.errors import Rejected
from toevlucht.web.access import staff_page
from toevlucht.web.forms.mandates import MandateRequestForm

__all__ = ["mandate_request_withdraw", "mandate_requests"]

LEGAL_AID = {User.Role.LEGAL_AID}


def _pending(user: Any) -> list[Mandate]:
    rows = list(
        mandates_visible_to(user)
        .filter(consent_date__isnull=True, revoked_on__isnull=True)
        .order_by("-requested_on", "-pk")[:200]
    )
    if rows:
        record(
            actor=user,
            action="list",
            purpose="mandate requests",
            object_type="mandate",
            object_ids=[m.pk for m in rows],
        )
    return rows


@require_http_methods(["GET", "POST"])
@staff_page(LEGAL_AID)
def mandate_requests(request: HttpRequest) -> HttpResponse:
    """Ask a client for a mandate; the organisation's requests waiting for the client."""
    form = MandateRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            request_by_v_number(
                actor=request.user,  # type: ignore[arg-type]
                v_number=d["v_number"],
                lawyer=d.get("lawyer", ""),
                valid_until=d.get("valid_until"),
            )
        except Rejected as exc:  # TooManyMisses too: its message says to wait
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request,
                _(
                    "The request for V-number %(v)s was sent to the applicant to confirm "
                    "in the portal. It gives no access until then."
                )
                % {"v": d["v_number"]},
            )
            return redirect("web:mandate_requests")
    return render(
        request,
        "web/mandate_requests.html",
        {"form": form, "pending": _pending(request.user)},
        status=400 if form.errors else 200,
    )


@require_POST
@staff_page(LEGAL_AID)
def mandate_request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw a request of the organisation that the client has not confirmed yet."""
    mandate = (
        mandates_visible_to(request.user)
        .filter(pk=pk, consent_date__isnull=True, revoked_on__isnull=True)
        .first()
    )
    if mandate is None:
        raise Http404("no such request waiting")
    try:
        mandate_revoke(actor=request.user, mandate=mandate)  # type: ignore[arg-type]
    except Rejected as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("The request for V-number %(v)s is withdrawn.") % {"v": mandate.applicant.v_number},
        )
    return redirect("web:mandate_requests")
