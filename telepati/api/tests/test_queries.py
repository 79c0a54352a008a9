"""Every list and read takes the same number of queries for 10 or 1,000 rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from telepati.api.tests.conftest import report_body
from telepati.apikeys.models import ApiClient
from telepati.org.models import Kelurahan
from telepati.reports.models import Category, CategoryQuestion, Report

pytestmark = pytest.mark.django_db


def _count(call: Callable[..., Any], path: str) -> int:
    """Queries of a call after a first one (which also starts the rate count and may stamp
    the client's last use)."""
    call("get", path)
    with CaptureQueriesContext(connection) as queries:
        response = call("get", path)
    assert response.status_code == 200, response.content
    return len(queries)


def _reports(template: Report, client: ApiClient, count: int) -> None:
    """`count` copies of the template report, filed by `client`."""
    fields = {
        f.attname: getattr(template, f.attname)
        for f in Report._meta.concrete_fields
        if f.attname not in {"id", "tracking_number", "submission_key"}
    }
    existing = Report.objects.count()
    Report.objects.bulk_create(
        Report(**{**fields, "api_client_id": client.pk}, tracking_number=f"T-{existing + n}")
        for n in range(count)
    )


def test_the_own_list_takes_constant_queries(app, app_client, sanitation, harjosari_i):
    response = app("post", "/api/v1/reports/", report_body())
    template = Report.objects.get(tracking_number=response.json()["tracking_number"])
    _reports(template, app_client[0], 9)
    small = _count(app, "/api/v1/reports/?limit=100")
    _reports(template, app_client[0], 990)

    large = _count(app, "/api/v1/reports/?limit=100")

    assert Report.objects.count() == 1000
    assert small == large


def test_a_report_takes_constant_queries_whatever_its_timeline(app, public_report, desk_operator):
    from telepati.reports.models import EventKind, ReportEvent

    path = f"/api/v1/reports/{public_report.tracking_number}/"
    small = _count(app, path)
    ReportEvent.objects.bulk_create(
        ReportEvent(
            report=public_report,
            kind=EventKind.NOTE,
            is_public=True,
            message=f"Catatan {n}",
            created_at=public_report.submitted_at,
        )
        for n in range(200)
    )

    assert _count(app, path) == small


def test_reference_lists_take_constant_queries(anonymous, sanitation, amplas):
    def grow(count: int) -> None:
        start = Category.objects.count()
        categories = Category.objects.bulk_create(
            Category(code=f"k-{start + n}", name=f"Kategori {start + n}") for n in range(count)
        )
        CategoryQuestion.objects.bulk_create(
            CategoryQuestion(category=c, code="q", datatype="string", description="Apa?")
            for c in categories
        )
        Kelurahan.objects.bulk_create(
            Kelurahan(kecamatan=amplas, code=f"kel-{start + n}", name=f"Kel {start + n}")
            for n in range(count)
        )

    grow(10)
    small = (_count(anonymous, "/api/v1/categories/"), _count(anonymous, "/api/v1/kelurahan/"))
    grow(990)

    large = (_count(anonymous, "/api/v1/categories/"), _count(anonymous, "/api/v1/kelurahan/"))

    assert small == large
