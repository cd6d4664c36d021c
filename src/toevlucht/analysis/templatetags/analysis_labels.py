"""``{% load analysis_labels %}``: the forecasts' codes by name (``analysis.labels``)."""

from __future__ import annotations

from typing import Any

from django import template

from toevlucht.analysis import labels

register = template.Library()


@register.filter
def queue_label(code: Any) -> str:
    return labels.queue_label(str(code))


@register.filter
def target_label(code: Any) -> str:
    return labels.target_label(str(code))


@register.filter
def group_label(code: Any) -> str:
    return labels.group_label(str(code))


@register.filter
def regime_label(code: Any) -> str:
    return labels.regime_label(str(code))
