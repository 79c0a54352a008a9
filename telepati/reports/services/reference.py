"""Writes of complaint reference data: seeding categories from `telepati/reports/data/`.

Like the territory (see `telepati.org.services`), categories are matched by `code`; missing
ones are created and existing ones are never overwritten, so administrators' changes to
names, deadlines or default units survive every later run. A category's extra questions
(`"questions"`, the Open311 attributes) are matched by code within the category the same way:
missing ones are added, also to categories that already exist.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from telepati.org.models import Unit
from telepati.org.services import SeedCount
from telepati.reports.models import Category, CategoryQuestion

CATEGORIES_FILE = Path(__file__).resolve().parent.parent / "data" / "categories.json"


@transaction.atomic
def category_seed(*, path: Path = CATEGORIES_FILE) -> SeedCount:
    """Create the categories listed in the data file that are missing."""
    with path.open(encoding="utf-8") as handle:
        rows = json.load(handle)
    count = SeedCount(_("Kategori laporan"))
    for row in rows:
        existing = Category.objects.filter(code=row["code"]).first()
        if existing is not None:
            _questions_seed(existing, row.get("questions", []))
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
        _questions_seed(category, row.get("questions", []))
        count.add(created=True)
    return count


def _questions_seed(category: Category, rows: list[dict[str, Any]]) -> None:
    """Add the category's questions that are missing (matched by code; never overwritten)."""
    questions = CategoryQuestion.objects.filter(category=category)
    known = set(questions.values_list("code", flat=True)) if rows else set()
    for row in rows:
        if row["code"] in known:
            continue
        question = CategoryQuestion(
            category=category,
            code=row["code"],
            datatype=row["datatype"],
            required=row.get("required", False),
            variable=row.get("variable", True),
            order=row.get("order", 1),
            description=row["description"],
            datatype_description=row.get("datatype_description", ""),
            values=row.get("values", []),
        )
        question.full_clean()
        question.save()
