"""Number formats of the programs' public pages: Indonesian thousands (12.500) and rupiah."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def thousands(value: int | None) -> str:
    """12500 → "12.500" (Indonesian groups thousands with dots)."""
    if value is None:
        return ""
    return f"{int(value):,}".replace(",", ".")


@register.filter
def rupiah(value: int | None) -> str:
    """12500 → "Rp12.500"."""
    if value is None:
        return ""
    return f"Rp{thousands(value)}"
