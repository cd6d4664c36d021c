from django.contrib import admin

from toevlucht.measures.models import AnnouncedMeasure


@admin.register(AnnouncedMeasure)
class AnnouncedMeasureAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("measure_id", "announced_by", "announced_at", "cases_touched", "cases_changed")
    readonly_fields = (
        "measure_id",
        "definition",
        "announced_by",
        "announced_at",
        "cases_touched",
        "cases_changed",
        "recomputed_at",
    )

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # announced through cases.announce.measure_announce

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # cases were recomputed with it: removing it silently would lie
