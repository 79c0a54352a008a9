"""Reads about an officer's second factor: who must use one, and which devices they have."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from telepati.accounts.roles import Role
from telepati.accounts.scope import OfficerScope
from telepati.accounts.selectors import officer_scope_get

AnyUser = AbstractBaseUser | AnonymousUser


def two_factor_required(*, user: AnyUser, scope: OfficerScope | None = None) -> bool:
    """Whether `user` must sign in with a second factor: superusers and administrators.

    An administrator is anyone holding an active ADMINISTRATOR membership (as the scope
    sees it). Pass `scope` when it is at hand to save the query.
    """
    if not settings.TELEPATI_ADMIN_2FA_REQUIRED or not user.is_authenticated:
        return False
    if scope is None:
        scope = officer_scope_get(user=user)
    return scope.is_superuser or Role.ADMINISTRATOR in scope.roles


def is_verified(user: AnyUser) -> bool:
    """Whether this session's user passed a second factor (set up by django-otp's middleware)."""
    check = getattr(user, "is_verified", None)
    return bool(check()) if callable(check) else False


def totp_device_get(*, user: AnyUser) -> TOTPDevice | None:
    """The user's confirmed authenticator-app device, if they enrolled one."""
    if getattr(user, "pk", None) is None:
        return None
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).order_by("pk").first()


def backup_codes_left(*, user: AnyUser) -> int:
    """How many unused backup codes the user still has."""
    device = StaticDevice.objects.filter(user_id=user.pk, confirmed=True).first()
    return device.token_set.count() if device is not None else 0
