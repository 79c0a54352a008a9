"""Figures over complaints: pure aggregation functions over report and disposition querysets.

Callers pass a queryset already narrowed to what the reader may see (the public set, or an
officer's area, see `selectors_dashboard` and `selectors_transparency`) and a period; every
function runs a fixed, small number of queries whatever the number of rows.

Definitions (shown to readers on the pages):

- *new*: submitted in the period; *resolved*: `resolved_at` in the period (a disputed
  resolution clears it, so it no longer counts);
- *open* and *overdue* are snapshots at `moment` (now): open = an `OPEN_STATES` status;
  overdue = open and past the deadline it is measured against — verification while the desk
  has not verified it, resolution afterwards;
- *deadline compliance*: of the reports whose resolution deadline fell in the period and has
  passed, the share resolved no later than that deadline (an open report past its deadline
  counts against it); for a unit, the same over its dispositions' deadlines;
- *durations*: for leaders in working days (office time on the working-day calendar,
  `core.workdays.working_time_between`), the unit the deadlines are set in, so a weekend
  does not make a unit look slow; for the public page in calendar days. Working time needs
  the calendar, so those medians fetch (start, end) pairs with `values_list`, the most
  recent `DURATION_SAMPLE_LIMIT` at most. Calendar-day medians run in the database on
  PostgreSQL (`percentile_cont`) and from the same bounded fetch elsewhere;
- *satisfaction*: ratings given in the period (1–5): how many, and their average.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from django.db import connections
from django.db.models import Aggregate, Avg, Count, F, FloatField, Func, Q, QuerySet

from telepati.core.workdays import WorkCalendar, working_days_between
from telepati.reports.lifecycle import AWAITING_VERIFICATION, OPEN_STATES
from telepati.reports.models import OPEN_DISPOSITION_STATES, Disposition, DispositionStatus, Report
from telepati.reports.periods import Period, Span

DURATION_SAMPLE_LIMIT = 20_000
HOTSPOT_SAMPLE_LIMIT = 20_000
GRID_STEP = Decimal("0.005")  # ≈ 550 m of latitude; ≈ 550 m of longitude near the equator
_OPEN = sorted(s.value for s in OPEN_STATES)
_AWAITING = sorted(s.value for s in AWAITING_VERIFICATION)
_EXCLUDED_FROM_DUE = ("rejected", "merged")
_DEAD_DISPOSITIONS = (DispositionStatus.RETURNED.value, DispositionStatus.WITHDRAWN.value)

MedianMethod = Literal["auto", "database", "python"]


# --- Conditions --------------------------------------------------------------------------


def open_q() -> Q:
    return Q(status__in=_OPEN)


def overdue_q(*, moment: datetime) -> Q:
    """Open and past the deadline it is measured against now (see the module docstring)."""
    awaiting = Q(status__in=_AWAITING, verification_due_at__lt=moment)
    verified = ~Q(status__in=_AWAITING) & Q(resolution_due_at__lt=moment)
    return open_q() & (awaiting | verified)


def due_q(*, period: Span, moment: datetime) -> Q:
    """Reports whose resolution deadline fell in the period and has passed by `moment`."""
    until = min(period.end, moment)
    return Q(resolution_due_at__gte=period.start, resolution_due_at__lt=until) & ~Q(
        status__in=_EXCLUDED_FROM_DUE
    )


def on_time_q() -> Q:
    return Q(resolved_at__isnull=False, resolved_at__lte=F("resolution_due_at"))


def _counted_q(*, period: Span, due: Q) -> Q:
    """Rows any headline count can include (new, open, resolved or due in the period).

    Filtering on it first changes no figure, but lets the database read the period's rows
    and the open ones through their indexes instead of every report of the area."""
    return period.q("submitted_at") | open_q() | period.q("resolved_at") | due


# --- Headline figures --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Headline:
    """The headline counts of an area over a period (open/overdue at `moment`)."""

    new: int
    open: int
    overdue: int
    resolved: int
    due: int
    on_time: int
    rated: int
    rating_average: float | None

    @property
    def compliance(self) -> float | None:
        """Share (0–1) of reports due in the period resolved by their deadline."""
        return self.on_time / self.due if self.due else None


def headline(reports: QuerySet[Report], *, period: Span, moment: datetime) -> Headline:
    """Counts, compliance and satisfaction in one query."""
    due = due_q(period=period, moment=moment)
    rated = period.q("rated_at") & Q(rating__isnull=False)
    reports = reports.filter(_counted_q(period=period, due=due) | rated)
    row = reports.aggregate(
        new=Count("pk", filter=period.q("submitted_at")),
        open=Count("pk", filter=open_q()),
        overdue=Count("pk", filter=overdue_q(moment=moment)),
        resolved=Count("pk", filter=period.q("resolved_at")),
        due=Count("pk", filter=due),
        on_time=Count("pk", filter=due & on_time_q()),
        rated=Count("pk", filter=rated),
        rating_average=Avg("rating", filter=rated),
    )
    average = row["rating_average"]
    return Headline(
        new=row["new"],
        open=row["open"],
        overdue=row["overdue"],
        resolved=row["resolved"],
        due=row["due"],
        on_time=row["on_time"],
        rated=row["rated"],
        rating_average=round(float(average), 2) if average is not None else None,
    )


def status_counts(reports: QuerySet[Report]) -> dict[str, int]:
    """How many reports each status holds (statuses without reports are left out)."""
    rows = reports.order_by().values("status").annotate(n=Count("pk")).values_list("status", "n")
    return dict(rows)


def rating_distribution(reports: QuerySet[Report], *, period: Span) -> dict[int, int]:
    """How many ratings of each value (1–5) were given in the period."""
    rows = (
        reports.filter(period.q("rated_at"), rating__isnull=False)
        .order_by()
        .values("rating")
        .annotate(n=Count("pk"))
        .values_list("rating", "n")
    )
    counts = dict(rows)
    return {value: counts.get(value, 0) for value in range(1, 6)}


# --- Medians -----------------------------------------------------------------------------


class _Median(Aggregate):
    """PostgreSQL's exact median of an expression."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _seconds_between(start: str, end: str) -> Func:
    return Func(
        F(end),
        F(start),
        template="EXTRACT(EPOCH FROM (%(expressions)s))",
        arg_joiner=" - ",
        output_field=FloatField(),
    )


