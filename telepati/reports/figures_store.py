"""Stored figures for the pages opened most: the leaders' dashboard and the public statistics.

At a million reports computing either page's figures takes seconds (ten aggregates over a
month or a year of reports and medians over tens of thousands of pairs), so the pages read
them from `core.StoredFigures` (one query) instead:

- a row holds the figures exactly as `selectors_dashboard.dashboard_figures_for_area` or
  `selectors_transparency.public_statistics` computed them at its `computed_at` (the
  figures' "now": open, overdue and ageing are snapshots at that moment, which the pages
  show as "Angka per pukul HH.MM");
- a page that finds no row, or one older than the kind's `MAX_AGE`, computes the figures
  live and stores them, so the first visitor after a quiet spell waits and the next ones
  do not;
- the periodic tasks in `reports.tasks_figures` refresh, before they grow old, the current
  month of every kecamatan, every kelurahan and the whole territory (and any other area
  whose current month someone opened), and the public statistics unfiltered and for each
  single category or kelurahan.

The payload is plain JSON written and read here (`*_encode` / `*_decode`); its `version`
changes with its shape, and a row of another version counts as missing. Access is decided
before the read: the dashboard's area comes from the officer's scope, so a row is only ever
read for the area the officer may see.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Q

from telepati.accounts.scope import OfficerScope
from telepati.accounts.selectors import AnyUser
from telepati.core.models import StoredFigures
from telepati.core.workdays import WIB
from telepati.reports import statistics as stats
from telepati.reports.periods import Period, Window
from telepati.reports.selectors_dashboard import (
    DashboardArea,
    DashboardFigures,
    dashboard_area_of,
    dashboard_figures_for_area,
)
from telepati.reports.selectors_transparency import (
    PublicStatistics,
    TransparencyFilters,
    public_statistics,
)
from telepati.reports.services.common import now

DASHBOARD = "dashboard"
PUBLIC_STATISTICS = "public_statistics"
PAYLOAD_VERSION = 1
# The refresh runs every 10 minutes (dashboard) / 30 minutes (public): a row older than
# this means it did not run, and the page computes the figures itself.
MAX_AGE: dict[str, timedelta] = {
    DASHBOARD: timedelta(minutes=15),
    PUBLIC_STATISTICS: timedelta(minutes=45),
}
KEEP_FOR = timedelta(days=35)  # rows nobody refreshed or read for this long are deleted


# --- Reading and writing rows ------------------------------------------------------------


def _read(kind: str, key: str, *, moment: datetime) -> dict[str, Any] | None:
    """The payload stored under (kind, key) if fresh at `moment` and of this version."""
    row = (
        StoredFigures.objects.filter(kind=kind, key=key, computed_at__gte=moment - MAX_AGE[kind])
        .values_list("payload", flat=True)
        .first()
    )
    if not isinstance(row, dict) or row.get("version") != PAYLOAD_VERSION:
        return None
    return row


def _write(kind: str, key: str, payload: dict[str, Any], *, computed_at: datetime) -> None:
    """Store `payload` under (kind, key), replacing the row there (one query)."""
    StoredFigures.objects.bulk_create(
        [StoredFigures(kind=kind, key=key, payload=payload, computed_at=computed_at)],
        update_conflicts=True,
        unique_fields=["kind", "key"],
        update_fields=["payload", "computed_at"],
    )


# --- Leaders' dashboard ------------------------------------------------------------------


def dashboard_key(area: DashboardArea, period: Period) -> str:
    return f"{area.key}|{period.code}"


def dashboard_figures_stored(
    *, user: AnyUser, period: Period, scope: OfficerScope | None = None
) -> DashboardFigures:
    """The officer's dashboard figures for `period` as stored (at most `MAX_AGE` old),
    or computed now and stored. Access as `dashboard_figures_for_officer`."""
    area = dashboard_area_of(user=user, scope=scope)
    moment = now()
    payload = _read(DASHBOARD, dashboard_key(area, period), moment=moment)
    if payload is not None:
        # The area as the officer's scope names it today (the stored one only has its ids).
        return dashboard_decode(payload, area=area)
    return dashboard_figures_store(area=area, period=period, moment=moment)


def dashboard_figures_store(
    *, area: DashboardArea, period: Period, moment: datetime
) -> DashboardFigures:
    """Compute `area`'s figures for `period` at `moment` and store them."""
    figures = dashboard_figures_for_area(area=area, period=period, moment=moment)
    _write(
        DASHBOARD,
        dashboard_key(area, period),
        dashboard_encode(figures),
        computed_at=moment,
    )
    return figures


