"""Reads of the applicant's portal. Access is decided by :mod:`toevlucht.cases.selectors`
(an applicant sees only the applications of ``user.applicant``); every read of personal data
is audited there or here. What leaves this module is what the applicant may see: no internal
notes, no staff, no other person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.http import Http404

from toevlucht import clock
from toevlucht.accounts.models import Mandate, User
from toevlucht.audit.log import record
from toevlucht.cases.models import Applicant, Application, Placement
from toevlucht.cases.selectors import (
    applicant_get_for_user,
    application_get_for_user,
    application_list_for_user,
    audit_list_read,
)
from toevlucht.cases.services import assessment_for
from toevlucht.law import AssessmentView
from toevlucht.law.view import EventLine
from toevlucht.portal.languages import law_language
from toevlucht.portal.models import Invitation
from toevlucht.portal.services import ISSUER_ROLES
from toevlucht.privacy.export import export_subject

__all__ = [
    "PublicEvent",
    "case_assessment",
    "case_events",
    "case_for_applicant",
    "case_for_staff",
    "cases_for_applicant",
    "invitation_for_staff",
    "invitations_of",
    "my_data_export",
    "own_applicant",
    "placements_for",
    "representatives_for",
]

PURPOSE = "applicant portal"


def _is_applicant(user: Any) -> bool:
    return bool(
        user.is_authenticated
        and getattr(user, "role", "") == User.Role.APPLICANT
        and user.applicant_id is not None
    )


def cases_for_applicant(user: Any) -> list[Application]:
    """The applicant's own applications, oldest first (audited as a list read)."""
    if not _is_applicant(user):
        return []
    apps = list(application_list_for_user(user=user, purpose=PURPOSE).order_by("pk"))
    audit_list_read(user=user, applications=apps, purpose=PURPOSE)
    return apps


def case_for_applicant(user: Any, reference: str) -> Application:
    """One of the applicant's own applications; 404 for anything else, including a
    reference that exists but belongs to someone else."""
    if not _is_applicant(user):
        raise Http404("no such case")
    return application_get_for_user(user=user, reference=reference, purpose=PURPOSE)


def case_assessment(application: Application, lang: str) -> AssessmentView:
    """The law's assessment of a case the user was allowed to read, texts in ``lang`` (or
    English where the law engine does not speak it)."""
    return assessment_for(application, lang=law_language(lang))


@dataclass(frozen=True, slots=True)
class PublicEvent:
    """A procedure event as the applicant sees it: what and when — never the internal
    note or who recorded it."""

    kind: str
    date: dt.date
    data: dict[str, Any] = field(default_factory=dict)


# The data fields an applicant is shown; everything else stays out of the page.
_PUBLIC_FIELDS = {
    "interview_scheduled": ("interview", "scheduled_for"),
    "track_assigned": ("track",),
    "decision_notified": ("outcome",),
    "appeal_lodged": ("against", "level"),
    "court_ruling": ("level", "outcome"),
    "intention_issued": ("procedure",),
}


def public_events(events: Iterable[EventLine]) -> list[PublicEvent]:
    """Events as the applicant is shown them: only the public fields of their data."""
    out = []
    for e in events:
        keep = _PUBLIC_FIELDS.get(e.kind, ())
        out.append(
            PublicEvent(kind=e.kind, date=e.date, data={k: e.data[k] for k in keep if k in e.data})
        )
    return out


def case_events(assessment: AssessmentView) -> list[PublicEvent]:
    """The case's history as the law knows it on the assessment date — corrections applied
    by the law's replay (a corrected event shows as corrected, a retracted one not at all)."""
    return public_events(assessment.events)


def own_applicant(user: Any) -> Applicant:
    if not _is_applicant(user):
        raise Http404("no such applicant")
    return applicant_get_for_user(user=user, pk=user.applicant_id, purpose=PURPOSE)


def placements_for(user: Any) -> list[Placement]:
    """Where the signed-in applicant has stayed, newest first (audited)."""
    applicant = own_applicant(user)
    rows = list(
        Placement.objects.filter(applicant=applicant).select_related("centre").order_by("-start")
    )
    if rows:
        record(
            actor=user,
            action="read",
            purpose=PURPOSE,
            object_type="placement",
            object_ids=[p.pk for p in rows],
            detail={"applicant": applicant.pk},
        )
    return rows


def representatives_for(user: Any) -> list[str]:
    """Names of the legal-aid organisations the signed-in applicant gave a mandate in force
    today — organisations, never the people who work there (audited)."""
    if not _is_applicant(user):
        return []
    mandates = list(
        Mandate.objects.active_on(clock.today())
        .filter(applicant_id=user.applicant_id)
        .select_related("organisation")
    )
    if mandates:
        record(
            actor=user,
            action="read",
            purpose=PURPOSE,
            object_type="mandate",
            object_ids=[m.pk for m in mandates],
            detail={"applicant": user.applicant_id},
        )
    return sorted({m.organisation.name for m in mandates})


def my_data_export(user: Any) -> dict[str, Any]:
    """Everything held about the signed-in applicant (GDPR art. 15), without the internal
    notes of staff: those are released on a formal request, after review (docs/portal.md)."""
    applicant = own_applicant(user)
    return export_subject(
        v_number=applicant.v_number,
        actor=user,
        purpose="applicant portal: my data",
        include_internal=False,
    )


# --- staff side: invitations ---------------------------------------------------------------


def case_for_staff(user: Any, reference: str) -> Application:
    """A case a caseworker or supervisor of its authority may issue an invitation for."""
    if not user.is_authenticated or getattr(user, "role", "") not in ISSUER_ROLES:
        raise Http404("no such case")
    app = application_get_for_user(user=user, reference=reference, purpose="portal invitation")
    if app.organisation_id != user.organisation_id:
        raise Http404("no such case")
    return app


def invitations_of(application: Application) -> list[Invitation]:
    return list(Invitation.objects.filter(applicant_id=application.applicant_id))


def invitation_for_staff(user: Any, pk: int) -> tuple[Invitation, Application]:
    """An invitation of an applicant with a case of the user's own authority."""
    if not user.is_authenticated or getattr(user, "role", "") not in ISSUER_ROLES:
        raise Http404("no such invitation")
    invitation = Invitation.objects.filter(pk=pk).select_related("applicant").first()
    if invitation is None:
        raise Http404("no such invitation")
    app = (
        Application.objects.filter(
            applicant_id=invitation.applicant_id, organisation_id=user.organisation_id
        )
        .order_by("pk")
        .first()
    )
    if app is None:
        raise Http404("no such invitation")
    return invitation, case_for_staff(user, app.reference)
