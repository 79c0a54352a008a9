"""Moments in the request list are read as whole seconds: written like `w3c_datetime` (the
fraction cut, never rounded up), in the deployment's zone, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

from telepati.open311.serializers import w3c_datetime
from telepati.open311.tests.conftest import AMPLAS, fetch
from telepati.reports.models import Report, ReportEvent
from telepati.reports.services.resolution import report_resolve


def test_fractions_of_a_second_are_cut_not_rounded(client, public_report):
    due = datetime.fromisoformat("2026-11-20T05:42:18.999683+00:00")
    Report.objects.filter(pk=public_report.pk).update(resolution_due_at=due)
    note = ReportEvent.objects.filter(report=public_report, is_public=True).latest("created_at")
    noted = datetime.fromisoformat("2026-11-03T23:59:59.9999+00:00")
    ReportEvent.objects.filter(pk=note.pk).update(created_at=noted)

    _status, data, _root = fetch(client, "requests", **AMPLAS)

    assert data[0]["expected_datetime"] == "2026-11-20T12:42:18+07:00" == w3c_datetime(due)
    assert data[0]["updated_datetime"] == "2026-11-04T06:59:59+07:00" == w3c_datetime(noted)
    assert data[0]["requested_datetime"] == w3c_datetime(public_report.submitted_at)


def test_a_closed_request_is_updated_when_closed_else_when_resolved(
    client, public_report, desk_operator
):
    report_resolve(user=desk_operator, report_id=public_report.pk, message="Sudah diangkut.")
    resolved = Report.objects.get(pk=public_report.pk).resolved_at
    assert resolved is not None

    _status, data, _root = fetch(client, "requests", **AMPLAS)
    assert data[0]["updated_datetime"] == w3c_datetime(resolved)

    closed = resolved + timedelta(days=3, microseconds=999_999)
    Report.objects.filter(pk=public_report.pk).update(status="closed", closed_at=closed)

    _status, data, _root = fetch(client, "requests", **AMPLAS)
    assert data[0]["status"] == "closed"
    assert data[0]["updated_datetime"] == w3c_datetime(closed)
