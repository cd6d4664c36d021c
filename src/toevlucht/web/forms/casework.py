"""Forms of the case's legal aid and reception: record a mandate as the authority receives
it, record a placement or a move. The services check permissions and the rules (one mandate
in force per organisation, dates in order, one open placement); their refusals come back on
the field they name."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from toevlucht.accounts.models import Organisation
from toevlucht.cases.models import ReceptionCentre
from toevlucht.web.forms.events import DateInput

__all__ = ["MandateForm", "PlacementForm", "RevokeForm"]


class MandateForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Legal-aid organisation"), queryset=Organisation.objects.none()
    )
    lawyer = forms.CharField(label=_("Lawyer"), max_length=200, required=False)
    consent_date = forms.DateField(
        label=_("Consent given on"),
        widget=DateInput(),
        help_text=_("the date of the applicant's authorisation, as the IND received it"),
    )
    valid_from = forms.DateField(
        label=_("Valid from"),
        required=False,
        widget=DateInput(),
        help_text=_("empty: the consent date"),
    )
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=DateInput(), help_text=_("empty: open")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organisation.objects.filter(kind=Organisation.Kind.LEGAL_AID).order_by(
            "name"
        )


class RevokeForm(forms.Form):
    revoked_on = forms.DateField(
        label=_("Ends on"), required=False, widget=DateInput(), help_text=_("empty: today")
    )


class PlacementForm(forms.Form):
    centre = forms.ModelChoiceField(
        label=_("Reception centre"), queryset=ReceptionCentre.objects.none()
    )
    start = forms.DateField(
        label=_("From"),
        widget=DateInput(),
        help_text=_("a move ends the current placement on this day"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["centre"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = ReceptionCentre.objects.order_by("name")
