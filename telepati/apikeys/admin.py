"""Admin for API clients: issue a key (shown once in a message), adjust limits, revoke.

Scoped like every reference-data admin: a kecamatan administrator sees and manages the
clients of their kecamatan; superusers see all. The key itself is never stored or shown
again — the list shows its prefix only. Creating and revoking go through the services.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import ForeignKey, QuerySet
from django.forms import ModelChoiceField
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from telepati.accounts.admin_scoping import (
    KecamatanScopedAdminMixin,
    administered_kecamatan_ids,
    is_superuser,
)
from telepati.accounts.models import User
from telepati.apikeys.models import ApiClient
from telepati.apikeys.services import api_client_create, api_client_revoke, rate_is_valid
from telepati.core.errors import DomainError
from telepati.org.models import Kecamatan


class ApiClientForm(forms.ModelForm):
    """The editable settings of a client; the key fields are never part of a form."""

    class Meta:
        model = ApiClient
        fields = ("name", "kecamatan", "contact", "rate", "can_write", "is_active")

    def clean_rate(self) -> str:
        rate = str(self.cleaned_data.get("rate") or "").strip()
        if not rate_is_valid(rate):
            raise forms.ValidationError(_("Tulis batas seperti 60/m, 1000/h atau 10000/d."))
        return rate


@admin.register(ApiClient)
class ApiClientAdmin(KecamatanScopedAdminMixin, admin.ModelAdmin):
    """Clients of the Open311 and REST doors with their key prefix, limit and last use."""

    form = ApiClientForm
    kecamatan_path = "kecamatan"
    list_display = (
        "name",
        "key_prefix",
        "kecamatan",
        "rate",
        "can_write",
        "is_active",
        "last_used_at",
    )
    list_filter = ("is_active", "can_write")
    list_select_related = ("kecamatan",)
    search_fields = ("name", "key_prefix", "contact")
    readonly_fields = ("key_prefix", "last_used_at", "created_by", "created_at", "updated_at")
    actions = ("revoke_selected",)

    def get_fields(self, request: HttpRequest, obj: ApiClient | None = None) -> Any:
        if obj is None:
            return ("name", "kecamatan", "contact", "rate", "can_write")
        return (
            "name",
            "kecamatan",
            "contact",
            "rate",
            "can_write",
            "is_active",
            *self.readonly_fields,
        )

    def get_readonly_fields(self, request: HttpRequest, obj: ApiClient | None = None) -> Any:
        if obj is None:
            return ()
        # A client's kecamatan decides where its reports land: fixed once issued.
        return (*self.readonly_fields, "kecamatan")

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        if db_field.related_model is Kecamatan and not is_superuser(request):
            kwargs["queryset"] = Kecamatan.objects.filter(
                pk__in=sorted(administered_kecamatan_ids(request))
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(
        self, request: HttpRequest, obj: ApiClient, form: forms.ModelForm, change: bool
    ) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        assert isinstance(request.user, User)
        client, key = api_client_create(
            actor=request.user,
            name=form.cleaned_data["name"],
            kecamatan=form.cleaned_data["kecamatan"],
            rate=form.cleaned_data["rate"],
            can_write=form.cleaned_data["can_write"],
            contact=form.cleaned_data.get("contact") or "",
        )
        obj.pk = client.pk
        obj._state.adding = False
        obj.refresh_from_db()
        messages.warning(
            request,
            _(
                "Kunci API untuk %(name)s: %(key)s — salin sekarang, kunci ini tidak akan "
                "ditampilkan lagi."
            )
            % {"name": client.name, "key": key},
        )

    @admin.action(description=gettext_lazy("Cabut kunci klien terpilih"))
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet[ApiClient]) -> None:
        assert isinstance(request.user, User)
        revoked = 0
        for client in queryset:
            try:
                api_client_revoke(actor=request.user, client=client)
            except DomainError as exc:
                messages.error(request, str(exc))
                continue
            revoked += 1
        messages.success(request, _("%(n)d kunci dicabut.") % {"n": revoked})