def _pairs(
    reports: QuerySet[Any], *, start: str, end: str, extra: Sequence[str] = ()
) -> list[tuple[Any, ...]]:
    rows = (
        reports.filter(**{f"{start}__isnull": False, f"{end}__isnull": False})
        .order_by(f"-{end}", "-pk")
        .values_list(start, end, *extra)[:DURATION_SAMPLE_LIMIT]
    )
    return [row for row in rows if row[1] >= row[0]]


def median_calendar_days(
    reports: QuerySet[Report], *, start: str, end: str, method: MedianMethod = "auto"
) -> float | None:
    """Median of `end - start` in calendar days over rows having both (None when none).

    `method="auto"` computes it in the database on PostgreSQL (percentile_cont) and from a
    bounded fetch elsewhere; tests force either path.
    """
    if method == "auto":
        method = "database" if connections[reports.db].vendor == "postgresql" else "python"
    if method == "database":
        seconds = reports.filter(
            **{f"{start}__isnull": False, f"{end}__isnull": False, f"{end}__gte": F(start)}
        ).aggregate(m=_Median(_seconds_between(start, end)))["m"]
        return round(seconds / 86400, 2) if seconds is not None else None
    spans = [(b - a).total_seconds() / 86400 for a, b in _pairs(reports, start=start, end=end)]
    return round(statistics.median(spans), 2) if spans else None


def median_working_days(
    reports: QuerySet[Any], *, start: str, end: str, calendar: WorkCalendar
) -> float | None:
    """Median office time from `start` to `end`, in working days (None when no rows)."""
    spans = [
        working_days_between(calendar, start=a, end=b)
        for a, b in _pairs(reports, start=start, end=end)
    ]
    return round(statistics.median(spans), 2) if spans else None


def _median_by_group(
    rows: Iterable[tuple[Any, ...]], calendar: WorkCalendar | None
) -> dict[Any, float]:
    spans: dict[Any, list[float]] = defaultdict(list)
    for a, b, key in rows:
        spans[key].append(_span_days(a, b, calendar))
    return {key: round(statistics.median(values), 2) for key, values in spans.items()}


def _span_days(a: datetime, b: datetime, calendar: WorkCalendar | None) -> float:
    if calendar is None:
        return (b - a).total_seconds() / 86400
    return working_days_between(calendar, start=a, end=b)


@dataclass(frozen=True, slots=True)
class DurationSample:
    """Durations in days (working days with a calendar, calendar days without) of the rows
    `_pairs` picks, each with its group keys: fetched once, shared by the overall median
    and the medians per category and per kelurahan (the same rows each of them fetched)."""

    keys: tuple[str, ...]
    rows: list[tuple[float, tuple[Any, ...]]]

    def median(self) -> float | None:
        """As `median_working_days` / the Python path of `median_calendar_days`."""
        spans = [span for span, _keys in self.rows]
        return round(statistics.median(spans), 2) if spans else None

    def median_by(self, key: str) -> dict[Any, float]:
        """As `figures_by`'s medians per `key` (a field path among `keys`)."""
        index = self.keys.index(key)
        spans: dict[Any, list[float]] = defaultdict(list)
        for span, keys in self.rows:
            spans[keys[index]].append(span)
        return {k: round(statistics.median(values), 2) for k, values in spans.items()}


