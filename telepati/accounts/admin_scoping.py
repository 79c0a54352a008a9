"""Kecamatan scoping for the Django admin, shared by every reference-data admin.

Superusers see and edit everything. An officer with an active administrator role (which
gives `is_staff`, see `telepati.accounts.services`) sees the rows of the kecamatan they
administer and city-wide rows (city agencies, categories) read-only; they never hard-delete
reference data (deactivate it instead). Access comes from the roles, not from Django's
per-model permissions, so no groups have to be kept in step with memberships.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest

from telepati.accounts.capabilities import Capability
from telepati.accounts.scope import OfficerScope
from telepati.accounts.selectors import officer_scope_get

_REQUEST_ATTR = "_telepati_officer_scope"


def request_scope(request: HttpRequest) -> OfficerScope:
    """The signed-in officer's scope, computed once per request."""
    scope = getattr(request, _REQUEST_ATTR, None)
    if scope is None:
        scope = officer_scope_get(user=request.user)
        setattr(request, _REQUEST_ATTR, scope)
    return scope


def is_superuser(request: HttpRequest) -> bool:
    """Whether the request comes from an active superuser."""
    user = request.user
    return bool(user.is_active and getattr(user, "is_superuser", False))


def administered_kecamatan_ids(request: HttpRequest) -> frozenset[int]:
    """The kecamatan whose reference data the signed-in officer administers."""
    return request_scope(request).kecamatan_ids_for(Capability.MANAGE_REFERENCE_DATA)


def related_id(obj: Model, path: str) -> Any:
    """Follow a Django field path (``"kelurahan__kecamatan"``) on an instance to an id."""
    if path == "pk":
        return obj.pk
    *hops, last = path.split("__")
    current: Any = obj
    for hop in hops:
        current = getattr(current, hop, None)
        if current is None:
            return None
    return getattr(current, f"{last}_id", None)


class KecamatanScopedAdminMixin:
    """Scopes a ModelAdmin by `kecamatan_path`; `None` marks a city-wide (read-only) model.

    `city_rows_visible` adds rows whose kecamatan is empty (city agencies) to the list,
    read-only. Subclasses with to-many paths override `row_editable`.
    """

    kecamatan_path: str | None = None
    city_rows_visible = False

    def _administers(self, request: HttpRequest) -> bool:
        return bool(administered_kecamatan_ids(request))

    def scope_q(self, request: HttpRequest) -> Q:
        """The rows a kecamatan administrator may see."""
        if self.kecamatan_path is None:
            return Q()
        ids = sorted(administered_kecamatan_ids(request))
        condition = Q(**{f"{self.kecamatan_path}__in": ids})
        if self.city_rows_visible:
            condition |= Q(**{f"{self.kecamatan_path}__isnull": True})
        return condition

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset: QuerySet[Any] = super().get_queryset(request)  # type: ignore[misc]
        if is_superuser(request):
            return queryset
        if not self._administers(request):
            return queryset.none()
        return queryset.filter(self.scope_q(request))

    def row_editable(self, request: HttpRequest, obj: Model) -> bool:
        """Whether a kecamatan administrator may change this row."""
        if self.kecamatan_path is None:
            return False
        return related_id(obj, self.kecamatan_path) in administered_kecamatan_ids(request)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_superuser(request) or self._administers(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        if is_superuser(request):
            return True
        if not self._administers(request):
            return False
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        if is_superuser(request):
            return True
        if not self._administers(request) or self.kecamatan_path is None:
            return False
        return obj is None or self.row_editable(request, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        if is_superuser(request):
            return True
        return self._administers(request) and self.kecamatan_path is not None

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # Reference rows are referenced by history; others deactivate instead of deleting.
        return is_superuser(request)


class ScopedInlineMixin:
    """Inline rows follow their parent: editable when the parent is, never deleted by
    kecamatan administrators. The parent admin has already checked the parent row."""

    admin_site: admin.AdminSite
    parent_model: type[Model]

    def _parent_editable(self, request: HttpRequest, obj: Model | None) -> bool:
        if is_superuser(request):
            return True
        if not administered_kecamatan_ids(request):
            return False
        parent_admin = self.admin_site._registry.get(self.parent_model)
        if parent_admin is None:
            return False
        return obj is None or parent_admin.has_change_permission(request, obj)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_superuser(request) or bool(administered_kecamatan_ids(request))

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._parent_editable(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._parent_editable(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_superuser(request)


class ReferenceDataAdmin(KecamatanScopedAdminMixin, admin.ModelAdmin):
    """Base admin for reference data scoped by kecamatan.

    The `code` of an existing row is read-only for kecamatan administrators: seeding matches
    rows by code, so a changed code would come back as a duplicate.
    """

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        fields = tuple(super().get_readonly_fields(request, obj))
        has_code = any(f.name == "code" for f in self.model._meta.get_fields())
        if obj is not None and has_code and not is_superuser(request) and "code" not in fields:
            fields = (*fields, "code")
        return fields
