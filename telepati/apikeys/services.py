"""API clients: issue a key (shown once), find the client of a presented key, revoke.

A key is `secrets.token_urlsafe(32)` (256 random bits). Only its SHA-256 digest is stored,
with a short prefix to recognise it in lists; a fast digest is enough for keys this long and
lets a request find its client by an indexed, unique column. Only an administrator of the
client's kecamatan (or a superuser) issues or revokes keys.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from telepati.accounts.capabilities import Capability
from telepati.accounts.models import User
from telepati.accounts.selectors import officer_scope_get
from telepati.apikeys.models import ApiClient
from telepati.core.errors import Forbidden, InvalidInput
from telepati.org.models import Kecamatan

KEY_PREFIX_LENGTH = 8
KEY_MAX_LENGTH = 200
RATE_PATTERN = re.compile(r"^[1-9]\d{0,6}/([1-9]\d{0,4})?[smhd]$")
LAST_USED_GRANULARITY = timedelta(minutes=1)


def key_digest(key: str) -> str:
    """The stored form of a key."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def rate_is_valid(rate: str) -> bool:
    """Whether `rate` is a django-ratelimit rate such as ``60/m``, ``1000/h`` or ``10/5m``."""
    return bool(RATE_PATTERN.match(rate))


def _administrator_require(actor: User, kecamatan_id: int) -> None:
    scope = officer_scope_get(user=actor)
    if not scope.can_in(Capability.MANAGE_REFERENCE_DATA, kecamatan_id=kecamatan_id):
        raise Forbidden(_("Hanya administrator kecamatan ini yang boleh mengelola klien API."))


def api_client_create(
    *,
    actor: User,
    name: str,
    kecamatan: Kecamatan,
    rate: str = "60/m",
    can_write: bool = True,
    contact: str = "",
) -> tuple[ApiClient, str]:
    """Register a client and return it with its key — the only time the key is visible."""
    with transaction.atomic():
        _administrator_require(actor, kecamatan.pk)
        errors: dict[str, list[str]] = {}
        if not name.strip():
            errors["name"] = [_("Isi nama klien.")]
        if not rate_is_valid(rate.strip()):
            errors["rate"] = [_("Tulis batas seperti 60/m, 1000/h atau 10000/d.")]
        if errors:
            raise InvalidInput(_("Data klien API belum benar."), field_errors=errors)
        key = secrets.token_urlsafe(32)
        client = ApiClient.objects.create(
            name=name.strip()[:120],
            kecamatan=kecamatan,
            key_prefix=key[:KEY_PREFIX_LENGTH],
            key_digest=key_digest(key),
            rate=rate.strip(),
            can_write=can_write,
            contact=contact.strip()[:200],
            created_by=actor,
        )
    return client, key


def api_client_authenticate(*, key: str) -> ApiClient | None:
    """The active client holding `key`, or None (unknown, revoked or malformed key).

    The row is found by the digest's unique index, then the digests are compared in constant
    time. Its `last_used_at` is refreshed at most once a minute (one conditional UPDATE), so
    a busy client does not write on every request.
    """
    key = key.strip()
    if not key or len(key) > KEY_MAX_LENGTH:
        return None
    digest = key_digest(key)
    client = ApiClient.objects.select_related("kecamatan").filter(key_digest=digest).first()
    if client is None or not hmac.compare_digest(client.key_digest, digest):
        return None
    if not client.is_active:
        return None
    moment = timezone.now()
    if client.last_used_at is None or client.last_used_at < moment - LAST_USED_GRANULARITY:
        ApiClient.objects.filter(pk=client.pk).update(last_used_at=moment)
        client.last_used_at = moment
    return client


def api_client_revoke(*, actor: User, client: ApiClient) -> ApiClient:
    """Switch the client's key off for good (a new key means a new client)."""
    with transaction.atomic():
        locked = ApiClient.objects.select_for_update().get(pk=client.pk)
        _administrator_require(actor, locked.kecamatan_id)
        if locked.is_active:
            locked.is_active = False
            locked.save(update_fields=["is_active", "updated_at"])
    return locked
