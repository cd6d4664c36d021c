"""The Django admin as an interim interface: read-only, scoped by the selectors, audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from toevlucht.audit.admin import ReadOnly
from toevlucht.cases.models import (
    Applicant,
    Application,
    CaseStatus,
    Placement,
    ProcedureEvent,
    ReceptionCentre,
)
from toevlucht.cases.selectors import applications_visible_to
from toevlucht.cases.services import assessment_for


class EventInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ProcedureEvent
    fields = ("seq", "kind", "effective_date", "data", "recorded_on", "corrects")
    readonly_fields = fields
    extra = 0
    can_delete = False
    fk_name = "application"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnly):
    list_display = ("reference", "applicant", "stage", "next_deadline", "overdue")
    list_filter = ("status__stage", "status__overdue", "applicant__nationality")
    search_fields = ("reference",)
    inlines = [EventInline]
    fields = (
        "reference",
        "applicant",
        "kind",
        "organisation",
        "caseworker",
        "retention_until",
        "status_summary",
        "measures",
    )
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Application]:
        return applications_visible_to(request.user).select_related("status", "applicant")

    @admin.display(description="stage")
    def stage(self, obj: Application) -> str:
        return obj.status.stage

    @admin.display(description="next deadline")
    def next_deadline(self, obj: Application) -> str:
        s = obj.status
        return f"{s.next_deadline_kind} {s.next_deadline_due}" if s.next_deadline_due else ""

    @admin.display(boolean=True)
    def overdue(self, obj: Application) -> bool:
        return obj.status.overdue

    @admin.display(description="status (law engine)")
    def status_summary(self, obj: Application) -> str:
        s = obj.status
        if s.error:
            return f"could not be assessed on {s.computed_on}: {s.error}"
        parts = [f"on {s.computed_on}: stage {s.stage or '-'}"]
        if s.next_deadline_due:
            parts.append(f"next deadline {s.next_deadline_kind} {s.next_deadline_due}")
        if s.decision_due:
            parts.append(f"decision due {s.decision_due} ({s.decision_status})")
        if s.overdue:
            parts.append("OVERDUE")
        return "; ".join(parts)

    @admin.display(description="policy measures")
    def measures(self, obj: Application) -> str:
        """Each measure that concerns the case, with its legal effect as the law engine
        states it (an unconfirmed one is shown, never applied)."""
        if obj.status.error:
            return "-"
        view = assessment_for(obj, obj.status.computed_on)
        return "; ".join(f"{m.title}: {m.legal_effect}" for m in view.measures if m.in_force) or "-"


@admin.register(Applicant)
class ApplicantAdmin(ReadOnly):
    list_display = ("v_number", "family_name_latin", "given_names_latin", "nationality")
    search_fields = ("v_number", "family_name_latin")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Applicant]:
        visible = applications_visible_to(request.user).values("applicant_id")
        return Applicant.objects.filter(pk__in=visible)


@admin.register(CaseStatus)
class CaseStatusAdmin(ReadOnly):
    list_display = (
        "application",
        "stage",
        "next_deadline_kind",
        "next_deadline_due",
        "decision_due",
        "overdue",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[CaseStatus]:
        return CaseStatus.objects.filter(application__in=applications_visible_to(request.user))


@admin.register(Placement)
class PlacementAdmin(ReadOnly):
    list_display = ("applicant", "centre", "start", "end")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Placement]:
        visible = applications_visible_to(request.user).values("applicant_id")
        return Placement.objects.filter(applicant_id__in=visible)


@admin.register(ReceptionCentre)
class ReceptionCentreAdmin(ReadOnly):
    personal_data = False
    list_display = ("name", "municipality", "capacity")
