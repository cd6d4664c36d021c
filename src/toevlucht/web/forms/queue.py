"""Filters of the work queue and the search box."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from toevlucht.cases.models import ReceptionCentre
from toevlucht.law import Stage
from toevlucht.measures.selectors import all_measures
from toevlucht.web.labels import law_label
from toevlucht.web.selectors import QueueFilters, nationalities

__all__ = ["QueueFilterForm", "SearchForm"]


class QueueFilterForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), required=False)
    nationality = forms.ChoiceField(label=_("Nationality"), required=False)
    measure = forms.ChoiceField(label=_("Measure in force"), required=False)
    centre = forms.ModelChoiceField(
        label=_("Reception centre"),
        queryset=ReceptionCentre.objects.order_by("name"),
        required=False,
        empty_label=_("any"),
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    closed = forms.BooleanField(label=_("Closed cases too"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        anyone = [("", _("any"))]
        self._set_choices("stage", anyone + [(s.value, law_label("stage", s.value)) for s in Stage])
        self._set_choices("nationality", anyone + [(n, n) for n in nationalities()])
        lang = (get_language() or "en")[:2]
        measures = sorted(all_measures().values(), key=lambda m: m.title(lang))
        self._set_choices("measure", anyone + [(m.id, m.title(lang)) for m in measures])

    def _set_choices(self, name: str, choices: list[tuple[str, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def filters(self) -> QueueFilters:
        """The validated filters; none when the form is invalid (its errors are shown)."""
        if not self.is_valid():
            return QueueFilters()
        d = self.cleaned_data
        return QueueFilters(
            stage=d["stage"],
            nationality=d["nationality"],
            measure=d["measure"],
            centre=d["centre"].pk if d["centre"] else None,
            overdue=d["overdue"],
            closed=d["closed"],
        )


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or V-number"),
        max_length=200,
        help_text=_(
            "Latin or Cyrillic; spelling variants are found too (Dmitriy, Dmitrii, Дмитрий)."
        ),
    )
