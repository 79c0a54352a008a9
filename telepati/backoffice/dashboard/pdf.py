"""The monthly PDF report for the mayor (reportlab, generated on the server, A4, Indonesian).

Pages: a title page (area and month), the headline figures, a bar chart of new reports per
category and the six-month trend (reportlab.graphics), then the per-unit performance table
(slowest first) and the kelurahan table. Built with `invariant` on, so the same figures
give the same bytes; `compress=False` leaves content streams readable (tests read the
title from them).
"""

from __future__ import annotations

from io import BytesIO

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import (
    Flowable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from telepati.core.workdays import WIB
from telepati.reports.selectors_dashboard import DashboardFigures

BRAND = colors.HexColor("#0b5d3b")
_TABLE_STYLE = TableStyle(
    [
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 9),
        ("FONT", (0, 1), (-1, -1), "Helvetica", 9),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e7f3ec")),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
)


def report_title(figures: DashboardFigures) -> str:
    """ "Laporan Bulanan Pengaduan — November 2026", the title on the first page."""
    return _("Laporan Bulanan Pengaduan — %(month)s") % {"month": figures.period.label}


def _number(value: float | None, suffix: str = "") -> str:
    return "-" if value is None else f"{value:.2f}".replace(".", ",") + suffix


def _percent(on_time: int, due: int) -> str:
    return f"{round(100 * on_time / due)} % ({on_time}/{due})" if due else "-"


def _category_chart(figures: DashboardFigures) -> Drawing:
    groups = figures.by_category[:10]
    drawing = Drawing(16 * cm, 8 * cm)
    drawing.add(String(0, 7.5 * cm, _("Laporan masuk per kategori"), fontSize=10))
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 1 * cm, 2.2 * cm, 14.5 * cm, 4.8 * cm
    chart.data = [[g.new for g in groups] or [0]]
    chart.categoryAxis.categoryNames = [g.label[:14] for g in groups] or ["-"]
    chart.categoryAxis.labels.angle = 30
    chart.categoryAxis.labels.boxAnchor = "ne"
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = BRAND
    drawing.add(chart)
    return drawing


def _trend_chart(figures: DashboardFigures) -> Drawing:
    drawing = Drawing(16 * cm, 7 * cm)
    drawing.add(String(0, 6.5 * cm, _("Tren enam bulan: masuk dan selesai"), fontSize=10))
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 1 * cm, 1.2 * cm, 14.5 * cm, 4.8 * cm
    chart.data = [[t.submitted for t in figures.trend], [t.resolved for t in figures.trend]]
    chart.categoryAxis.categoryNames = [t.period.code for t in figures.trend]
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.lines[0].strokeColor = BRAND
    chart.lines[1].strokeColor = colors.HexColor("#c77700")
    drawing.add(chart)
    legend = _("Hijau: masuk · Oranye: selesai")
    drawing.add(String(1 * cm, 0.2 * cm, legend, fontSize=8))
    return drawing


def _table(rows: list[list[str]], widths: list[float]) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(_TABLE_STYLE)
    return table


def monthly_report_pdf(figures: DashboardFigures, *, compress: bool = True) -> bytes:
    """The month's report as PDF bytes (see the module docstring)."""
    styles = getSampleStyleSheet()
    title_style = ParagraphStyle("TelepatiTitle", parent=styles["Title"], textColor=BRAND)
    body, heading = styles["BodyText"], styles["Heading2"]
    h = figures.headline
    generated = date_format(figures.moment.astimezone(WIB), "j F Y H.i")
    story: list[Flowable] = [
        Spacer(1, 6 * cm),
        Paragraph(report_title(figures), title_style),
        Paragraph(figures.area.title, styles["Heading1"]),
        Spacer(1, 1 * cm),
        Paragraph(_("TELEPATI — Temu cepat, Lapor cepat, dan kita Tindaklanjuti"), body),
        Paragraph(_("Disusun otomatis pada %(at)s WIB.") % {"at": generated}, body),
        PageBreak(),
        Paragraph(_("Ringkasan kinerja"), heading),
        _table(
            [
                [_("Ukuran"), _("Nilai")],
                [_("Laporan masuk bulan ini"), str(h.new)],
                [_("Sedang ditangani (saat ini)"), str(h.open)],
                [_("Lewat batas waktu (saat ini)"), str(h.overdue)],
                [_("Diselesaikan bulan ini"), str(h.resolved)],
                [
                    _("Median hari kerja sampai tanggapan pertama"),
                    _number(figures.median_response_days),
                ],
                [_("Median hari kerja sampai selesai"), _number(figures.median_resolution_days)],
                [_("Selesai tepat waktu"), _percent(h.on_time, h.due)],
                [
                    _("Kepuasan warga (1–5)"),
                    f"{_number(h.rating_average)} ({h.rated})",
                ],
            ],
            [11 * cm, 5 * cm],
        ),
        Spacer(1, 0.6 * cm),
        _category_chart(figures),
        _trend_chart(figures),
        PageBreak(),
        Paragraph(_("Kinerja unit/OPD (paling lambat di atas)"), heading),
        _table(
            [[_("Unit"), _("Ditangani"), _("Lewat batas"), _("Median hari"), _("Tepat waktu")]]
            + [
                [
                    Paragraph(u.name, body),
                    str(u.open),
                    str(u.overdue),
                    _number(u.median_resolution_days),
                    _percent(u.on_time, u.due),
                ]
                for u in figures.units
            ],
            [6.5 * cm, 2 * cm, 2.2 * cm, 2.3 * cm, 3 * cm],
        ),
        Spacer(1, 0.6 * cm),
        Paragraph(_("Per kelurahan"), heading),
        _table(
            [
                [
                    _("Kelurahan"),
                    pgettext("jumlah laporan", "Masuk"),
                    _("Ditangani"),
                    _("Selesai"),
                    _("Tepat waktu"),
                ]
            ]
            + [
                [
                    g.label or "-",
                    str(g.new),
                    str(g.open),
                    str(g.resolved),
                    _percent(g.on_time, g.due),
                ]
                for g in figures.by_kelurahan
            ],
            [6.5 * cm, 2 * cm, 2.2 * cm, 2.3 * cm, 3 * cm],
        ),
    ]
    out = BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        title=report_title(figures),
        author="TELEPATI",
        invariant=1,
        pageCompression=1 if compress else 0,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
    )
    document.build(story)
    return out.getvalue()
