"""The notice of default (ingebrekestelling): a Dutch letter from legal aid to the authority
that has not decided in time, as a PDF (WeasyPrint).

Every date and every legal source in it comes from the law engine's assessment of the case
(``cases.services.assessment_for`` in Dutch): the lodging date and the end of the decision
term with the steps that produced it, and the remedies with their sources. The template
holds only the wording of the letter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import translation

from toevlucht.accounts.models import User
from toevlucht.cases.countries import country_label
from toevlucht.cases.models import Application
from toevlucht.law import AssessmentView, DeadlineKind, RemedyKind
from toevlucht.law.params import value
from toevlucht.law.view import RemedyLine, StepLine
from toevlucht.letters.citing import NoSignatory, Source, signatory_name, source_on
from toevlucht.letters.pdf import letter_pdf

__all__ = [
    "FOLLOW_UP_REMEDIES",
    "OPEN_FOR_ASYLUM",
    "LetterUnavailable",
    "NoSignatory",
    "NoticeOfDefault",
    "Source",
    "notice_of_default",
    "notice_of_default_html",
    "notice_of_default_pdf",
    "notice_of_default_text",
]

# The remedies that follow a notice of default, shown in the letter in this order.
FOLLOW_UP_REMEDIES = (
    RemedyKind.APPEAL_FAILURE_TO_DECIDE,
    RemedyKind.ADMINISTRATIVE_PENALTY,
    RemedyKind.COURT_PENALTY,
)

# The law's flag saying whether each remedy is open for asylum decisions on a day.
OPEN_FOR_ASYLUM = {
    RemedyKind.APPEAL_FAILURE_TO_DECIDE: "appeal_failure_to_decide_for_asylum",
    RemedyKind.ADMINISTRATIVE_PENALTY: "administrative_penalty_for_asylum",
    RemedyKind.COURT_PENALTY: "court_penalty_for_asylum",
}


class LetterUnavailable(Exception):
    """The assessment does not (yet) open the remedy the letter is for."""


@dataclass(frozen=True)
class NoticeOfDefault:
    """What the letter says, taken from the case and its assessment."""

    reference: str
    v_number: str
    client_name: str
    client_name_original: str
    birth_date: dt.date | None
    nationality: str  # by its name in Dutch (cases.countries)
    authority: str
    sender_name: str
    sender_organisation: str
    sender_address: str
    sender_phone: str
    sender_email: str
    sender_reference: str
    authority_address: str
    as_of: dt.date
    lodged_on: dt.date | None
    decision_due: dt.date
    decision_steps: tuple[StepLine, ...]
    basis_steps: tuple[StepLine, ...]
    follow_up: list[RemedyLine]
    demand_weeks: int  # Awb 6:12(2)(b): the wait after the notice, from the law's data
    appeal_announced: bool  # the law on the letter's date allows the appeal (Awb 6:12)
    sources: list[Source] = field(default_factory=list)
    body: str = ""  # the paragraphs the sender may edit; empty: notice_of_default_text

    @property
    def paragraphs(self) -> list[str]:
        text = self.body or notice_of_default_text(self)
        return [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def _sources(step_lists: Sequence[Sequence[StepLine]], day: dt.date) -> list[Source]:
    """The letter's sources, each linked to the version in force on the letter's ``day``
    as far as the law's data records it (``letters.citing``)."""
    seen: dict[str, Source] = {}
    for steps in step_lists:
        for s in steps:
            if s.source and s.source not in seen:
                seen[s.source] = source_on(s.source, s.citation, s.source_url, day)
    return list(seen.values())


