"""The start page by role: the work queue (authority staff), the client list (legal aid),
statistics without personal data (analysts); assigning cases, the queue as CSV; and the
search."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from toevlucht import clock
from toevlucht.accounts.models import User
from toevlucht.accounts.roles import AUTHORITY
from toevlucht.cases.countries import country_names
from toevlucht.cases.selectors import aggregates
from toevlucht.cases.services import applications_assign
from toevlucht.errors import Rejected
from toevlucht.web.access import CASE_READERS, MEASURE_READERS, is_htmx, safe_next, staff_page
from toevlucht.web.forms.queue import AssignForm, QueueFilterForm, SearchForm
from toevlucht.web.labels import group_label, late_reason_label, law_label
from toevlucht.web.presenters import queue_rows
from toevlucht.web.selectors import queue_export, search, work_queue

__all__ = ["assign", "home", "queue_csv", "search_page"]


@staff_page(MEASURE_READERS | {User.Role.APPLICANT})
def home(request: HttpRequest) -> HttpResponse:
    role = getattr(request.user, "role", "")
    if role == User.Role.APPLICANT:
        return redirect("portal:home")
    if role == User.Role.ANALYST:
        return render(request, "web/statistics.html", {"stats": aggregates(user=request.user)})
    legal_aid = role == User.Role.LEGAL_AID
    form = QueueFilterForm(request.GET or None, user=request.user)
    queue = work_queue(
        user=request.user,
        filters=form.filters(),
        page=request.GET.get("page"),
        purpose="client list" if legal_aid else "work queue",
    )
    template = "web/queue_results.html" if is_htmx(request) else "web/queue.html"
    staff = form.staff
    return render(
        request,
        template,
        {
            "form": form,
            "queue": queue,
            "rows": queue_rows(queue.page.object_list),
            "legal_aid": legal_aid,
            "filtered": bool(request.GET),
            "can_assign": bool(staff),
            "colleagues": staff,
            "query": request.GET.urlencode(),
        },
        status=400 if form.errors and not is_htmx(request) else 200,
    )


@require_POST
@staff_page(AUTHORITY)
def assign(request: HttpRequest) -> HttpResponse:
    """Assign the ticked cases of the queue to a colleague (all or none), then back to the
    queue as it was."""
    ids = [int(v) for v in request.POST.getlist("cases") if v.isdigit() and len(v) < 19]
    form = AssignForm(request.POST, user=request.user, case_ids=ids)
    back = safe_next(request, "/")
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, str(e))
        return redirect(back)
    try:
        n = applications_assign(
            actor=request.user,  # type: ignore[arg-type]
            application_ids=form.cleaned_data["cases"],
            caseworker=form.assignee(),
            purpose="assignment",
        )
    except Rejected as exc:
        messages.error(request, exc.message)
        return redirect(back)
    messages.success(request, _("%(n)d case(s) assigned.") % {"n": n})
    return redirect(back)


CSV_COLUMNS = [
    "reference",
    "applicant",
    "v_number",
    "nationality",
    "nationality_name",
    "groups",
    "stage",
    "late_since",
    "late_reason",
    "waiting_since",
    "days_in_stage",
    "next_deadline",
    "next_deadline_due",
    "decision_due",
    "overdue",
    "assigned_to",
]


@staff_page(CASE_READERS)
def queue_csv(request: HttpRequest) -> HttpResponse:
    """The filtered queue, every page, as CSV (audited as an export)."""
    form = QueueFilterForm(request.GET or None, user=request.user)
    if form.errors:
        return HttpResponse(
            "; ".join(f"{k}: {' '.join(str(e) for e in v)}" for k, v in form.errors.items()),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    try:
        rows = queue_export(user=request.user, filters=form.filters())
    except Rejected as exc:
        return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
    today = clock.today()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="queue-{today.isoformat()}.csv"'
    response["Cache-Control"] = "no-store"
    w = csv.writer(response)
    w.writerow(CSV_COLUMNS)
    countries = country_names()
    for app in rows:
        s, a = app.status, app.applicant
        w.writerow(
            _cell(v)
            for v in [
                app.reference,
                a.display_name,
                a.v_number,
                a.nationality,
                countries.get(a.nationality, a.nationality),
                "; ".join(group_label(g) for g in a.groups),
                law_label("stage", s.stage),
                s.late_since.isoformat() if s.late_since else "",
                late_reason_label(s.late_reason) if s.late_reason else "",
                s.waiting_since.isoformat() if s.waiting_since else "",
                (today - s.stage_since).days if s.stage_since else "",
                law_label("deadline", s.next_deadline_kind),
                s.next_deadline_due.isoformat() if s.next_deadline_due else "",
                s.decision_due.isoformat() if s.decision_due else "",
                "yes" if s.overdue else "",
                app.caseworker.username if app.caseworker else "",
            ]
        )
    return response


def _cell(value: object) -> object:
    """A text cell a spreadsheet would run as a formula is quoted (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@staff_page(CASE_READERS)
def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    results = None
    if form.is_valid():
        results = search(
            user=request.user, text=form.cleaned_data["q"], page=request.GET.get("page")
        )
    return render(
        request,
        "web/search.html",
        {"form": form, "results": results},
        status=400 if form.errors else 200,
    )
