"""Legal aid's form to ask a client for a mandate: the client's V-number, the lawyer, an
end if there is one. The service (``accounts.services.mandate_request``) checks the rest
and names the field it refuses."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from toevlucht.web.forms.events import DateInput

__all__ = ["MandateRequestForm"]


class MandateRequestForm(forms.Form):
    v_number = forms.CharField(
        label=_("The client's V-number"),
        max_length=12,
        help_text=_("10 digits, as the client gave it"),
        validators=[RegexValidator(r"^[0-9]{10}$", _("a V-number is 10 digits"))],
    )
    lawyer = forms.CharField(
        label=_("Lawyer"),
        max_length=200,
        required=False,
        help_text=_("empty: you"),
    )
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=DateInput(), help_text=_("empty: open")
    )

    def clean_v_number(self) -> str:
        return str(self.cleaned_data["v_number"]).strip()
