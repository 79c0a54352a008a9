"""Reads for the leaders' dashboard, with access built in: figures, export rows, report rows.

Who sees which area (`Capability.VIEW_DASHBOARD`; anyone else gets `Forbidden`):

- a leader of a kantor kelurahan (lurah): the reports located in that kelurahan, and the
  dispositions of those reports;
- a leader elsewhere in a kecamatan (camat) and that kecamatan's administrators and
  operators: every report of the kecamatan;
- a superuser: every report; a leader of a city-level unit (no kecamatan) has no area.

The figures come from `reports.statistics` (definitions there); durations are in working
days. Nothing about a reporter leaves here: export rows carry the tracking number,
category, kelurahan, status, dates, units and durations only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from telepati.accounts.capabilities import Capability, roles_with
from telepati.accounts.roles import Role
from telepati.accounts.scope import KELURAHAN_OFFICE, OfficerScope
from telepati.accounts.selectors import AnyUser, officer_scope_get
from telepati.core.errors import Forbidden
from telepati.core.selectors import work_calendar_get
from telepati.core.workdays import WorkCalendar, working_days_between
from telepati.org.models import Kecamatan, Kelurahan
from telepati.reports import statistics as stats
from telepati.reports.lifecycle import Status
from telepati.reports.models import Disposition, Report
from telepati.reports.periods import Period
from telepati.reports.services.common import now

TREND_MONTHS = 6
EXPORT_ROW_LIMIT = 50_000


@dataclass(frozen=True)
class DashboardArea:
    """What one officer's dashboard covers, and its name for titles."""

    kecamatan_ids: frozenset[int]
    kelurahan_ids: frozenset[int]
    everything: bool
    title: str

    def q(self, prefix: str = "") -> Q:
        """The area's reports; with `prefix` (e.g. ``"report__"``) the rows whose report is
        in the area, through a join on the report's area columns."""
        if self.everything:
            return Q()
        return Q(**{f"{prefix}kecamatan_id__in": sorted(self.kecamatan_ids)}) | Q(
            **{f"{prefix}kelurahan_id__in": sorted(self.kelurahan_ids)}
        )

    @property
    def key(self) -> str:
        """A stable name of the area (what stored figures are filed under)."""
        if self.everything:
            return "all"
        kecamatan = ",".join(str(pk) for pk in sorted(self.kecamatan_ids))
        kelurahan = ",".join(str(pk) for pk in sorted(self.kelurahan_ids))
        return f"kec:{kecamatan};kel:{kelurahan}"


def dashboard_area_for(scope: OfficerScope) -> DashboardArea:
    """The officer's dashboard area, or Forbidden (see the module docstring). One query for
    the area's name."""
    if scope.is_superuser:
        return DashboardArea(frozenset(), frozenset(), everything=True, title=_("Semua wilayah"))
    allowed = roles_with(Capability.VIEW_DASHBOARD)
    kecamatan_ids: set[int] = set()
    kelurahan_ids: set[int] = set()
    for grant in scope.grants:
        if grant.role not in allowed:
            continue
        if grant.role == Role.LEADER and grant.unit_kind == KELURAHAN_OFFICE:
            if grant.kelurahan_id is not None:
                kelurahan_ids.add(grant.kelurahan_id)
        elif grant.kecamatan_id is not None:
            kecamatan_ids.add(grant.kecamatan_id)
    if not kecamatan_ids and not kelurahan_ids:
        raise Forbidden(_("Peran Anda tidak berwenang membuka dasbor pimpinan."))
    names = [str(k) for k in Kecamatan.objects.filter(pk__in=sorted(kecamatan_ids))]
    names += [
        str(k)
        for k in Kelurahan.objects.filter(pk__in=sorted(kelurahan_ids)).exclude(
            kecamatan_id__in=sorted(kecamatan_ids)
        )
    ]
    return DashboardArea(
        frozenset(kecamatan_ids), frozenset(kelurahan_ids), everything=False, title=", ".join(names)
    )


@dataclass(frozen=True)
class DashboardFigures:
    """Everything the dashboard page, the Excel file and the monthly PDF show."""

    area: DashboardArea
    period: Period
    moment: datetime
    headline: stats.Headline
    median_response_days: float | None
    median_resolution_days: float | None
    statuses: dict[str, int]
    by_category: list[stats.GroupFigures]
    by_kelurahan: list[stats.GroupFigures]
    units: list[stats.UnitFigures]
    trend: list[stats.TrendPoint]
    ageing: list[stats.AgeBucket]
    hotspots: list[stats.HotSpot]
    ratings: dict[int, int]


def _area_scope(user: AnyUser, scope: OfficerScope | None) -> DashboardArea:
    scope = scope if scope is not None else officer_scope_get(user=user)
    if not scope.can(Capability.VIEW_DASHBOARD):
        raise Forbidden(_("Peran Anda tidak berwenang membuka dasbor pimpinan."))
    return dashboard_area_for(scope)


def dashboard_area_of(*, user: AnyUser, scope: OfficerScope | None = None) -> DashboardArea:
    """The officer's dashboard area, or Forbidden (see the module docstring)."""
    return _area_scope(user, scope)


