"""Public transparency reads: the list and map of public reports, one report's public page,
and the public statistics.

What the public may see (the same rule as `selectors_public`, the Open311 door):

- only reports the desk accepted (`lifecycle.PUBLIC_STATES`) and that are not *rahasia*;
- never anything about the reporter: rows are plain dataclasses built here, so a template
  cannot reach `report.reporter`; officers appear only as their unit;
- an *anonim* report's place is coarsened: its coordinates rounded to the 0.005° grid
  (≈ 550 m, `statistics.grid_round`) and its street address left out, so the pin cannot
  point at the reporter's house;
- the timeline holds only public events, photos only public photo attachments (an
  anonymous report's photos are stored non-public at intake).

Lists are paged by keyset (submission time and id, newest first; never OFFSET) in a fixed
number of queries. Statistics are over the public reports only, durations in calendar
days; the page reads them stored (`reports.figures_store`), computed at most a few minutes
before.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from telepati.core.errors import NotFound
from telepati.core.keyset import row_beyond
from telepati.org.models import Kelurahan
from telepati.reports import statistics as stats
from telepati.reports.lifecycle import Status
from telepati.reports.models import (
    Attachment,
    AttachmentKind,
    Category,
    Disposition,
    EventKind,
    Report,
    ReportEvent,
)
from telepati.reports.periods import Period, Window
from telepati.reports.selectors_public import PUBLIC_STATUS_VALUES
from telepati.reports.services.common import now

PAGE_SIZE = 20
MAP_POINT_LIMIT = 1000
STATISTICS_MONTHS = 12


def public_reports() -> QuerySet[Report]:
    """Every report a public page may show."""
    return Report.objects.filter(is_confidential=False, status__in=PUBLIC_STATUS_VALUES)


@dataclass(frozen=True)
class TransparencyFilters:
    """Narrowing of the public list, map and statistics; every field optional."""

    category_code: str = ""
    kelurahan_id: int | None = None
    status: str = ""

    def apply(self, reports: QuerySet[Report]) -> QuerySet[Report]:
        if self.category_code:
            reports = reports.filter(category__code=self.category_code)
        if self.kelurahan_id is not None:
            reports = reports.filter(kelurahan_id=self.kelurahan_id)
        if self.status in PUBLIC_STATUS_VALUES:
            reports = reports.filter(status=self.status)
        return reports

    @property
    def cache_key(self) -> str:
        return f"{self.category_code}|{self.kelurahan_id or ''}|{self.status}"


@dataclass(frozen=True)
class PublicReportRow:
    """A public report as the list and the map show it."""

    tracking_number: str
    title: str
    category: str
    kelurahan: str
    status: str
    status_label: str
    submitted_at: datetime
    resolved_at: datetime | None
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    is_coarsened: bool


def _title(report: Report) -> str:
    return report.title or report.category.name


def _row(report: Report) -> PublicReportRow:
    latitude, longitude = report.latitude, report.longitude
    coarsen = report.is_anonymous
    if coarsen and latitude is not None and longitude is not None:
        latitude, longitude = stats.grid_round(latitude), stats.grid_round(longitude)
    return PublicReportRow(
        tracking_number=report.tracking_number,
        title=_title(report),
        category=report.category.name,
        kelurahan=report.kelurahan.name if report.kelurahan else "",
        status=report.status,
        status_label=str(Status(report.status).label),
        submitted_at=report.submitted_at,
        resolved_at=report.resolved_at,
        address="" if coarsen else report.address,
        latitude=latitude,
        longitude=longitude,
        is_coarsened=coarsen,
    )


def _listed(filters: TransparencyFilters) -> QuerySet[Report]:
    return filters.apply(public_reports()).select_related("category", "kelurahan")


# --- List (keyset pages) -----------------------------------------------------------------


@dataclass(frozen=True)
class PublicPage:
    rows: list[PublicReportRow]
    next_cursor: str | None


def _cursor_encode(report: Report) -> str:
    raw = f"{report.submitted_at.isoformat()}|{report.pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _cursor_decode(cursor: str) -> tuple[datetime, int] | None:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        moment_text, pk_text = raw.split("|")
        moment, pk = parse_datetime(moment_text), int(pk_text)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return (moment, pk) if moment is not None and moment.tzinfo is not None else None


def public_report_page(
    *, filters: TransparencyFilters, cursor: str = "", page_size: int = PAGE_SIZE
) -> PublicPage:
    """One page of public reports, newest first, after `cursor` (a bad cursor: first page).
    One query."""
    reports = _listed(filters).order_by("-submitted_at", "-pk")
    position = _cursor_decode(cursor) if cursor else None
    if position is not None:
        moment, pk = position
        reports = reports.filter(row_beyond("submitted_at", key=moment, pk=pk, op="lt"))
    found = list(reports[: page_size + 1])
    more = len(found) > page_size
    found = found[:page_size]
    return PublicPage(
        rows=[_row(report) for report in found],
        next_cursor=_cursor_encode(found[-1]) if more and found else None,
    )


def public_map_points(*, filters: TransparencyFilters) -> list[PublicReportRow]:
    """Public reports with a place, newest first, at most MAP_POINT_LIMIT (anonim coarsened).
    One query."""
    reports = _listed(filters).filter(latitude__isnull=False, longitude__isnull=False)
    return [_row(report) for report in reports.order_by("-submitted_at", "-pk")[:MAP_POINT_LIMIT]]


# --- One report --------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicEvent:
    """One public timeline entry; the actor appears only as their unit."""

    created_at: datetime
    label: str
    status_label: str
    message: str
    unit: str


@dataclass(frozen=True)
class PublicPhoto:
    url: str
    thumbnail_url: str
    is_evidence: bool


@dataclass(frozen=True)
class PublicReportDetail:
    row: PublicReportRow
    description: str
    units: list[str]
    events: list[PublicEvent] = field(default_factory=list)
    photos: list[PublicPhoto] = field(default_factory=list)


def public_report_detail(*, tracking_number: str) -> PublicReportDetail:
    """A public report with its public timeline and photos, or NotFound. Four queries."""
    try:
        report = (
            public_reports()
            .select_related("category", "kelurahan")
            .prefetch_related(
                Prefetch(
                    "attachments",
                    queryset=Attachment.objects.filter(
                        is_public=True, kind=AttachmentKind.PHOTO
                    ).order_by("created_at", "pk"),
                    to_attr="public_photos",
                ),
                Prefetch(
                    "dispositions",
                    queryset=Disposition.objects.exclude(status__in=["returned", "withdrawn"])
                    .select_related("unit")
                    .order_by("forwarded_at", "pk"),
                    to_attr="held_by",
                ),
            )
            .get(tracking_number=tracking_number.strip().upper())
        )
    except Report.DoesNotExist:
        raise NotFound(_("Laporan tidak ditemukan.")) from None
    events = (
        ReportEvent.objects.filter(report=report, is_public=True)
        .select_related("unit")
        .order_by("created_at", "pk")
    )
    return PublicReportDetail(
        row=_row(report),
        description=report.description,
        units=[d.unit.name for d in report.held_by],
        events=[_event(event) for event in events],
        photos=[
            PublicPhoto(
                url=photo.file.url,
                thumbnail_url=photo.thumbnail.url if photo.thumbnail else photo.file.url,
                is_evidence=photo.is_evidence,
            )
            for photo in report.public_photos
        ],
    )


def _event(event: ReportEvent) -> PublicEvent:
    # A rating's comment is the resident's own words: the public sees that a rating was given.
    message = "" if event.kind == EventKind.RATING else event.message
    return PublicEvent(
        created_at=event.created_at,
        label=str(EventKind(event.kind).label),
        status_label=str(Status(event.to_status).label) if event.to_status else "",
        message=message,
        unit=event.unit.name if event.unit else "",
    )


# --- Choices for the filters -------------------------------------------------------------


def transparency_choices() -> tuple[list[Category], list[Kelurahan], list[tuple[str, str]]]:
    """Categories, kelurahan and statuses the public filters offer (two queries)."""
    categories = list(Category.objects.filter(is_active=True).order_by("sort_order", "name"))
    kelurahan = list(
        Kelurahan.objects.filter(is_active=True, kecamatan__is_active=True).order_by("name")
    )
    statuses = [(value, str(Status(value).label)) for value in PUBLIC_STATUS_VALUES]
    return categories, kelurahan, statuses


# --- Statistics --------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicStatistics:
    """The public statistics page: the last twelve months of public reports."""

    window: Window
    moment: datetime
    headline: stats.Headline
    median_response_days: float | None
    median_resolution_days: float | None
    statuses: dict[str, int]
    by_category: list[stats.GroupFigures]
    by_kelurahan: list[stats.GroupFigures]
    units: list[stats.UnitFigures]
    trend: list[stats.TrendPoint]
    ratings: dict[int, int]


def _public_dispositions(filters: TransparencyFilters) -> QuerySet[Disposition]:
    """Dispositions of the public reports matching `filters` (status ignored), joined on the
    report's columns: `report__in (ids)` made the database hash every public report's id."""
    dispositions = Disposition.objects.filter(
        report__is_confidential=False, report__status__in=PUBLIC_STATUS_VALUES
    )
    if filters.category_code:
        dispositions = dispositions.filter(report__category__code=filters.category_code)
    if filters.kelurahan_id is not None:
        dispositions = dispositions.filter(report__kelurahan_id=filters.kelurahan_id)
    return dispositions


def public_statistics(
    *, filters: TransparencyFilters, moment: datetime | None = None
) -> PublicStatistics:
    """Figures over the public reports matching `filters` (the status filter is ignored:
    the figures are about every state); a fixed number of queries."""
    moment = moment or now()
    months = Period.containing(moment).months_back(STATISTICS_MONTHS)
    window = Window(start=months[0].start, end=months[-1].end)
    reports = TransparencyFilters(
        category_code=filters.category_code, kelurahan_id=filters.kelurahan_id
    ).apply(public_reports())
    # Calendar-day durations per category and per kelurahan, fetched once for both.
    response, resolution = stats.period_samples(
        reports, period=window, keys=("category_id", "kelurahan_id"), calendar=None
    )
    return PublicStatistics(
        window=window,
        moment=moment,
        headline=stats.headline(reports, period=window, moment=moment),
        median_response_days=stats.median_calendar_days(
            reports.filter(window.q("first_response_at")),
            start="submitted_at",
            end="first_response_at",
        ),
        median_resolution_days=stats.median_calendar_days(
            reports.filter(window.q("resolved_at")), start="submitted_at", end="resolved_at"
        ),
        statuses=stats.status_counts(reports),
        by_category=stats.figures_by(
            reports,
            key="category_id",
            label="category__name",
            period=window,
            moment=moment,
            calendar=None,
            response=response,
            resolution=resolution,
        ),
        by_kelurahan=stats.figures_by(
            reports,
            key="kelurahan_id",
            label="kelurahan__name",
            period=window,
            moment=moment,
            calendar=None,
            response=response,
            resolution=resolution,
        ),
        units=stats.unit_figures(
            _public_dispositions(filters),
            period=window,
            moment=moment,
            calendar=None,
        ),
        trend=stats.monthly_trend(reports, months=months),
        ratings=stats.rating_distribution(reports, period=window),
    )
