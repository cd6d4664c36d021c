from __future__ import annotations

import datetime as dt
import math

from django import forms
from django.utils.translation import gettext_lazy as _

from toevlucht.analysis.labels import queue_label
from toevlucht.analysis.services import MAX_REPLICATIONS
from toevlucht.forecasts.supervision import queue_names, valid_pace
from toevlucht.sim import bundled_scenarios


def _choices() -> list[tuple[str, str]]:
    return [(name, name) for name in bundled_scenarios()]


class RunForm(forms.Form):
    scenario = forms.ChoiceField(label=_("Bundled scenario"), choices=_choices, required=False)
    upload = forms.FileField(label=_("… or upload a scenario file (TOML)"), required=False)
    compare = forms.MultipleChoiceField(
        label=_("Compare with"),
        choices=_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    replications = forms.IntegerField(
        label=_("Replications"), min_value=1, max_value=MAX_REPLICATIONS, initial=200
    )
    seed = forms.IntegerField(label=_("Random seed"), min_value=0, initial=0)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not data.get("scenario") and not data.get("upload"):
            raise forms.ValidationError(_("Choose a bundled scenario or upload a file."))
        return data


def _queue_choices() -> list[tuple[str, str]]:
    return [(q, queue_label(q)) for q in queue_names()]


class NeededForm(forms.Form):
    """The capacity needed: a share of the open cases within their term, from a day."""

    queue = forms.ChoiceField(label=_("Queue"), choices=_queue_choices)
    target_percent = forms.FloatField(
        label=_("Share of the open cases within their term (%)"),
        min_value=1,
        max_value=99,
        initial=90,
    )
    from_day = forms.DateField(
        label=_("For the cases whose term ends on or after"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    scenario = forms.ChoiceField(
        label=_("Assumptions on notices and appeals from the scenario"), choices=_choices
    )

    def __init__(self, *args: object, as_of: dt.date, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.as_of = as_of

    def clean_target_percent(self) -> float:
        value = float(self.cleaned_data["target_percent"])
        if not math.isfinite(value):
            raise forms.ValidationError(_("Enter a number between 1 and 99."))
        return value

    def clean_from_day(self) -> dt.date:
        day: dt.date = self.cleaned_data["from_day"]
        if day < self.as_of:
            raise forms.ValidationError(_("Choose a day on or after the case clock's day."))
        if day > self.as_of + dt.timedelta(days=3 * 365):
            raise forms.ValidationError(_("Choose a day within three years."))
        return day


class PaceForm(forms.Form):
    """A supervisor's pace for a queue, or its removal."""

    queue = forms.ChoiceField(label=_("Queue"), choices=_queue_choices)
    per_week = forms.FloatField(label=_("Cases per week"), required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    remove = forms.BooleanField(label=_("Remove the set pace"), required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not data.get("remove") and "per_week" not in self.errors:
            value = data.get("per_week")
            if value is None or not valid_pace(value):
                self.add_error(
                    "per_week",
                    _("Enter a number above 0 and below 10,000 cases per week."),
                )
        return data
