"""Admin for territory and units, scoped by kecamatan (see `telepati.accounts.admin_scoping`).

Rows are deactivated rather than deleted: reports and memberships keep pointing at them.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import ForeignKey, Model
from django.forms import ModelChoiceField
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from telepati.accounts.admin_scoping import (
    ReferenceDataAdmin,
    ScopedInlineMixin,
    administered_kecamatan_ids,
    is_superuser,
)
from telepati.org.forms import phone_field_clean
from telepati.org.models import Kecamatan, Kelurahan, Lingkungan, Unit


def scoped_foreignkey_queryset(
    db_field: ForeignKey[Any, Any], request: HttpRequest, kwargs: dict[str, Any]
) -> dict[str, Any]:
    """Limit kecamatan/kelurahan/unit choices to the kecamatan an administrator manages."""
    if is_superuser(request):
        return kwargs
    ids = sorted(administered_kecamatan_ids(request))
    model = db_field.related_model
    if model is Kecamatan:
        kwargs["queryset"] = Kecamatan.objects.filter(pk__in=ids)
        kwargs["required"] = True
    elif model is Kelurahan:
        kwargs["queryset"] = Kelurahan.objects.filter(kecamatan__in=ids)
    elif model is Unit:
        kwargs["queryset"] = Unit.objects.filter(kecamatan__in=ids)
    return kwargs


class ScopedChoicesMixin:
    """Foreign-key choices limited to the administrator's kecamatan."""

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        kwargs = scoped_foreignkey_queryset(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]


class LingkunganForm(forms.ModelForm):
    """Lingkungan with the kepala lingkungan's WhatsApp number normalised."""

    class Meta:
        model = Lingkungan
        fields = ("kelurahan", "number", "name", "head_name", "head_phone", "is_active")

    def clean_head_phone(self) -> str:
        return phone_field_clean(self.cleaned_data.get("head_phone"), mobile_only=True)


class UnitForm(forms.ModelForm):
    """Unit with its phone normalised (office landlines are allowed)."""

    class Meta:
        model = Unit
        fields = (
            "code",
            "name",
            "short_name",
            "kind",
            "kecamatan",
            "kelurahan",
            "phone",
            "email",
            "is_active",
        )

    def clean_phone(self) -> str:
        return phone_field_clean(self.cleaned_data.get("phone"), mobile_only=False)

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        kelurahan = cleaned.get("kelurahan")
        kecamatan = cleaned.get("kecamatan")
        if (
            kelurahan is not None
            and kecamatan is not None
            and kelurahan.kecamatan_id != kecamatan.pk
        ):
            self.add_error("kelurahan", _("Kelurahan harus berada di kecamatan unit ini."))
        return cleaned


@admin.register(Kecamatan)
class KecamatanAdmin(ReferenceDataAdmin):
    """Kecamatan: added by superusers, edited by their administrators."""

    kecamatan_path = "pk"
    list_display = ("name", "city", "code", "region_code", "is_active")
    list_filter = ("is_active", "city")
    search_fields = ("name", "code", "region_code")
    readonly_fields = ("created_at", "updated_at")

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        if is_superuser(request):
            return self.readonly_fields
        return (*self.readonly_fields, "code", "city")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_superuser(request)


class LingkunganInline(ScopedInlineMixin, admin.TabularInline):
    model = Lingkungan
    form = LingkunganForm
    fields = ("number", "name", "head_name", "head_phone", "is_active")
    extra = 0
    ordering = ("number",)


@admin.register(Kelurahan)
class KelurahanAdmin(ScopedChoicesMixin, ReferenceDataAdmin):
    """Kelurahan with their lingkungan."""

    kecamatan_path = "kecamatan"
    list_display = ("name", "kecamatan", "code", "postal_code", "is_active")
    list_filter = ("is_active", "kecamatan")
    search_fields = ("name", "code", "region_code", "postal_code")
    list_select_related = ("kecamatan",)
    readonly_fields = ("created_at", "updated_at")
    inlines = (LingkunganInline,)


@admin.register(Lingkungan)
class LingkunganAdmin(ScopedChoicesMixin, ReferenceDataAdmin):
    """Lingkungan and their heads (kepala lingkungan)."""

    kecamatan_path = "kelurahan__kecamatan"
    form = LingkunganForm
    list_display = ("__str__", "number", "kelurahan", "head_name", "head_phone", "is_active")
    list_filter = ("is_active", "kelurahan__kecamatan", "kelurahan")
    search_fields = ("name", "head_name", "head_phone", "kelurahan__name")
    list_select_related = ("kelurahan",)
    ordering = ("kelurahan__name", "number")


@admin.register(Unit)
class UnitAdmin(ScopedChoicesMixin, ReferenceDataAdmin):
    """Kecamatan sections, kelurahan offices, UPT and city agencies (read-only for kecamatan
    administrators)."""

    kecamatan_path = "kecamatan"
    city_rows_visible = True
    form = UnitForm
    list_display = ("name", "short_name", "kind", "kecamatan", "kelurahan", "code", "is_active")
    list_filter = ("kind", "kecamatan", "is_active")
    search_fields = ("name", "short_name", "code")
    list_select_related = ("kecamatan", "kelurahan")
    readonly_fields = ("created_at", "updated_at")
