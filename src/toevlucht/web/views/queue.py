"""The start page by role: the work queue (authority staff), the client list (legal aid),
statistics without personal data (analysts); and the search."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from toevlucht.accounts.models import User
from toevlucht.cases.selectors import aggregates
from toevlucht.web.access import CASE_READERS, MEASURE_READERS, is_htmx, staff_page
from toevlucht.web.forms.queue import QueueFilterForm, SearchForm
from toevlucht.web.selectors import search, work_queue

__all__ = ["home", "search_page"]


@staff_page(MEASURE_READERS | {User.Role.APPLICANT})
def home(request: HttpRequest) -> HttpResponse:
    role = getattr(request.user, "role", "")
    if role == User.Role.APPLICANT:
        return redirect("portal:home")
    if role == User.Role.ANALYST:
        return render(request, "web/statistics.html", {"stats": aggregates(user=request.user)})
    legal_aid = role == User.Role.LEGAL_AID
    form = QueueFilterForm(request.GET or None)
    queue = work_queue(
        user=request.user,
        filters=form.filters(),
        page=request.GET.get("page"),
        purpose="client list" if legal_aid else "work queue",
    )
    template = "web/queue_results.html" if is_htmx(request) else "web/queue.html"
    return render(
        request,
        template,
        {"form": form, "queue": queue, "legal_aid": legal_aid, "filtered": bool(request.GET)},
        status=400 if form.errors and not is_htmx(request) else 200,
    )


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
