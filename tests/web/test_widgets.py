"""The quick select box writes the HTML Django's own select templates write."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.utils.safestring import mark_safe

from toevlucht.web.forms.queue import QueueFilterForm
from toevlucht.web.forms.widgets import QuickSelect

CHOICES: list[Any] = [
    ("", "any"),
    ("a&b", 'Tom & "Jerry" <b>'),
    (3, 4),
    ("safe", mark_safe("<i>kept</i>")),
    ("Group <1>", [("g1", "first"), ("g2", "second")]),
    ("", [("h", "no group name")]),
]


@pytest.mark.parametrize("value", [None, "", "a&b", "3", "g2", ["h"]])
@pytest.mark.parametrize(
    "attrs", [None, {"id": "id_x"}, {"id": 'q"<', "required": True, "disabled": False}]
)
def test_it_renders_as_djangos_select(value: Any, attrs: Any) -> None:
    quick, stock = QuickSelect(choices=CHOICES), forms.Select(choices=CHOICES)
    assert quick.render("x&y", value, attrs) == stock.render("x&y", value, attrs)


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize(
    "data",
    [None, {"stage": "registration", "nationality": "SYR", "regime": "apr", "group": "bogus"}],
)
def test_every_select_of_the_queue_filters_renders_as_djangos(
    make_user: Any, make_case: Any, lang: str, data: Any
) -> None:
    from django.utils import translation

    make_case(nationality="SYR")
    user = make_user("cw", "caseworker", "ind")
    with translation.override(lang):
        form = QueueFilterForm(data, user=user)
        form.is_valid()
        selects = [b for b in form if isinstance(b.field.widget, QuickSelect)]
        assert {b.name for b in selects} >= {"stage", "nationality", "measure", "centre"}
        for bound in selects:
            stock = forms.Select(choices=bound.field.widget.choices)
            stock.is_required = bound.field.widget.is_required
            assert str(bound) == bound.as_widget(widget=stock), bound.name