def _shared_encode(figures: DashboardFigures | PublicStatistics) -> dict[str, Any]:
    """The fields the dashboard and the public statistics have in common."""
    return {
        "moment": figures.moment.isoformat(),
        "headline": _headline_encode(figures.headline),
        "median_response_days": figures.median_response_days,
        "median_resolution_days": figures.median_resolution_days,
        "statuses": list(figures.statuses.items()),  # jsonb would sort an object's keys
        "by_category": [_group_encode(g) for g in figures.by_category],
        "by_kelurahan": [_group_encode(g) for g in figures.by_kelurahan],
        "units": [_unit_encode(u) for u in figures.units],
        "trend": [[t.period.code, t.submitted, t.resolved] for t in figures.trend],
        "ratings": _ratings_encode(figures.ratings),
    }


def _shared_decode(payload: dict[str, Any]) -> dict[str, Any]:
    """Keyword arguments for the fields of `_shared_encode`."""
    return {
        "moment": _moment_decode(payload["moment"]),
        "headline": _headline_decode(payload["headline"]),
        "median_response_days": payload["median_response_days"],
        "median_resolution_days": payload["median_resolution_days"],
        "statuses": dict(payload["statuses"]),
        "by_category": [_group_decode(g) for g in payload["by_category"]],
        "by_kelurahan": [_group_decode(g) for g in payload["by_kelurahan"]],
        "units": [_unit_decode(u) for u in payload["units"]],
        "trend": [
            stats.TrendPoint(period=_period_decode(code), submitted=submitted, resolved=resolved)
            for code, submitted, resolved in payload["trend"]
        ],
        "ratings": _ratings_decode(payload["ratings"]),
    }


def dashboard_encode(figures: DashboardFigures) -> dict[str, Any]:
    return {
        "version": PAYLOAD_VERSION,
        "area": {
            "kecamatan_ids": sorted(figures.area.kecamatan_ids),
            "kelurahan_ids": sorted(figures.area.kelurahan_ids),
            "everything": figures.area.everything,
            "title": figures.area.title,
        },
        "period": figures.period.code,
        **_shared_encode(figures),
        "ageing": [[b.low, b.high, b.count] for b in figures.ageing],
        "hotspots": [[str(h.latitude), str(h.longitude), h.count] for h in figures.hotspots],
    }


def dashboard_area_decode(payload: dict[str, Any]) -> DashboardArea:
    area = payload["area"]
    return DashboardArea(
        kecamatan_ids=frozenset(area["kecamatan_ids"]),
        kelurahan_ids=frozenset(area["kelurahan_ids"]),
        everything=area["everything"],
        title=area["title"],
    )


def dashboard_decode(
    payload: dict[str, Any], *, area: DashboardArea | None = None
) -> DashboardFigures:
    return DashboardFigures(
        area=area if area is not None else dashboard_area_decode(payload),
        period=_period_decode(payload["period"]),
        **_shared_decode(payload),
        ageing=[stats.AgeBucket(low=low, high=high, count=n) for low, high, n in payload["ageing"]],
        hotspots=[
            stats.HotSpot(latitude=Decimal(lat), longitude=Decimal(lng), count=n)
            for lat, lng, n in payload["hotspots"]
        ],
    )


# --- Public statistics -------------------------------------------------------------------


def public_key(filters: TransparencyFilters) -> str:
    """The statistics ignore the status filter, so it is not part of the key."""
    return f"{filters.category_code}|{filters.kelurahan_id or ''}"


def public_statistics_stored(
    *, filters: TransparencyFilters, store: bool = True
) -> PublicStatistics:
    """The public statistics for `filters` as stored (at most `MAX_AGE` old), or computed
    now and stored; with `store=False` (filters the page does not offer) computed now and
    neither read nor stored."""
    moment = now()
    if not store:
        return public_statistics(filters=filters, moment=moment)
    payload = _read(PUBLIC_STATISTICS, public_key(filters), moment=moment)
    if payload is not None:
        return public_decode(payload)
    return public_statistics_store(filters=filters, moment=moment)


def public_statistics_store(*, filters: TransparencyFilters, moment: datetime) -> PublicStatistics:
    figures = public_statistics(filters=filters, moment=moment)
    _write(PUBLIC_STATISTICS, public_key(filters), public_encode(figures), computed_at=moment)
    return figures


def public_encode(figures: PublicStatistics) -> dict[str, Any]:
    return {
        "version": PAYLOAD_VERSION,
        "window": [figures.window.start.isoformat(), figures.window.end.isoformat()],
        **_shared_encode(figures),
    }


def public_decode(payload: dict[str, Any]) -> PublicStatistics:
    start, end = payload["window"]
    return PublicStatistics(
        window=Window(
            start=datetime.fromisoformat(start).astimezone(WIB),
            end=datetime.fromisoformat(end).astimezone(WIB),
        ),
        **_shared_decode(payload),
    )


# --- Refresh -----------------------------------------------------------------------------


