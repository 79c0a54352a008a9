"""Writes of territory and units: loading the reference data files in `telepati/org/data/`.

Reference data is seeded once and then belongs to the administrators. Seeding matches rows
by `code`, creates the missing ones and never touches an existing row, so running it again
changes nothing and an administrator's edits (a corrected name, a deactivated unit) stay.
Each JSON file describes one kecamatan (its kelurahan and units) or city-level units; a
city-wide deployment adds one file per kecamatan.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from telepati.org.models import Kecamatan, Kelurahan, Lingkungan, Unit, UnitKind

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass
class SeedCount:
    """How many rows of one kind a seeding run created and found already present."""

    label: str
    created: int = 0
    existing: int = 0

    @property
    def total(self) -> int:
        return self.created + self.existing

    def add(self, *, created: bool) -> None:
        if created:
            self.created += 1
        else:
            self.existing += 1

    def __str__(self) -> str:
        return _("%(label)s: %(created)d dibuat, %(existing)d sudah ada") % {
            "label": self.label,
            "created": self.created,
            "existing": self.existing,
        }


def _read(paths: Iterable[Path]) -> list[dict[str, Any]]:
    documents = []
    for path in paths:
        with path.open(encoding="utf-8") as handle:
            documents.append(json.load(handle))
    return documents


def _unit_defaults(row: dict[str, Any], *, kecamatan: Kecamatan | None) -> dict[str, Any]:
    kelurahan = None
    if row.get("kelurahan"):
        kelurahan = Kelurahan.objects.get(code=row["kelurahan"])
        kecamatan = kelurahan.kecamatan
    return {
        "name": row["name"],
        "short_name": row.get("short_name", ""),
        "kind": UnitKind(row["kind"]),
        "kecamatan": kecamatan,
        "kelurahan": kelurahan,
        "phone": row.get("phone", ""),
        "email": row.get("email", ""),
    }


@transaction.atomic
def territory_seed(*, paths: Iterable[Path] | None = None) -> list[SeedCount]:
    """Create the kecamatan, kelurahan and units described in the data files that are missing."""
    files = sorted(DATA_DIR.glob("*.json")) if paths is None else list(paths)
    documents = _read(files)
    kecamatan_count = SeedCount(_("Kecamatan"))
    kelurahan_count = SeedCount(_("Kelurahan"))
    unit_count = SeedCount(_("Unit kerja"))
    for document in documents:
        kecamatan = None
        if "kecamatan" in document:
            row = document["kecamatan"]
            kecamatan, created = Kecamatan.objects.get_or_create(
                code=row["code"],
                defaults={
                    "name": row["name"],
                    "city": row["city"],
                    "region_code": row.get("region_code", ""),
                    "address": row.get("address", ""),
                },
            )
            kecamatan_count.add(created=created)
        for row in document.get("kelurahan", []):
            if kecamatan is None:
                raise ValueError(f"kelurahan {row['code']} needs a kecamatan in its file")
            _kelurahan, created = Kelurahan.objects.get_or_create(
                code=row["code"],
                defaults={
                    "kecamatan": kecamatan,
                    "name": row["name"],
                    "region_code": row.get("region_code", ""),
                    "postal_code": row.get("postal_code", ""),
                },
            )
            kelurahan_count.add(created=created)
        for row in document.get("units", []):
            if Unit.objects.filter(code=row["code"]).exists():
                unit_count.add(created=False)
                continue
            Unit.objects.create(code=row["code"], **_unit_defaults(row, kecamatan=kecamatan))
            unit_count.add(created=True)
    return [kecamatan_count, kelurahan_count, unit_count]


@transaction.atomic
def lingkungan_ensure(*, kelurahan: Kelurahan, numbers: Iterable[int]) -> SeedCount:
    """Make sure the kelurahan has lingkungan with these numbers (names 'Lingkungan N')."""
    count = SeedCount(_("Lingkungan"))
    for number in numbers:
        _lingkungan, created = Lingkungan.objects.get_or_create(
            kelurahan=kelurahan,
            number=number,
            defaults={"name": _("Lingkungan %(number)d") % {"number": number}},
        )
        count.add(created=created)
    return count
