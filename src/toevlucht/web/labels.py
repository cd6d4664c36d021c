"""Translatable names for the law engine's vocabulary on the staff pages: event kinds, their
data fields and choices. Stages, deadlines, statuses, remedies and measure kinds are named by
the law engine's own catalogue (``law.text.render_key``), in the page's language.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

from toevlucht.law import EventKind
from toevlucht.law.measures import groups
from toevlucht.law.model import EXTENSION_GROUNDS
from toevlucht.law.text import render_key

__all__ = [
    "CHOICE_LABELS",
    "EVENT_KIND_LABELS",
    "FIELD_LABELS",
    "choice_label",
    "event_kind_label",
    "extension_ground_label",
    "field_help",
    "field_label",
    "group_label",
    "language_label",
    "late_reason_label",
    "law_label",
    "sex_label",
]

EVENT_KIND_LABELS: dict[str, Promise] = {
    EventKind.ASYLUM_REQUESTED: _("Asylum requested (aanmelding)"),
    EventKind.APPLICATION_LODGED: _("Application lodged (indiening)"),
    EventKind.TRACK_ASSIGNED: _("Track assigned (spoor)"),
    EventKind.DUBLIN_RESPONSIBILITY_ESTABLISHED: _(
        "Netherlands responsible under the Dublin Regulation"
    ),
    EventKind.INTERVIEW_SCHEDULED: _("Interview scheduled"),
    EventKind.REGISTRATION_INTERVIEW_HELD: _("Registration interview held (aanmeldgehoor)"),
    EventKind.GENERAL_PROCEDURE_STARTED: _("General asylum procedure started"),
    EventKind.GENERAL_PROCEDURE_EXTENDED: _("General asylum procedure extended"),
    EventKind.DETAILED_INTERVIEW_HELD: _("Detailed interview held (nader gehoor)"),
    EventKind.INTENTION_ISSUED: _("Intention to refuse issued (voornemen)"),
    EventKind.VIEW_SUBMITTED: _("Written view submitted (zienswijze)"),
    EventKind.REFERRED_TO_EXTENDED_PROCEDURE: _("Referred to the extended procedure"),
    EventKind.DECISION_TERM_EXTENDED: _("Decision term extended (verlenging beslistermijn)"),
    EventKind.DECISION_NOTIFIED: _("Decision notified (beschikking)"),
    EventKind.NOTICE_OF_DEFAULT_RECEIVED: _("Notice of default received (ingebrekestelling)"),
    EventKind.APPEAL_LODGED: _("Appeal lodged (beroep)"),
    EventKind.COURT_RULING: _("Court ruling (uitspraak)"),
    EventKind.WITHDRAWN: _("Application withdrawn"),
    EventKind.RETRACTION: _("Retraction"),
    EventKind.APPLICATION_REGISTERED: _("Application registered (APR art. 27)"),
    EventKind.PROCEDURE_ASSIGNED: _("Procedure assigned (APR)"),
    EventKind.EURODAC_HIT: _("Eurodac hit"),
    EventKind.TRANSFER_REQUEST_SENT: _("Transfer request sent (Dublin / AMMR)"),
    EventKind.TRANSFER_REQUEST_ANSWERED: _("Transfer request answered"),
    EventKind.TRANSFER_PERIOD_EXTENDED: _("Transfer period extended"),
    EventKind.TRANSFERRED: _("Transferred to the responsible Member State"),
    EventKind.RESPONSIBILITY_ASSUMED: _("The Netherlands examines the application"),
}

FIELD_LABELS: dict[str, Promise] = {
    "to_other_authority": _("Made to another authority"),
    "track": _("Track"),
    "interview": _("Interview"),
    "scheduled_for": _("Scheduled for"),
    "days": _("Days added"),
    "ground": _("Ground"),
    "procedure": _("Procedure"),
    "months": _("Months"),
    "outcome": _("Outcome"),
    "refusal_ground": _("Refusal ground"),
    "against": _("Against"),
    "level": _("Court"),
    "decide_within_weeks": _("Decide within (weeks)"),
    "penalty_per_day_eur": _("Penalty per day (EUR)"),
    "penalty_max_eur": _("Penalty maximum (EUR)"),
    "member_state": _("Member State"),
    "request": _("Request"),
    "urgent": _("Urgent reply asked"),
    "answer": _("Answer"),
    "relocation": _("Relocation"),
    "granted_under": _("Granted under"),
    "no_suspensive_effect": _("Appeal does not suspend"),
    "interim_relief": _("Interim relief asked"),
}

# The law engine's help texts, so that the Dutch pages can translate them; a help text the
# law changes falls back to its own English.
FIELD_HELP: dict[str, Promise] = {
    "the request was made to an authority other than the IND, border or aliens police": _(
        "the request was made to an authority other than the IND, border or aliens police"
    ),
    "procedure days added (Vb 2000 art. 3.115(3))": _(
        "procedure days added (Vb 2000 art. 3.115(3))"
    ),
    "ground of Vb 2000 art. 3.115(2), for an extension after the start": _(
        "ground of Vb 2000 art. 3.115(2), for an extension after the start"
    ),
    "ISO 3166-1 alpha-3 code of a state bound by Dublin III / the AMMR, not NLD": _(
        "ISO 3166-1 alpha-3 code of a state bound by Dublin III / the AMMR, not NLD"
    ),
    "an urgent reply was asked (Dublin III art. 21(2))": _(
        "an urgent reply was asked (Dublin III art. 21(2))"
    ),
    "border procedure: the applicant is subject to relocation (Vw 2000 art. 3(6))": _(
        "border procedure: the applicant is subject to relocation (Vw 2000 art. 3(6))"
    ),
    "APR cases: the article the grant rests on (Vw 2000 art. 29, 29a)": _(
        "APR cases: the article the grant rests on (Vw 2000 art. 29, 29a)"
    ),
    "APR cases: the decision says an appeal does not suspend it (APR art. 68(3))": _(
        "APR cases: the decision says an appeal does not suspend it (APR art. 68(3))"
    ),
    "a request for interim relief (voorlopige voorziening) was lodged with it": _(
        "a request for interim relief (voorlopige voorziening) was lodged with it"
    ),
}

CHOICE_LABELS: dict[tuple[str, str], Promise] = {
    ("request", "take_charge"): _("take charge"),
    ("request", "take_back"): _("take back"),
    ("answer", "accepted"): _("accepted"),
    ("answer", "refused"): _("refused"),
    ("ground", "imprisonment"): _("imprisonment"),
    ("ground", "absconding"): _("absconding"),
    ("granted_under", "29"): _("art. 29: refugee status"),
    ("granted_under", "29a"): _("art. 29a: subsidiary protection"),
    ("outcome", "granted"): _("granted"),
    ("outcome", "refused"): _("refused"),
    ("outcome", "well_founded"): _("appeal well-founded"),
    ("outcome", "unfounded"): _("appeal unfounded"),
    ("outcome", "inadmissible"): _("appeal inadmissible"),
    ("against", "decision"): _("the decision"),
    ("against", "failure_to_decide"): _("the failure to decide in time"),
    ("level", "court"): _("district court"),
    ("level", "council_of_state"): _("Council of State (further appeal)"),
}
# The grounds a-g of Vb 2000 art. 3.115(2) by their citation
# (``general_procedure_extended.ground``); the grounds of a decision-term extension
# (``decision_term_extended.ground``) are named by the law's catalogue (``extension_ground``).
GP_GROUND_LABELS: dict[str, Promise] = {
    "a": _("Vb 2000 art. 3.115(2)(a)"),
    "b": _("Vb 2000 art. 3.115(2)(b)"),
    "c": _("Vb 2000 art. 3.115(2)(c)"),
    "d": _("Vb 2000 art. 3.115(2)(d)"),
    "e": _("Vb 2000 art. 3.115(2)(e)"),
    "f": _("Vb 2000 art. 3.115(2)(f)"),
    "g": _("Vb 2000 art. 3.115(2)(g)"),
}
for _ground, _name in GP_GROUND_LABELS.items():
    CHOICE_LABELS[("ground", _ground)] = _name
# Choices the law engine's catalogue names (field -> catalogue section).
LAW_CHOICES = {
    "track": "track",
    "interview": "interview",
    "refusal_ground": "refusal_ground",
    "procedure": "procedure",
}


SEX_LABELS: dict[str, Promise] = {
    "male": _("male"),
    "female": _("female"),
    "x": _("X (neither male nor female)"),
}


def sex_label(value: str) -> str:
    return str(SEX_LABELS.get(value, value)) if value else ""


# why the intake's duplicate check names a record as a candidate (cases.services.Candidate)
MATCH_LABELS: dict[str, Promise] = {
    "v_number": _("same V-number"),
    "name": _("similar name"),
    "birth_date": _("same birth date"),
    "nationality": _("same nationality"),
}


def match_labels(reasons: Any) -> str:
    """A candidate's reasons by name, in their order."""
    return ", ".join(str(MATCH_LABELS.get(r, r)) for r in reasons or ())


