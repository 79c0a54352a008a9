"""Reads about officers, with each officer's scope built in (rules: `telepati.accounts.scope`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from telepati.accounts.models import Membership, Role, User
from telepati.accounts.scope import Grant, OfficerScope, scope_build
from telepati.core.errors import NotFound
from telepati.org.models import Kelurahan, Unit, UnitKind

AnyUser: TypeAlias = AbstractBaseUser | AnonymousUser


def officer_scope_get(*, user: AnyUser) -> OfficerScope:
    """The scope of `user` (anonymous and inactive users get an empty one) in one query."""
    user_id = getattr(user, "pk", None)
    if user_id is None or not getattr(user, "is_active", False):
        return scope_build(user_id=user_id, is_active=False, is_superuser=False, grants=())
    rows = (
        Membership.objects.filter(
            user_id=user_id,
            is_active=True,
            unit__is_active=True,
        )
        .filter(Q(unit__kecamatan__isnull=True) | Q(unit__kecamatan__is_active=True))
        .values_list("role", "unit_id", "unit__kind", "unit__kecamatan_id", "unit__kelurahan_id")
        .order_by("pk")
    )
    grants = [
        Grant(
            role=Role(role),
            unit_id=unit_id,
            unit_kind=kind,
            kecamatan_id=kecamatan_id,
            kelurahan_id=kelurahan_id,
        )
        for role, unit_id, kind, kecamatan_id, kelurahan_id in rows
    ]
    return scope_build(
        user_id=user_id,
        is_active=True,
        is_superuser=bool(getattr(user, "is_superuser", False)),
        grants=grants,
    )


def _scope(user: AnyUser, scope: OfficerScope | None) -> OfficerScope:
    return scope if scope is not None else officer_scope_get(user=user)


def kelurahan_list_for_officer(
    *, user: AnyUser, scope: OfficerScope | None = None
) -> QuerySet[Kelurahan]:
    """Active kelurahan the officer may see data of (whole kecamatan or own kelurahan)."""
    scope = _scope(user, scope)
    return (
        Kelurahan.objects.filter(is_active=True, kecamatan__is_active=True)
        .filter(scope.q(kecamatan="kecamatan", kelurahan="pk"))
        .select_related("kecamatan")
        .order_by("kecamatan__name", "name")
    )


def kelurahan_get_for_officer(
    *, user: AnyUser, code: str, scope: OfficerScope | None = None
) -> Kelurahan:
    """One kelurahan by code; NotFound when missing or outside the scope (no existence leak)."""
    try:
        return kelurahan_list_for_officer(user=user, scope=scope).get(code=code)
    except Kelurahan.DoesNotExist:
        raise NotFound(_("Kelurahan tidak ditemukan.")) from None


def unit_list_for_officer(*, user: AnyUser, scope: OfficerScope | None = None) -> QuerySet[Unit]:
    """Active units the officer may address: those of their kecamatan and the city agencies.

    A liaison (no home kecamatan) gets the city-level units; a courier only their own units.
    """
    scope = _scope(user, scope)
    units = Unit.objects.filter(is_active=True).select_related("kecamatan", "kelurahan")
    if scope.is_superuser:
        return units.order_by("kind", "name")
    condition = Q(pk__in=sorted(scope.member_unit_ids))
    if scope.unit_ids:  # holds at least one role besides courier
        condition |= Q(kecamatan__in=sorted(scope.home_kecamatan_ids)) | Q(kecamatan__isnull=True)
    return units.filter(condition).order_by("kind", "name")


def officer_list_for_officer(*, user: AnyUser, scope: OfficerScope | None = None) -> QuerySet[User]:
    """Active colleagues the officer may see: members of the units inside their scope."""
    scope = _scope(user, scope)
    memberships = Membership.objects.filter(is_active=True, unit__is_active=True).filter(
        scope.q(kecamatan="unit__kecamatan", kelurahan="unit__kelurahan", forwarded_unit="unit")
    )
    return User.objects.filter(is_active=True, pk__in=memberships.values("user_id")).order_by(
        "username"
    )


def membership_list_for_user(*, user: User) -> QuerySet[Membership]:
    """All memberships of one user (active first), with their units, for profile pages."""
    return (
        Membership.objects.filter(user=user)
        .select_related("unit", "unit__kecamatan", "unit__kelurahan")
        .order_by("-is_active", "unit__name")
    )


# --- Whom to tell: officers to notify, for the domain services ---------------------------


def officer_list_of_units(*, unit_ids: Sequence[int]) -> list[User]:
    """Active members of these units (couriers excluded), each once, in a stable order."""
    memberships = Membership.objects.filter(
        unit_id__in=list(unit_ids), is_active=True, unit__is_active=True
    ).exclude(role=Role.COURIER)
    return list(
        User.objects.filter(is_active=True, pk__in=memberships.values("user_id")).order_by("pk")
    )


def officer_list_of_kecamatan(
    *, kecamatan_id: int, roles: Sequence[Role], kelurahan_id: int | None = None
) -> list[User]:
    """Active officers holding one of `roles` in the kantor camat of a kecamatan.

    Kelurahan offices are left out (a lurah is no camat), except the office of `kelurahan_id`
    when given: the lurah of the place a report is about hears about it too.
    """
    where = Q(unit__kecamatan_id=kecamatan_id) & ~Q(unit__kind=UnitKind.KELURAHAN_OFFICE)
    if kelurahan_id is not None:
        where |= Q(unit__kind=UnitKind.KELURAHAN_OFFICE, unit__kelurahan_id=kelurahan_id)
    memberships = Membership.objects.filter(
        where, role__in=list(roles), is_active=True, unit__is_active=True
    )
    return list(
        User.objects.filter(is_active=True, pk__in=memberships.values("user_id")).order_by("pk")
    )
