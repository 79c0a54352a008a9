"""Citizen contacts: find-or-create by the strongest identifier a door knows.

A door passes what it has (a normalised phone, a WhatsApp BSUID, an e-mail). The same
person arriving by WhatsApp and by web with the same number is one Citizen.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from telepati.citizens.models import Citizen
from telepati.core.errors import InvalidInput
from telepati.core.phone import PhoneNumber


def citizen_get_or_create(
    *,
    phone: PhoneNumber | None = None,
    wa_bsuid: str = "",
    name: str = "",
    email: str = "",
) -> Citizen:
    """Return the citizen with this phone or BSUID (filling in what was missing), or create one."""
    if phone is None and not wa_bsuid and not email:
        raise InvalidInput(_("Isi nomor WhatsApp atau surel agar kami dapat menghubungi Anda."))
    lookups = []
    if phone is not None:
        lookups.append({"phone": phone.e164})
    if wa_bsuid:
        lookups.append({"wa_bsuid": wa_bsuid})
    for lookup in lookups:
        citizen = Citizen.objects.filter(**lookup).first()
        if citizen is not None:
            return _citizen_fill(citizen, phone=phone, wa_bsuid=wa_bsuid, name=name, email=email)
    try:
        with transaction.atomic():
            return Citizen.objects.create(
                phone=phone.e164 if phone else None,
                wa_bsuid=wa_bsuid or None,
                name=name.strip()[:120],
                email=email.strip(),
            )
    except IntegrityError:
        # Another request created the same contact a moment ago: use that one.
        for lookup in lookups:
            citizen = Citizen.objects.filter(**lookup).first()
            if citizen is not None:
                return citizen
        raise


def _citizen_fill(
    citizen: Citizen, *, phone: PhoneNumber | None, wa_bsuid: str, name: str, email: str
) -> Citizen:
    """Add identifiers and a name the row lacked; never overwrite what is already known."""
    changed: list[str] = []
    if (
        phone is not None
        and not citizen.phone
        and not Citizen.objects.filter(phone=phone.e164).exists()
    ):
        citizen.phone = phone.e164
        changed.append("phone")
    if wa_bsuid and not citizen.wa_bsuid and not Citizen.objects.filter(wa_bsuid=wa_bsuid).exists():
        citizen.wa_bsuid = wa_bsuid
        changed.append("wa_bsuid")
    if name.strip() and not citizen.name:
        citizen.name = name.strip()[:120]
        changed.append("name")
    if email.strip() and not citizen.email:
        citizen.email = email.strip()
        changed.append("email")
    if changed:
        citizen.save(update_fields=[*changed, "updated_at"])
    return citizen
