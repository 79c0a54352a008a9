"""`manage.py seed_demo`: reference data plus demo accounts and data; never in production."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from telepati.demo.loaders import DemoCredential, demo_seed
from telepati.demo.reference import reference_seed


def credentials_table(rows: list[DemoCredential]) -> list[str]:
    """The demo credentials as aligned text lines, header first."""
    header = (_("Nama pengguna"), _("Peran"), _("Unit kerja"), _("Kata sandi"))
    table = [header, *((r.username, r.role, r.unit, r.password) for r in rows)]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in table
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return [line.rstrip() for line in lines]


class Command(BaseCommand):
    help = "Memuat data referensi dan data demo (akun untuk setiap peran). Bukan untuk produksi."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.TELEPATI_ALLOW_DEMO_DATA:
            raise CommandError(
                _(
                    "Data demo tidak diizinkan di lingkungan ini. Akun demo memakai kata sandi "
                    "yang diketahui umum; setel TELEPATI_ALLOW_DEMO_DATA=true hanya di mesin "
                    "pengembangan atau demo."
                )
            )
        counts = reference_seed()
        context = demo_seed()
        self.stdout.write(_("Data referensi dan demo:"))
        for count in [*counts, *context.counts]:
            self.stdout.write(f"  {count}")
        self.stdout.write("")
        self.stdout.write(_("Akun demo (kata sandi akun yang sudah ada tidak diubah):"))
        for line in credentials_table(context.credentials):
            self.stdout.write(f"  {line}")
        for note in context.notes:
            self.stdout.write(f"  {note}")
        self.stdout.write(self.style.SUCCESS(_("Selesai.")))
