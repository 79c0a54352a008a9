"""Admin for the priority programs: data entry for the kecamatan's administrators.

Scoped like the other admins (`accounts.admin_scoping`): superusers see everything, an
administrator the rows of their kecamatan. Businesses and activities are created through
the services (`business_register`, `activity_record`), so the same validation applies
(phones normalised, consent stamped, kinds matching the program); photos are uploaded
through `product_photo_set` / `activity_photo_add` (EXIF and GPS stripped) — the stored
photo fields are read-only; complaints are linked by tracking number through
`activity_link_report` (same kecamatan only). Guidance status, catalogue visibility and
finishing a work are actions that call the services. There is no separate back-office
screen for the programs.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.db.models import ForeignKey, Model, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from telepati.accounts.admin_scoping import (
    KecamatanScopedAdminMixin,
    ReferenceDataAdmin,
    ScopedInlineMixin,
    administered_kecamatan_ids,
    is_superuser,
)
from telepati.accounts.models import User
from telepati.core.errors import DomainError, InvalidInput
from telepati.org.models import Kecamatan, Kelurahan
from telepati.programs.models import (
    Business,
    GuidanceStatus,
    Product,
    Retailer,
    Training,
    TrainingAttendance,
)
from telepati.programs.services.common import PhotoUpload
from telepati.programs.services.umkm import (
    BusinessDraft,
    business_draft_clean,
    business_guidance_set,
    business_publish_set,
    business_register,
    business_update,
    product_photo_set,
)


def _errors_to_form(form: forms.BaseForm, error: InvalidInput) -> None:
    fields = set(form.fields)
    placed = False
    for name, texts in error.field_errors.items():
        for text in texts:
            form.add_error(name if name in fields else None, text)
            placed = True
    if not placed:
        form.add_error(None, str(error))


def _actor(request: HttpRequest) -> User:
    """The signed-in officer (the admin site lets only active staff in)."""
    return cast(User, request.user)


def _thumb(field: Any) -> str:
    if not field:
        return "-"
    return format_html('<img src="{}" alt="" width="96" loading="lazy">', field.url)


def _run(
    admin_obj: admin.ModelAdmin[Any], request: HttpRequest, call: Callable[[], object]
) -> bool:
    try:
        call()
    except DomainError as error:
        admin_obj.message_user(request, str(error), messages.ERROR)
        return False
    return True


class ProgramsScopedAdmin(KecamatanScopedAdminMixin, admin.ModelAdmin):
    kecamatan_path = "kecamatan"

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        # A kecamatan administrator picks only rows of the kecamatan they administer.
        if not is_superuser(request):
            ids = sorted(administered_kecamatan_ids(request))
            choices: dict[str, QuerySet[Any]] = {
                "kecamatan": Kecamatan.objects.filter(pk__in=ids),
                "kelurahan": Kelurahan.objects.filter(kecamatan_id__in=ids),
                "business": Business.objects.filter(kecamatan_id__in=ids),
            }
            if db_field.name in choices:
                kwargs["queryset"] = choices[db_field.name]
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return bool(request.user.is_active and getattr(request.user, "is_superuser", False))


@admin.register(Retailer)
class RetailerAdmin(ReferenceDataAdmin):
    kecamatan_path = "kecamatan"
    list_display = ("name", "kind", "kecamatan", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name",)


# --- Businesses ------------------------------------------------------------------------


class BusinessForm(forms.ModelForm[Business]):
    class Meta:
        model = Business
        fields = (
            "kelurahan",
            "name",
            "sector",
            "description",
            "address",
            "owner_name",
            "owner_phone",
            "public_contact",
            "public_contact_consent",
            "guidance_status",
            "registered_at",
            "nib",
            "is_public",
            "retailers",
        )

    def draft(self) -> BusinessDraft:
        data = self.cleaned_data
        return BusinessDraft(
            kelurahan_id=data["kelurahan"].pk,
            name=data["name"],
            sector=data["sector"],
            owner_name=data["owner_name"],
            registered_at=data["registered_at"],
            owner_phone=data.get("owner_phone") or "",
            description=data.get("description") or "",
            address=data.get("address") or "",
            public_contact=data.get("public_contact") or "",
            public_contact_consent=bool(data.get("public_contact_consent")),
            guidance_status=data["guidance_status"],
            nib=data.get("nib") or "",
            is_public=bool(data.get("is_public")),
            retailer_ids=[r.pk for r in data.get("retailers") or []],
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            try:
                business_draft_clean(self.draft())
            except InvalidInput as error:
                _errors_to_form(self, error)
        return data


class ProductInline(ScopedInlineMixin, admin.TabularInline):
    model = Product
    extra = 0
    max_num = 0
    fields = ("name", "price_min", "price_max", "photo_preview")
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    @admin.display(description=_("foto"))
    def photo_preview(self, obj: Product) -> str:
        return _thumb(obj.thumbnail or obj.photo)


@admin.register(Business)
class BusinessAdmin(ProgramsScopedAdmin):
    form = BusinessForm
    list_display = ("name", "sector", "kelurahan", "guidance_status", "is_public")
    list_filter = ("guidance_status", "sector", "is_public", "kelurahan")
    list_select_related = ("kelurahan",)
    search_fields = ("name", "owner_name")
    readonly_fields = ("public_contact_consent_at", "version", "created_by", "created_at")
    filter_horizontal = ("retailers",)
    inlines = (ProductInline,)
    actions = ("mark_active", "mark_independent", "mark_inactive", "publish", "hide")

    def save_model(self, request: HttpRequest, obj: Business, form: Any, change: bool) -> None:
        if change:
            business_update(actor=_actor(request), business_id=obj.pk, draft=form.draft())
        else:
            made = business_register(actor=_actor(request), draft=form.draft())
            obj.pk = made.pk
            obj._state.adding = False

    def _guidance(self, request: HttpRequest, queryset: QuerySet[Business], status: str) -> None:
        done = sum(
            _run(
                self,
                request,
                partial(
                    business_guidance_set,
                    actor=_actor(request),
                    business_id=b.pk,
                    status=status,
                ),
            )
            for b in queryset
        )
        self.message_user(request, _("%(n)d UMKM diperbarui.") % {"n": done})

    @admin.action(description=_("Tandai binaan aktif"))
    def mark_active(self, request: HttpRequest, queryset: QuerySet[Business]) -> None:
        self._guidance(request, queryset, GuidanceStatus.ACTIVE)

    @admin.action(description=_("Tandai mandiri"))
    def mark_independent(self, request: HttpRequest, queryset: QuerySet[Business]) -> None:
        self._guidance(request, queryset, GuidanceStatus.INDEPENDENT)

    @admin.action(description=_("Tandai tidak aktif"))
    def mark_inactive(self, request: HttpRequest, queryset: QuerySet[Business]) -> None:
        self._guidance(request, queryset, GuidanceStatus.INACTIVE)

    def _publish(self, request: HttpRequest, queryset: QuerySet[Business], value: bool) -> None:
        done = sum(
            _run(
                self,
                request,
                partial(
                    business_publish_set,
                    actor=_actor(request),
                    business_id=b.pk,
                    is_public=value,
                ),
            )
            for b in queryset
        )
        self.message_user(request, _("%(n)d UMKM diperbarui.") % {"n": done})

    @admin.action(description=_("Tampilkan di katalog publik"))
    def publish(self, request: HttpRequest, queryset: QuerySet[Business]) -> None:
        self._publish(request, queryset, True)

    @admin.action(description=_("Sembunyikan dari katalog publik"))
    def hide(self, request: HttpRequest, queryset: QuerySet[Business]) -> None:
        self._publish(request, queryset, False)


class ProductForm(forms.ModelForm[Product]):
    upload = forms.ImageField(
        label=_("unggah foto"),
        required=False,
        help_text=_("Foto dibersihkan dari data EXIF dan lokasi GPS sebelum disimpan."),
    )

    class Meta:
        model = Product
        fields = ("business", "name", "description", "price_min", "price_max")


@admin.register(Product)
class ProductAdmin(ProgramsScopedAdmin):
    form = ProductForm
    kecamatan_path = "business__kecamatan"
    list_display = ("name", "business", "price_min", "price_max")
    list_select_related = ("business",)
    search_fields = ("name", "business__name")
    readonly_fields = ("photo_preview",)

    @admin.display(description=_("foto"))
    def photo_preview(self, obj: Product) -> str:
        return _thumb(obj.thumbnail or obj.photo)

    def save_model(self, request: HttpRequest, obj: Product, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        upload = form.cleaned_data.get("upload")
        if upload:
            photo = PhotoUpload(name=upload.name, content=upload.read())
            _run(
                self,
                request,
                partial(product_photo_set, actor=_actor(request), product_id=obj.pk, photo=photo),
            )


# --- Trainings -------------------------------------------------------------------------


class AttendanceInline(ScopedInlineMixin, admin.TabularInline):
    model = TrainingAttendance
    extra = 1
    fields = ("business", "attended")
    autocomplete_fields = ("business",)


@admin.register(Training)
class TrainingAdmin(ProgramsScopedAdmin):
    list_display = ("title", "date", "place", "organiser")
    search_fields = ("title", "organiser")
    inlines = (AttendanceInline,)


# The activity log's admin lives beside this module (size); importing it registers it.
from telepati.programs import admin_activities  # noqa: E402, F401
