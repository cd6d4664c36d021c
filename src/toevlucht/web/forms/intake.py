"""Forms of the intake: register an applicant (with the duplicate check's reason) and open
an application. They parse; the rules are the services': the applicant form asks
:func:`~toevlucht.cases.services.applicant_field_errors` for every wrong field at once, and the
views put a service's refusal on the field it names."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from toevlucht.cases.countries import country_names, sort_key
from toevlucht.cases.services import applicant_field_errors
from toevlucht.law.measures import groups
from toevlucht.law.model import country_codes
from toevlucht.web.forms.queue import colleagues
from toevlucht.web.forms.widgets import QuickSelect
from toevlucht.web.labels import group_label

__all__ = ["ApplicantForm", "OpenCaseForm"]


class NationalityField(forms.ChoiceField):
    """The law's nationality codes by their names, sorted by name; the code sent is checked
    by the service (``applicant_register``), which names the field as for every other."""

    def valid_value(self, value: Any) -> bool:
        return True


class ApplicantForm(forms.Form):
    v_number = forms.CharField(label=_("V-number"), max_length=12, help_text=_("10 digits"))
    given_names = forms.CharField(
        label=_("Given names (original script)"), max_length=200, required=False
    )
    family_name = forms.CharField(
        label=_("Family name (original script)"), max_length=200, required=False
    )
    given_names_latin = forms.CharField(
        label=_("Given names (Latin)"), max_length=200, required=False
    )
    family_name_latin = forms.CharField(label=_("Family name (Latin)"), max_length=200)
    birth_date = forms.CharField(
        label=_("Birth date"),
        max_length=10,
        required=False,
        help_text=_("YYYY-MM-DD, or YYYY-MM or YYYY when only that is known; empty: unknown"),
    )
    nationality = NationalityField(label=_("Nationality"), widget=QuickSelect)
    sex = forms.ChoiceField(
        label=_("Sex"),
        required=False,
        choices=[("", _("unknown")), ("male", _("male")), ("female", _("female")), ("x", "X")],
    )
    languages = forms.CharField(
        label=_("Languages"),
        max_length=60,
        required=False,
        help_text=_("ISO 639-1 codes separated by commas, e.g. ru, en"),
    )
    groups = forms.MultipleChoiceField(
        label=_("Groups"), required=False, widget=forms.CheckboxSelectMultiple
    )
    duplicate_reason = forms.CharField(
        label=_("Why a second record is made anyway"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, show_reason: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["groups"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = sorted((g, group_label(g)) for g in groups())
        names = country_names()
        nationality = self.fields["nationality"]
        assert isinstance(nationality, forms.ChoiceField)
        by_name = sorted(
            ((c, names.get(c, c)) for c in country_codes()), key=lambda c: sort_key(c[1])
        )
        nationality.choices = [("", "—"), *by_name]
        if not show_reason:
            self.fields["duplicate_reason"].widget = forms.HiddenInput()

    def clean(self) -> dict[str, Any]:
        """Every field the service would refuse, at once (not one per submission)."""
        cleaned = super().clean() or {}
        values = self.values(partial=True)
        del values["duplicate_reason"]
        errors = applicant_field_errors(**values)
        for field_name, message in errors.items():
            name = "groups" if field_name == "applicant_groups" else field_name
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)
        return cleaned

    def values(self, partial: bool = False) -> dict[str, Any]:
        """The service's arguments; ``partial``: from the fields that parsed (the others
        empty), while the form is cleaned."""
        d: Any = self.cleaned_data
        if partial:
            d = {f: self.cleaned_data.get(f, [] if f == "groups" else "") for f in self.fields}
        langs = [x.strip().lower() for x in d["languages"].split(",") if x.strip()]
        return {
            "v_number": d["v_number"],
            "given_names": d["given_names"],
            "family_name": d["family_name"],
            "given_names_latin": d["given_names_latin"],
            "family_name_latin": d["family_name_latin"],
            "birth_date": d["birth_date"],
            "nationality": d["nationality"].strip().upper(),
            "sex": d["sex"],
            "languages": langs,
            "applicant_groups": d["groups"],
            "duplicate_reason": d["duplicate_reason"],
        }


class OpenCaseForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Application"),
        choices=[("first", _("first application")), ("subsequent", _("subsequent application"))],
    )
    caseworker = forms.ChoiceField(label=_("Caseworker"), required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.staff = {u.pk: u for u in colleagues(user)}
        field = self.fields["caseworker"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("nobody yet"))] + [
            (str(u.pk), u.get_full_name() or u.username) for u in self.staff.values()
        ]
        if user is not None and user.pk in self.staff:
            self.initial.setdefault("caseworker", str(user.pk))

    def assignee(self) -> Any:
        who = self.cleaned_data["caseworker"]
        return self.staff[int(who)] if who else None
