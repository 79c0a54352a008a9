"""Admin for resident contacts: a read-only lookup for superusers, searchable by phone.

Contacts are personal data and belong to no kecamatan, so kecamatan administrators do not
see this list (officers meet reporters through their own reports). Contacts are made and
filled in by `citizen_get_or_create` only, and never deleted: reports point at them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from telepati.accounts.admin_scoping import is_superuser
from telepati.citizens.models import Citizen
from telepati.core.phone import phone_normalize


@admin.register(Citizen)
class CitizenAdmin(admin.ModelAdmin):
    """Residents as the doors recorded them; a phone search accepts any way of writing it."""

    list_display = ("__str__", "phone", "wa_bsuid", "email", "created_at")
    search_fields = ("phone", "wa_bsuid", "name", "email")
    search_help_text = _("Cari nomor WhatsApp (08…, +62…), ID WhatsApp, nama atau surel.")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    fields = ("name", "phone", "wa_bsuid", "email", "created_at", "updated_at")
    readonly_fields = fields
    show_full_result_count = False

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        """Also match the stored E.164 form of a number typed as 0812-3456-7890."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        try:
            phone = phone_normalize(search_term, mobile_only=False)
        except ValidationError:
            return results, may_have_duplicates
        return results | queryset.filter(phone=phone.e164), may_have_duplicates

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_superuser(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_superuser(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
