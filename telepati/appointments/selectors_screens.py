"""Reads the screens of temu cepat need beyond `selectors`: the public pages find a service
by its code (the booking steps and the TV display at /layar/<code>/)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from telepati.appointments.models import OfficeService
from telepati.appointments.selectors import services_active
from telepati.core.errors import NotFound


def service_get_public(*, code: str) -> OfficeService:
    """An active service by its code (one query); NotFound for unknown or inactive codes.

    Codes are unique per kecamatan; should two kecamatan use the same code, the one created
    first answers (the public door serves one kecamatan today)."""
    code = code.strip().lower()
    # Only a slug can be a service code (a NUL would also make PostgreSQL fail).
    valid = (
        bool(code)
        and len(code) <= 40
        and all(c.isascii() and (c.isalnum() or c in "-_") for c in code)
    )
    service = (
        services_active().filter(code=code).order_by("kecamatan_id").first() if valid else None
    )
    if service is None:
        raise NotFound(_("Layanan tidak ditemukan."))
    return service
