"""Reads of policy measures: the law data's and those announced in the app, and the parsing
of a stored or submitted definition into a law ``Measure``.

This app is a leaf: it imports the law core and Django only. Announcing a measure (which
audits and recomputes cases) is a case service: :mod:`toevlucht.cases.announce`.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from typing import Any

from django.utils.translation import get_language, gettext

from toevlucht.errors import MeasureRejected
from toevlucht.law import LANGUAGES, DataError, Measure, load_measures
from toevlucht.law.measures import measure_from_dict
from toevlucht.law.text import render_problem
from toevlucht.measures.models import AnnouncedMeasure

__all__ = ["all_measures", "as_json", "measure_parse", "with_dates"]


DATE_KEYS = frozenset(
    {"from", "until", "announced", "date", "lodged_from", "lodged_before", "consolidation_date"}
)


log = logging.getLogger(__name__)


def with_dates(node: Any, key: str = "") -> Any:
    """JSON (ISO date strings) -> the measures.toml form (dates), recursively."""
    if isinstance(node, Mapping):
        return {k: with_dates(v, k) for k, v in node.items()}
    if isinstance(node, list):
        return [with_dates(v, key) for v in node]
    if key in DATE_KEYS and isinstance(node, str):
        try:
            return dt.date.fromisoformat(node)
        except ValueError:
            return node  # the law's loader reports it as "expected a date"
    return node


def as_json(node: Any) -> Any:
    """The measures.toml form (dates) -> JSON (ISO date strings), recursively."""
    if isinstance(node, Mapping):
        return {k: as_json(v) for k, v in node.items()}
    if isinstance(node, list):
        return [as_json(v) for v in node]
    if isinstance(node, dt.date):
        return node.isoformat()
    return node


def all_measures() -> dict[str, Measure]:
    """The law data's measures plus those announced in the app, by id."""
    out = dict(load_measures())
    for row in AnnouncedMeasure.objects.order_by("announced_at"):
        try:
            out[row.measure_id] = measure_from_dict(
                with_dates(row.definition), where=f"measure {row.pk}"
            )
        except DataError as exc:
            # stored before ids were validated (issue 13): no page may fail on it; it is left
            # out of the law, and said so in the log, until an operator renames or removes it
            log.warning("announced measure row %s is left out: %s", row.pk, exc)
    return out


def measure_parse(definition: Mapping[str, Any]) -> Measure:
    """A submitted definition (JSON, the measures.toml format) as a new law ``Measure``.

    Raises:
        MeasureRejected: the law's loader refused it (naming the key), or its id is taken.
    """
    try:
        m = measure_from_dict(with_dates(definition), where="measure")
    except DataError as exc:
        lang = (get_language() or "en")[:2]
        raise MeasureRejected(
            exc.key, render_problem(exc, lang if lang in LANGUAGES else "en")
        ) from None
    if m.id in load_measures() or AnnouncedMeasure.objects.filter(measure_id=m.id).exists():
        raise MeasureRejected(
            "id", gettext("a measure with id %(id)s already exists") % {"id": repr(m.id)}
        )
    return m
