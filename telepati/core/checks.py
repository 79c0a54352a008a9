"""System checks: refuse to start with working-day calendar settings that cannot work."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, register

from telepati.core.workdays import WorkCalendar, parse_office_hours


@register()
def check_work_calendar_settings(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """TELEPATI_OFFICE_HOURS must read "HH:MM-HH:MM"; TELEPATI_WEEKEND_DAYS must be 0-6."""
    errors: list[CheckMessage] = []
    office_hours = getattr(settings, "TELEPATI_OFFICE_HOURS", None)
    try:
        parse_office_hours(office_hours if isinstance(office_hours, str) else "")
    except ValueError as exc:
        errors.append(
            Error(
                f"TELEPATI_OFFICE_HOURS is invalid: {exc}",
                hint='Write the office hours in WIB as "HH:MM-HH:MM", e.g. "08:00-16:00".',
                id="core.E001",
            )
        )
    weekend_days = getattr(settings, "TELEPATI_WEEKEND_DAYS", None)
    try:
        WorkCalendar(weekend_days=frozenset(weekend_days or ()))
    except (TypeError, ValueError) as exc:
        errors.append(
            Error(
                f"TELEPATI_WEEKEND_DAYS is invalid: {exc}",
                hint="List weekday numbers (0 = Monday … 6 = Sunday), e.g. 5,6.",
                id="core.E002",
            )
        )
    return errors
