"""The request list costs the same queries for 10 or 1,000 reports (and stops at 1,000)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from telepati.open311.tests.conftest import AMPLAS, photo_upload, url
from telepati.reports.models import Report
from telepati.reports.services.dispositions import report_forward


def _ten_public_reports(submit, verify, desk_operator, dlh) -> list[Report]:
    reports = [verify(submit(uploads=[photo_upload()] if n % 2 else [])) for n in range(10)]
    for report in reports[:5]:
        report_forward(user=desk_operator, report_id=report.pk, unit_ids=[dlh.pk])
    return reports


def _copies(reports: list[Report], count: int) -> None:
    """Rows shaped like the public ones (made by the services above), in bulk."""
    fresh = Report.objects.get(pk=reports[0].pk)
    copies = []
    for n in range(count):
        fresh.pk = None
        fresh.tracking_number = f"X{n:06d}"
        fresh.submission_key = None
        copies.append(
            Report(**{f.attname: getattr(fresh, f.attname) for f in Report._meta.concrete_fields})
        )
    Report.objects.bulk_create(copies, batch_size=500)


def test_the_list_costs_the_same_queries_for_10_or_1000_reports(
    client, submit, verify, desk_operator, dlh, django_assert_num_queries
):
    reports = _ten_public_reports(submit, verify, desk_operator, dlh)
    client.get(url("requests", "json"), AMPLAS)  # opens this address's rate-limit window
    with CaptureQueriesContext(connection) as few:
        response = client.get(url("requests", "json"), AMPLAS)
    assert len(response.json()) == 10

    _copies(reports, 1000)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url("requests", "json"), AMPLAS)

    assert len(response.json()) == 1000
    # Besides the rate-limit count: the jurisdiction, the reports (with their last public
    # note as subqueries), their public photos and their dispositions with units.
    reads = [
        q["sql"]
        for q in few.captured_queries
        if q["sql"].startswith("SELECT") and "telepati_cache" not in q["sql"]
    ]
    assert [sql.split(".", 1)[0].removeprefix("SELECT ").strip('"') for sql in reads] == [
        "org_kecamatan",
        "reports_report",
        "reports_attachment",
        "reports_disposition",
    ]
