"""Fixtures and helpers for the complaints-desk page tests (no tests here).

Reports are filed through the real intake (`submit` from the reports tests) and moved with
the real services; `reports_bulk` makes many rows fast for query-count tests.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from telepati.accounts.models import User
from telepati.org.models import Unit
from telepati.reports.models import (
    Category,
    Channel,
    Disposition,
    EventKind,
    Report,
    ReportEvent,
)
from telepati.reports.services.desk import report_verify
from telepati.reports.services.dispositions import report_forward
from telepati.reports.services.resolution import report_resolve
from telepati.reports.tests.conftest import *  # noqa: F403 (fixtures for the page tests)

INBOX = reverse("backoffice:report_inbox")
BULK = reverse("backoffice:report_bulk")

PERSONAS = (
    "desk_operator",
    "camat",
    "lurah",
    "section_staff",
    "kelurahan_staff",
    "agency_liaison",
    "courier",
    "outsider",
    "administrator",
    "superuser",
)


def detail_url(report: Report) -> str:
    return reverse("backoffice:report_detail", kwargs={"tracking_number": report.tracking_number})


def action_url(report: Report, action: str) -> str:
    return reverse(
        "backoffice:report_action",
        kwargs={"tracking_number": report.tracking_number, "action": action},
    )


def to_state(report: Report, state: str, *, desk: User, units: list[Unit]) -> Report:
    """Move a new report to `state` (new, verified, forwarded, resolved) through the services."""
    if state != "new":
        report_verify(user=desk, report_id=report.pk)
    if state in ("forwarded", "resolved"):
        report_forward(user=desk, report_id=report.pk, unit_ids=[u.pk for u in units])
    if state == "resolved":
        report_resolve(user=desk, report_id=report.pk, message="Sampah sudah diangkut.")
    report.refresh_from_db()
    return report


def snapshot(report: Report) -> tuple[str, int, int]:
    report.refresh_from_db()
    return report.status, report.version, ReportEvent.objects.filter(report=report).count()


@pytest.fixture
def reports_bulk(
    sanitation: Category,
    harjosari_i: Any,
    desk_operator: User,
    dlh: Unit,
) -> Callable[..., list[Report]]:
    """Create `count` reports in Harjosari I quickly (bulk_create), each with an event and a
    disposition to DLH, every `same_moment` rows sharing one submitted_at."""

    def make(count: int, *, prefix: str = "B", same_moment: int = 1) -> list[Report]:
        base = timezone.now() - timedelta(days=3)
        rows = [
            Report(
                tracking_number=f"{prefix}{i:06d}",
                kecamatan_id=harjosari_i.kecamatan_id,
                kelurahan=harjosari_i,
                category=sanitation,
                channel=Channel.WHATSAPP,
                title=f"Laporan massal {i}",
                description="Saluran tersumbat di ujung gang.",
                status="forwarded",
                submitted_at=base + timedelta(minutes=i // same_moment),
                verified_at=base,
                forwarded_at=base,
                response_due_at=base + timedelta(days=1),
                resolution_due_at=base + timedelta(days=14),
            )
            for i in range(count)
        ]
        made = Report.objects.bulk_create(rows)
        ReportEvent.objects.bulk_create(
            ReportEvent(report=r, kind=EventKind.SUBMITTED, is_public=True, created_at=base)
            for r in made
        )
        Disposition.objects.bulk_create(
            Disposition(
                report=r,
                unit=dlh,
                due_at=base + timedelta(days=2),
                forwarded_by=desk_operator,
                forwarded_at=base,
            )
            for r in made
        )
        return made

    return make
