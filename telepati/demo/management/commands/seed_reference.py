"""`manage.py seed_reference`: load the reference data files; safe to run again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from telepati.demo.reference import reference_seed


class Command(BaseCommand):
    help = "Memuat data referensi (wilayah, unit kerja, kategori, hari libur) yang belum ada."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = reference_seed()
        self.stdout.write(_("Data referensi:"))
        for count in counts:
            self.stdout.write(f"  {count}")
        self.stdout.write(self.style.SUCCESS(_("Selesai. Baris yang sudah ada tidak diubah.")))
