"""The leaders' dashboard at /kantor/dasbor/: the month's figures, an Excel export and the
monthly PDF. Thin: the figures come from `reports.selectors_dashboard` (access built in:
Forbidden → 403 page through `officer_view`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from telepati.accounts.capabilities import Capability
from telepati.backoffice.access import officer_view
from telepati.backoffice.dashboard.excel import dashboard_workbook
from telepati.backoffice.dashboard.pdf import monthly_report_pdf
from telepati.programs.models import Program
from telepati.programs.selectors_figures import ProgramFigures, program_figures
from telepati.reports.figures_store import dashboard_figures_stored
from telepati.reports.periods import Period
from telepati.reports.selectors_dashboard import (
    DashboardArea,
    dashboard_figures_for_officer,
    dashboard_rows_for_officer,
)
from telepati.reports.services.common import now

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERIOD_CHOICES = 12


def _period(request: HttpRequest) -> Period:
    current = Period.containing(now())
    chosen = Period.parse(request.GET.get("bulan", ""))
    return chosen if chosen is not None and chosen.start <= current.start else current


@dataclass(frozen=True)
class ProgramSection:
    """One kecamatan's program figures, with display labels for the program keys."""

    figures: ProgramFigures
    programs: list[tuple[str, int]]


def program_sections(*, area: DashboardArea, period: Period) -> list[ProgramSection]:
    """The programs' figures (telepati.programs) for each kecamatan of a kecamatan-wide area.

    A lurah's area is one kelurahan and program figures exist per kecamatan only, so a lurah
    (and a superuser's all-area view) gets none."""
    last_day = (period.end - timedelta(days=1)).date()
    sections = []
    for kecamatan_id in sorted(area.kecamatan_ids):
        figures = program_figures(kecamatan=kecamatan_id, period=(period.start.date(), last_day))
        labels = dict(Program.choices)
        programs = [
            (str(labels.get(key, key)), count)
            for key, count in figures.activities_by_program.items()
        ]
        sections.append(ProgramSection(figures=figures, programs=programs))
    return sections


@require_GET
@officer_view(Capability.VIEW_DASHBOARD)
def dashboard(request: HttpRequest) -> HttpResponse:
    period = _period(request)
    scope = request.officer_scope  # type: ignore[attr-defined]
    # Stored figures (at most a few minutes old, computed here when none are); the Excel
    # and PDF downloads below compute them now, with the rows they list.
    figures = dashboard_figures_stored(user=request.user, period=period, scope=scope)
    maximum = max([b.count for b in figures.ageing] + [1])
    return render(
        request,
        "backoffice/dashboard/dashboard.html",
        {
            "figures": figures,
            "period": period,
            "periods": Period.containing(now()).months_back(PERIOD_CHOICES)[::-1],
            "ageing_max": maximum,
            "programs": program_sections(area=figures.area, period=period),
        },
    )


@require_GET
@officer_view(Capability.VIEW_DASHBOARD)
def dashboard_excel(request: HttpRequest) -> HttpResponse:
    period = _period(request)
    scope = request.officer_scope  # type: ignore[attr-defined]
    moment = now()
    figures = dashboard_figures_for_officer(
        user=request.user, period=period, moment=moment, scope=scope
    )
    rows = dashboard_rows_for_officer(user=request.user, period=period, moment=moment, scope=scope)
    response = HttpResponse(dashboard_workbook(figures, rows), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="dasbor-{period.code}.xlsx"'
    return response


@require_GET
@officer_view(Capability.VIEW_DASHBOARD)
def dashboard_pdf(request: HttpRequest) -> HttpResponse:
    period = _period(request)
    scope = request.officer_scope  # type: ignore[attr-defined]
    figures = dashboard_figures_for_officer(user=request.user, period=period, scope=scope)
    response = HttpResponse(monthly_report_pdf(figures), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="laporan-bulanan-{period.code}.pdf"'
    return response
