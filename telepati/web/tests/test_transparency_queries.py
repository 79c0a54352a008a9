"""Public transparency pages take the same number of queries for 10 or 1,000 reports, and
the statistics keep exact figures (stored per filter, see reports.figures_store)."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from telepati.core.models import StoredFigures
from telepati.reports.figures_store import MAX_AGE, PUBLIC_STATISTICS
from telepati.reports.models import Category, Disposition, Report
from telepati.reports.selectors_transparency import TransparencyFilters, public_statistics

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_reports(territory, harjosari_i, dlh, camat):
    category = Category.objects.create(code="kebersihan", name="Kebersihan & sampah")
    made = [0]

    def make(count):
        base = timezone.now() - timedelta(days=2)
        rows = [
            Report(
                tracking_number=f"T{made[0] + i:05d}",
                kecamatan=harjosari_i.kecamatan,
                kelurahan=harjosari_i,
                category=category,
                channel="whatsapp",
                description="Sampah menumpuk.",
                status=("in_progress", "resolved", "new", "verified")[i % 4],
                is_anonymous=i % 3 == 0,
                is_confidential=i % 7 == 0,
                latitude=Decimal("3.54") + Decimal(i % 50) / 1000,
                longitude=Decimal("98.70"),
                submitted_at=base - timedelta(minutes=i),
                first_response_at=base + timedelta(hours=1) if i % 2 else None,
                resolved_at=base + timedelta(days=1) if i % 4 == 1 else None,
                resolution_due_at=base + timedelta(hours=30),
            )
            for i in range(count)
        ]
        made[0] += count
        reports = Report.objects.bulk_create(rows)
        Disposition.objects.bulk_create(
            Disposition(
                report=report,
                unit=dlh,
                status="in_progress",
                forwarded_at=report.submitted_at,
                due_at=report.submitted_at + timedelta(days=3),
                forwarded_by=camat,
            )
            for report in reports
        )
        return reports

    return make


def _queries(client, url, params=None, *, stored=False):
    """Queries of one request: the figures computed live (nothing stored), or, with
    `stored`, read from the row a first request stored."""
    cache.clear()
    StoredFigures.objects.all().delete()
    if stored:
        client.get(url, params or {})
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("name", "params", "stored"),
    [
        ("web:public_reports", {}, False),
        ("web:public_reports", {"tampilan": "peta"}, False),
        ("web:public_reports", {"status": "in_progress", "kategori": "kebersihan"}, False),
        ("web:public_statistics", {}, False),
        ("web:public_statistics", {}, True),
        ("web:public_statistics", {"kategori": "kebersihan"}, True),
    ],
)
def test_public_pages_take_the_same_queries_for_10_or_1000_reports(
    client, make_reports, name, params, stored
):
    make_reports(10)
    small = _queries(client, reverse(name), params, stored=stored)

    make_reports(990)
    large = _queries(client, reverse(name), params, stored=stored)

    assert small == large


def test_the_public_report_page_takes_the_same_queries_for_10_or_1000_reports(client, make_reports):
    first = make_reports(10)[1]
    url = reverse("web:public_report", args=[first.tracking_number])
    small = _queries(client, url)

    make_reports(990)
    large = _queries(client, url)

    assert small == large


def test_keyset_pages_cover_every_public_report_once(client, make_reports):
    reports = make_reports(45)
    expected = [
        r.tracking_number
        for r in reports
        if r.status in ("in_progress", "resolved", "verified") and not r.is_confidential
    ]
    from telepati.reports.selectors_transparency import public_report_page

    seen, cursor = [], ""
    while True:
        page = public_report_page(filters=TransparencyFilters(), cursor=cursor, page_size=7)
        seen += [row.tracking_number for row in page.rows]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor

    assert seen == expected
    assert (
        public_report_page(filters=TransparencyFilters(), cursor="rusak!").rows[0].tracking_number
        == expected[0]
    )


def test_public_statistics_count_only_public_reports(make_reports):
    reports = make_reports(28)
    public = [
        r
        for r in reports
        if r.status in ("in_progress", "resolved", "verified") and not r.is_confidential
    ]

    figures = public_statistics(filters=TransparencyFilters())

    assert sum(figures.statuses.values()) == len(public)
    assert figures.headline.new == len(public)
    assert figures.headline.resolved == sum(1 for r in public if r.resolved_at)
    assert figures.units[0].open == len(public)


def _new_count(response):
    match = re.search(r'<strong id="kpi-new">(\d+)</strong>', response.content.decode())
    assert match is not None
    return match.group(1)


def test_statistics_are_stored_per_filter_for_a_few_minutes(client, make_reports):
    make_reports(8)  # 4 public
    url = reverse("web:public_statistics")
    first = _new_count(client.get(url))
    make_reports(8)

    assert (first, _new_count(client.get(url))) == ("4", "4")
    assert _new_count(client.get(url, {"kategori": "kebersihan"})) == "8"
    # The status filter does not change the statistics: the same stored row serves it.
    assert _new_count(client.get(url, {"status": "resolved"})) == "4"
    assert StoredFigures.objects.count() == 2


def test_statistics_older_than_their_max_age_are_computed_again(client, make_reports):
    make_reports(8)
    url = reverse("web:public_statistics")
    with freeze_time(timezone.now()) as clock:
        assert _new_count(client.get(url)) == "4"
        make_reports(8)
        clock.tick(MAX_AGE[PUBLIC_STATISTICS] - timedelta(seconds=1))
        assert _new_count(client.get(url)) == "4"
        clock.tick(timedelta(seconds=2))
        assert _new_count(client.get(url)) == "8"


def test_filters_the_page_does_not_offer_are_computed_but_never_stored(client, make_reports):
    make_reports(8)
    url = reverse("web:public_statistics")

    for params in ({"kategori": "tidak-ada"}, {"kelurahan": "987654"}, {"kategori": "x" * 40}):
        assert client.get(url, params).status_code == 200

    assert not StoredFigures.objects.exists()
