"""Reads of the REST API, with access built in: what a client may see of reports.

A client sees any *public* report (accepted by the desk, not *rahasia*) in its public form,
and every report it filed itself (`Report.api_client`) in full, whatever its state. Nothing
about a reporter is ever read here. Lists are keyset pages (newest first, by the
`report_api_client_idx` index) in a fixed number of queries whatever their length.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from telepati.apikeys.models import ApiClient
from telepati.core.errors import InvalidInput, NotFound
from telepati.org.models import Kelurahan
from telepati.org.selectors import kelurahan_active
from telepati.reports.lifecycle import PUBLIC_STATES
from telepati.reports.models import Attachment, AttachmentKind, Report, ReportEvent

PUBLIC_STATUS_VALUES: tuple[str, ...] = tuple(sorted(status.value for status in PUBLIC_STATES))
PAGE_SIZE_DEFAULT = 20
PAGE_SIZE_MAX = 100


def kelurahan_list_api() -> list[Kelurahan]:
    """Active kelurahan of active kecamatan, by kecamatan then name."""
    return list(kelurahan_active().order_by("kecamatan__name", "name", "pk"))


def kelurahan_of_client(*, client: ApiClient, code: str) -> Kelurahan | None:
    """The active kelurahan with this code in the client's kecamatan (where its reports go)."""
    return kelurahan_active().filter(kecamatan_id=client.kecamatan_id, code=code).first()


# --- Reports ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClientReportFilters:
    status: str = ""
    updated_since: datetime | None = None


@dataclass(frozen=True)
class ReportPage:
    reports: list[Report]
    next_cursor: str


def _cursor_encode(report: Report) -> str:
    raw = f"{report.submitted_at.isoformat()}|{report.pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _cursor_decode(cursor: str) -> tuple[datetime, int]:
    invalid = InvalidInput(
        _("Kursor halaman tidak sah."),
        field_errors={"cursor": [_("Pakai nilai next_cursor dari halaman sebelumnya.")]},
    )
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        moment_text, _bar, pk_text = raw.partition("|")
        moment = parse_datetime(moment_text)
        pk = int(pk_text)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise invalid from None
    if moment is None or moment.tzinfo is None or pk < 1:
        raise invalid
    return moment, pk


def report_page_for_client(
    *,
    client: ApiClient,
    filters: ClientReportFilters,
    cursor: str = "",
    limit: int = PAGE_SIZE_DEFAULT,
) -> ReportPage:
    """The reports this client filed, newest first, one keyset page after `cursor`."""
    reports = Report.objects.filter(api_client=client)
    if filters.status:
        reports = reports.filter(status=filters.status)
    if filters.updated_since is not None:
        reports = reports.filter(updated_at__gte=filters.updated_since)
    if cursor:
        moment, pk = _cursor_decode(cursor)
        reports = reports.filter(Q(submitted_at__lt=moment) | Q(submitted_at=moment, pk__lt=pk))
    limit = max(1, min(limit, PAGE_SIZE_MAX))
    rows = list(
        reports.select_related("category", "kelurahan").order_by("-submitted_at", "-id")[
            : limit + 1
        ]
    )
    next_cursor = _cursor_encode(rows[limit - 1]) if len(rows) > limit else ""
    return ReportPage(reports=rows[:limit], next_cursor=next_cursor)


@dataclass(frozen=True)
class ClientReportView:
    """One report as a client sees it: `is_own` says whether it gets the full status."""

    report: Report
    is_own: bool
    timeline: Sequence[ReportEvent]


def _public_photos() -> QuerySet[Attachment]:
    return Attachment.objects.filter(is_public=True, kind=AttachmentKind.PHOTO).order_by(
        "created_at", "id"
    )


def report_get_for_client(*, client: ApiClient, tracking_number: str) -> ClientReportView:
    """A public report, or one of the client's own; NotFound otherwise (never Forbidden, so
    a number that exists but is not visible looks like one that does not)."""
    visible = Q(api_client=client) | Q(is_confidential=False, status__in=PUBLIC_STATUS_VALUES)
    report = (
        Report.objects.filter(visible, tracking_number=tracking_number.strip().upper())
        .select_related("category", "kelurahan", "kecamatan", "merged_into")
        .first()
    )
    if report is None:
        raise NotFound(_("Laporan tidak ditemukan."))
    timeline = list(
        ReportEvent.objects.filter(report=report, is_public=True)
        .prefetch_related(Prefetch("attachments", queryset=_public_photos(), to_attr="photos"))
        .order_by("created_at", "id")
    )
    return ClientReportView(
        report=report, is_own=report.api_client_id == client.pk, timeline=timeline
    )


def report_submitted_with_key(*, client: ApiClient, submission_key: str) -> Report | None:
    """The client's report already made from this submission key (an idempotent retry)."""
    return (
        Report.objects.filter(api_client=client, submission_key=submission_key)
        .select_related("category")
        .first()
    )
