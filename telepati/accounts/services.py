"""Writes about officers: creating accounts and granting or revoking roles in units.

An officer's access lives in memberships. A membership is never deleted: revoking
deactivates it (its history stays), granting again reactivates it. Only a superuser, or an
administrator of the kecamatan the unit belongs to, may create officers or change
memberships; city-level units (OPD) are managed by superusers. Holding an active
administrator role gives `is_staff`, so the officer can open the Django admin, which scopes
itself to their kecamatan.
"""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from telepati.accounts.capabilities import Capability
from telepati.accounts.models import Membership, Role, User
from telepati.accounts.selectors import officer_scope_get
from telepati.core.errors import Conflict, Forbidden, InvalidInput
from telepati.core.phone import phone_normalize
from telepati.org.models import Unit


def _ensure_manages_unit(*, actor: User, unit: Unit) -> None:
    """Raise Forbidden unless `actor` may manage the officers of `unit`."""
    scope = officer_scope_get(user=actor)
    if not scope.can_in(Capability.MANAGE_OFFICERS, kecamatan_id=unit.kecamatan_id):
        raise Forbidden(_("Anda tidak berwenang mengatur petugas unit kerja ini."))


def _staff_flag_sync(*, user: User) -> None:
    """Keep `is_staff` equal to "holds an active administrator role" (superusers keep it)."""
    is_staff = (
        user.is_superuser
        or user.memberships.filter(role=Role.ADMINISTRATOR, is_active=True).exists()
    )
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])


@transaction.atomic
def _membership_ensure(*, user: User, unit: Unit, role: Role, title: str) -> Membership:
    membership, created = Membership.objects.get_or_create(
        user=user, unit=unit, role=role, defaults={"title": title, "is_active": True}
    )
    if not created:
        changed: list[str] = []
        if not membership.is_active:
            membership.is_active = True
            changed.append("is_active")
        if title and membership.title != title:
            membership.title = title
            changed.append("title")
        if changed:
            membership.save(update_fields=[*changed, "updated_at"])
    _staff_flag_sync(user=user)
    return membership


def membership_grant(
    *, actor: User, user: User, unit: Unit, role: Role | str, title: str = ""
) -> Membership:
    """Give `user` a role in `unit` (reactivating a revoked one); idempotent."""
    _ensure_manages_unit(actor=actor, unit=unit)
    try:
        role = Role(role)
    except ValueError:
        raise InvalidInput(_("Peran tidak dikenal."), field_errors={"role": []}) from None
    return _membership_ensure(user=user, unit=unit, role=role, title=title.strip())


@transaction.atomic
def membership_revoke(*, actor: User, membership: Membership) -> Membership:
    """Deactivate a membership (the row stays for history); idempotent."""
    _ensure_manages_unit(actor=actor, unit=membership.unit)
    if membership.is_active:
        membership.is_active = False
        membership.save(update_fields=["is_active", "updated_at"])
    _staff_flag_sync(user=membership.user)
    return membership


def membership_title_set(*, actor: User, membership: Membership, title: str) -> Membership:
    """Change the job title shown for a membership."""
    _ensure_manages_unit(actor=actor, unit=membership.unit)
    title = title.strip()
    if membership.title != title:
        membership.title = title
        membership.save(update_fields=["title", "updated_at"])
    return membership


def _phone_clean(phone: str) -> str:
    if not phone.strip():
        return ""
    try:
        return phone_normalize(phone).e164
    except ValidationError as exc:
        raise InvalidInput(exc.messages[0], field_errors={"phone": exc.messages}) from None


@transaction.atomic
def officer_create(
    *,
    actor: User,
    username: str,
    password: str | None,
    unit: Unit,
    role: Role | str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    phone: str = "",
    title: str = "",
) -> User:
    """Create an officer account holding one role in `unit`.

    Without a password the account cannot sign in until one is set. The password must pass
    the configured validators; the phone number is stored normalised (E.164).
    """
    _ensure_manages_unit(actor=actor, unit=unit)
    try:
        role = Role(role)
    except ValueError:
        raise InvalidInput(_("Peran tidak dikenal."), field_errors={"role": []}) from None
    username = username.strip()
    if not username:
        raise InvalidInput(_("Nama pengguna wajib diisi."), field_errors={"username": []})
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict(_("Nama pengguna sudah dipakai."))
    user = User(
        username=username,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip(),
        phone=_phone_clean(phone),
    )
    if password is None:
        user.set_unusable_password()
    else:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise InvalidInput(
                exc.messages[0], field_errors={"password": list(exc.messages)}
            ) from None
        user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise Conflict(_("Nama pengguna sudah dipakai.")) from None
    _membership_ensure(user=user, unit=unit, role=role, title=title.strip())
    return user
