"""The forecasts' codes by name in the page's language: the backtest's targets, queues
(``"<regime>:<step>"``, :data:`toevlucht.forecasts.snapshot.QUEUE_NAMES`) and nationality
groups (a nationality, ``"other"`` or the pooled ``"all"``). A code this list does not know
is shown as it is."""

from __future__ import annotations

from django.utils.translation import gettext, gettext_lazy

from toevlucht.cases.countries import country_label

__all__ = ["group_label", "queue_label", "regime_label", "target_label"]

_TARGETS = {"decision": gettext_lazy("decision"), "next_step": gettext_lazy("next step")}
_REGIMES = {"vw2000": gettext_lazy("Vw 2000"), "apr": gettext_lazy("EU Pact (APR)")}
_STEPS = {
    "lodging": gettext_lazy("lodging"),
    "registration": gettext_lazy("registration"),
    "registration_interview": gettext_lazy("registration interview"),
    "general_procedure": gettext_lazy("start of the general procedure"),
    "decision": gettext_lazy("decision"),
}


def target_label(code: str) -> str:
    return str(_TARGETS.get(code, code))


def regime_label(code: str) -> str:
    return str(_REGIMES.get(code, code))


def queue_label(code: str) -> str:
    regime, _sep, step = code.partition(":")
    if regime not in _REGIMES or step not in _STEPS:
        return code
    return gettext("%(step)s (%(rules)s)") % {
        "step": _STEPS[step],
        "rules": _REGIMES[regime],
    }


def group_label(code: str) -> str:
    if code == "all":
        return gettext("all nationalities")
    if code == "other":
        return gettext("other nationalities")
    return country_label(code)
