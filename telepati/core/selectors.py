"""Reads of the core app: the working-day calendar and which holiday years are present."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from telepati.core.models import Holiday
from telepati.core.workdays import WorkCalendar, parse_office_hours


def work_calendar_get() -> WorkCalendar:
    """The office's calendar: days off from `Holiday` (one query) plus hours from settings."""
    try:
        opens_at, closes_at = parse_office_hours(settings.TELEPATI_OFFICE_HOURS)
        days_off = frozenset(Holiday.objects.filter(is_day_off=True).values_list("date", flat=True))
        return WorkCalendar(
            holidays=days_off,
            weekend_days=frozenset(settings.TELEPATI_WEEKEND_DAYS),
            opens_at=opens_at,
            closes_at=closes_at,
        )
    except ValueError as exc:
        # The system check reports this at start-up; this guards code run without checks.
        raise ImproperlyConfigured(f"Invalid working-day calendar settings: {exc}") from exc


def holiday_years_present(*, years: Iterable[int]) -> set[int]:
    """Which of `years` already have at least one `Holiday` row (seeded or hand-made)."""
    wanted = sorted(set(years))
    if not wanted:
        return set()
    present = (
        Holiday.objects.filter(date__gte=date(wanted[0], 1, 1), date__lte=date(wanted[-1], 12, 31))
        .values_list("date__year", flat=True)
        .distinct()
    )
    return set(present) & set(wanted)
