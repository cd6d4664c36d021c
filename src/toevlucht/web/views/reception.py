"""Reception: occupancy per centre against its capacity, today and over the past weeks
(counts only, no personal data)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from toevlucht import clock
from toevlucht.web.access import RECEPTION_READERS, staff_page
from toevlucht.web.charts import line_chart
from toevlucht.web.selectors import occupancy

__all__ = ["reception"]

WEEKS = (("12", _("12 weeks")), ("26", _("26 weeks")), ("52", _("52 weeks")))


class PeriodForm(forms.Form):
    weeks = forms.TypedChoiceField(label=_("Period"), choices=WEEKS, coerce=int, initial=26)


@staff_page(RECEPTION_READERS)
def reception(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    weeks = form.cleaned_data["weeks"] if form.is_valid() else 26
    today = clock.today()
    centres = occupancy(start=today - dt.timedelta(weeks=weeks), end=today)
    rows = [
        {
            "c": c,
            "chart": line_chart(c.series, c.centre.capacity),
            "over": c.today > c.centre.capacity,
        }
        for c in centres
    ]
    return render(
        request,
        "web/reception.html",
        {"form": form, "rows": rows, "today": today, "weeks": weeks},
        status=400 if form.errors else 200,
    )
