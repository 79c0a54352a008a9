"""The leaders' dashboard pages: who may open them, the figures on the page, the Excel
export and the monthly PDF, and constant queries for 10 or 1,000 reports."""

import base64
import re
import zlib
from datetime import datetime, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time
from openpyxl import load_workbook

from telepati.backoffice.dashboard.pdf import monthly_report_pdf
from telepati.core.models import StoredFigures
from telepati.reports.models import Category, Report
from telepati.reports.selectors_dashboard import dashboard_figures_for_officer
from telepati.reports.tests.dashboard_scenario import MOMENT, NOVEMBER, build_scenario

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("backoffice:dashboard")
EXCEL = reverse("backoffice:dashboard_excel")
PDF = reverse("backoffice:dashboard_pdf")


@pytest.fixture
def scenario(harjosari_i, sitirejo_ii, gedung_johor, dlh, roads_agency, harjosari_i_office, camat):
    return build_scenario(
        harjosari_i=harjosari_i,
        sitirejo_ii=sitirejo_ii,
        gedung_johor=gedung_johor,
        dlh=dlh,
        roads_agency=roads_agency,
        office=harjosari_i_office,
        actor=camat,
    )


def kpi(body, name):
    match = re.search(rf'id="kpi-{name}">([^<]*)<', body)
    assert match is not None, name
    return match.group(1)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("camat", 200),
        ("lurah", 200),
        ("administrator", 200),
        ("desk_operator", 200),
        ("superuser", 200),
        ("outsider", 200),
        ("section_staff", 403),
        ("kelurahan_staff", 403),
        ("agency_liaison", 403),
        ("courier", 403),
    ],
)
@pytest.mark.parametrize("url", [DASHBOARD, EXCEL, PDF])
def test_who_may_open_each_dashboard_page(client, territory, persona, status, url, request):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(url).status_code == status


def test_a_visitor_is_sent_to_sign_in(client):
    response = client.get(DASHBOARD)

    assert response.status_code == 302
    assert "/kantor/masuk/" in response["Location"] or "next=" in response["Location"]


@freeze_time(MOMENT)
def test_the_page_shows_the_months_figures_of_the_camat(client, scenario, camat):
    client.force_login(camat)

    body = client.get(DASHBOARD, {"bulan": "2026-11"}).content.decode()

    figures = [
        kpi(body, name)
        for name in (
            "new",
            "open",
            "overdue",
            "resolved",
            "response",
            "resolution",
            "on-time",
            "due",
            "rating",
        )
    ]
    assert figures == ["4", "4", "3", "2", "1,25", "7,0", "2", "3", "4,0"]
    assert "Kecamatan Medan Amplas" in body
    units = re.findall(
        r'<tr><th scope="row">([^<]+)</th><td>\d', body.split('id="units"')[1].split("</table>")[0]
    )
    assert units == ["Dinas SDABMBK", "Kantor Lurah Harjosari I", "Dinas Lingkungan Hidup"]


@freeze_time(MOMENT)
def test_the_lurah_page_counts_only_their_kelurahan(client, scenario, lurah):
    client.force_login(lurah)

    body = client.get(DASHBOARD).content.decode()

    assert [kpi(body, n) for n in ("new", "open", "overdue", "resolved")] == ["2", "2", "2", "2"]
    assert "Sitirejo II" not in body


@freeze_time(MOMENT)
def test_a_future_or_malformed_month_shows_the_current_one(client, scenario, camat):
    client.force_login(camat)

    for value in ("2027-01", "bulan-lalu", "2026-13"):
        body = client.get(DASHBOARD, {"bulan": value}).content.decode()
        assert '<option value="2026-11" selected>' in body


@freeze_time(MOMENT)
def test_the_excel_holds_the_unit_table_and_exactly_the_reports_behind_the_figures(
    client, scenario, camat, resident
):
    client.force_login(camat)

    response = client.get(EXCEL, {"bulan": "2026-11"})
    book = load_workbook(BytesIO(response.content))

    assert response["Content-Disposition"] == 'attachment; filename="dasbor-2026-11.xlsx"'
    assert book.sheetnames == ["Kinerja unit", "Laporan"]
    units = list(book["Kinerja unit"].iter_rows(min_row=2, values_only=True))
    assert units == [
        ("Dinas SDABMBK", 2, 2, 0, None, 1, 0, 0),
        ("Kantor Lurah Harjosari I", 0, 0, 1, 9, 1, 0, 0),
        ("Dinas Lingkungan Hidup", 0, 0, 1, 2, 1, 1, 1),
    ]
    sheet = book["Laporan"]
    header = next(sheet.iter_rows(max_row=1, values_only=True))
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert header[:4] == ("Nomor laporan", "Kategori", "Kelurahan", "Status")
    assert [row[0] for row in rows] == ["R8", "R3", "R1", "R2", "R4", "R5"]
    assert rows[2][:5] == (
        "R1",
        "Kebersihan & sampah",
        "Harjosari I",
        "Selesai",
        datetime(2026, 11, 2, 10, 0),
    )
    assert rows[2][9:] == (1, 3, "ya")
    text = " ".join(str(cell) for row in rows for cell in row)
    assert resident.name not in text
    assert "Uraian" not in text


