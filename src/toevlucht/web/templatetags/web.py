"""Template filters of the staff pages: names from the law engine's catalogue and the
event vocabulary, in the page's language."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import QueryDict

from toevlucht.web import labels

register = template.Library()


@register.filter
def law(value: Any, section: str) -> str:
    """``{{ status.stage|law:"stage" }}``: the law engine's name of ``value``."""
    return labels.law_label(section, str(value or ""))


@register.filter
def event_kind(value: Any) -> str:
    return labels.event_kind_label(str(value))


@register.simple_tag(takes_context=True)
def page_url(context: dict[str, Any], page: int) -> str:
    """The current query string with ``page`` replaced (filters kept)."""
    request = context["request"]
    query: QueryDict = request.GET.copy()
    query["page"] = str(page)
    return f"?{query.urlencode()}"


@register.filter
def law_key(key: Any) -> str:
    """``{{ "ui.effect_status_"|add:value|law_key }}``: a whole key of the catalogue."""
    section, _, rest = str(key).partition(".")
    return labels.law_label(section, rest)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None
