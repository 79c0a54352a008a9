"""Admin for temu cepat.

- Services offered (layanan temu cepat): reference data of each kecamatan, edited by
  superusers and administrators of that kecamatan — hours, break, Friday closing, slot
  length, capacity, how far ahead, what to bring. Days off come from the working-day
  calendar (Holiday), so closing the office for a day is done there. Codes of existing rows
  stay fixed for kecamatan administrators: seeding matches by code.
- Bookings: a read-only view with their timeline. Every change is a service call (booking,
  counter), made from the doors.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import ForeignKey, Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from telepati.accounts.admin_scoping import (
    KecamatanScopedAdminMixin,
    ReferenceDataAdmin,
    ScopedInlineMixin,
    administered_kecamatan_ids,
    is_superuser,
)
from telepati.appointments.models import Booking, BookingEvent, OfficeService
from telepati.org.models import Kecamatan, Unit

WEEKDAY_CHOICES = [
    (0, _("Senin")),
    (1, _("Selasa")),
    (2, _("Rabu")),
    (3, _("Kamis")),
    (4, _("Jumat")),
    (5, _("Sabtu")),
    (6, _("Minggu")),
]


class WeekdaysField(forms.TypedMultipleChoiceField):
    """The service's weekdays as check boxes, stored as a list of numbers."""

    def prepare_value(self, value: Any) -> Any:
        return [str(day) for day in value] if isinstance(value, list) else value


class OfficeServiceForm(forms.ModelForm[OfficeService]):
    weekdays = WeekdaysField(
        label=_("hari layanan"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Hari libur dan akhir pekan kantor selalu tutup."),
    )

    class Meta:
        model = OfficeService
        fields = (
            "kecamatan",
            "code",
            "name",
            "short_name",
            "description",
            "unit",
            "weekdays",
            "opens_at",
            "closes_at",
            "break_starts_at",
            "break_ends_at",
            "friday_closes_at",
            "slot_minutes",
            "capacity_per_slot",
            "book_days_ahead",
            "queue_prefix",
            "counter_name",
            "what_to_bring",
            "sort_order",
            "is_active",
        )


@admin.register(OfficeService)
class OfficeServiceAdmin(ReferenceDataAdmin):
    form = OfficeServiceForm
    kecamatan_path = "kecamatan"
    list_display = (
        "name",
        "short_name",
        "unit",
        "opens_at",
        "closes_at",
        "slot_minutes",
        "capacity_per_slot",
        "book_days_ahead",
        "queue_prefix",
        "sort_order",
        "is_active",
    )
    list_editable = ("capacity_per_slot", "sort_order", "is_active")
    list_filter = ("is_active", "kecamatan")
    list_select_related = ("kecamatan", "unit")
    search_fields = ("name", "short_name", "code")
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("kecamatan", "code", "name", "short_name", "description", "unit")}),
        (
            _("Jadwal"),
            {
                "fields": (
                    "weekdays",
                    "opens_at",
                    "closes_at",
                    "break_starts_at",
                    "break_ends_at",
                    "friday_closes_at",
                    "slot_minutes",
                    "capacity_per_slot",
                    "book_days_ahead",
                )
            },
        ),
        (
            _("Loket dan pesan"),
            {"fields": ("queue_prefix", "counter_name", "what_to_bring", "sort_order")},
        ),
        (None, {"fields": ("is_active", "created_at", "updated_at")}),
    )

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        # A kecamatan administrator picks only their kecamatan and its units.
        if not is_superuser(request):
            ids = sorted(administered_kecamatan_ids(request))
            if db_field.name == "kecamatan":
                kwargs["queryset"] = Kecamatan.objects.filter(pk__in=ids)
            elif db_field.name == "unit":
                kwargs["queryset"] = Unit.objects.filter(kecamatan_id__in=ids, is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class BookingEventInline(ScopedInlineMixin, admin.TabularInline):
    model = BookingEvent
    verbose_name = _("riwayat")
    verbose_name_plural = _("riwayat")
    fields = ("created_at", "action", "from_status", "to_status", "actor", "message")
    extra = 0
    max_num = 0
    can_delete = False

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        return self.fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).select_related("actor")

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Booking)
class BookingAdmin(KecamatanScopedAdminMixin, admin.ModelAdmin):
    """Bookings for looking up, never for editing (lifecycle fields change by services)."""

    kecamatan_path = "kecamatan"
    list_display = (
        "code",
        "service",
        "service_day",
        "slot_start",
        "queue_number",
        "name",
        "status",
        "channel",
    )
    list_filter = ("status", "channel", "is_walk_in", ("service", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("service",)
    search_fields = ("code", "name", "phone")
    date_hierarchy = "service_day"
    ordering = ("-service_day", "queue_number")
    inlines = (BookingEventInline,)
    fields = (
        "code",
        "service",
        "kecamatan",
        "citizen",
        "name",
        "phone",
        "purpose",
        "channel",
        "is_walk_in",
        "slot_start",
        "service_day",
        "queue_number",
        "status",
        "version",
        "checked_in_at",
        "called_at",
        "served_at",
        "closed_at",
        "counter_name",
        "served_by",
        "reminded_day_before_at",
        "reminded_hour_before_at",
        "submission_key",
        "created_at",
        "updated_at",
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        return self.fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return (
            super()
            .get_queryset(request)
            .select_related("service", "kecamatan", "citizen", "served_by")
        )

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
