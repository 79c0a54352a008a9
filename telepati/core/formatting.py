"""How moments and texts are written for residents (shared by every domain's notices)."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format

from telepati.core.workdays import WIB


def resident_language() -> translation.override:
    """Notices are written in the deployment's language (Bahasa Indonesia by default)."""
    return translation.override(settings.LANGUAGE_CODE)


def moment_format(moment: datetime | None) -> str:
    """A moment as residents read it: "5 November 2026, 10.00 WIB"."""
    if moment is None:
        return "-"
    return date_format(moment.astimezone(WIB), "j F Y, H.i") + " WIB"


def day_format(day: date | None) -> str:
    """A day as residents read it: "Senin, 9 November 2026"."""
    if day is None:
        return "-"
    return date_format(day, "l, j F Y")
