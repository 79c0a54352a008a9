"""Admin for the holiday calendar: administrators review, edit and verify holidays."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from telepati.core.models import Holiday
from telepati.core.services import holiday_mark_verified


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    """Holidays and collective leave; editable because the official dates change each year."""

    list_display = ("date", "weekday", "name", "kind", "is_day_off", "verified")
    list_filter = ("kind", "verified", "is_day_off")
    date_hierarchy = "date"
    search_fields = ("name",)
    ordering = ("date",)
    readonly_fields = ("created_at", "updated_at")
    fields = (
        "date",
        "name",
        "kind",
        "is_day_off",
        "verified",
        "source",
        "note",
        "created_at",
        "updated_at",
    )
    actions = ("mark_verified",)

    @admin.display(description=_("hari"), ordering="date")
    def weekday(self, obj: Holiday) -> str:
        """Weekday name in the active language ("Jumat"), to spot long weekends at a glance."""
        return formats.date_format(obj.date, "l")

    @admin.action(description=_("Tandai sudah diverifikasi"), permissions=["change"])
    def mark_verified(self, request: HttpRequest, queryset: QuerySet[Holiday]) -> None:
        updated = holiday_mark_verified(
            holiday_ids=queryset.values_list("pk", flat=True),
            actor=request.user,  # type: ignore[arg-type]
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d hari libur ditandai sudah diverifikasi.",
                "%(count)d hari libur ditandai sudah diverifikasi.",
                updated,
            )
            % {"count": updated},
            messages.SUCCESS,
        )
