"""Admin for the documents domain.

- Document types: the catalogue, reference data of each kecamatan, edited by superusers and
  by administrators of that kecamatan (requirements as a text box, one per line). Codes of
  existing rows stay fixed for kecamatan administrators: seeding matches by code.
- Applications: a read-only view (with their timeline and delivery attempts) for
  superusers and administrators of the application's kecamatan. Nothing is added, changed
  or deleted here: every change is a service call with its event, version and notices,
  made from the back-office.
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
from telepati.documents.models import (
    Application,
    ApplicationEvent,
    DeliveryAttempt,
    DocumentType,
)
from telepati.org.models import Kecamatan, Unit


class RequirementsField(forms.CharField):
    """A list of strings edited as a text box, one item per line."""

    widget = forms.Textarea(attrs={"rows": 6})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(str(item) for item in value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class DocumentTypeForm(forms.ModelForm[DocumentType]):
    requirements = RequirementsField(
        label=_("persyaratan"),
        required=False,
        help_text=_("Satu persyaratan per baris, ditampilkan kepada warga apa adanya."),
    )

    class Meta:
        model = DocumentType
        fields = (
            "kecamatan",
            "code",
            "name",
            "short_name",
            "description",
            "requirements",
            "handling_unit",
            "via_disdukcapil",
            "target_days",
            "delivery_available",
            "fee_note",
            "sort_order",
            "is_active",
        )


@admin.register(DocumentType)
class DocumentTypeAdmin(ReferenceDataAdmin):
    """The catalogue of one kecamatan: requirements, handling unit, target days, delivery."""

    form = DocumentTypeForm
    kecamatan_path = "kecamatan"
    list_display = (
        "name",
        "short_name",
        "code",
        "kecamatan",
        "handling_unit",
        "via_disdukcapil",
        "target_days",
        "delivery_available",
        "sort_order",
        "is_active",
    )
    list_editable = ("target_days", "delivery_available", "sort_order", "is_active")
    list_filter = ("is_active", "via_disdukcapil", "delivery_available", "kecamatan")
    list_select_related = ("kecamatan", "handling_unit")
    search_fields = ("name", "short_name", "code", "description")
    readonly_fields = ("created_at", "updated_at")
    fields = (
        "kecamatan",
        "code",
        "name",
        "short_name",
        "description",
        "requirements",
        "handling_unit",
        "via_disdukcapil",
        "target_days",
        "delivery_available",
        "fee_note",
        "sort_order",
        "is_active",
        "created_at",
        "updated_at",
    )

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        # A kecamatan administrator picks only their kecamatan and its units.
        if not is_superuser(request):
            ids = sorted(administered_kecamatan_ids(request))
            if db_field.name == "kecamatan":
                kwargs["queryset"] = Kecamatan.objects.filter(pk__in=ids)
            elif db_field.name == "handling_unit":
                kwargs["queryset"] = Unit.objects.filter(kecamatan_id__in=ids, is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# --- Applications (read-only) -----------------------------------------------------------


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


class ApplicationEventInline(ReadOnlyInline):
    model = ApplicationEvent
    verbose_name = _("riwayat")
    verbose_name_plural = _("riwayat")
    fields = (
        "created_at",
        "kind",
        "from_status",
        "to_status",
        "actor",
        "actor_citizen",
        "is_public",
        "message",
    )
    related = ("actor", "actor_citizen")


class DeliveryAttemptInline(ReadOnlyInline):
    model = DeliveryAttempt
    verbose_name = _("pengantaran")
    verbose_name_plural = _("pengantaran")

    fields = (
        "attempted_at",
        "courier",
        "outcome",
        "reason",
        "recipient_name",
        "recipient_relation",
        "photo",
        "latitude",
        "longitude",
        "rescheduled_to",
    )
    related = ("courier",)


@admin.register(Application)
class ApplicationAdmin(KecamatanScopedAdminMixin, admin.ModelAdmin):
    """Applications for looking up, never for editing: lifecycle fields change only by
    services."""

    kecamatan_path = "kecamatan"
    list_display = (
        "code",
        "document_type",
        "applicant_name",
        "kelurahan",
        "status",
        "channel",
        "applied_at",
        "due_at",
    )
    list_filter = (
        "status",
        "channel",
        "handover_mode",
        ("document_type", admin.RelatedOnlyFieldListFilter),
        ("kelurahan", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("document_type", "kelurahan")
    search_fields = ("code", "applicant_name", "document_number")
    date_hierarchy = "applied_at"
    ordering = ("-applied_at", "-id")
    inlines = (ApplicationEventInline, DeliveryAttemptInline)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "code",
                    "document_type",
                    "channel",
                    "submission_key",
                    "registered_by",
                    "handling_unit",
                    "document_number",
                    "notes",
                )
            },
        ),
        (
            _("Pemohon"),
            {
                "fields": (
                    "applicant",
                    "applicant_name",
                    "phone",
                    "nik",
                    "kecamatan",
                    "kelurahan",
                    "address",
                )
            },
        ),
        (
            _("Status"),
            {
                "fields": (
                    "status",
                    "version",
                    "fix_note",
                    "rejection_reason",
                    "cancel_reason",
                )
            },
        ),
        (
            _("Waktu"),
            {
                "fields": (
                    "applied_at",
                    "received_at",
                    "due_at",
                    "submitted_at",
                    "issued_at",
                    "handed_over_at",
                    "closed_at",
                    "reminders_sent",
                    "reminder_due_at",
                    "created_at",
                    "updated_at",
                )
            },
        ),
        (
            _("Penyerahan"),
            {
                "fields": (
                    "handover_mode",
                    "delivery_address",
                    "delivery_date",
                    "delivery_latitude",
                    "delivery_longitude",
                    "courier",
                    "received_by_name",
                    "received_by_relation",
                    "identity_checked",
                    "handed_over_by",
                )
            },
        ),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        # Everything: the page is a view even for superusers.
        return [name for _title, options in self.fieldsets for name in options["fields"]]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return (
            super()
            .get_queryset(request)
            .select_related(
                "document_type",
                "kecamatan",
                "kelurahan",
                "handling_unit",
                "applicant",
                "registered_by",
                "courier",
                "handed_over_by",
            )
        )

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
