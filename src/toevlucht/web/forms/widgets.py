"""A select box rendered without a template per option.

Django renders every ``<option>`` of a ``Select`` through two templates (the option and its
attributes): the work queue's filters have 75 options, 3 ms of every page of the queue.
:class:`QuickSelect` writes the same HTML as Django's own templates
(``django/forms/widgets/select.html``, ``select_option.html``, ``attrs.html``) in Python; a
test compares the two for every select of the queue's filters, so a Django upgrade that
changes them is noticed. It ignores a custom form renderer (the project has none).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe

__all__ = ["QuickSelect"]


def _format(value: Any) -> str:
    """``{{ value|stringformat:'s' }}`` with autoescaping."""
    out = "%s" % (str(value) if isinstance(value, tuple) else value)
    return str(conditional_escape(mark_safe(out) if isinstance(value, SafeData) else out))


def _attrs(attrs: Mapping[str, Any]) -> str:
    """``django/forms/widgets/attrs.html``."""
    return "".join(
        f" {conditional_escape(name)}" + ("" if value is True else f'="{_format(value)}"')
        for name, value in attrs.items()
        if value is not False
    )


def _text(value: Any) -> str:
    """``{{ value }}`` with autoescaping."""
    value = localize(value)
    return str(conditional_escape(value if isinstance(value, str) else str(value)))


class QuickSelect(forms.Select):
    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        out = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                out.append(f'\n  <optgroup label="{_text(group_name)}">')
            for option in options:
                out.append(
                    f'\n  <option value="{_format(option["value"])}"{_attrs(option["attrs"])}>'
                    f"{_text(option['label'])}</option>\n"
                )
            if group_name:
                out.append("\n  </optgroup>")
        out.append("\n</select>")
        return mark_safe("".join(out))
