from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from toevlucht.analysis.services import MAX_REPLICATIONS
from toevlucht.sim import bundled_scenarios


def _choices() -> list[tuple[str, str]]:
    return [(name, name) for name in bundled_scenarios()]


class RunForm(forms.Form):
    scenario = forms.ChoiceField(label=_("Bundled scenario"), choices=_choices, required=False)
    upload = forms.FileField(label=_("… or upload a scenario file (TOML)"), required=False)
    compare = forms.MultipleChoiceField(
        label=_("Compare with"),
        choices=_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    replications = forms.IntegerField(
        label=_("Replications"), min_value=1, max_value=MAX_REPLICATIONS, initial=200
    )
    seed = forms.IntegerField(label=_("Random seed"), min_value=0, initial=0)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not data.get("scenario") and not data.get("upload"):
            raise forms.ValidationError(_("Choose a bundled scenario or upload a file."))
        return data
