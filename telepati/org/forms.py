"""Form helpers shared by the admin and later officer forms."""

from __future__ import annotations

from telepati.core.phone import phone_normalize


def phone_field_clean(value: str | None, *, mobile_only: bool) -> str:
    """Normalise an optional phone field to E.164; blank stays blank.

    Raises the translated `ValidationError` of `phone_normalize`, which a form shows on the
    field.
    """
    text = (value or "").strip()
    if not text:
        return ""
    return phone_normalize(text, mobile_only=mobile_only).e164