def duration_sample(
    reports: QuerySet[Any],
    *,
    start: str,
    end: str,
    keys: Sequence[str],
    calendar: WorkCalendar | None,
) -> DurationSample:
    """One fetch of (start, end, *keys) for `DurationSample` (one query)."""
    return DurationSample(
        keys=tuple(keys),
        rows=[
            (_span_days(row[0], row[1], calendar), row[2:])
            for row in _pairs(reports, start=start, end=end, extra=keys)
        ],
    )


# --- Breakdowns --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GroupFigures:
    """One row of a breakdown by category, kelurahan or unit."""

    key: Any
    label: str
    new: int
    open: int
    overdue: int
    resolved: int
    due: int
    on_time: int
    median_response_days: float | None
    median_resolution_days: float | None

    @property
    def compliance(self) -> float | None:
        return self.on_time / self.due if self.due else None


def figures_by(
    reports: QuerySet[Report],
    *,
    key: str,
    label: str,
    period: Span,
    moment: datetime,
    calendar: WorkCalendar | None,
    response: DurationSample | None = None,
    resolution: DurationSample | None = None,
) -> list[GroupFigures]:
    """Headline counts and medians per group (`key`/`label` are field paths, e.g.
    ``"category_id"``/``"category__name"``), in three queries, largest `new` first (one
    when the callers pass the `response` / `resolution` samples, see `period_samples`).

    Medians are over reports first answered / resolved in the period; working days with a
    `calendar`, calendar days without one.
    """
    due = due_q(period=period, moment=moment)
    rows = (
        reports.filter(_counted_q(period=period, due=due))
        .order_by()
        .values(key, label)
        .annotate(
            new=Count("pk", filter=period.q("submitted_at")),
            open=Count("pk", filter=open_q()),
            overdue=Count("pk", filter=overdue_q(moment=moment)),
            resolved=Count("pk", filter=period.q("resolved_at")),
            due=Count("pk", filter=due),
            on_time=Count("pk", filter=due & on_time_q()),
        )
    )
    if response is None or resolution is None:
        response, resolution = period_samples(
            reports, period=period, keys=(key,), calendar=calendar
        )
    response_medians = response.median_by(key)
    resolution_medians = resolution.median_by(key)
    groups = [
        GroupFigures(
            key=row[key],
            label=row[label] or "",
            new=row["new"],
            open=row["open"],
            overdue=row["overdue"],
            resolved=row["resolved"],
            due=row["due"],
            on_time=row["on_time"],
            median_response_days=response_medians.get(row[key]),
            median_resolution_days=resolution_medians.get(row[key]),
        )
        for row in rows
    ]
    return sorted(groups, key=lambda g: (-g.new, -g.open, g.label))


def period_samples(
    reports: QuerySet[Report],
    *,
    period: Span,
    keys: Sequence[str],
    calendar: WorkCalendar | None,
) -> tuple[DurationSample, DurationSample]:
    """Time to first response of the reports first answered in the period, and time to
    resolution of those resolved in it, with `keys` (two queries)."""
    response = duration_sample(
        reports.filter(period.q("first_response_at")),
        start="submitted_at",
        end="first_response_at",
        keys=keys,
        calendar=calendar,
    )
    resolution = duration_sample(
        reports.filter(period.q("resolved_at")),
        start="submitted_at",
        end="resolved_at",
        keys=keys,
        calendar=calendar,
    )
    return response, resolution


@dataclass(frozen=True, slots=True)
class UnitFigures:
    """How one unit (section, kantor kelurahan or OPD) handles what was forwarded to it."""

    unit_id: int
    name: str
    open: int
    overdue: int
    done: int
    due: int
    on_time: int
    median_resolution_days: float | None

    @property
    def compliance(self) -> float | None:
        return self.on_time / self.due if self.due else None


