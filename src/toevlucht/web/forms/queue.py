"""Filters of the work queue and the search box."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from toevlucht.accounts.models import User
from toevlucht.accounts.roles import AUTHORITY
from toevlucht.cases.countries import country_names, sort_key
from toevlucht.cases.models import ReceptionCentre
from toevlucht.law import Stage
from toevlucht.law.measures import groups
from toevlucht.law.regime import Regime
from toevlucht.measures.selectors import all_measures
from toevlucht.web.forms.widgets import QuickSelect
from toevlucht.web.labels import group_label, law_label
from toevlucht.web.selectors import SORTS, QueueFilters, nationalities

__all__ = ["AssignForm", "QueueFilterForm", "SearchForm", "colleagues"]


def colleagues(user: Any) -> list[User]:
    """The authority staff of ``user``'s organisation (whom cases can be assigned to)."""
    if getattr(user, "role", "") not in AUTHORITY or not getattr(user, "organisation_id", None):
        return []
    return list(
        User.objects.filter(
            organisation_id=user.organisation_id, role__in=AUTHORITY, is_active=True
        ).order_by("username")
    )


def _person(u: User) -> str:
    return u.get_full_name() or u.username


class QueueFilterForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), required=False, widget=QuickSelect)
    nationality = forms.ChoiceField(label=_("Nationality"), required=False, widget=QuickSelect)
    measure = forms.ChoiceField(label=_("Measure in force"), required=False, widget=QuickSelect)
    centre = forms.ModelChoiceField(
        label=_("Reception centre"),
        queryset=ReceptionCentre.objects.order_by("name"),
        required=False,
        empty_label=_("any"),
        widget=QuickSelect,
    )
    group = forms.ChoiceField(label=_("Group"), required=False, widget=QuickSelect)
    regime = forms.ChoiceField(
        label=_("Procedure regime"),
        required=False,
        choices=[
            ("", _("any")),
            ("vw2000", _("Vw 2000 (before 12 June 2026)")),
            ("apr", _("EU Pact (APR)")),
        ],
        widget=QuickSelect,
    )
    caseworker = forms.ChoiceField(label=_("Assigned to"), required=False, widget=QuickSelect)
    mine = forms.BooleanField(label=_("My cases"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    late = forms.BooleanField(label=_("Late or missing next step"), required=False)
    closed = forms.BooleanField(label=_("Closed cases too"), required=False)
    sort = forms.ChoiceField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        anyone = [("", _("any"))]
        self._set_choices("group", anyone + sorted((g, group_label(g)) for g in groups()))
        self.staff = staff = colleagues(user)  # whom cases can be assigned to
        if staff:
            self._set_choices(
                "caseworker",
                anyone + [("none", _("nobody"))] + [(str(u.pk), _person(u)) for u in staff],
            )
        else:  # legal aid: its clients are not assigned to it
            del self.fields["caseworker"]
            del self.fields["mine"]
        self._set_choices("sort", [("", "")] + [(k, k) for k in SORTS])
        self._set_choices(
            "regime", anyone + [(r.value, law_label("regime", r.value)) for r in Regime]
        )
        self._set_choices("stage", anyone + [(s.value, law_label("stage", s.value)) for s in Stage])
        lang = (get_language() or "en")[:2]
        names = country_names(lang)
        seen = sorted(
            ((n, names.get(n, n)) for n in nationalities(user)), key=lambda c: sort_key(c[1])
        )
        self._set_choices("nationality", anyone + seen)
        measures = sorted(all_measures().values(), key=lambda m: m.title(lang))
        self._set_choices("measure", anyone + [(m.id, m.title(lang)) for m in measures])

    def _set_choices(self, name: str, choices: list[tuple[str, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def filters(self) -> QueueFilters:
        """The validated filters; none when the form is invalid (its errors are shown)."""
        if not self.is_valid():
            return QueueFilters()
        d = self.cleaned_data
        who = d.get("caseworker") or ""
        return QueueFilters(
            stage=d["stage"],
            nationality=d["nationality"],
            measure=d["measure"],
            centre=d["centre"].pk if d["centre"] else None,
            overdue=d["overdue"],
            closed=d["closed"],
            group=d["group"],
            caseworker=int(who) if who.isdigit() else None,
            unassigned=who == "none",
            mine=self.user.pk if d.get("mine") and self.user is not None else None,
            late=d["late"],
            regime=d["regime"],
            sort=d["sort"],
        )


class AssignForm(forms.Form):
    """Assign the cases ticked in the queue to a colleague (or to nobody)."""

    cases = forms.TypedMultipleChoiceField(
        label=_("Cases"), coerce=int, error_messages={"required": _("Tick at least one case.")}
    )
    caseworker = forms.ChoiceField(label=_("Assign to"))

    def __init__(
        self, *args: Any, user: Any = None, case_ids: list[int] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cases = self.fields["cases"]
        assert isinstance(cases, forms.ChoiceField)
        cases.choices = [(str(pk), str(pk)) for pk in case_ids or []]
        who = self.fields["caseworker"]
        assert isinstance(who, forms.ChoiceField)
        who.choices = [("", "—"), ("none", _("nobody"))] + [
            (str(u.pk), _person(u)) for u in colleagues(user)
        ]
        self.staff = {u.pk: u for u in colleagues(user)}

    def assignee(self) -> User | None:
        who = self.cleaned_data["caseworker"]
        return None if who == "none" else self.staff[int(who)]


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, V-number or case reference"),
        max_length=200,
        help_text=_(
            "Latin, Cyrillic or Arabic script; spelling variants are found too (Dmitriy, "
            "Dmitrii, Дмитрий; Muravyov, Муравьёв)."
        ),
    )
