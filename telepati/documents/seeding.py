"""Seeding the document catalogue from `telepati/documents/data/document_types.json`.

Like the territory (`telepati.org.services`) and the complaint categories
(`telepati.reports.services.reference`), document types are matched by code — here within
one kecamatan — and only the missing ones are created: an administrator's edits (a longer
target, other requirements, a deactivated type) survive every later run. Each row names
its handling unit by the part after the kecamatan's code (`"pemerintahan"` →
`medan-amplas--pemerintahan`), so the same file serves every kecamatan of the city.
Documents issued by Disdukcapil are free of charge (fee note "Gratis").
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from telepati.documents.models import DocumentType
from telepati.org.models import Kecamatan, Unit
from telepati.org.services import SeedCount

DOCUMENT_TYPES_FILE = Path(__file__).resolve().parent / "data" / "document_types.json"


def _rows(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        rows: list[dict[str, Any]] = json.load(handle)
    return rows


@transaction.atomic
def document_types_seed(*, kecamatan_code: str, path: Path = DOCUMENT_TYPES_FILE) -> int:
    """Create the catalogue's missing document types for one kecamatan; returns how many
    were created. Raises ValueError when the kecamatan or a handling unit is not seeded."""
    return _seed(kecamatan_code=kecamatan_code, path=path).created


def document_types_seed_count(
    *, kecamatan_code: str | None = None, path: Path = DOCUMENT_TYPES_FILE
) -> SeedCount:
    """The same, reporting created/existing rows for `reference_seed` (default kecamatan:
    TELEPATI_DEFAULT_KECAMATAN)."""
    with transaction.atomic():
        return _seed(
            kecamatan_code=kecamatan_code or settings.TELEPATI_DEFAULT_KECAMATAN, path=path
        )


def _seed(*, kecamatan_code: str, path: Path) -> SeedCount:
    kecamatan = Kecamatan.objects.filter(code=kecamatan_code).first()
    if kecamatan is None:
        raise ValueError(f"kecamatan {kecamatan_code!r} is not seeded; seed the territory first")
    count = SeedCount(_("Jenis dokumen"))
    existing = set(DocumentType.objects.filter(kecamatan=kecamatan).values_list("code", flat=True))
    units = {unit.code: unit for unit in Unit.objects.filter(kecamatan=kecamatan)}
    for row in _rows(path):
        if row["code"] in existing:
            count.add(created=False)
            continue
        unit_code = f"{kecamatan_code}--{row['handling_unit']}"
        unit = units.get(unit_code)
        if unit is None:
            raise ValueError(f"unit {unit_code!r} is not seeded; seed the territory first")
        document_type = DocumentType(
            kecamatan=kecamatan,
            code=row["code"],
            name=row["name"],
            short_name=row["short_name"],
            description=row.get("description", ""),
            requirements=list(row.get("requirements", [])),
            handling_unit=unit,
            via_disdukcapil=row["via_disdukcapil"],
            target_days=row["target_days"],
            delivery_available=row["delivery_available"],
            fee_note=row.get("fee_note", "Gratis (tidak dipungut biaya)"),
            sort_order=row.get("sort_order", 100),
        )
        document_type.full_clean()
        document_type.save()
        count.add(created=True)
    return count
