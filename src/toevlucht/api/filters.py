"""Filters of the case list: they narrow what the selector already allowed, never widen it."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import F, QuerySet
from django.utils.translation import gettext

from toevlucht.cases.models import Application
from toevlucht.law import Stage
from toevlucht.law.regime import Regime

__all__ = ["CaseFilter", "parameter_schemas"]


class _StrictBooleanField(forms.Field):
    """``true`` or ``false`` as the schema's boolean says, or absent; anything else (``null``,
    ``yes``, ``2``) is refused, where django-filter's boolean reads it as "no filter"."""

    def to_python(self, value: Any) -> bool | None:
        if value in (None, ""):
            return None
        if value in ("true", "false"):
            return bool(value == "true")
        raise forms.ValidationError(gettext("give true or false"), code="invalid")


class BooleanFilter(django_filters.BooleanFilter):  # type: ignore[misc]
    field_class = _StrictBooleanField


# plain ascending columns: the index (open, queue_band, queue_date) gives the order
# (web/selectors.py says why no NULLS LAST)
URGENCY = ("status__queue_band", "status__queue_date", "status__application_id")
ORDERINGS = {
    "urgency": URGENCY,
    "next_deadline": (F("status__next_deadline_due").asc(nulls_last=True), "id"),
    "-next_deadline": (F("status__next_deadline_due").desc(nulls_last=True), "-id"),
    "reference": ("reference",),
    "-reference": ("-reference",),
    "decision_due": (F("status__decision_due").asc(nulls_last=True), "id"),
    "-decision_due": (F("status__decision_due").desc(nulls_last=True), "-id"),
    "waiting_since": (F("status__waiting_since").asc(nulls_last=True), "id"),
    "-waiting_since": (F("status__waiting_since").desc(nulls_last=True), "-id"),
    "stage_since": (F("status__stage_since").asc(nulls_last=True), "id"),
    "-stage_since": (F("status__stage_since").desc(nulls_last=True), "-id"),
}


class CaseFilter(django_filters.FilterSet):  # type: ignore[misc]
    stage = django_filters.ChoiceFilter(
        field_name="status__stage", choices=[(s.value, s.value) for s in Stage]
    )
    open = BooleanFilter(field_name="status__open")
    overdue = BooleanFilter(field_name="status__overdue")
    suspended = BooleanFilter(field_name="status__suspended")
    nationality = django_filters.CharFilter(
        field_name="applicant__nationality", max_length=3, help_text="ISO 3166-1 alpha-3"
    )
    measure = django_filters.CharFilter(
        method="filter_measure",
        max_length=80,
        validators=[
            RegexValidator(r"\A[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?\Z", "not a measure id")
        ],
        help_text="id of a measure in force for the case",
    )
    centre = django_filters.NumberFilter(
        method="filter_centre",
        min_value=1,
        max_value=2**31 - 1,
        help_text="id of the reception centre the applicant stays in",
    )
    regime = django_filters.ChoiceFilter(
        field_name="status__regime",
        choices=[(r.value, r.value) for r in Regime],
        help_text="the procedure regime of the case (vw2000, apr)",
    )
    late = BooleanFilter(
        field_name="status__late_since",
        lookup_expr="isnull",
        exclude=True,
        help_text="late or missing next step (the projection's late_since)",
    )
    group = django_filters.CharFilter(
        method="filter_group", max_length=80, help_text="a group the applicant belongs to"
    )
    caseworker = django_filters.CharFilter(
        method="filter_caseworker",
        max_length=150,
        help_text="user name of the assigned caseworker; 'none': unassigned",
    )
    mine = BooleanFilter(
        method="filter_mine", help_text="true: the cases assigned to the requesting user"
    )
    reference = django_filters.CharFilter(field_name="reference", max_length=20)
    v_number = django_filters.CharFilter(field_name="applicant__v_number", max_length=12)
    due_before = django_filters.DateFilter(
        field_name="status__next_deadline_due",
        lookup_expr="lte",
        label="next deadline on or before",
    )
    ordering = django_filters.ChoiceFilter(
        method="filter_ordering",
        choices=[(k, k) for k in ORDERINGS],
        empty_label=None,
        help_text="default: urgency (overdue first, most days late first; waiting cases whose "
        "next step is late, longest wait first; soonest next deadline; waiting; the rest)",
    )

    class Meta:
        model = Application
        fields: list[str] = []

    def is_valid(self) -> bool:
        """An empty value is a string filter's "any"; of a boolean, date, number or choice it
        fits no schema: refused (django-filter would read it as "no filter")."""
        errors = self.form.errors  # validates the form first
        for name, f in self.filters.items():
            empty = self.data.get(name) == "" and name not in errors
            if empty and not isinstance(f, django_filters.CharFilter):
                self.form.add_error(name, "give a value or leave the parameter out")
        return bool(super().is_valid())

    def filter_measure(self, qs: QuerySet[Application], name: str, value: str) -> Any:
        # measures_in_force is a JSON list of ids; a quoted match is exact on every database
        return qs.filter(status__measures_in_force__icontains=f'"{value}"') if value else qs

    def filter_centre(self, qs: QuerySet[Application], name: str, value: Any) -> Any:
        if value is None:
            return qs
        return qs.filter(
            applicant__placements__centre_id=int(value), applicant__placements__end__isnull=True
        )

    def filter_group(self, qs: QuerySet[Application], name: str, value: str) -> Any:
        return qs.filter(applicant__groups__icontains=f'"{value}"') if value else qs

    def filter_caseworker(self, qs: QuerySet[Application], name: str, value: str) -> Any:
        if not value:
            return qs
        if value == "none":
            return qs.filter(caseworker__isnull=True)
        return qs.filter(caseworker__username=value)

    def filter_mine(self, qs: QuerySet[Application], name: str, value: Any) -> Any:
        if value is None:
            return qs
        me: Any = getattr(self.request, "user", None)
        pk = getattr(me, "pk", None)
        return qs.filter(caseworker_id=pk) if value else qs.exclude(caseworker_id=pk)

    def filter_ordering(self, qs: QuerySet[Application], name: str, value: str) -> Any:
        return qs.order_by(*ORDERINGS[value]) if value else qs

    @property
    def qs(self) -> QuerySet[Application]:
        qs: QuerySet[Application] = super().qs
        if not self.form.cleaned_data.get("ordering"):
            qs = qs.order_by(*ORDERINGS["urgency"])
        return qs


def parameter_schemas() -> dict[str, dict[str, Any]]:
    """The query parameters' schemas where drf-spectacular cannot read them off the filter
    (a filter with a ``method``; a string's length and pattern), so that the schema refuses
    exactly what the filters refuse."""
    out: dict[str, dict[str, Any]] = {
        "mine": {"type": "boolean"},
        "centre": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
    }
    for name, f in CaseFilter.base_filters.items():
        if isinstance(f, django_filters.CharFilter) and f.extra.get("max_length"):
            out[name] = {"type": "string", "maxLength": f.extra["max_length"]}
    # empty is "any measure" (no filter)
    out["measure"]["pattern"] = r"^([a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?)?$"
    return out
