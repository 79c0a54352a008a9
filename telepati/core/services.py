"""Writes of the core app: the holiday calendar.

Lifecycle of a holiday row: `holidays_seed` creates a year's national holidays and collective
leave (cuti bersama) from the `holidays` library, unverified. An administrator then checks
them against the ministers' joint decree (SKB), edits dates or names, un-ticks `is_day_off`
for a cancelled day (the row stays, so seeding never re-adds it) and marks them verified
(`holiday_mark_verified`). A year that has any row at all is never seeded again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from telepati.core.errors import Forbidden, InvalidInput
from telepati.core.models import Holiday, HolidayKind
from telepati.core.selectors import holiday_years_present

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser

logger = logging.getLogger(__name__)

COUNTRY = "ID"
COLLECTIVE_LEAVE_PREFIX = "Cuti Bersama"
# The library joins several holidays on one date with this separator.
NAME_SEPARATOR = "; "


def _library_holidays(*, years: list[int]) -> tuple[dict[date, str], str]:
    """Indonesia's public holidays and cuti bersama per date, named in Indonesian."""
    # Imported here: the library is large and only seeding needs it.
    import holidays

    calendar = holidays.country_holidays(
        COUNTRY, years=years, categories=("public", "government"), language="id"
    )
    return dict(calendar.items()), f"holidays {holidays.__version__}"


def _check_years(years: list[int]) -> None:
    import holidays

    country = holidays.country_holidays(COUNTRY)
    bad = [y for y in years if not country.start_year <= y <= country.end_year]
    if bad:
        raise InvalidInput(
            gettext("Tahun %(years)s di luar jangkauan data hari libur (%(start)s–%(end)s).")
            % {
                "years": ", ".join(str(y) for y in bad),
                "start": country.start_year,
                "end": country.end_year,
            },
            field_errors={"years": [str(y) for y in bad]},
        )


def _holiday_row(*, day: date, name: str, source: str) -> Holiday:
    parts = [part.strip() for part in name.split(NAME_SEPARATOR.strip()) if part.strip()]
    collective = all(part.startswith(COLLECTIVE_LEAVE_PREFIX) for part in parts)
    max_length = Holiday._meta.get_field("name").max_length or len(name)
    return Holiday(
        date=day,
        name=NAME_SEPARATOR.join(parts)[:max_length],
        kind=HolidayKind.COLLECTIVE_LEAVE if collective else HolidayKind.NATIONAL,
        is_day_off=True,
        verified=False,
        source=source,
    )


def holidays_seed(*, years: Iterable[int]) -> int:
    """Add the library's holidays for each of `years` that has no rows yet; return rows added.

    A year with any row (seeded, added, edited or un-ticked by an administrator) is left
    alone, so running this again changes nothing and administrators' decisions stick.
    """
    wanted = sorted(set(years))
    if not wanted:
        return 0
    _check_years(wanted)
    by_date, source = _library_holidays(years=wanted)
    with transaction.atomic():
        # Checked inside the transaction: on SQLite (IMMEDIATE) check and insert are one
        # serialised unit; elsewhere a racing second seeder hits the unique date and rolls back.
        skip = holiday_years_present(years=wanted)
        rows = [
            _holiday_row(day=day, name=name, source=source)
            for day, name in sorted(by_date.items())
            if day.year in wanted and day.year not in skip
        ]
        Holiday.objects.bulk_create(rows)
    logger.info(
        "holidays seeded",
        extra={"years": wanted, "skipped_years": sorted(skip), "rows_created": len(rows)},
    )
    return len(rows)


def holiday_mark_verified(*, holiday_ids: Iterable[int], actor: AbstractUser) -> int:
    """Mark holidays as checked against the official decree; return how many changed."""
    if not actor.has_perm("core.change_holiday"):
        raise Forbidden(_("Anda tidak berhak memverifikasi hari libur."))
    ids = list(holiday_ids)
    updated = Holiday.objects.filter(pk__in=ids, verified=False).update(
        verified=True, updated_at=timezone.now()
    )
    logger.info(
        "holidays verified",
        extra={"actor_id": actor.pk, "holiday_ids": ids, "rows_updated": updated},
    )
    return updated
