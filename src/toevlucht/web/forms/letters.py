"""Forms of the authority's letters to the applicant: the wording in Dutch and in his
language, and for an interview invitation its time and place. The law's part of the letter
(which extension, which interview, which dates) is not a field: it comes from the
assessment."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

__all__ = ["ApplicantLetterForm", "InvitationForm", "add_signatory"]

BODY_MAX = 5000


def add_signatory(form: forms.Form, ask: bool) -> None:
    """A letter is signed with a person's name, never a login name: when the user's account
    has no first or last name (``ask``), the form asks for the signatory's name, required
    (an empty one is a field error)."""
    if ask:
        form.fields["signatory"] = forms.CharField(
            label=_("Name of the signatory"),
            help_text=_("Your account has no name: type the name the letter is signed with."),
            max_length=150,
            error_messages={"required": _("Type the name the letter is signed with.")},
        )


class ApplicantLetterForm(forms.Form):
    """``language``: the letter's second language ("" for a Dutch-only letter) and
    ``language_name`` its name, for the label of its text; ``ask_signatory``: the user has
    no name, so the form asks whose name signs the letter (:func:`add_signatory`)."""

    field_order = ["signatory", "sender_reference", "body_nl", "body_other"]

    sender_reference = forms.CharField(label=_("Our reference"), max_length=60, required=False)
    body_nl = forms.CharField(
        label=_("Text in Dutch (paragraphs separated by an empty line)"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 8, "lang": "nl"}),
    )

    def __init__(
        self,
        *args: Any,
        language: str = "",
        language_name: str = "",
        ask_signatory: bool = False,
        **kw: Any,
    ):
        super().__init__(*args, **kw)
        self.language = language
        add_signatory(self, ask_signatory)
        if language:
            self.fields["body_other"] = forms.CharField(
                label=_("Text in %(language)s (paragraphs separated by an empty line)")
                % {"language": language_name},
                max_length=BODY_MAX,
                widget=forms.Textarea(attrs={"rows": 8, "lang": language}),
            )
        self.order_fields(self.field_order)

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

    field_order = ["time", "place", "signatory", "sender_reference", "body_nl", "body_other"]