def dashboard_areas_to_refresh(*, period: Period) -> list[DashboardArea]:
    """Every kecamatan, every kelurahan, the whole territory, and any other area whose
    `period` is stored (an officer with several grants opened it)."""
    from telepati.org.models import Kecamatan, Kelurahan

    areas = [DashboardArea(frozenset(), frozenset(), everything=True, title="")]
    areas += [
        DashboardArea(frozenset({k.pk}), frozenset(), everything=False, title=str(k))
        for k in Kecamatan.objects.filter(is_active=True).order_by("pk")
    ]
    areas += [
        DashboardArea(frozenset(), frozenset({k.pk}), everything=False, title=str(k))
        for k in Kelurahan.objects.filter(is_active=True).order_by("pk")
    ]
    known = {area.key for area in areas}
    stored = StoredFigures.objects.filter(
        kind=DASHBOARD, key__endswith=f"|{period.code}"
    ).values_list("payload", flat=True)
    for payload in stored:
        if isinstance(payload, dict) and payload.get("version") == PAYLOAD_VERSION:
            area = dashboard_area_decode(payload)
            if area.key not in known:
                known.add(area.key)
                areas.append(area)
    return areas


def dashboard_figures_refresh(*, moment: datetime | None = None) -> int:
    """Compute and store the current month's dashboard figures of every area to refresh
    (see `dashboard_areas_to_refresh`); drop rows left untouched for `KEEP_FOR`. Returns
    how many areas were refreshed."""
    moment = moment or now()
    period = Period.containing(moment)
    areas = dashboard_areas_to_refresh(period=period)
    for area in areas:
        dashboard_figures_store(area=area, period=period, moment=moment)
    StoredFigures.objects.filter(kind=DASHBOARD, computed_at__lt=moment - KEEP_FOR).delete()
    return len(areas)


def public_filters_to_refresh() -> list[TransparencyFilters]:
    """No filter, and each category or kelurahan the public filters offer on its own."""
    from telepati.reports.selectors_transparency import transparency_choices

    categories, kelurahan, _statuses = transparency_choices()
    return (
        [TransparencyFilters()]
        + [TransparencyFilters(category_code=c.code) for c in categories]
        + [TransparencyFilters(kelurahan_id=k.pk) for k in kelurahan]
    )


def public_statistics_refresh(*, moment: datetime | None = None) -> int:
    """Compute and store the public statistics of `public_filters_to_refresh`; drop rows
    left untouched for `KEEP_FOR`. Returns how many were refreshed."""
    moment = moment or now()
    filters = public_filters_to_refresh()
    for each in filters:
        public_statistics_store(filters=each, moment=moment)
    StoredFigures.objects.filter(
        Q(kind=PUBLIC_STATISTICS), computed_at__lt=moment - KEEP_FOR
    ).delete()
    return len(filters)


# --- Parts -------------------------------------------------------------------------------


def _moment_decode(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _period_decode(code: str) -> Period:
    period = Period.parse(code)
    if period is None:
        raise ValueError(f"stored figures hold a bad period {code!r}")
    return period


def _headline_encode(h: stats.Headline) -> dict[str, Any]:
    return {
        "new": h.new,
        "open": h.open,
        "overdue": h.overdue,
        "resolved": h.resolved,
        "due": h.due,
        "on_time": h.on_time,
        "rated": h.rated,
        "rating_average": h.rating_average,
    }


def _headline_decode(row: dict[str, Any]) -> stats.Headline:
    return stats.Headline(**row)


def _group_encode(g: stats.GroupFigures) -> list[Any]:
    return [
        g.key,
        g.label,
        g.new,
        g.open,
        g.overdue,
        g.resolved,
        g.due,
        g.on_time,
        g.median_response_days,
        g.median_resolution_days,
    ]


def _group_decode(row: list[Any]) -> stats.GroupFigures:
    key, label, new, open_, overdue, resolved, due, on_time, response, resolution = row
    return stats.GroupFigures(
        key=key,
        label=label,
        new=new,
        open=open_,
        overdue=overdue,
        resolved=resolved,
        due=due,
        on_time=on_time,
        median_response_days=response,
        median_resolution_days=resolution,
    )


def _unit_encode(u: stats.UnitFigures) -> list[Any]:
    return [
        u.unit_id,
        u.name,
        u.open,
        u.overdue,
        u.done,
        u.due,
        u.on_time,
        u.median_resolution_days,
    ]


def _unit_decode(row: list[Any]) -> stats.UnitFigures:
    unit_id, name, open_, overdue, done, due, on_time, median = row
    return stats.UnitFigures(
        unit_id=unit_id,
        name=name,
        open=open_,
        overdue=overdue,
        done=done,
        due=due,
        on_time=on_time,
        median_resolution_days=median,
    )


def _ratings_encode(ratings: dict[int, int]) -> list[list[int]]:
    return [[value, count] for value, count in ratings.items()]


def _ratings_decode(rows: list[list[int]]) -> dict[int, int]:
    return {value: count for value, count in rows}  # noqa: C416 (pairs of a JSON list)
