"""Reads, scoped to what the user may see — the one place that decides access.

* caseworkers and supervisors: the cases of their own authority;
* legal aid: cases of applicants who gave their organisation a mandate active today;
* applicants: their own cases;
* administrators: every case (they run the system for the authority);
* analysts: no case at all — aggregates without personal data only.

Every read of personal data is audited (who, what, when, purpose).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from toevlucht import clock
from toevlucht.accounts.models import Mandate, User
from toevlucht.audit.log import record
from toevlucht.cases.models import Applicant, Application, ProcedureEvent

__all__ = [
    "aggregates",
    "applicant_for_intake",
    "applicant_get_for_user",
    "application_get_for_user",
    "application_list_for_user",
    "applications_visible_to",
    "audit_list_read",
    "can_see_personal_data",
    "events_for_application",
    "mandates_visible_to",
]


def can_see_personal_data(user: Any) -> bool:
    return bool(
        user
        and user.is_authenticated
        and getattr(user, "role", "")
        in (
            User.Role.CASEWORKER,
            User.Role.SUPERVISOR,
            User.Role.LEGAL_AID,
            User.Role.APPLICANT,
            User.Role.ADMINISTRATOR,
        )
    )


def applications_visible_to(user: Any) -> QuerySet[Application]:
    """The applications ``user`` may see (not audited: a building block of the selectors)."""
    qs = Application.objects.all()
    if not user or not user.is_authenticated or not user.is_active:
        return qs.none()
    role = getattr(user, "role", "")
    if role == User.Role.ADMINISTRATOR:
        return qs
    if role in (User.Role.CASEWORKER, User.Role.SUPERVISOR):
        return (
            qs.filter(organisation_id=user.organisation_id) if user.organisation_id else qs.none()
        )
    if role == User.Role.LEGAL_AID:
        if not user.organisation_id:
            return qs.none()
        mandated = (
            Mandate.objects.active_on(clock.today())
            .filter(organisation_id=user.organisation_id)
            .values("applicant_id")
        )
        return qs.filter(applicant_id__in=mandated)
    if role == User.Role.APPLICANT:
        return qs.filter(applicant_id=user.applicant_id) if user.applicant_id else qs.none()
    return qs.none()


def application_list_for_user(
    *, user: Any, purpose: str = "work queue", filters: Q | None = None
) -> QuerySet[Application]:
    """Visible applications with applicant and status, for lists. Audit the page that is
    actually shown with :func:`audit_list_read`."""
    qs = applications_visible_to(user).select_related("applicant", "status")
    return qs.filter(filters) if filters is not None else qs


def audit_list_read(*, user: Any, applications: list[Application], purpose: str) -> None:
    if applications:
        record(
            actor=user,
            action="list",
            purpose=purpose,
            object_type="application",
            object_ids=[a.pk for a in applications],
        )


def _denied(user: Any, object_type: str, asked: object, purpose: str) -> None:
    """A read that was refused (nothing visible by that id or reference) leaves a trace too:
    who asked for what, and why. The 404 itself reveals nothing."""
    record(
        actor=user,
        action="denied",
        purpose=purpose,
        object_type=object_type,
        object_ids=[str(asked)[:40]],
    )


def application_get_for_user(
    *, user: Any, pk: int | None = None, reference: str = "", purpose: str = "case handling"
) -> Application:
    """One visible application; 404 — not 403 — for one the user may not see, so its
    existence is not revealed."""
    qs = applications_visible_to(user).select_related("applicant", "status", "organisation")
    found = qs.filter(pk=pk).first() if pk is not None else qs.filter(reference=reference).first()
    if found is None:
        _denied(user, "application", pk if pk is not None else reference, purpose)
        raise Http404("no such case")
    record(
        actor=user,
        action="read",
        purpose=purpose,
        object_type="application",
        object_ids=[found.pk],
        detail={"applicant": found.applicant_id},
    )
    return found


def applicant_get_for_user(*, user: Any, pk: int, purpose: str = "case handling") -> Applicant:
    visible = applications_visible_to(user).filter(applicant_id=pk)
    applicant = Applicant.objects.filter(pk=pk, applications__in=visible).distinct().first()
    if applicant is None:
        _denied(user, "applicant", pk, purpose)
        raise Http404("no such applicant")
    record(
        actor=user,
        action="read",
        purpose=purpose,
        object_type="applicant",
        object_ids=[applicant.pk],
    )
    return applicant


def applicant_for_intake(*, user: Any, pk: int, purpose: str = "registration") -> Applicant:
    """An applicant whom authority staff open an application for, record a mandate or a
    placement of: one registered with no application yet (just registered), or one with an
    application the user may see. 404 otherwise; the read is audited."""
    from toevlucht.accounts.roles import AUTHORITY

    if getattr(user, "role", "") not in AUTHORITY:
        raise Http404("no such applicant")
    visible = applications_visible_to(user).filter(applicant_id=pk)
    applicant = (
        Applicant.objects.filter(
            Q(pk=pk), Q(applications__isnull=True) | Q(applications__in=visible)
        )
        .distinct()
        .first()
    )
    if applicant is None:
        raise Http404("no such applicant")
    record(actor=user, action="read", purpose=purpose, object_type="applicant", object_ids=[pk])
    return applicant


def mandates_visible_to(user: Any) -> QuerySet[Mandate]:
    """Mandates (and requests) ``user`` may see: authority staff those of applicants with a
    case they see; legal aid its organisation's; an applicant their own."""
    qs = Mandate.objects.select_related("organisation", "applicant")
    role = getattr(user, "role", "")
    if not user or not user.is_authenticated:
        return qs.none()
    if role == User.Role.LEGAL_AID:
        return (
            qs.filter(organisation_id=user.organisation_id) if user.organisation_id else qs.none()
        )
    if role == User.Role.APPLICANT:
        return qs.filter(applicant_id=user.applicant_id) if user.applicant_id else qs.none()
    if role in (User.Role.CASEWORKER, User.Role.SUPERVISOR, User.Role.ADMINISTRATOR):
        return qs.filter(applicant_id__in=applications_visible_to(user).values("applicant_id"))
    return qs.none()


def events_for_application(application: Application) -> QuerySet[ProcedureEvent]:
    """The events of an application already obtained through a selector."""
    return application.events.select_related("recorded_by", "corrects").order_by("seq")


def aggregates(*, user: Any) -> dict[str, Any]:
    """Counts without personal data: for analysts (and everyone with a role)."""
    if not user or not user.is_authenticated:
        return {}
    qs = Application.objects.all()
    if getattr(user, "role", "") in (User.Role.CASEWORKER, User.Role.SUPERVISOR):
        qs = qs.filter(organisation_id=user.organisation_id)
    by_stage = Counter(dict(qs.values_list("status__stage").annotate(n=Count("id"))))
    by_nationality = Counter(dict(qs.values_list("applicant__nationality").annotate(n=Count("id"))))
    return {
        "cases": qs.count(),
        "open": qs.filter(status__open=True).count(),
        "overdue": qs.filter(status__overdue=True).count(),
        "suspended": qs.filter(status__suspended=True).count(),
        "by_stage": {k or "unknown": v for k, v in sorted(by_stage.items())},
        "by_nationality": dict(by_nationality.most_common()),
    }
