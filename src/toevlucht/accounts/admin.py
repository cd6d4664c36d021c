from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from rest_framework.authtoken.models import TokenProxy

from toevlucht.accounts.models import Mandate, Organisation, User
from toevlucht.accounts.services import mandate_revoke
from toevlucht.audit.admin import Audited, ReadOnly
from toevlucht.errors import Rejected


@admin.register(User)
class UserAdmin(Audited, BaseUserAdmin):  # type: ignore[type-arg]
    """Users, audited when viewed (issue 13: the admin listed them without a trace)."""

    list_display = ("username", "role", "organisation", "is_active")
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("Toevlucht", {"fields": ("role", "organisation", "applicant", "language")}),
    )
    raw_id_fields = ("applicant",)


admin.site.register(Organisation)


@admin.register(Mandate)
class MandateAdmin(ReadOnly):
    """Mandates are granted and revoked through the services (audited), never edited here."""

    list_display = ("organisation", "applicant", "valid_from", "valid_until", "revoked_on")
    actions = ["revoke"]

    @admin.action(description="Revoke the selected mandates from today", permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[Mandate]) -> None:
        n = 0
        for mandate in queryset.filter(revoked_on__isnull=True):
            try:
                mandate_revoke(actor=request.user, mandate=mandate)  # type: ignore[arg-type]
            except Rejected as exc:
                self.message_user(request, f"{mandate}: {exc.message}", level="error")
            else:
                n += 1
        self.message_user(request, f"{n} mandate(s) revoked")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # actions need change permission to be offered; the form itself stays read-only
        return obj is None and super(ReadOnly, self).has_change_permission(request, obj)


# API tokens: audited when viewed, and their keys never shown (only who has one, since when)
if admin.site.is_registered(TokenProxy):
    admin.site.unregister(TokenProxy)


@admin.register(TokenProxy)
class TokenAdmin(ReadOnly):
    list_display = ("user", "created")
    fields = ("user", "created")
    readonly_fields = ("user", "created")
    ordering = ("-created",)
    # a token's primary key is its key: no links, no selection boxes (both would show it);
    # tokens are revoked with DELETE /api/auth/token/ or ``api_token --rotate``
    list_display_links = None
    actions = None