def notice_of_default(
    *,
    application: Application,
    assessment: AssessmentView | None,
    sender: User,
    sender_reference: str = "",
    body: str = "",
    signatory: str = "",
) -> NoticeOfDefault:
    """The letter's content. ``assessment`` is the case's assessment in Dutch; it is signed
    with ``signatory`` if given, else the sender's name (``letters.citing.signatory_name``;
    never his login name: without either the letter has no PDF).

    Raises:
        LetterUnavailable: there is no assessment, it has no decision term, or a notice of
            default is not available on its date (the term has not passed, or the authority
            decided).
    """
    decision = assessment.deadline(DeadlineKind.DECISION) if assessment else None
    notice = assessment.remedy(RemedyKind.NOTICE_OF_DEFAULT) if assessment else None
    if assessment is None or decision is None or notice is None or not notice.available:
        on = assessment.as_of.isoformat() if assessment else "this day"
        raise LetterUnavailable(
            f"a notice of default is not available for this case on {on}: "
            "the decision term has not passed"
        )
    # Only what the law on the letter's date opens: a remedy that is excluded (the Awb
    # penalty for asylum decisions, Vw 71b) is left out, not announced as excluded.
    follow_up = [
        r
        for k in FOLLOW_UP_REMEDIES
        if (r := assessment.remedy(k)) is not None
        and bool(value(OPEN_FOR_ASYLUM[k], assessment.as_of).value)
    ]
    wait = value("appeal_failure_to_decide_wait_weeks", assessment.as_of)
    allowed = value("appeal_failure_to_decide_for_asylum", assessment.as_of)
    applicant = application.applicant
    org = sender.organisation
    return NoticeOfDefault(
        reference=application.reference,
        v_number=applicant.v_number,
        client_name=applicant.display_name,
        client_name_original=f"{applicant.given_names} {applicant.family_name}",
        birth_date=applicant.birth_date,
        nationality=country_label(applicant.nationality, "nl"),
        authority=application.organisation.name,
        sender_name=signatory_name(sender, signatory),
        sender_organisation=org.name if org else "",
        sender_address=org.postal_address if org else "",
        sender_phone=org.phone if org else "",
        sender_email=sender.email,
        sender_reference=sender_reference,
        authority_address=application.organisation.postal_address,
        as_of=assessment.as_of,
        lodged_on=decision.start,
        decision_due=decision.due,
        decision_steps=decision.steps,
        basis_steps=notice.steps,
        follow_up=follow_up,
        demand_weeks=int(wait.value),
        appeal_announced=bool(allowed.value),
        sources=_sources(
            [decision.steps, notice.steps] + [r.steps for r in follow_up], assessment.as_of
        ),
        body=body,
    )


_WEEKS_NL = {1: "één week", 2: "twee weken", 3: "drie weken", 4: "vier weken"}


def notice_of_default_text(letter: NoticeOfDefault) -> str:
    """The paragraphs of the letter the sender may edit before the PDF is made: the notice,
    the demand to decide within the law's waiting period, and — where the law on the
    letter's date allows it — the announcement of an appeal against failure to decide."""
    weeks = _WEEKS_NL.get(letter.demand_weeks, f"{letter.demand_weeks} weken")
    parts = [
        f"Namens mijn cliënt, {letter.client_name}, stel ik u hierbij in gebreke omdat u niet "
        "tijdig hebt beslist op de asielaanvraag van mijn cliënt.",
        f"Ik verzoek u binnen {weeks} na de dag waarop u deze brief ontvangt alsnog een "
        "besluit op de aanvraag bekend te maken.",
    ]
    if letter.appeal_announced:
        parts.append(
            f"Beslist u niet binnen die {weeks}, dan stel ik namens mijn cliënt zonder "
            "nadere aankondiging beroep in bij de rechtbank wegens het niet tijdig nemen "
            "van een besluit (artikel 6:12 van de Algemene wet bestuursrecht)."
        )
    return "\n\n".join(parts)


def notice_of_default_html(letter: NoticeOfDefault) -> str:
    with translation.override("nl"):
        return render_to_string("letters/notice_of_default.html", {"letter": letter})


def notice_of_default_pdf(letter: NoticeOfDefault) -> bytes:
    """The letter as a tagged PDF (PDF/UA-1, ``letters.pdf``).

    Raises:
        NoSignatory: the letter has no signatory's name.
    """
    if not letter.sender_name:
        raise NoSignatory("the notice of default has no signatory's name")
    return letter_pdf(notice_of_default_html(letter))
