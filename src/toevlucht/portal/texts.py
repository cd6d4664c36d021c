"""Plain-language texts of the portal that depend on a value of the law's vocabulary (a
stage, an event kind, a kind of measure): what it means and what to prepare.

They explain words; they hold no rule of law. Numbers and dates never appear here: they come
from the law engine's assessment. Every text is a whole sentence, so translators can reorder
it (``docs/portal.md``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from toevlucht.portal.formatting import format_day

__all__ = [
    "ALWAYS_PREPARE",
    "APR_EXPLAINED",
    "DUBLIN_EXPLAINED",
    "MEASURE_AFTER",
    "MEASURE_WHAT",
    "PREPARE",
    "STAGE_EXPLAINED",
    "event_text",
]


STAGE_EXPLAINED: dict[str, list[Any]] = {
    "none": [gettext_lazy("There is no information about your case yet.")],
    "requested": [
        gettext_lazy("You have said that you want asylum in the Netherlands."),
        gettext_lazy("The IND still has to register your application."),
    ],
    "registration": [
        gettext_lazy("The IND has registered your asylum application."),
        gettext_lazy(
            "The next step is a short interview: the registration interview. The IND asks "
            "who you are, about your family and how you travelled."
        ),
        gettext_lazy("The detailed questions about why you fled come later, in another interview."),
    ],
    "rest_period": [
        gettext_lazy("Your registration interview is done."),
        gettext_lazy("Now you have time to rest and to prepare, together with your lawyer."),
        gettext_lazy("After this period the general asylum procedure starts."),
    ],
    "general_procedure": [
        gettext_lazy(
            "The general asylum procedure has started. It has a few days with fixed steps."
        ),
        gettext_lazy("In the detailed interview you tell the IND why you fled."),
        gettext_lazy(
            "After that the IND decides, or it takes more time in the extended procedure."
        ),
    ],
    "extended_procedure": [
        gettext_lazy("The IND needs more time to look at your application."),
        gettext_lazy("Your case is now in the extended asylum procedure."),
    ],
    "decided": [
        gettext_lazy("The IND has decided on your application."),
        gettext_lazy(
            "Read the decision with your lawyer. If you do not agree, you can go to court."
        ),
    ],
    "appeal": [gettext_lazy("You have appealed to the court. The court will decide.")],
    "appeal_decided": [
        gettext_lazy("The court has decided on your appeal."),
        gettext_lazy("A further appeal to the Council of State is possible. Talk to your lawyer."),
    ],
    "further_appeal": [
        gettext_lazy("Your case is at the Council of State, the highest court for asylum cases."),
        gettext_lazy("The Council of State will decide."),
    ],
    "final": [
        gettext_lazy("The decision on your application is final."),
        gettext_lazy("Talk to your lawyer or to VluchtelingenWerk about what this means for you."),
    ],
    "withdrawn": [gettext_lazy("Your asylum application has been withdrawn.")],
    "registered": [
        gettext_lazy("The IND has registered your application for protection."),
        gettext_lazy(
            "Next you lodge the application: you hand it in formally. That must be possible "
            "within the time limit on the page “By when”."
        ),
    ],
    "examination": [
        gettext_lazy("Your application has been lodged. The IND is examining it."),
        gettext_lazy(
            "Under the new rules there is no registration interview and no intention to "
            "refuse: after a personal interview about why you fled, the IND decides."
        ),
    ],
    "transferred": [
        gettext_lazy(
            "You have been transferred to the European country that is responsible for your "
            "application. That country now deals with it."
        )
    ],
}

# Added to the stage's explanation for an application under the new European rules.
APR_EXPLAINED = [
    gettext_lazy(
        "Your application falls under the new European asylum rules of the EU Pact on "
        "Migration and Asylum."
    ),
]

# Added for a case on the Dublin track: the transfer clock and what it means.
DUBLIN_EXPLAINED = [
    gettext_lazy(
        "Another European country may be responsible for your application (the Dublin "
        "procedure). The IND can ask that country to take you over."
    ),
    gettext_lazy(
        "Each step has a time limit: the request, the answer and the transfer. The dates are "
        "on the page “By when”."
    ),
    gettext_lazy(
        "If the Netherlands does not transfer you in time, the Netherlands becomes "
        "responsible for your application. Ask your lawyer to check these dates."
    ),
]

_DOCUMENTS = gettext_lazy(
    "Keep every document that shows who you are or why you left: for example your "
    "passport, military papers, a call-up or messages you received."
)
_JOURNEY = gettext_lazy("Write down the important dates and places of your journey.")
_HEALTH = gettext_lazy(
    "If you are ill or something bad happened to you, tell your lawyer or the nurse."
)
_EVIDENCE = gettext_lazy(
    "Collect evidence of what happened to you: documents, photos, messages. Give copies to "
    "your lawyer."
)
_INTERPRETER = gettext_lazy(
    "Tell the IND straight away if you do not understand the interpreter well."
)
_REPORT = gettext_lazy(
    "After an interview, read the report carefully with your lawyer. You can correct it "
    "and add to it."
)
_DECISION = gettext_lazy(
    "Read the decision with your lawyer. Check the deadline on the page “By when”."
)
_LAWYER = gettext_lazy("Stay in touch with your lawyer and answer letters quickly.")

PREPARE: dict[str, list[Any]] = {
    "none": [_DOCUMENTS],
    "requested": [_DOCUMENTS, _JOURNEY, _HEALTH],
    "registration": [_DOCUMENTS, _JOURNEY, _HEALTH, _INTERPRETER],
    "rest_period": [
        gettext_lazy("Meet your lawyer and go through your story together."),
        _EVIDENCE,
        _HEALTH,
        _INTERPRETER,
    ],
    "general_procedure": [_REPORT, _INTERPRETER, _EVIDENCE],
    "extended_procedure": [
        _REPORT,
        gettext_lazy(
            "If the IND sends an intention to refuse, your lawyer can answer it in writing. "
            "The deadline is on the page “By when”."
        ),
        _EVIDENCE,
    ],
    "decided": [_DECISION],
    "appeal": [_LAWYER],
    "appeal_decided": [_DECISION, _LAWYER],
    "further_appeal": [_LAWYER],
    "final": [_LAWYER],
    "withdrawn": [_LAWYER],
    "registered": [_DOCUMENTS, _JOURNEY, _HEALTH],
    "examination": [_DOCUMENTS, _EVIDENCE, _INTERPRETER, _REPORT],
    "transferred": [_LAWYER],
}

ALWAYS_PREPARE: list[Any] = [
    gettext_lazy("Tell your lawyer and the COA when your address or phone number changes."),
]

MEASURE_WHAT: dict[str, Any] = {
    "decision_moratorium": gettext_lazy(
        "A decision moratorium means: for a while, the IND as a rule does not decide on the "
        "asylum applications of a group, because the situation in their country is unclear. "
        "The IND also gets more time to decide."
    ),
    "departure_moratorium": gettext_lazy(
        "A departure moratorium means: for a while, people of a group are not sent back to "
        "their country, and their reception does not end because of a refusal."
    ),
    "decision_stop": gettext_lazy(
        "A decision stop is a pause on decisions for a group of applicants that the IND announces."
    ),
    "general_term_extension": gettext_lazy(
        "A general extension means: the government gives the IND more time to decide on many "
        "applications at once."
    ),
}

MEASURE_AFTER: dict[str, Any] = {
    "decision_moratorium": gettext_lazy(
        "When the moratorium ends, the IND decides again on the applications of this group. "
        "The government can also extend it. The date on the page “By when” already counts "
        "the extra time."
    ),
    "departure_moratorium": gettext_lazy(
        "When it ends, the usual rules about leaving the Netherlands apply again. The "
        "government can also extend it."
    ),
    "decision_stop": gettext_lazy(
        "When the pause ends, the IND decides again. The date on the page “By when” shows "
        "whether it changes your deadline."
    ),
    "general_term_extension": gettext_lazy(
        "The date on the page “By when” shows whether this extension counts for you."
    ),
}

INTERVIEW = {
    "registration": pgettext_lazy("interview", "registration interview (aanmeldgehoor)"),
    "detailed": pgettext_lazy("interview", "detailed interview (nader gehoor)"),
}

_TRACK = {
    "general": gettext_lazy("the general asylum procedure"),
    "dublin": gettext_lazy("the Dublin procedure: another European country may be responsible"),
    "safe_country": gettext_lazy(
        "the procedure for a safe country of origin or protection elsewhere"
    ),
}


def event_text(kind: str, day: dt.date, data: dict[str, Any], lang: str) -> str:
    """One line of the history, a whole sentence in the active language."""
    d = format_day(day, lang)
    if kind == "interview_scheduled":
        when = {"when": format_day(data.get("scheduled_for"), lang)}
        if data.get("interview") == "detailed":
            return _("Detailed interview (nader gehoor) planned for %(when)s.") % when
        return _("Registration interview (aanmeldgehoor) planned for %(when)s.") % when
    if kind == "decision_notified":
        if data.get("outcome") == "granted":
            return _("The IND granted your application (decision given on %(date)s).") % {"date": d}
        return _("The IND refused your application (decision given on %(date)s).") % {"date": d}
    if kind == "court_ruling":
        texts = {
            "well_founded": _("The court agreed with you (beroep gegrond)."),
            "unfounded": _("The court did not agree with you (beroep ongegrond)."),
            "inadmissible": _("The court did not deal with the appeal (niet-ontvankelijk)."),
        }
        return texts.get(data.get("outcome", ""), _("The court gave a ruling."))
    if kind == "appeal_lodged":
        if data.get("against") == "failure_to_decide":
            return _("An appeal was lodged because the IND did not decide in time.")
        if data.get("level") == "council_of_state":
            return _("A further appeal was lodged with the Council of State.")
        return _("An appeal against the decision was lodged with the court.")
    if kind == "track_assigned":
        return _("Your case was put in %(track)s.") % {
            "track": _TRACK.get(data.get("track", ""), _TRACK["general"])
        }
    simple = {
        "application_registered": _("Your application was registered."),
        "procedure_assigned": _("The IND chose the procedure for your application."),
        "eurodac_hit": _(
            "Your fingerprints were found in Eurodac: another European country may be responsible."
        ),
        "transfer_request_sent": _(
            "The IND asked another European country to take over your application."
        ),
        "transfer_request_answered": _("The other European country answered the request."),
        "transfer_period_extended": _("The time limit for your transfer was extended."),
        "transferred": _("You were transferred to the responsible European country."),
        "responsibility_assumed": _("The Netherlands deals with your application itself."),
        "asylum_requested": _("You asked for asylum (aanmelding)."),
        "application_lodged": _("Your asylum application was lodged (registratie)."),
        "dublin_responsibility_established": _(
            "It was established that the Netherlands handles your application (Dublin)."
        ),
        "registration_interview_held": _("Registration interview (aanmeldgehoor)."),
        "general_procedure_started": _("The general asylum procedure started."),
        "general_procedure_extended": _("The general asylum procedure was made longer."),
        "detailed_interview_held": _("Detailed interview about why you fled (nader gehoor)."),
        "intention_issued": _("The IND sent an intention to refuse (voornemen)."),
        "view_submitted": _("Your written answer to the intention was sent (zienswijze)."),
        "referred_to_extended_procedure": _("Your case moved to the extended procedure."),
        "decision_term_extended": _("The IND gave itself more time to decide."),
        "notice_of_default_received": _(
            "The IND received a notice of default (ingebrekestelling)."
        ),
        "withdrawn": _("The application was withdrawn."),
    }
    return simple.get(kind, _("A step in your case."))


# --- the estimate of "when" (toevlucht.forecasts) ---------------------------------------------

# The step a case waits for, by the event that ends the wait.
NEXT_STEP: dict[str, Any] = {
    "application_lodged": gettext_lazy("the lodging of your application"),
    "application_registered": gettext_lazy("the registration of your application"),
    "registration_interview_held": gettext_lazy("your registration interview"),
    "general_procedure_started": gettext_lazy("the start of the general asylum procedure"),
    "decision_notified": gettext_lazy("the decision on your application"),
}

# Why there is no estimate, in words an applicant understands.
NO_ESTIMATE: dict[str, Any] = {
    "dublin": gettext_lazy(
        "The IND first asks another European country whether it must handle your application. "
        "How long that takes depends on that country's answer."
    ),
    "moratorium_open_ended": gettext_lazy(
        "The IND has stopped deciding on applications like yours for now, and it has not said "
        "until when."
    ),
    "set_aside": gettext_lazy(
        "Applications that came after yours have gone ahead of it. Your case does not follow "
        "the usual order, so we cannot say when it will be your turn. You can ask the IND why."
    ),
    "no_pace": gettext_lazy(
        "In the last months no case took this step, so there is nothing to estimate from."
    ),
    "beyond_horizon": gettext_lazy(
        "At the pace of the last months, the IND would need more than three years."
    ),
    "backtest_failed": gettext_lazy(
        "We checked such estimates against what really happened in the past, and too many "
        "were wrong. We would rather show none than a wrong one."
    ),
    "backtest_too_few": gettext_lazy(
        "There are not yet enough earlier cases like yours to check whether an estimate "
        "would be right."
    ),
    "no_backtest": gettext_lazy("The estimates have not been checked against the past yet."),
    "stale": gettext_lazy(
        "Something new was recorded in your case. A new estimate is made at the next update."
    ),
    "not_computed": gettext_lazy("No estimate has been made for your case yet."),
    "history_error": gettext_lazy("Your case file needs a correction by the IND first."),
    "not_in_chain": gettext_lazy("Your case is at a step we cannot estimate."),
}
