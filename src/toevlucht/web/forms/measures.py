"""Announcing a policy measure: the form produces a definition in the ``measures.toml``
format (``docs/law.md``); the law engine validates it (``measure_from_dict``) and its errors
come back on the field they name.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from django import forms
from django.core.signing import Signer
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from toevlucht.law import Sex
from toevlucht.law.measures import EffectStatus, MeasureKind, groups
from toevlucht.law.model import EXTENSION_GROUNDS, country_codes
from toevlucht.law.sources import SourceKind, Status, load_sources
from toevlucht.web.forms.events import DateInput
from toevlucht.web.labels import SEX_LABELS, extension_ground_label, law_label

__all__ = ["MeasureForm", "PeriodFormSet", "apply_measure_error", "definition_digest"]

EFFECT_LABELS = {
    EffectStatus.CONFIRMED: _("confirmed: applied to deadlines"),
    EffectStatus.CONTESTED: _("contested: applied, the dispute shown"),
    EffectStatus.UNCONFIRMED: _("unconfirmed: shown, never applied"),
}
SOURCE_KIND_LABELS = {
    SourceKind.DECREE: _("decree (e.g. a WBV, Staatscourant)"),
    SourceKind.GOVERNMENT: _("government (IND news, letter to parliament)"),
    SourceKind.CIRCULAR: _("Aliens Circular (Vc)"),
    SourceKind.SECONDARY: _("secondary (press, practitioners)"),
}


class MeasureForm(forms.Form):
    WHAT = (
        "id",
        "kind",
        "title_nl",
        "title_en",
        "title_ru",
        "title_uk",
        "effect_status",
        "legal_basis",
        "term_extension_months",
        "extension_ground",
        "effect_note",
    )
    SCOPE = (
        "nationalities",
        "sexes",
        "age_min",
        "age_max",
        "groups_any",
        "lodged_from",
        "lodged_before",
    )

    id = forms.SlugField(
        label=_("Identifier"), max_length=80, help_text=_("e.g. ru-2022-decision-pause")
    )
    kind = forms.ChoiceField(label=_("Kind of measure"))
    title_nl = forms.CharField(label=_("Title in Dutch"), max_length=300)
    title_en = forms.CharField(label=_("Title in English"), max_length=300)
    # the portal tells applicants in Russian and Ukrainian which measures touch their case
    title_ru = forms.CharField(label=_("Title in Russian"), max_length=300)
    title_uk = forms.CharField(label=_("Title in Ukrainian"), max_length=300)
    effect_status = forms.ChoiceField(
        label=_("Legal effect"), choices=[(k.value, v) for k, v in EFFECT_LABELS.items()]
    )
    legal_basis = forms.ChoiceField(label=_("Legal basis"))
    term_extension_months = forms.IntegerField(
        label=_("Extends the decision term by (months)"), required=False
    )
    extension_ground = forms.ChoiceField(
        label=_("Extension ground (general term extension)"), required=False
    )
    nationalities = forms.CharField(
        label=_("Nationalities"),
        required=False,
        help_text=_("ISO 3166-1 alpha-3 codes separated by spaces or commas; empty: all."),
    )
    sexes = forms.MultipleChoiceField(
        label=_("Sex"),
        required=False,
        choices=[(s.value, SEX_LABELS[s.value]) for s in Sex],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: everyone."),
    )
    age_min = forms.IntegerField(label=_("Minimum age"), required=False, min_value=0)
    age_max = forms.IntegerField(label=_("Maximum age"), required=False, min_value=0)
    groups_any = forms.MultipleChoiceField(
        label=_("Groups (any of)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: no group condition."),
    )
    lodged_from = forms.DateField(label=_("Lodged on or after"), required=False, widget=DateInput())
    lodged_before = forms.DateField(label=_("Lodged before"), required=False, widget=DateInput())
    effect_note = forms.CharField(
        label=_("Note on the legal effect"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choices("kind", [(k.value, law_label("measure_kind", k.value)) for k in MeasureKind])
        self._choices(
            "legal_basis",
            [("", _("Choose the article…"))]
            + [
                (sid, f"{c.label} — {c.instrument}")
                for sid, c in load_sources().items()
                if c.kind in (SourceKind.STATUTE, SourceKind.CIRCULAR)
            ],
        )
        self._choices(
            "extension_ground",
            [("", "—")] + [(g, extension_ground_label(g)) for g in EXTENSION_GROUNDS],
        )
        nl = (get_language() or "en").startswith("nl")
        self._choices(
            "groups_any", [(g.id, g.name_nl if nl else g.name_en) for g in groups().values()]
        )

    def what_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in self.WHAT]

    def scope_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in self.SCOPE]

    def _choices(self, name: str, choices: list[tuple[str, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def clean_nationalities(self) -> list[str]:
        codes = [c for c in re.split(r"[\s,;]+", self.cleaned_data["nationalities"].upper()) if c]
        unknown = [c for c in codes if c not in country_codes()]
        if unknown:
            raise forms.ValidationError(
                _("Not an ISO 3166-1 alpha-3 code: %(codes)s"), params={"codes": ", ".join(unknown)}
            )
        return codes


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(
        label=_("Until (exclusive)"), required=False, widget=DateInput(), help_text=_("empty: open")
    )
    announced = forms.DateField(label=_("Announced on"), required=False, widget=DateInput())
    source_kind = forms.ChoiceField(
        label=_("Source kind"), choices=[(k.value, v) for k, v in SOURCE_KIND_LABELS.items()]
    )
    source_instrument = forms.CharField(label=_("Source (title)"), max_length=300, required=False)
    source_url = forms.URLField(
        label=_("Source (https link)"), required=False, assume_scheme="https"
    )
    source_status = forms.ChoiceField(
        label=_("Source status"),
        choices=[
            (Status.CONFIRMED.value, _("confirmed")),
            (Status.UNCONFIRMED.value, _("unconfirmed")),
        ],
    )

    def is_blank(self) -> bool:
        d = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return not any(
            d.get(k) for k in ("start", "until", "announced", "source_instrument", "source_url")
        )


class _BasePeriods(forms.BaseFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        if any(self.errors):
            return
        if not [f for f in self.forms if not f.is_blank()]:
            raise forms.ValidationError(_("A measure needs at least one period."))


PeriodFormSet = forms.formset_factory(PeriodForm, formset=_BasePeriods, extra=3, max_num=3)


def definition(form: MeasureForm, periods: Any) -> dict[str, Any]:
    """The measure in the measures.toml format (dates as ISO strings), from valid forms."""
    d = form.cleaned_data
    out: dict[str, Any] = {
        "id": d["id"],
        "kind": d["kind"],
        "title_en": d["title_en"],
        "title_nl": d["title_nl"],
        "title_ru": d["title_ru"],
        "title_uk": d["title_uk"],
        "effect_status": d["effect_status"],
        "legal_basis": d["legal_basis"],
    }
    if d.get("term_extension_months") is not None:
        out["term_extension_months"] = d["term_extension_months"]
    if d.get("extension_ground"):
        out["extension_ground"] = d["extension_ground"]
    if d.get("effect_note"):
        out["effect_note"] = d["effect_note"]
    scope: dict[str, Any] = {}
    for key in ("nationalities", "sexes", "groups_any"):
        if d.get(key):
            scope[key] = list(d[key])
    for key in ("age_min", "age_max"):
        if d.get(key) is not None:
            scope[key] = d[key]
    for key in ("lodged_from", "lodged_before"):
        if d.get(key):
            scope[key] = d[key].isoformat()
    if scope:
        out["scope"] = scope
    out["periods"] = []
    for p in periods.forms:
        if p.is_blank():
            continue
        pd = p.cleaned_data
        period: dict[str, Any] = {
            "source": {
                "kind": pd["source_kind"],
                "instrument": pd["source_instrument"],
                "url": pd["source_url"],
                "status": pd["source_status"],
            }
        }
        for key, name in (("from", "start"), ("until", "until"), ("announced", "announced")):
            if pd.get(name):
                period[key] = pd[name].isoformat()
        out["periods"].append(period)
    return out


def definition_digest(defn: dict[str, Any]) -> str:
    """A signed digest of a definition: the announcement must be of what was previewed."""
    raw = hashlib.sha256(json.dumps(defn, sort_keys=True).encode()).hexdigest()
    return Signer(salt="web.measure-preview").sign(raw)


def digest_matches(defn: dict[str, Any], signed: str) -> bool:
    return bool(signed) and signed == definition_digest(defn)


_PERIOD_FIELDS = {
    "from": "start",
    "until": "until",
    "announced": "announced",
    "source.kind": "source_kind",
    "source.instrument": "source_instrument",
    "source.url": "source_url",
    "source.status": "source_status",
}


def apply_measure_error(form: MeasureForm, periods: Any, key: str, message: str) -> None:
    """Put the law's rejection (``MeasureRejected.field``, e.g. ``scope.age_min``,
    ``periods[1].until``, ``periods[0].source.url``) on the field it names."""
    m = re.fullmatch(r"periods\[(\d+)\]\.(.+)", key)
    if m:
        index, rest = int(m.group(1)), m.group(2)
        filled = [p for p in periods.forms if not p.is_blank()]
        if index < len(filled) and rest in _PERIOD_FIELDS:
            filled[index].add_error(_PERIOD_FIELDS[rest], message)
            return
    name = key.removeprefix("scope.")
    if name in form.fields:
        form.add_error(name, message)
    else:
        form.add_error(None, f"{key}: {message}")
