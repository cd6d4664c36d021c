"""Forms of the authority's letters to the applicant: the wording in Dutch and in his
language, and for an interview invitation its time and place. The law's part of the letter
(which extension, which interview, which dates) is not a field: it comes from the
assessment."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

__all__ = ["ApplicantLetterForm", "InvitationForm"]

BODY_MAX = 5000


class ApplicantLetterForm(forms.Form):
    """``language``: the letter's second language ("" for a Dutch-only letter) and
    ``language_name`` its name, for the label of its text."""

    sender_reference = forms.CharField(label=_("Our reference"), max_length=60, required=False)
    body_nl = forms.CharField(
        label=_("Text in Dutch (paragraphs separated by an empty line)"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 8, "lang": "nl"}),
    )

    def __init__(self, *args: Any, language: str = "", language_name: str = "", **kw: Any):
        super().__init__(*args, **kw)
        self.language = language
        if language:
            self.fields["body_other"] = forms.CharField(
                label=_("Text in %(language)s (paragraphs separated by an empty line)")
                % {"language": language_name},
                max_length=BODY_MAX,
                widget=forms.Textarea(attrs={"rows": 8, "lang": language}),
            )

    def bodies(self) -> dict[str, str]:
        d = self.cleaned_data
        out = {"nl": d["body_nl"]}
        if self.language:
            out[self.language] = d["body_other"]
        return out


class InvitationForm(ApplicantLetterForm):
    time = forms.TimeField(
        label=_("Time of the interview"),
        help_text=_("HH:MM, e.g. 10:30"),
        input_formats=["%H:%M"],
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
    )
    place = forms.CharField(
        label=_("Place of the interview"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    field_order = ["time", "place", "sender_reference", "body_nl", "body_other"]
