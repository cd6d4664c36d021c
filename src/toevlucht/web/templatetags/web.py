"""Template filters of the staff pages: names from the law engine's catalogue and the
event vocabulary, in the page's language."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.http import QueryDict

from toevlucht import clock
from toevlucht.cases.countries import country_label, sort_key
from toevlucht.web import labels

register = template.Library()


@register.filter
def law(value: Any, section: str) -> str:
    """``{{ status.stage|law:"stage" }}``: the law engine's name of ``value``."""
    return labels.law_label(section, str(value or ""))


@register.filter
def sex_name(value: Any) -> str:
    """``{{ ap.sex|sex_name }}``: the sex in the page's language, not its code."""
    return labels.sex_label(str(value or ""))


@register.filter
def sex_names(values: Any) -> str:
    """``{{ scope.sexes|sex_names }}``: the sexes by their names, comma separated."""
    return ", ".join(labels.sex_label(str(v)) for v in values or [])


@register.filter
def ground_name(value: Any) -> str:
    """``{{ measure.extension_ground|ground_name }}``: an extension ground by its article."""
    return labels.extension_ground_label(str(value or ""))


@register.filter
def group_names(values: Any) -> str:
    """``{{ ap.groups|group_names }}``: the groups by their names, comma separated."""
    return ", ".join(labels.group_label(str(v)) for v in values or [])


@register.filter
def language_names(values: Any) -> str:
    """``{{ ap.languages|language_names }}``: the languages by their names."""
    return ", ".join(labels.language_label(str(v)) for v in values or [])


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


@register.simple_tag(takes_context=True)
def sort_url(context: dict[str, Any], key: str) -> str:
    """The current query string sorted by ``key``, or by ``-key`` when it is sorted by
    ``key`` already (filters kept, back to page 1)."""
    request = context["request"]
    query: QueryDict = request.GET.copy()
    query["sort"] = f"-{key}" if query.get("sort") == key else key
    query.pop("page", None)
    return f"?{query.urlencode()}"


@register.simple_tag(takes_context=True)
def aria_sort(context: dict[str, Any], key: str) -> str:
    """``ascending``/``descending`` for the column the queue is sorted by, else ``none``."""
    current = context["request"].GET.get("sort", "")
    if current == key:
        return "ascending"
    if current == f"-{key}":
        return "descending"
    return "none"


@register.filter
def days_since(day: Any) -> int | str:
    """Whole days from ``day`` to today (the case clock); empty without a day."""
    if not isinstance(day, dt.date):
        return ""
    return (clock.today() - day).days


@register.filter
def group_name(group_id: Any) -> str:
    return labels.group_label(str(group_id))


@register.filter
def country_name(code: Any) -> str:
    """``{{ applicant.nationality|country_name }}``: a nationality by its name in the page's
    language (one dict look-up: ``cases.countries``)."""
    return country_label(str(code)) if code else ""


@register.filter
def country_names(codes: Any) -> str:
    """``{{ scope.nationalities|country_names }}``: nationalities by name, sorted by it."""
    return ", ".join(sorted((country_label(str(c)) for c in codes or []), key=sort_key))


@register.filter
def language_name(code: Any) -> str:
    """``{{ letter.language|language_name }}``: one language by its name."""
    return labels.language_label(str(code)) if code else ""


@register.filter
def match_reasons(reasons: Any) -> str:
    """``{{ candidate.reasons|match_reasons }}``: why a record may be the same person."""
    return labels.match_labels(reasons)
