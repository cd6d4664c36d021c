"""Policy measures: the list (the law data's and those announced in the app), announcing one
(preview how many cases it touches, then confirm), and a measure's page with what changed
and the cases it holds."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from toevlucht.accounts.models import User
from toevlucht.accounts.roles import ANNOUNCERS, AUTHORITY
from toevlucht.errors import MeasureRejected
from toevlucht.law.view import measure_summary
from toevlucht.measures.selectors import all_measures
from toevlucht.web.access import MEASURE_READERS, is_htmx, staff_page
from toevlucht.web.forms.measures import (
    MeasureForm,
    PeriodFormSet,
    apply_measure_error,
    definition,
    definition_digest,
    digest_matches,
)
from toevlucht.web.presenters import changes_from_session
from toevlucht.web.selectors import (
    announced_measures,
    measure_page,
    measure_preview_for_user,
)
from toevlucht.web.services import measure_announce_and_compare

__all__ = ["measure_detail", "measure_list", "measure_new"]

ANNOUNCED = "web_announced_{id}"
ANNOUNCED_MESSAGE = _("Announced. %(n)s of your open cases have a new decision term.")
CHANGED_SINCE_PREVIEW = _(
    "The measure changed since the preview: check the new preview, then announce."
)


def _lang() -> str:
    return (get_language() or "en")[:2]


@staff_page(MEASURE_READERS)
def measure_list(request: HttpRequest) -> HttpResponse:
    announced = announced_measures()
    summaries = [measure_summary(m, _lang()) for m in all_measures().values()]
    summaries.sort(key=lambda m: (m.first_start or dt.date.min, m.id), reverse=True)
    rows = [{"m": m, "announced": announced.get(m.id)} for m in summaries]
    return render(request, "web/measures.html", {"rows": rows})


@staff_page(ANNOUNCERS)
@require_http_methods(["GET", "POST"])
def measure_new(request: HttpRequest) -> HttpResponse:
    """Step 1 (``action=preview``): validate and count the cases the measure would move.
    Step 2 (``action=announce``): announce exactly what was previewed."""
    user = request.user
    assert isinstance(user, User)
    data = request.POST if request.method == "POST" else None
    form, periods = MeasureForm(data), PeriodFormSet(data, prefix="periods")
    preview, digest, status = None, "", 200
    if data is not None:
        status = 400
    if data is not None and form.is_valid() and periods.is_valid():
        defn = definition(form, periods)
        announce = data.get("action") == "announce"
        try:
            if announce and digest_matches(defn, data.get("digest", "")):
                row, changes = measure_announce_and_compare(actor=user, definition=defn)
                request.session[ANNOUNCED.format(id=row.measure_id)] = changes
                messages.success(request, ANNOUNCED_MESSAGE % {"n": changes["count"]})
                return redirect("web:measure", measure_id=row.measure_id)
            if announce:
                messages.warning(request, CHANGED_SINCE_PREVIEW)
            preview = measure_preview_for_user(user=user, definition=defn)
            digest, status = definition_digest(defn), 200
        except MeasureRejected as exc:
            apply_measure_error(form, periods, exc.field, exc.message)
    return render(
        request,
        "web/measure_new.html",
        {"form": form, "periods": periods, "preview": preview, "digest": digest},
        status=status,
    )


@staff_page(AUTHORITY)
def measure_detail(request: HttpRequest, measure_id: str) -> HttpResponse:
    if is_htmx(request) and request.GET.get("recompute"):
        # the page's notice polls while a background task recomputes the measure's cases
        announced = announced_measures().get(measure_id)
        if announced is None:
            raise Http404("no measure announced in the app with this id")
        pending = announced.recomputed_at is None
        return render(
            request,
            "web/_measure_recompute.html",
            {
                "announced": announced,
                "measure_id": measure_id,
                "pending": pending,
                "done_now": not pending,
            },
        )
    changes = changes_from_session(request.session.pop(ANNOUNCED.format(id=measure_id), None))
    mp = measure_page(
        user=request.user,
        measure_id=measure_id,
        page=request.GET.get("page"),
        changed_pks=[r["pk"] for r in changes["rows"]] if changes else [],
    )
    return render(
        request,
        "web/measure.html",
        {
            "measure": measure_summary(mp.measure, _lang()),
            "announced": mp.announced,
            "changes": changes,
            "changed_apps": mp.changed,
            "page": mp.cases,
        },
    )
