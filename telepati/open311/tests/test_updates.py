"""servicerequestupdates: public timeline entries of public reports in a time window."""

from __future__ import annotations

from telepati.open311.tests.conftest import AMPLAS, fetch
from telepati.reports.models import ReportEvent
from telepati.reports.services.dispositions import report_forward
from telepati.reports.services.resolution import report_resolve


def test_updates_follow_a_report_through_its_public_timeline(
    client, public_report, desk_operator, dlh, submit, verify
):
    report_forward(user=desk_operator, report_id=public_report.pk, unit_ids=[dlh.pk])
    report_resolve(user=desk_operator, report_id=public_report.pk, message="Sudah diangkut.")
    verify(submit(is_confidential=True, description="Sampah di belakang rumah saya sendiri."))
    submit(description="Laporan baru yang belum diverifikasi petugas.")
    events = list(
        ReportEvent.objects.filter(report=public_report, is_public=True).order_by(
            "created_at", "id"
        )
    )

    status, data, root = fetch(
        client, "updates", start_date="2026-11-01T00:00:00+07:00", end_date="2026-11-05", **AMPLAS
    )

    assert (status, root) == (200, "service_requests_updates")
    assert [row["update_id"] for row in data] == [str(event.pk) for event in events]
    assert {row["service_request_id"] for row in data} == {public_report.tracking_number}
    assert [row["status"] for row in data] == [
        {"new": "FOR_TRIAGE", "verified": "OPEN", "forwarded": "ACTION_SCHEDULED"}.get(
            event.to_status, "FIXED"
        )
        for event in events
    ]
    assert data[-1] == {
        "update_id": str(events[-1].pk),
        "service_request_id": public_report.tracking_number,
        "status": "FIXED",
        "updated_datetime": events[-1].created_at.astimezone().isoformat(timespec="seconds"),
        "description": events[-1].message,
        "media_url": None,
    }


def test_updates_default_to_the_last_90_days_and_respect_the_window(client, public_report):
    _status, recent, _root = fetch(client, "updates", **AMPLAS)
    _status, before, _root = fetch(
        client, "updates", start_date="2026-10-01", end_date="2026-10-30", **AMPLAS
    )

    assert len(recent) == ReportEvent.objects.filter(report=public_report, is_public=True).count()
    assert before == []


def test_updates_refuse_a_window_over_90_days(client, territory):
    status, data, _root = fetch(
        client, "updates", start_date="2026-01-01", end_date="2026-11-01", **AMPLAS
    )

    assert (status, data) == (
        400,
        [{"code": 400, "description": "Rentang start_date sampai end_date paling lama 90 hari."}],
    )
