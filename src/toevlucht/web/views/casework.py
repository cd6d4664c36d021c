"""The case's legal aid and reception on the staff pages: record or revoke a mandate,
record a placement or a move. Authority staff only; the services check it again, audit the
write and refuse bad input on its field (nothing is written then)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from toevlucht.accounts.roles import AUTHORITY
from toevlucht.accounts.services import mandate_grant, mandate_revoke
from toevlucht.cases.selectors import application_get_for_user, mandates_visible_to
from toevlucht.cases.services import placement_record
from toevlucht.errors import Rejected
from toevlucht.web.access import staff_page
from toevlucht.web.forms.casework import MandateForm, PlacementForm, RevokeForm

__all__ = ["mandate_new", "mandate_revoke_page", "placement_new"]


def _apply(form: Any, exc: Rejected) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _page(request: HttpRequest, app: Any, form: Any, title: str, button: str) -> HttpResponse:
    return render(
        request,
        "web/casework_form.html",
        {"app": app, "form": form, "title": title, "button": button},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@staff_page(AUTHORITY)
def mandate_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a mandate for the case's applicant, as the authority receives it."""
    app = application_get_for_user(user=request.user, pk=pk, purpose="record mandate")
    form = MandateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            mandate_grant(
                actor=request.user,  # type: ignore[arg-type]
                organisation=d["organisation"],
                applicant=app.applicant,
                consent_date=d["consent_date"],
                valid_from=d.get("valid_from"),
                valid_until=d.get("valid_until"),
                lawyer=d.get("lawyer", ""),
            )
        except Rejected as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Mandate recorded."))
            return redirect(reverse("web:case", args=[pk]) + "#mandates")
    return _page(request, app, form, _("Record a mandate"), _("Record the mandate"))


@require_http_methods(["GET", "POST"])
@staff_page(AUTHORITY)
def mandate_revoke_page(request: HttpRequest, pk: int, mandate_pk: int) -> HttpResponse:
    """End a mandate of the case's applicant (from today, or the day given)."""
    app = application_get_for_user(user=request.user, pk=pk, purpose="revoke mandate")
    mandate = (
        mandates_visible_to(request.user)
        .filter(pk=mandate_pk, applicant_id=app.applicant_id)
        .first()
    )
    if mandate is None:
        raise Http404("no such mandate of this applicant")
    form = RevokeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            mandate_revoke(
                actor=request.user,  # type: ignore[arg-type]
                mandate=mandate,
                on=form.cleaned_data.get("revoked_on"),
            )
        except Rejected as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Mandate ended."))
            return redirect(reverse("web:case", args=[pk]) + "#mandates")
    title = _("End the mandate of %(org)s") % {"org": mandate.organisation.name}
    return _page(request, app, form, title, _("End the mandate"))


@require_http_methods(["GET", "POST"])
@staff_page(AUTHORITY)
def placement_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Place the case's applicant in a reception centre, or move them."""
    app = application_get_for_user(user=request.user, pk=pk, purpose="record placement")
    form = PlacementForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            placement_record(
                actor=request.user,  # type: ignore[arg-type]
                applicant=app.applicant,
                centre=form.cleaned_data["centre"],
                start=form.cleaned_data["start"],
                purpose="record placement",
            )
        except Rejected as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Placement recorded."))
            return redirect(reverse("web:case", args=[pk]) + "#placements")
    return _page(request, app, form, _("Record a placement or a move"), _("Record the placement"))