def language_label(code: str) -> str:
    """A language code (ISO 639-1) by its name in the page's language, with the code."""
    try:
        info = get_language_info(code)
    except KeyError:
        return code
    return f"{info['name_translated']} ({code})"


def _lang() -> str:
    return (get_language() or "en")[:2]


def law_label(section: str, value: str) -> str:
    """A name from the law engine's catalogue in the page's language (the value itself if
    the catalogue has none)."""
    if not value:
        return ""
    try:
        return render_key(f"{section}.{value}", _lang())
    except KeyError:
        return value


def late_reason_label(reason: str) -> str:
    """What the authority is late on (``CaseStatus.late_reason``): a deadline kind by its
    name in the law's catalogue, or the registration interview not yet held."""
    if reason == "registration_interview":
        return str(_("no registration interview yet"))
    return law_label("deadline", reason)


def event_kind_label(kind: str) -> str:
    return str(EVENT_KIND_LABELS.get(kind, kind))


def field_label(name: str) -> str:
    return str(FIELD_LABELS.get(name, name.replace("_", " ")))


def field_help(text: str) -> str:
    return str(FIELD_HELP.get(text, text))


def choice_label(name: str, value: Any) -> str:
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if name in LAW_CHOICES:
        return law_label(LAW_CHOICES[name], str(value))
    if name == "ground" and str(value) in EXTENSION_GROUNDS:
        return extension_ground_label(str(value))
    return str(CHOICE_LABELS.get((name, str(value)), value))


def extension_ground_label(ground: str) -> str:
    """A decision-term extension's ground (``42(4)(b)``) by its article and meaning, from
    the law's catalogue (``extension_ground``) in the page's language."""
    return law_label("extension_ground", ground)


def group_label(group_id: str) -> str:
    """An applicant group's name (law/data/nl/measures.toml) in the page's language: Dutch
    on Dutch pages, else English."""
    g = groups().get(group_id)
    if g is None:
        return group_id
    return g.name_nl if _lang() == "nl" else g.name_en