@freeze_time(MOMENT)
def test_the_monthly_pdf_has_a_title_page_figures_and_units(client, scenario, camat):
    client.force_login(camat)

    response = client.get(PDF, {"bulan": "2026-11"})
    content = response.content

    assert response["Content-Type"] == "application/pdf"
    assert content.startswith(b"%PDF")
    assert len(re.findall(rb"/Type /Page\b(?!s)", content)) == 3
    assert b"Laporan Bulanan Pengaduan" in _pdf_text(content)


def _pdf_text(content):
    """Content streams, decoded (ASCII85 then Flate, as reportlab writes them), for a text
    search."""
    text = b""
    for stream in re.findall(rb"stream\r?\n(.*?)\s*endstream", content, re.S):
        try:
            text += zlib.decompress(base64.a85decode(b"<~" + stream.strip(), adobe=True))
        except (ValueError, zlib.error):
            text += stream
    return text


def test_the_uncompressed_pdf_names_the_month_and_area_and_is_stable(scenario, camat):
    figures = dashboard_figures_for_officer(user=camat, period=NOVEMBER, moment=MOMENT)

    first = monthly_report_pdf(figures, compress=False)

    assert b"(Laporan Bulanan Pengaduan \\227 November 2026)" in first
    assert b"(Kecamatan Medan Amplas)" in first
    assert b"(Dinas SDABMBK)" in first
    assert monthly_report_pdf(figures, compress=False) == first


@pytest.fixture
def many_reports(territory, harjosari_i, sitirejo_ii):
    category = Category.objects.create(code="lampu", name="Lampu jalan")
    made = [0]

    def make(count):
        now = timezone.now()
        Report.objects.bulk_create(
            Report(
                tracking_number=f"M{made[0] + i:05d}",
                kecamatan=harjosari_i.kecamatan,
                kelurahan=(harjosari_i, sitirejo_ii)[i % 2],
                category=category,
                channel="web",
                description="Lampu padam.",
                status=("in_progress", "resolved", "new")[i % 3],
                submitted_at=now - timedelta(hours=i + 1),
                first_response_at=now - timedelta(minutes=i + 1) if i % 2 else None,
                resolved_at=now - timedelta(minutes=i + 1) if i % 3 == 1 else None,
                resolution_due_at=now + timedelta(days=1),
                latitude=Decimal("3.54"),
                longitude=Decimal("98.70"),
            )
            for i in range(count)
        )
        made[0] += count

    return make


def _queries(client, url, *, stored=True):
    client.get(url)  # the first request after signing in writes the session (and stores)
    if not stored:
        StoredFigures.objects.all().delete()  # the figures computed live
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(("url", "stored"), [(DASHBOARD, True), (DASHBOARD, False), (EXCEL, False)])
def test_the_dashboard_takes_the_same_queries_for_10_or_1000_reports(
    client, many_reports, camat, url, stored
):
    many_reports(10)
    client.force_login(camat)
    small = _queries(client, url, stored=stored)

    many_reports(990)
    large = _queries(client, url, stored=stored)

    assert small == large


@freeze_time(MOMENT)
def test_a_second_visit_shows_the_same_figures_from_the_store_and_when_they_were_computed(
    client, scenario, camat
):
    client.force_login(camat)
    names = ("new", "open", "overdue", "resolved", "response", "resolution", "on-time", "due")

    first = client.get(DASHBOARD, {"bulan": "2026-11"}).content.decode()
    second = client.get(DASHBOARD, {"bulan": "2026-11"}).content.decode()

    assert StoredFigures.objects.count() == 1
    assert [kpi(second, n) for n in names] == [kpi(first, n) for n in names]
    assert [kpi(second, n) for n in names] == ["4", "4", "3", "2", "1,25", "7,0", "2", "3"]
    assert "Angka per pukul 12.00" in second


@freeze_time(MOMENT)
def test_the_camat_sees_the_program_figures_and_the_lurah_does_not(client, scenario, camat, lurah):
    client.force_login(camat)
    camat_body = client.get(DASHBOARD).content.decode()
    client.force_login(lurah)
    lurah_body = client.get(DASHBOARD).content.decode()

    assert "Program prioritas bulan ini" in camat_body
    assert "UMKM terdaftar / dalam binaan</th><td>0 / 0" in camat_body
    assert "Program prioritas bulan ini" not in lurah_body
