"""The notice of default (ingebrekestelling): a Dutch letter from legal aid to the authority
that has not decided in time, as a PDF (WeasyPrint).

Every date and every legal source in it comes from the law engine's assessment of the case
(``cases.services.assessment_for`` in Dutch): the lodging date and the end of the decision
term with the steps that produced it, and the remedies with their sources. The template
holds only the wording of the letter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from toevlucht.accounts.models import User
from toevlucht.cases.models import Application

__all__ = [
    "FOLLOW_UP_REMEDIES",
    "LetterUnavailable",
    "NoticeOfDefault",
    "notice_of_default",
    "notice_of_default_html",
    "notice_of_default_pdf",
]

CSS = Path(__file__).with_name("letter.css")
# The remedies that follow a notice of default, shown in the letter in this order.
FOLLOW_UP_REMEDIES = ("appeal_failure_to_decide", "administrative_penalty", "court_penalty")


class LetterUnavailable(Exception):
    """The assessment does not (yet) open the remedy the letter is for."""


@dataclass(frozen=True)
class Source:
    label: str
    url: str | None


@dataclass(frozen=True)
class NoticeOfDefault:
    """What the letter says, taken from the case and its assessment."""

    reference: str
    v_number: str
    client_name: str
    client_name_original: str
    birth_date: dt.date | None
    nationality: str
    authority: str
    sender_name: str
    sender_organisation: str
    as_of: dt.date
    lodged_on: dt.date | None
    decision_due: dt.date
    decision_steps: list[dict[str, Any]]
    basis_steps: list[dict[str, Any]]
    follow_up: list[dict[str, Any]]
    sources: list[Source] = field(default_factory=list)


def _day(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        return dt.date.fromisoformat(value)
    return None


def _sources(step_lists: Sequence[Sequence[Mapping[str, Any]]]) -> list[Source]:
    seen: dict[str, Source] = {}
    for steps in step_lists:
        for s in steps:
            if s.get("source") and s["source"] not in seen:
                seen[s["source"]] = Source(label=s["source"], url=s.get("source_url"))
    return list(seen.values())


def notice_of_default(
    *, application: Application, assessment: Mapping[str, Any], sender: User
) -> NoticeOfDefault:
    """The letter's content. ``assessment`` is the case's assessment in Dutch (dates as ISO
    strings or dates).

    Raises:
        LetterUnavailable: the assessment has no decision term, or a notice of default is not
            available on its date (the term has not passed, or the authority decided).
    """
    deadlines = {d["kind"]: d for d in assessment.get("deadlines", [])}
    remedies = {r["kind"]: r for r in assessment.get("remedies", [])}
    decision, notice = deadlines.get("decision"), remedies.get("notice_of_default")
    if decision is None or notice is None or not notice.get("available"):
        raise LetterUnavailable(
            "a notice of default is not available for this case on "
            f"{assessment.get('as_of')}: the decision term has not passed"
        )
    follow_up = [remedies[k] for k in FOLLOW_UP_REMEDIES if k in remedies]
    applicant = application.applicant
    org = sender.organisation
    due = _day(decision.get("due"))
    as_of = _day(assessment.get("as_of"))
    assert due is not None
    assert as_of is not None
    return NoticeOfDefault(
        reference=application.reference,
        v_number=applicant.v_number,
        client_name=applicant.display_name,
        client_name_original=f"{applicant.given_names} {applicant.family_name}",
        birth_date=applicant.birth_date,
        nationality=applicant.nationality,
        authority=application.organisation.name,
        sender_name=sender.get_full_name() or sender.get_username(),
        sender_organisation=org.name if org else "",
        as_of=as_of,
        lodged_on=_day(decision.get("start")),
        decision_due=due,
        decision_steps=list(decision.get("steps", [])),
        basis_steps=list(notice.get("steps", [])),
        follow_up=follow_up,
        sources=_sources(
            [decision.get("steps", []), notice.get("steps", [])]
            + [r.get("steps", []) for r in follow_up]
        ),
    )


def notice_of_default_html(letter: NoticeOfDefault) -> str:
    with translation.override("nl"):
        return render_to_string("letters/notice_of_default.html", {"letter": letter})


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """The letter loads nothing from outside (no file, no network)."""
    raise ValueError(f"letters load no external resources ({url[:40]})")


def notice_of_default_pdf(letter: NoticeOfDefault) -> bytes:
    from weasyprint import CSS as WeasyCSS
    from weasyprint import HTML

    html = HTML(string=notice_of_default_html(letter), url_fetcher=_no_fetch)
    pdf = html.write_pdf(stylesheets=[WeasyCSS(filename=str(CSS))])
    assert pdf is not None
    return bytes(pdf)
