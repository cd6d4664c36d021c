"""Event input serializers, one per event kind, built from the law's own field schema
(:data:`toevlucht.law.EVENT_FIELDS`): the API documents and checks exactly the fields the law
engine accepts, and the law engine decides (again) when the event is recorded.

``EventInputSerializer`` dispatches on ``kind``; ``EVENT_INPUT_SCHEMA`` is the ``oneOf`` of
the per-kind serializers that the OpenAPI schema shows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from toevlucht.errors import Rejected
from toevlucht.law import EVENT_FIELDS, EventKind
from toevlucht.law.model import FieldSpec

__all__ = [
    "EVENT_INPUT_SCHEMA",
    "RECORDABLE_KINDS",
    "EventCorrectionSerializer",
    "EventInputSerializer",
    "data_component_names",
    "data_serializer",
]

# A retraction is recorded as a correction (``retract: true``), never directly.
RECORDABLE_KINDS = tuple(k for k in EventKind if k is not EventKind.RETRACTION)
NOTE_MAX = 4000


def _flatten(errors: Any, prefix: str = "") -> Any:
    """(field path, message) pairs of a serializer's errors."""
    if isinstance(errors, dict):
        for key, value in errors.items():
            yield from _flatten(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(errors, list):
        for value in errors:
            yield from _flatten(value, prefix)
    else:
        yield prefix, str(errors)


def _camel(kind: str) -> str:
    return "".join(part.capitalize() for part in kind.split("_"))


def _field(spec: FieldSpec) -> serializers.Field[Any, Any, Any, Any]:
    common: dict[str, Any] = {"required": spec.required, "help_text": spec.help or None}
    if not spec.required:
        common["allow_null"] = True
    if spec.type is dt.date:
        return serializers.DateField(**common)
    if spec.type is bool:
        return serializers.BooleanField(**common)
    if spec.type is int:
        return serializers.IntegerField(min_value=spec.minimum, max_value=spec.maximum, **common)
    if spec.choices:
        return serializers.ChoiceField(choices=list(spec.choices), **common)
    return serializers.CharField(max_length=200, **common)


class _StrictSerializer(serializers.Serializer[Any]):
    """Refuses fields it does not know, as the law engine does."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                allowed = ", ".join(sorted(self.fields))
                message = (
                    gettext("unknown field (allowed: %(allowed)s)") % {"allowed": allowed}
                    if allowed
                    else gettext("unknown field (allowed: none)")
                )
                raise serializers.ValidationError({unknown[0]: [message]})
        return super().to_internal_value(data)


def _data_serializer(kind: EventKind) -> type[serializers.Serializer[Any]]:
    fields = {name: _field(spec) for name, spec in EVENT_FIELDS[kind].items()}
    return type(f"{_camel(kind.value)}Data", (_StrictSerializer,), fields)


_DATA = {kind: _data_serializer(kind) for kind in EventKind}


def data_serializer(kind: str) -> type[serializers.Serializer[Any]]:
    return _DATA[EventKind(kind)]


def data_component_names() -> list[str]:
    """The schema components of the kinds' ``data`` (request side)."""
    return [f"{cls.__name__}Request" for cls in _DATA.values()]


def _json_data(values: dict[str, Any]) -> dict[str, Any]:
    """Validated data for storage: dates as ISO strings, absent optionals left out."""
    return {
        k: (v.isoformat() if isinstance(v, dt.date) else v)
        for k, v in values.items()
        if v is not None
    }


def _kind_field(kind: EventKind) -> type[serializers.ChoiceField]:
    """The discriminator, inlined in the schema (one enum component per kind would collide)."""
    cls = type(f"{_camel(kind.value)}KindField", (serializers.ChoiceField,), {})
    return extend_schema_field({"type": "string", "enum": [kind.value]})(cls)


def _event_serializer(kind: EventKind) -> type[serializers.Serializer[Any]]:
    fields: dict[str, Any] = {
        "kind": _kind_field(kind)(choices=[kind.value]),
        "effective_date": serializers.DateField(help_text="the day it took effect"),
        "data": _DATA[kind](
            required=any(spec.required for spec in EVENT_FIELDS[kind].values()),
            help_text=f"the fields of {kind.value}",
        ),
        "note": serializers.CharField(
            required=False, allow_blank=True, max_length=NOTE_MAX, help_text="internal note"
        ),
    }
    return type(f"{_camel(kind.value)}Event", (serializers.Serializer,), fields)


_EVENT: dict[EventKind, type[serializers.Serializer[Any]]] = {
    kind: _event_serializer(kind) for kind in RECORDABLE_KINDS
}

EVENT_INPUT_SCHEMA = PolymorphicProxySerializer(
    component_name="EventInput",
    serializers={kind.value: _EVENT[kind] for kind in RECORDABLE_KINDS},
    resource_type_field_name="kind",
)


class EventInputSerializer(serializers.Serializer[Any]):
    """A new event: ``kind``, ``effective_date``, ``data`` (the kind's fields), ``note``."""

    kind = serializers.ChoiceField(choices=[k.value for k in RECORDABLE_KINDS])

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        head = super().to_internal_value(data)
        inner = _EVENT[EventKind(head["kind"])](data=data)
        inner.is_valid(raise_exception=True)
        values = dict(inner.validated_data)
        values["data"] = _json_data(dict(values.get("data") or {}))
        values.setdefault("note", "")
        return values


class EventCorrectionSerializer(serializers.Serializer[Any]):
    """A correction of an event (new date and/or data) or, with ``retract``, its retraction.
    ``data`` replaces the corrected event's data as a whole."""

    effective_date = serializers.DateField(required=False, allow_null=True)
    data = serializers.DictField(  # type: ignore[assignment]
        required=False,
        allow_null=True,
        help_text="the corrected event kind's fields (see EventInput); replaces the old data",
    )
    retract = serializers.BooleanField(default=False)
    note = serializers.CharField(max_length=NOTE_MAX, help_text="why the event is corrected")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        kind = self.context["kind"]
        if attrs.get("data") is not None:
            inner = data_serializer(kind)(data=attrs["data"])
            if not inner.is_valid():
                # which fields ``data`` takes depends on the stored event's kind, which the
                # request does not show (and the schema cannot): a refusal, 422, not a 400
                field, message = next(_flatten(inner.errors))
                raise Rejected(f"data.{field}" if field else "data", f"{kind}: {message}")
            attrs["data"] = _json_data(dict(inner.validated_data))
        if attrs.get("retract") and (attrs.get("data") is not None or attrs.get("effective_date")):
            raise serializers.ValidationError(
                {"retract": [gettext("a retraction takes no new date or data")]}
            )
        return attrs