def unit_figures(
    dispositions: QuerySet[Disposition],
    *,
    period: Span,
    moment: datetime,
    calendar: WorkCalendar | None,
) -> list[UnitFigures]:
    """Per unit: open and overdue dispositions now, finished in the period, deadline
    compliance (dispositions due in the period and passed: done by their deadline) and the
    median working days from forwarding to done. Slowest first: most overdue, then longest
    median, then lowest compliance. Returned or withdrawn dispositions are left out."""
    live = dispositions.exclude(status__in=_DEAD_DISPOSITIONS)
    is_open = Q(status__in=OPEN_DISPOSITION_STATES)
    due = Q(due_at__gte=period.start, due_at__lt=min(period.end, moment))
    rows = (
        live.filter(is_open | period.q("done_at") | due)  # what any count includes
        .order_by()
        .values("unit_id", "unit__name")
        .annotate(
            open=Count("pk", filter=is_open),
            overdue=Count("pk", filter=is_open & Q(due_at__lt=moment)),
            done=Count("pk", filter=period.q("done_at")),
            due=Count("pk", filter=due),
            on_time=Count("pk", filter=due & Q(done_at__isnull=False, done_at__lte=F("due_at"))),
        )
    )
    medians = _median_by_group(
        _pairs(
            live.filter(period.q("done_at")),
            start="forwarded_at",
            end="done_at",
            extra=("unit_id",),
        ),
        calendar,
    )
    units = [
        UnitFigures(
            unit_id=row["unit_id"],
            name=row["unit__name"],
            open=row["open"],
            overdue=row["overdue"],
            done=row["done"],
            due=row["due"],
            on_time=row["on_time"],
            median_resolution_days=medians.get(row["unit_id"]),
        )
        for row in rows
    ]

    def slowness(unit: UnitFigures) -> tuple[int, float, float, str]:
        compliance = unit.compliance if unit.compliance is not None else 1.0
        return (-unit.overdue, -(unit.median_resolution_days or 0.0), compliance, unit.name)

    return sorted(units, key=slowness)


# --- Trend and backlog -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TrendPoint:
    period: Period
    submitted: int
    resolved: int


def monthly_trend(reports: QuerySet[Report], *, months: Sequence[Period]) -> list[TrendPoint]:
    """Reports submitted and resolved in each month, in one query."""
    if not months:
        return []
    start, end = months[0].start, months[-1].end
    reports = reports.filter(
        Q(submitted_at__gte=start, submitted_at__lt=end)
        | Q(resolved_at__gte=start, resolved_at__lt=end)
    )
    aggregates: dict[str, Any] = {}
    for index, month in enumerate(months):
        aggregates[f"s{index}"] = Count("pk", filter=month.q("submitted_at"))
        aggregates[f"r{index}"] = Count("pk", filter=month.q("resolved_at"))
    row = reports.aggregate(**aggregates)
    return [
        TrendPoint(period=month, submitted=row[f"s{index}"], resolved=row[f"r{index}"])
        for index, month in enumerate(months)
    ]


@dataclass(frozen=True, slots=True)
class AgeBucket:
    """Open reports whose age (calendar days since submission) is in [low, high]."""

    low: int
    high: int | None
    count: int


AGE_BUCKETS: tuple[tuple[int, int | None], ...] = ((0, 3), (4, 7), (8, 14), (15, 30), (31, None))


def backlog_ageing(reports: QuerySet[Report], *, moment: datetime) -> list[AgeBucket]:
    """Open reports by age at `moment`: 0–3, 4–7, 8–14, 15–30 and over 30 days (one query).

    A report's age is the number of whole days since submission (a report 3 days and 23 hours
    old is 3 days old)."""
    aggregates: dict[str, Any] = {}
    for index, (low, high) in enumerate(AGE_BUCKETS):
        condition = open_q() & Q(submitted_at__lte=moment - timedelta(days=low))
        if high is not None:
            condition &= Q(submitted_at__gt=moment - timedelta(days=high + 1))
        aggregates[f"b{index}"] = Count("pk", filter=condition)
    row = reports.filter(open_q()).aggregate(**aggregates)
    return [
        AgeBucket(low=low, high=high, count=row[f"b{index}"])
        for index, (low, high) in enumerate(AGE_BUCKETS)
    ]


# --- Places ------------------------------------------------------------------------------


def grid_round(value: Decimal | float, step: Decimal = GRID_STEP) -> Decimal:
    """`value` rounded to the nearest multiple of `step` (0.005° ≈ 550 m by default)."""
    units = (Decimal(str(value)) / step).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return (units * step).quantize(step)


@dataclass(frozen=True, slots=True)
class HotSpot:
    """A grid cell (its centre) and how many reports lie in it."""

    latitude: Decimal
    longitude: Decimal
    count: int


def hotspots(reports: QuerySet[Report], *, limit: int = 50) -> list[HotSpot]:
    """Reports with coordinates counted per grid cell, busiest first, at most `limit` cells.

    Only cell centres and counts leave here — never a report's own point."""
    points = (
        reports.filter(latitude__isnull=False, longitude__isnull=False)
        .order_by("-submitted_at", "-pk")
        .values_list("latitude", "longitude")[:HOTSPOT_SAMPLE_LIMIT]
    )
    cells: dict[tuple[Decimal, Decimal], int] = defaultdict(int)
    for latitude, longitude in points:
        if latitude is None or longitude is None:  # filtered above; for the type checker
            continue
        cells[(grid_round(latitude), grid_round(longitude))] += 1
    ranked = sorted(cells.items(), key=lambda item: (-item[1], item[0]))
    return [HotSpot(latitude=lat, longitude=lng, count=n) for (lat, lng), n in ranked[:limit]]
