"""Citizen contacts: find-or-create by the strongest identifier a door knows.

A door passes what it has (a normalised phone, a WhatsApp BSUID, an e-mail). The same
person arriving by WhatsApp and by web with the same number is one Citizen.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from telepati.citizens.models import Citizen
from telepati.core.errors import InvalidInput
from telepati.core.phone import PhoneNumber

EMAIL_MAX_LENGTH = 254  # Citizen.email (an EmailField)


def citizen_get_or_create(
    *,
    phone: PhoneNumber | None = None,
    wa_bsuid: str = "",
    name: str = "",
    email: str = "",
) -> Citizen:
    """Return the citizen with this phone or BSUID (filling in what was missing), or create one.

    The phone is looked up first, then the BSUID. An e-mail is neither unique nor verified, so
    it finds only a contact that has nothing stronger, and only when the door knows no more.
    """
    wa_bsuid, name, email = wa_bsuid.strip(), name.strip(), email.strip()
    if phone is None and not wa_bsuid and not email:
        raise InvalidInput(_("Isi nomor WhatsApp atau surel agar kami dapat menghubungi Anda."))
    if email:
        _email_check(email)
    lookups: list[Q] = []
    if phone is not None:
        lookups.append(Q(phone=phone.e164))
    if wa_bsuid:
        lookups.append(Q(wa_bsuid=wa_bsuid))
    if not lookups:
        lookups.append(Q(email__iexact=email, phone__isnull=True, wa_bsuid__isnull=True))
    citizen = _citizen_find(lookups)
    if citizen is not None:
        return _citizen_fill(citizen, phone=phone, wa_bsuid=wa_bsuid, name=name, email=email)
    try:
        with transaction.atomic():
            return Citizen.objects.create(
                phone=phone.e164 if phone else None,
                wa_bsuid=wa_bsuid or None,
                name=name[:120],
                email=email,
            )
    except IntegrityError:
        # Another request created the same contact a moment ago: use that one.
        citizen = _citizen_find(lookups)
        if citizen is None:
            raise
        return _citizen_fill(citizen, phone=phone, wa_bsuid=wa_bsuid, name=name, email=email)


def _email_check(email: str) -> None:
    try:
        validate_email(email)
        valid = len(email) <= EMAIL_MAX_LENGTH
    except ValidationError:
        valid = False
    if not valid:
        message = _("Alamat surel tidak valid.")
        raise InvalidInput(message, field_errors={"email": [message]})


def _citizen_find(lookups: list[Q]) -> Citizen | None:
    for lookup in lookups:
        citizen = Citizen.objects.filter(lookup).order_by("pk").first()
        if citizen is not None:
            return citizen
    return None


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
    if name and not citizen.name:
        citizen.name = name[:120]
        changed.append("name")
    if email and not citizen.email:
        citizen.email = email
        changed.append("email")
    if changed:
        citizen.save(update_fields=[*changed, "updated_at"])
    return citizen
