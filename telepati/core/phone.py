"""The one normaliser for phone numbers, built on Google's libphonenumber.

Residents write Indonesian mobile numbers as 08xx…, +62 8xx… or 628xx…, often with spaces,
dashes or brackets. TELEPATI stores E.164 (`+6281234567890`); WhatsApp identifies a person
by the same digits without the plus (`6281234567890`, its `wa_id`).
"""

from __future__ import annotations

from dataclasses import dataclass

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DEFAULT_REGION = "ID"
_MOBILE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}
_MAX_INPUT_LENGTH = 40


@dataclass(frozen=True, slots=True)
class PhoneNumber:
    """A valid phone number in its two stored forms."""

    e164: str

    @property
    def wa_id(self) -> str:
        """WhatsApp's form: international digits without '+'."""
        return self.e164.removeprefix("+")

    @property
    def last4(self) -> str:
        return self.e164[-4:]

    @property
    def national(self) -> str:
        """Readable national form, e.g. '0812-3456-7890' for Indonesian numbers."""
        parsed = phonenumbers.parse(self.e164, None)
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)

    def __str__(self) -> str:
        return self.e164


def phone_normalize(raw: str, *, mobile_only: bool = True) -> PhoneNumber:
    """Parse what a person typed into a valid number or raise a translated ValidationError.

    Numbers without a country code are read as Indonesian. With `mobile_only` (the default,
    because notices go by WhatsApp) landlines are refused with their own message.
    """
    text = (raw or "").strip()
    if not text:
        raise ValidationError(_("Nomor telepon wajib diisi."), code="required")
    if len(text) > _MAX_INPUT_LENGTH:
        raise ValidationError(_("Nomor telepon terlalu panjang."), code="too_long")
    try:
        parsed = phonenumbers.parse(text, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        raise ValidationError(
            _("Nomor telepon tidak dikenali. Tulis seperti 0812-3456-7890 atau +62 812-3456-7890."),
            code="invalid",
        ) from None
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationError(
            _("Nomor telepon tidak valid. Periksa kembali jumlah digitnya."),
            code="invalid",
        )
    if mobile_only and phonenumbers.number_type(parsed) not in _MOBILE_TYPES:
        raise ValidationError(
            _("Nomor ini bukan nomor ponsel. Gunakan nomor yang terdaftar di WhatsApp."),
            code="not_mobile",
        )
    return PhoneNumber(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))


def phone_from_wa_id(wa_id: str) -> PhoneNumber:
    """Read a WhatsApp id (digits of the international form, no '+')."""
    digits = (wa_id or "").strip()
    if not digits.isdigit():
        raise ValidationError(_("ID WhatsApp tidak valid."), code="invalid")
    return phone_normalize("+" + digits, mobile_only=False)


def validate_phone(value: str) -> None:
    """Model/form field validator: the value must normalise to a valid number."""
    phone_normalize(value, mobile_only=False)


def mask_phone(e164: str) -> str:
    """Show only the country code and last four digits: '+62 ••• •••• 7890'."""
    if len(e164) < 8:
        return "••••"
    return f"{e164[:3]} ••• •••• {e164[-4:]}"
