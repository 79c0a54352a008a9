"""The dashboard's Excel export (openpyxl): the per-unit performance table and the report
rows behind the month's figures — no reporter data (the rows come from
`dashboard_rows_for_officer`, which carries none)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from telepati.core.workdays import WIB
from telepati.reports.selectors_dashboard import DashboardFigures, DashboardRow


def _local(moment: datetime | None) -> datetime | None:
    # Excel has no time zones: write WIB wall-clock time.
    return moment.astimezone(WIB).replace(tzinfo=None) if moment is not None else None


def _share(on_time: int, due: int) -> float | None:
    return round(on_time / due, 4) if due else None


def dashboard_workbook(figures: DashboardFigures, rows: Sequence[DashboardRow]) -> bytes:
    """Two sheets: "Kinerja unit" (slowest first) and "Laporan" (one row per report)."""
    book = Workbook()
    units = book.active
    assert units is not None  # a new workbook always has one sheet
    units.title = _("Kinerja unit")
    units.append(
        [
            _("Unit"),
            _("Sedang ditangani"),
            _("Lewat batas waktu"),
            _("Selesai bulan ini"),
            _("Median hari kerja sampai selesai"),
            _("Jatuh tempo"),
            _("Tepat waktu"),
            _("Kepatuhan batas waktu"),
        ]
    )
    for unit in figures.units:
        units.append(
            [
                unit.name,
                unit.open,
                unit.overdue,
                unit.done,
                unit.median_resolution_days,
                unit.due,
                unit.on_time,
                _share(unit.on_time, unit.due),
            ]
        )
    reports = book.create_sheet(_("Laporan"))
    reports.append(
        [
            _("Nomor laporan"),
            _("Kategori"),
            _("Kelurahan"),
            _("Status"),
            _("Diterima"),
            _("Tindak lanjut pertama"),
            _("Diselesaikan"),
            _("Batas penyelesaian"),
            _("Unit"),
            _("Hari kerja sampai tanggapan"),
            _("Hari kerja sampai selesai"),
            _("Tepat waktu"),
        ]
    )
    yes, no = _("ya"), _("tidak")
    for row in rows:
        reports.append(
            [
                row.tracking_number,
                row.category,
                row.kelurahan,
                row.status,
                _local(row.submitted_at),
                _local(row.first_response_at),
                _local(row.resolved_at),
                _local(row.resolution_due_at),
                row.units,
                row.response_days,
                row.resolution_days,
                None if row.on_time is None else (yes if row.on_time else no),
            ]
        )
    for sheet in (units, reports):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    for column in "EFGH":
        for cell in reports[column][1:]:
            cell.number_format = "yyyy-mm-dd hh:mm"
    out = BytesIO()
    book.save(out)
    return out.getvalue()