def dashboard_figures_for_officer(
    *,
    user: AnyUser,
    period: Period,
    moment: datetime | None = None,
    scope: OfficerScope | None = None,
) -> DashboardFigures:
    """The month's figures for the officer's area; open/overdue/ageing as at `moment` (now).

    A fixed number of queries whatever the number of reports."""
    return dashboard_figures_for_area(
        area=_area_scope(user, scope), period=period, moment=moment or now()
    )


def dashboard_figures_for_area(
    *, area: DashboardArea, period: Period, moment: datetime
) -> DashboardFigures:
    """The month's figures for `area`, computed now from the reports (no access check: the
    caller decided the area, see `dashboard_figures_for_officer`)."""
    calendar = work_calendar_get()
    reports = Report.objects.filter(area.q())
    # Joined on the report's area columns: `report__in (the area's ids)` made the database
    # build and hash every id of the area (a million) before counting.
    dispositions = Disposition.objects.filter(area.q(prefix="report__"))
    # The durations behind every median, fetched once (the overall medians and those per
    # category and per kelurahan are over the same rows).
    response, resolution = stats.period_samples(
        reports, period=period, keys=("category_id", "kelurahan_id"), calendar=calendar
    )
    return DashboardFigures(
        area=area,
        period=period,
        moment=moment,
        headline=stats.headline(reports, period=period, moment=moment),
        median_response_days=response.median(),
        median_resolution_days=resolution.median(),
        statuses=stats.status_counts(reports.filter(stats.open_q())),
        by_category=stats.figures_by(
            reports,
            key="category_id",
            label="category__name",
            period=period,
            moment=moment,
            calendar=calendar,
            response=response,
            resolution=resolution,
        ),
        by_kelurahan=stats.figures_by(
            reports,
            key="kelurahan_id",
            label="kelurahan__name",
            period=period,
            moment=moment,
            calendar=calendar,
            response=response,
            resolution=resolution,
        ),
        units=stats.unit_figures(dispositions, period=period, moment=moment, calendar=calendar),
        trend=stats.monthly_trend(reports, months=period.months_back(TREND_MONTHS)),
        ageing=stats.backlog_ageing(reports, moment=moment),
        hotspots=stats.hotspots(reports.filter(period.q("submitted_at"))),
        ratings=stats.rating_distribution(reports, period=period),
    )


@dataclass(frozen=True)
class DashboardRow:
    """One report behind the month's figures, without anything about its reporter."""

    tracking_number: str
    category: str
    kelurahan: str
    status: str
    submitted_at: datetime
    first_response_at: datetime | None
    resolved_at: datetime | None
    resolution_due_at: datetime | None
    units: str
    response_days: float | None
    resolution_days: float | None
    on_time: bool | None


def dashboard_row_q(*, period: Period, moment: datetime) -> Q:
    """The reports any figure of the month counts: submitted, first answered, resolved,
    rated or due in the month, or open at `moment`."""
    return (
        period.q("submitted_at")
        | period.q("first_response_at")
        | period.q("resolved_at")
        | period.q("rated_at")
        | stats.due_q(period=period, moment=moment)
        | stats.open_q()
    )


def _days(calendar: WorkCalendar, start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None or end < start:
        return None
    return round(working_days_between(calendar, start=start, end=end), 2)


def _on_time(report: Report, moment: datetime) -> bool | None:
    """Resolved by the deadline (True), after it or still open past it (False), or not yet
    decided / no deadline (None)."""
    due = report.resolution_due_at
    if due is None:
        return None
    if report.resolved_at is not None:
        return report.resolved_at <= due
    return False if due < moment else None


def dashboard_rows_for_officer(
    *,
    user: AnyUser,
    period: Period,
    moment: datetime | None = None,
    scope: OfficerScope | None = None,
) -> list[DashboardRow]:
    """The reports behind the month's figures (see `dashboard_row_q`), oldest first, in two
    queries; durations in working days."""
    area = _area_scope(user, scope)
    moment = moment or now()
    calendar = work_calendar_get()
    reports: QuerySet[Report] = (
        Report.objects.filter(area.q())
        .filter(dashboard_row_q(period=period, moment=moment))
        .select_related("category", "kelurahan")
        .prefetch_related("dispositions__unit")
        .order_by("submitted_at", "pk")[:EXPORT_ROW_LIMIT]
    )
    rows: list[DashboardRow] = []
    for report in reports:
        units = sorted({d.unit.name for d in report.dispositions.all()})
        rows.append(
            DashboardRow(
                tracking_number=report.tracking_number,
                category=report.category.name,
                kelurahan=report.kelurahan.name if report.kelurahan else "",
                status=str(Status(report.status).label),
                submitted_at=report.submitted_at,
                first_response_at=report.first_response_at,
                resolved_at=report.resolved_at,
                resolution_due_at=report.resolution_due_at,
                units=", ".join(units),
                response_days=_days(calendar, report.submitted_at, report.first_response_at),
                resolution_days=_days(calendar, report.submitted_at, report.resolved_at),
                on_time=_on_time(report, moment),
            )
        )
    return rows
