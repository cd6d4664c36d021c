"""Forms to record and correct procedure events, built from the law engine's field schema
(``law.EVENT_FIELDS``): a field, its type, whether it is required, its choices and bounds all
come from there, so the form, the API and the engine validate an event the same way.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from toevlucht.cases.models import ProcedureEvent
from toevlucht.law import EVENT_FIELDS, EventKind
from toevlucht.law.model import FieldSpec
from toevlucht.web.labels import choice_label, event_kind_label, field_help, field_label

__all__ = [
    "CorrectionForm",
    "EventForm",
    "KindForm",
    "apply_rejection",
    "data_field",
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def data_field(name: str, spec: FieldSpec) -> forms.Field:
    """A form field for one data field of an event kind, from its schema."""
    label = field_label(name)
    help_text = field_help(spec.help) if spec.help else ""
    if spec.type is bool:
        return forms.BooleanField(label=label, required=False, help_text=help_text)
    if spec.type is dt.date:
        return forms.DateField(
            label=label, required=spec.required, help_text=help_text, widget=DateInput()
        )
    if spec.type is int:
        return forms.IntegerField(
            label=label,
            required=spec.required,
            min_value=spec.minimum,
            max_value=spec.maximum,
            help_text=help_text,
        )
    if spec.choices:
        choices = [(c, choice_label(name, c)) for c in spec.choices]
        if not spec.required and spec.default is None:
            choices = [("", "—"), *choices]
        return forms.ChoiceField(
            label=label,
            choices=choices,
            required=spec.required or spec.default is not None,
            initial=spec.default,
            help_text=help_text,
        )
    return forms.CharField(label=label, required=spec.required, help_text=help_text)


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


class KindForm(forms.Form):
    """Which kind of event to record: only the kinds the user may record are offered."""

    kind = forms.ChoiceField(label=_("Event"))

    def __init__(self, *args: Any, kinds: list[EventKind], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Choose an event…"))] + [
            (k.value, event_kind_label(k)) for k in kinds
        ]


class _DataFields(forms.Form):
    kind: EventKind

    def _add_data_fields(self, kind: EventKind) -> None:
        self.kind = kind
        self.data_names = list(EVENT_FIELDS[kind])
        for name, spec in EVENT_FIELDS[kind].items():
            self.fields[name] = data_field(name, spec)

    def event_data(self) -> dict[str, Any]:
        """The validated data fields in the stored (JSON) form; empty optional fields left
        out."""
        out: dict[str, Any] = {}
        for name in self.data_names:
            value = self.cleaned_data.get(name)
            if value is None or value == "":
                continue
            out[name] = _json_value(value)
        return out

    def data_bound_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.data_names]


class EventForm(_DataFields):
    """Record one event of ``kind``: the day it took effect, its data, an internal note."""

    effective_date = forms.DateField(label=_("Date it took effect"), widget=DateInput())
    note = forms.CharField(
        label=_("Internal note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Seen by staff only, never by the applicant."),
    )

    def __init__(self, *args: Any, kind: EventKind, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._add_data_fields(kind)
        self.order_fields(["effective_date", *self.data_names, "note"])


class CorrectionForm(_DataFields):
    """Correct an event (a new date or data) or retract it; the reason is required."""

    retract = forms.BooleanField(
        label=_("Retract this event (it did not happen)"),
        required=False,
    )
    effective_date = forms.DateField(
        label=_("Date it took effect"), widget=DateInput(), required=False
    )
    note = forms.CharField(
        label=_("Reason for the correction"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, data: Any = None, *, event: ProcedureEvent) -> None:
        kind = EventKind(event.kind)
        super().__init__(data, initial={"effective_date": event.effective_date, **event.data})
        self._add_data_fields(kind)
        if data is not None and data.get("retract"):  # a retraction needs only the reason
            for name in ["effective_date", *self.data_names]:
                self.fields[name].required = False
        self.order_fields(["effective_date", *self.data_names, "retract", "note"])


def apply_rejection(form: forms.Form, field: str, message: str) -> None:
    """Put a service's rejection (``Rejected.field``: ``effective_date``,
    ``data.<name>``, ``note``, ``kind``, ``history``) on the form field it names."""
    name = field.removeprefix("data.")
    if name in form.fields:
        form.add_error(name, message)
    else:
        form.add_error(None, message)
