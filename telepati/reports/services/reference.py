"""Writes of complaint reference data: seeding categories from `telepati/reports/data/`.

Like the territory (see `telepati.org.services`), categories are matched by `code`; missing
ones are created and existing ones are never overwritten, so administrators' changes to
names, deadlines or default units survive every later run.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from telepati.org.models import Unit
from telepati.org.services import SeedCount
from telepati.reports.models import Category

CATEGORIES_FILE = Path(__file__).resolve().parent.parent / "data" / "categories.json"


@transaction.atomic
def category_seed(*, path: Path = CATEGORIES_FILE) -> SeedCount:
    """Create the categories listed in the data file that are missing."""
    with path.open(encoding="utf-8") as handle:
        rows = json.load(handle)
    count = SeedCount(_("Kategori laporan"))
    for row in rows:
        if Category.objects.filter(code=row["code"]).exists():
            count.add(created=False)
            continue
        unit_code = row.get("default_unit")
        default_unit = Unit.objects.filter(code=unit_code).first() if unit_code else None
        category = Category(
            code=row["code"],
            name=row["name"],
            description=row.get("description", ""),
            default_unit=default_unit,
            sla_verification_days=row["sla_verification_days"],
            sla_first_response_days=row["sla_first_response_days"],
            sla_resolution_days=row["sla_resolution_days"],
            public_by_default=row["public_by_default"],
            icon=row.get("icon", ""),
            sort_order=row.get("sort_order", 100),
        )
        category.full_clean()
        category.save()
        count.add(created=True)
    return count
