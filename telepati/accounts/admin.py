"""Admin for officers and their memberships. Role changes go through the services
(`membership_grant`, `membership_revoke`), so `is_staff` and the permission rules follow."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import ForeignKey, Model, Q, QuerySet
from django.forms import BaseInlineFormSet, ModelChoiceField
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from telepati.accounts.admin_scoping import (
    KecamatanScopedAdminMixin,
    ReferenceDataAdmin,
    ScopedInlineMixin,
    administered_kecamatan_ids,
    is_superuser,
)
from telepati.accounts.models import Membership, User
from telepati.accounts.services import membership_grant, membership_revoke, membership_title_set
from telepati.org.admin import scoped_foreignkey_queryset
from telepati.org.forms import phone_field_clean


class OfficerChangeForm(UserChangeForm):
    """Change form with the WhatsApp number normalised."""

    class Meta(UserChangeForm.Meta):  # type: ignore[name-defined]
        model = User

    def clean_phone(self) -> str:
        return phone_field_clean(self.cleaned_data.get("phone"), mobile_only=True)


class OfficerCreationForm(AdminUserCreationForm):
    """Creation form with name and WhatsApp number."""

    class Meta(AdminUserCreationForm.Meta):  # type: ignore[name-defined]
        model = User
        fields = ("username", "first_name", "last_name", "email", "phone")

    def clean_phone(self) -> str:
        return phone_field_clean(self.cleaned_data.get("phone"), mobile_only=True)


class MembershipForm(forms.ModelForm):
    """Who and where are fixed once a membership exists; revoke and grant anew instead."""

    class Meta:
        model = Membership
        fields = ("user", "unit", "role", "title", "is_active")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            for name in ("user", "unit", "role"):
                if name in self.fields:
                    self.fields[name].disabled = True


def membership_form_save(*, actor: User, form: forms.ModelForm, user: User) -> Membership:
    """Apply one validated membership form through the services; return the saved row."""
    data = form.cleaned_data
    title = data.get("title", "")
    active = data.get("is_active", True)
    if form.instance.pk is None:
        membership = membership_grant(
            actor=actor, user=user, unit=data["unit"], role=data["role"], title=title
        )
        if not active:
            membership = membership_revoke(actor=actor, membership=membership)
        return membership
    original = Membership.objects.select_related("unit", "user").get(pk=form.instance.pk)
    if active and not original.is_active:
        original = membership_grant(
            actor=actor, user=original.user, unit=original.unit, role=original.role, title=title
        )
    elif not active and original.is_active:
        original = membership_revoke(actor=actor, membership=original)
    if original.title != title.strip():
        original = membership_title_set(actor=actor, membership=original, title=title)
    return original


class MembershipInline(ScopedInlineMixin, admin.TabularInline):
    model = Membership
    form = MembershipForm
    fields = ("unit", "role", "title", "is_active")
    extra = 0
    can_delete = False
    autocomplete_fields = ()

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        kwargs = scoped_foreignkey_queryset(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(
        self, request: HttpRequest, obj: Model | None = None, **kwargs: Any
    ) -> type[BaseInlineFormSet[Any, Any, Any]]:
        if obj is None and not is_superuser(request):
            # A new officer must get a role in the administrator's kecamatan, or they would
            # vanish from the administrator's list straight away.
            kwargs.update(min_num=1, validate_min=True, extra=0)
        return super().get_formset(request, obj, **kwargs)


@admin.register(User)
class OfficerAdmin(KecamatanScopedAdminMixin, DjangoUserAdmin):
    """Officers with their memberships; kecamatan administrators manage their own officers."""

    kecamatan_path = "memberships__unit__kecamatan"
    form = OfficerChangeForm
    add_form = OfficerCreationForm
    inlines = (MembershipInline,)
    list_display = ("username", "get_full_name", "phone", "is_active", "is_staff", "is_superuser")
    list_filter = ("is_active", "is_staff", "is_superuser", "memberships__role")
    search_fields = ("username", "first_name", "last_name", "email", "phone")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Data pribadi"), {"fields": ("first_name", "last_name", "email", "phone")}),
        (
            _("Hak akses"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Waktu penting"), {"fields": ("last_login", "date_joined")}),
    )
    limited_fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Data pribadi"), {"fields": ("first_name", "last_name", "email", "phone")}),
        (_("Status"), {"fields": ("is_active", "is_staff", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "first_name",
                    "last_name",
                    "email",
                    "phone",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if is_superuser(request):
            return queryset
        return queryset.filter(is_superuser=False).distinct()

    def row_editable(self, request: HttpRequest, obj: Model) -> bool:
        """Only officers whose every unit lies in the administrator's kecamatan."""
        assert isinstance(obj, User)
        if obj.is_superuser:
            return False
        ids = sorted(administered_kecamatan_ids(request))
        memberships = obj.memberships.all()
        return (
            memberships.exists()
            and not memberships.filter(
                ~Q(unit__kecamatan__in=ids) | Q(unit__kecamatan__isnull=True)
            ).exists()
        )

    def get_fieldsets(self, request: HttpRequest, obj: Model | None = None) -> Any:
        if obj is None or is_superuser(request):
            return super().get_fieldsets(request, obj)
        return self.limited_fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        if is_superuser(request):
            return ()
        return ("is_staff", "last_login", "date_joined")

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not Membership:
            super().save_formset(request, form, formset, change)
            return
        actor = request.user
        assert isinstance(actor, User)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            if not inline_form.has_changed() or not inline_form.cleaned_data:
                continue
            is_new = inline_form.instance.pk is None
            membership = membership_form_save(actor=actor, form=inline_form, user=form.instance)
            if is_new:
                formset.new_objects.append(membership)
            else:
                formset.changed_objects.append((membership, inline_form.changed_data))


@admin.register(Membership)
class MembershipAdmin(ReferenceDataAdmin):
    """Roles held in units. Deactivate (revoke) instead of deleting."""

    kecamatan_path = "unit__kecamatan"
    form = MembershipForm
    list_display = ("user", "role", "unit", "title", "is_active")
    list_filter = ("role", "is_active", "unit__kind", "unit__kecamatan")
    search_fields = ("user__username", "user__first_name", "user__last_name", "unit__name", "title")
    list_select_related = ("user", "unit")
    readonly_fields = ("created_at", "updated_at")

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        if db_field.name == "user" and not is_superuser(request):
            ids = sorted(administered_kecamatan_ids(request))
            kwargs["queryset"] = User.objects.filter(
                is_superuser=False, memberships__unit__kecamatan__in=ids
            ).distinct()
        else:
            kwargs = scoped_foreignkey_queryset(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        actor = request.user
        assert isinstance(actor, User)
        user = obj.user if not change else Membership.objects.get(pk=obj.pk).user
        saved = membership_form_save(actor=actor, form=form, user=user)
        obj.pk = saved.pk
        obj.is_active = saved.is_active
        obj.title = saved.title
