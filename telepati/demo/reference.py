"""Reference data every deployment starts with: territory, units, categories, documents, holidays"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from telepati.appointments.seeding import office_services_seed
from telepati.core.models import Holiday
from telepati.core.services import holidays_seed
from telepati.documents.seeding import document_types_seed_count
from telepati.org.services import SeedCount, territory_seed
from telepati.reports.services.reference import category_seed


def reference_seed(*, today: date | None = None) -> list[SeedCount]:
    """Create the missing reference rows (never overwriting existing ones); return counts."""
    today = today or timezone.localdate()
    counts = territory_seed()
    counts.append(category_seed())
    counts.append(document_types_seed_count())
    counts.append(office_services_seed())
    holidays = SeedCount(
        _("Hari libur (%(first)d–%(last)d)")
        % {
            "first": today.year,
            "last": today.year + 1,
        }
    )
    years = [today.year, today.year + 1]
    holidays.created = holidays_seed(years=years)
    holidays.existing = Holiday.objects.filter(date__year__in=years).count() - holidays.created
    counts.append(holidays)
    return counts
