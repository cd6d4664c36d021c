"""Intake: register an applicant after a duplicate check, then open their application."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from toevlucht.accounts.roles import AUTHORITY
from toevlucht.cases.selectors import applicant_for_intake
from toevlucht.cases.services import applicant_candidates, applicant_register, application_open
from toevlucht.errors import DuplicateSuspected, Rejected
from toevlucht.web.access import staff_page
from toevlucht.web.forms.intake import ApplicantForm, OpenCaseForm

__all__ = ["applicant_new", "case_new"]

_FORM_FIELDS = {
    "applicant_groups": "groups",
}


@require_http_methods(["GET", "POST"])
@staff_page(AUTHORITY)
def applicant_new(request: HttpRequest) -> HttpResponse:
    """Register an applicant. Someone on record who may be the same person is shown first;
    registering anyway needs a reason (audited)."""
    show_reason = bool(request.POST.get("duplicate_check"))
    form = ApplicantForm(request.POST or None, show_reason=show_reason)
    candidates: list[Any] = []
    if request.method == "POST" and form.is_valid():
        values = form.values()
        try:
            a = applicant_register(actor=request.user, **values)  # type: ignore[arg-type]
        except DuplicateSuspected as exc:
            candidates = applicant_candidates(
                actor=request.user,  # type: ignore[arg-type]
                v_number="",
                given_names=values["given_names"],
                family_name=values["family_name"],
                given_names_latin=values["given_names_latin"],
                family_name_latin=values["family_name_latin"],
                birth=values["birth_date"],
                nationality=values["nationality"],
            )
            form = ApplicantForm(request.POST, show_reason=True)
            form.is_valid()
            if show_reason:  # asked again without a reason
                form.add_error("duplicate_reason", exc.message)
        except Rejected as exc:
            name = _FORM_FIELDS.get(exc.field, exc.field)
            form.add_error(name if name in form.fields else None, exc.message)
        else:
            return redirect("web:case_new", pk=a.pk)
    status = 200 if request.method == "GET" else (409 if candidates else 400)
    return render(
        request,
        "web/intake_applicant.html",
        {"form": form, "candidates": candidates},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@staff_page(AUTHORITY)
def case_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Open an application for a registered applicant at the user's authority."""
    applicant = applicant_for_intake(user=request.user, pk=pk, purpose="open case")
    form = OpenCaseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        org = getattr(request.user, "organisation", None)
        if org is None:
            form.add_error(None, gettext("you belong to no authority"))
        else:
            try:
                app = application_open(
                    actor=request.user,  # type: ignore[arg-type]
                    applicant=applicant,
                    organisation=org,
                    kind=form.cleaned_data["kind"],
                    caseworker=form.assignee(),
                    purpose="open case",
                )
            except Rejected as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                return redirect("web:case", pk=app.pk)
    return render(
        request,
        "web/intake_case.html",
        {"form": form, "applicant": applicant},
        status=400 if form.errors else 200,
    )
