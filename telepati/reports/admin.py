"""Admin for complaint categories: city-wide reference data, edited by superusers and
read-only for kecamatan administrators."""

from __future__ import annotations

from django.contrib import admin

from telepati.accounts.admin_scoping import ReferenceDataAdmin
from telepati.reports.models import Category


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
