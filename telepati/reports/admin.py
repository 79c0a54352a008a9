"""Admin for the complaints domain.

- Categories: city-wide reference data, edited by superusers and read-only for kecamatan
  administrators, with their extra questions (the Open311 attributes) inline.
- Reports: a read-only view (with their timeline, dispositions and attachments) for
  superusers and for administrators of the report's kecamatan. Nothing is added, changed or
  deleted here: every change of a report is a service call with its timeline event, version
  bump and notices, made from the back-office.
- Canned responses: edited by every administrator (they are shared by the kecamatan desks).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from telepati.accounts.admin_scoping import (
    KecamatanScopedAdminMixin,
    ReferenceDataAdmin,
    ScopedInlineMixin,
    administered_kecamatan_ids,
    is_superuser,
)
from telepati.reports.models import (
    Attachment,
    CannedResponse,
    Category,
    CategoryQuestion,
    Disposition,
    Report,
    ReportEvent,
)


class CategoryQuestionInline(ScopedInlineMixin, admin.TabularInline):
    """A category's extra questions; the code stays fixed once reports carry answers."""

    model = CategoryQuestion
    extra = 0
    fields = (
        "order",
        "code",
        "description",
        "datatype",
        "required",
        "variable",
        "datatype_description",
        "values",
    )


@admin.register(Category)
class CategoryAdmin(ReferenceDataAdmin):
    """Categories with their deadline targets (working days), editable in the list."""

    kecamatan_path = None  # shared by every kecamatan of the deployment
    list_display = (
        "name",
        "code",
        "default_unit",
        "sla_verification_days",
        "sla_first_response_days",
        "sla_resolution_days",
        "public_by_default",
        "sort_order",
        "is_active",
    )
    list_editable = (
        "sla_verification_days",
        "sla_first_response_days",
        "sla_resolution_days",
        "public_by_default",
        "sort_order",
        "is_active",
    )
    list_filter = ("is_active", "public_by_default")
    search_fields = ("name", "code", "description")
    list_select_related = ("default_unit",)
    autocomplete_fields = ("default_unit",)
    readonly_fields = ("created_at", "updated_at")
    inlines = (CategoryQuestionInline,)


# --- Reports (read-only) ----------------------------------------------------------------


class ReadOnlyInline(ScopedInlineMixin, admin.TabularInline):
    """An inline that only shows rows; they change through the services."""

    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False
    related: tuple[str, ...] = ()

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        return self.fields or ()

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).select_related(*self.related)

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ReportEventInline(ReadOnlyInline):
    model = ReportEvent
    verbose_name = _("riwayat")
    verbose_name_plural = _("riwayat")
    fields = (
        "created_at",
        "kind",
        "from_status",
        "to_status",
        "actor",
        "actor_citizen",
        "unit",
        "is_public",
        "message",
    )
    related = ("actor", "actor_citizen", "unit")


class DispositionInline(ReadOnlyInline):
    model = Disposition
    fields = (
        "unit",
        "status",
        "instruction",
        "forwarded_by",
        "forwarded_at",
        "due_at",
        "first_response_at",
        "done_at",
        "returned_at",
        "return_reason",
        "breached_at",
    )
    related = ("unit", "forwarded_by")


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    verbose_name = _("lampiran")
    verbose_name_plural = _("lampiran")
    fields = (
        "file",
        "kind",
        "original_name",
        "content_type",
        "size",
        "is_public",
        "is_evidence",
        "uploaded_by",
        "created_at",
    )
    related = ("uploaded_by",)


@admin.register(Report)
class ReportAdmin(KecamatanScopedAdminMixin, admin.ModelAdmin):
    """Reports for looking up, never for editing: lifecycle fields change only by services."""

    kecamatan_path = "kecamatan"
    list_display = (
        "tracking_number",
        "category",
        "kelurahan",
        "status",
        "channel",
        "submitted_at",
        "verification_due_at",
    )
    list_filter = (
        "status",
        "channel",
        "classification",
        ("category", admin.RelatedOnlyFieldListFilter),
        ("kelurahan", admin.RelatedOnlyFieldListFilter),
        "is_anonymous",
        "is_confidential",
    )
    list_select_related = ("category", "kelurahan")
    search_fields = ("tracking_number", "external_ref")
    date_hierarchy = "submitted_at"
    ordering = ("-submitted_at", "-id")
    inlines = (ReportEventInline, DispositionInline, AttachmentInline)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "tracking_number",
                    "external_ref",
                    "category",
                    "classification",
                    "channel",
                    "priority",
                    "title",
                    "description",
                )
            },
        ),
        (
            _("Lokasi"),
            {
                "fields": (
                    "kecamatan",
                    "kelurahan",
                    "lingkungan",
                    "address",
                    "latitude",
                    "longitude",
                )
            },
        ),
        (
            _("Pelapor"),
            {
                "fields": (
                    "reporter",
                    "is_anonymous",
                    "is_confidential",
                    "entered_by",
                    "submission_key",
                )
            },
        ),
        (
            _("Status"),
            {
                "fields": (
                    "status",
                    "version",
                    "assigned_to",
                    "merged_into",
                    "hold_reason",
                    "rejection_reason",
                )
            },
        ),
        (
            _("Waktu"),
            {
                "fields": (
                    "submitted_at",
                    "verified_at",
                    "forwarded_at",
                    "first_response_at",
                    "resolved_at",
                    "closed_at",
                    "created_at",
                    "updated_at",
                )
            },
        ),
        (
            _("Batas waktu"),
            {
                "fields": (
                    "verification_due_at",
                    "response_due_at",
                    "resolution_due_at",
                    "dispute_until",
                    "verification_breached_at",
                    "response_breached_at",
                    "resolution_breached_at",
                )
            },
        ),
        (_("Penilaian warga"), {"fields": ("rating", "rating_comment", "rated_at")}),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        # Everything: the page is a view even for superusers.
        return [name for _title, options in self.fieldsets for name in options["fields"]]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return (
            super()
            .get_queryset(request)
            .select_related(
                "category",
                "kelurahan",
                "kecamatan",
                "lingkungan",
                "reporter",
                "entered_by",
                "assigned_to",
                "merged_into",
            )
        )

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


# --- Canned responses -------------------------------------------------------------------


@admin.register(CannedResponse)
class CannedResponseAdmin(admin.ModelAdmin):
    """Ready-made replies; any administrator edits them, only superusers delete."""

    list_display = ("title", "category", "status", "is_active", "updated_at")
    list_filter = ("is_active", "category", "status")
    list_editable = ("is_active",)
    list_select_related = ("category",)
    search_fields = ("title", "body")
    fields = ("title", "body", "category", "status", "is_active", "created_at", "updated_at")
    readonly_fields = ("created_at", "updated_at")

    def _allowed(self, request: HttpRequest) -> bool:
        return is_superuser(request) or bool(administered_kecamatan_ids(request))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_superuser(request)
