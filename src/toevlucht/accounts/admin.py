from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from toevlucht.accounts.models import Mandate, Organisation, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):  # type: ignore[type-arg]
    list_display = ("username", "role", "organisation", "is_active")
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("Toevlucht", {"fields": ("role", "organisation", "applicant", "language")}),
    )
    raw_id_fields = ("applicant",)


admin.site.register(Organisation)


@admin.register(Mandate)
class MandateAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("organisation", "applicant", "valid_from", "valid_until", "revoked_on")
    raw_id_fields = ("applicant",)
