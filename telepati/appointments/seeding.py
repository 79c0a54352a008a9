"""Seeding the services offered for booking from `telepati/appointments/data/office_services.json`.

Like the document catalogue, services are matched by code within one kecamatan and only the
missing ones are created: an administrator's edits (hours, capacity, a closed service)
survive every later run. Each row names its unit by the part after the kecamatan's code
(`"pemerintahan"` → `medan-amplas--pemerintahan`).
"""

from __future__ import annotations

import json
from datetime import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from telepati.appointments.models import OfficeService
from telepati.org.models import Kecamatan, Unit
from telepati.org.services import SeedCount

OFFICE_SERVICES_FILE = Path(__file__).resolve().parent / "data" / "office_services.json"


def _rows(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        rows: list[dict[str, Any]] = json.load(handle)
    return rows


def _time(value: str | None) -> time | None:
    return time.fromisoformat(value) if value else None


def office_services_seed(
    *, kecamatan_code: str | None = None, path: Path = OFFICE_SERVICES_FILE
) -> SeedCount:
    """Create the missing services of one kecamatan (default: TELEPATI_DEFAULT_KECAMATAN).
    Raises ValueError when the kecamatan or a unit is not seeded."""
    code = kecamatan_code or settings.TELEPATI_DEFAULT_KECAMATAN
    with transaction.atomic():
        kecamatan = Kecamatan.objects.filter(code=code).first()
        if kecamatan is None:
            raise ValueError(f"kecamatan {code!r} is not seeded; seed the territory first")
        count = SeedCount(_("Layanan temu cepat"))
        existing = set(
            OfficeService.objects.filter(kecamatan=kecamatan).values_list("code", flat=True)
        )
        units = {unit.code: unit for unit in Unit.objects.filter(kecamatan=kecamatan)}
        for row in _rows(path):
            if row["code"] in existing:
                count.add(created=False)
                continue
            unit = units.get(f"{code}--{row['unit']}")
            if unit is None:
                raise ValueError(f"unit {code}--{row['unit']} is not seeded; seed the territory")
            service = OfficeService(
                kecamatan=kecamatan,
                code=row["code"],
                name=row["name"],
                short_name=row["short_name"],
                description=row.get("description", ""),
                what_to_bring="\n".join(row.get("what_to_bring", [])),
                unit=unit,
                weekdays=list(row["weekdays"]),
                opens_at=time.fromisoformat(row["opens_at"]),
                closes_at=time.fromisoformat(row["closes_at"]),
                break_starts_at=_time(row.get("break_starts_at")),
                break_ends_at=_time(row.get("break_ends_at")),
                friday_closes_at=_time(row.get("friday_closes_at")),
                slot_minutes=row["slot_minutes"],
                capacity_per_slot=row["capacity_per_slot"],
                book_days_ahead=row["book_days_ahead"],
                queue_prefix=row["queue_prefix"],
                counter_name=row["counter_name"],
                sort_order=row.get("sort_order", 100),
            )
            service.full_clean()
            service.save()
            count.add(created=True)
        return count
