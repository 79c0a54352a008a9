"""Seed national holidays and cuti bersama from the `holidays` library, year by year."""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from telepati.core.errors import InvalidInput
from telepati.core.selectors import holiday_years_present
from telepati.core.services import holidays_seed
from telepati.core.workdays import WIB

# Lazy, and turned into text only when the parser is built, so the active language applies.
HELP = gettext_lazy(
    "Mengisi hari libur nasional dan cuti bersama dari pustaka `holidays` untuk tahun yang "
    "belum punya data (bawaan: tahun ini dan tahun depan, WIB). Tahun yang sudah punya "
    "data tidak diubah."
)
YEAR_HELP = gettext_lazy("Tahun yang diisi; boleh diulang. Bawaan: tahun ini dan tahun depan.")


class Command(BaseCommand):
    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.description = str(HELP)
        return parser

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--year",
            dest="years",
            action="append",
            type=int,
            metavar="TAHUN",
            help=str(YEAR_HELP),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        years: list[int] = sorted(set(options["years"] or self.default_years()))
        already = holiday_years_present(years=years)
        total = 0
        for year in years:
            if year in already:
                self.stdout.write(
                    _("Tahun %(year)d: dilewati, sudah ada data hari libur.") % {"year": year}
                )
                continue
            try:
                created = holidays_seed(years=[year])
            except InvalidInput as exc:
                raise CommandError(str(exc)) from exc
            total += created
            self.stdout.write(
                _("Tahun %(year)d: %(count)d hari libur dan cuti bersama ditambahkan.")
                % {"year": year, "count": created}
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("Selesai: %(count)d baris baru. Periksa dan verifikasi di halaman admin.")
                % {"count": total}
            )
        )

    @staticmethod
    def default_years() -> list[int]:
        """This year and next year, in WIB."""
        this_year = datetime.now(WIB).year
        return [this_year, this_year + 1]
