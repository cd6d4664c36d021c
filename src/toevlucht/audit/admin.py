"""The audit log in the admin (read only), and :class:`ReadOnly`, the audited read-only
admin every app's personal data is shown with."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from toevlucht.audit.log import record
from toevlucht.audit.models import AuditEntry

__all__ = ["AuditEntryAdmin", "Audited", "ReadOnly"]


class Audited(admin.ModelAdmin):  # type: ignore[type-arg]
    """Every page that shows personal data (or accounts and credentials) is audited: a
    detail page as ``read``, a list as ``list`` with the ids shown."""

    personal_data = True

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> Any:
        response = super().change_view(request, object_id, form_url, extra_context)
        if self.personal_data and response.status_code == 200:
            record(
                actor=request.user,
                action="read",
                purpose="admin",
                object_type=self.model._meta.model_name or "",
                object_ids=[object_id],
            )
        return response

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        response = super().changelist_view(request, extra_context)
        cl = (getattr(response, "context_data", None) or {}).get("cl")
        if self.personal_data and cl is not None and len(cl.result_list):
            record(
                actor=request.user,
                action="list",
                purpose="admin",
                object_type=self.model._meta.model_name or "",
                object_ids=[o.pk for o in cl.result_list],
            )
        return response


class ReadOnly(Audited):
    """Read-only and audited: the admin every app's personal data is shown with."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("seq", "at", "actor_role", "action", "purpose", "object_type")
    list_filter = ("action", "object_type")

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
