"""Public reads of reports for open-data doors (Open311): lists and timelines anyone may see.

Only reports the desk has accepted (`lifecycle.PUBLIC_STATES`) and that are not *rahasia*
ever leave here. Nothing about the reporter is loaded: the public sees what was reported,
where, and what happened to it, never who reported it (so *anonim* needs no special case).
Photos are the public attachments only — an anonymous report's own photos are stored
non-public at intake. Lists come in a fixed number of queries whatever their length.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import (
    BigIntegerField,
    BooleanField,
    F,
    FloatField,
    Func,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Cast, Coalesce

from telepati.reports.lifecycle import PUBLIC_STATES
from telepati.reports.models import (
    Attachment,
    AttachmentKind,
    Category,
    CategoryQuestion,
    Disposition,
    DispositionStatus,
    Report,
    ReportEvent,
)

PUBLIC_STATUS_VALUES: tuple[str, ...] = tuple(sorted(status.value for status in PUBLIC_STATES))
PUBLIC_LIST_LIMIT = 1000


def _public_reports() -> QuerySet[Report]:
    return Report.objects.filter(is_confidential=False, status__in=PUBLIC_STATUS_VALUES)


def _public_photos() -> QuerySet[Attachment]:
    return Attachment.objects.filter(is_public=True, kind=AttachmentKind.PHOTO).order_by(
        "created_at", "id"
    )


class _IdIn(Func):
    """`column IN ids` with the ids as one parameter (PostgreSQL `= ANY(array)`, SQLite
    `json_each`): a list's 1,000 report ids would otherwise be 1,000 placeholders that
    Django and the driver prepare one by one (about 10 ms a query)."""

    output_field = BooleanField()

    def __init__(self, column: str, ids: list[int]) -> None:
        super().__init__(F(column))
        self.ids = ids

    def as_sql(  # type: ignore[override]  # no function/template: the SQL is fixed
        self, compiler: Any, connection: Any, **extra: Any
    ) -> tuple[str, list[Any]]:
        lhs, params = compiler.compile(self.get_source_expressions()[0])
        placeholders = ", ".join(["%s"] * len(self.ids))
        return f"{lhs} IN ({placeholders})", [*params, *self.ids]

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        lhs, params = compiler.compile(self.get_source_expressions()[0])
        sql = f"{lhs} IN (SELECT value FROM json_each(%s))"  # noqa: S608 (lhs: a compiled column)
        return sql, [*params, json.dumps(self.ids)]

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        lhs, params = compiler.compile(self.get_source_expressions()[0])
        return f"{lhs} = ANY(%s)", [*params, self.ids]


class _SqliteUnindexed(Func):
    """A column SQLite may filter on but not look up by index (`+column`, SQLite's way to
    keep a term off the indexes); the plain column elsewhere."""

    template = "%(expressions)s"

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.get_source_expressions()[0])
        return f"(+{sql})", list(params)


@dataclass(frozen=True)
class PublicReportFilters:
    """Narrowing of the public list; `tracking_numbers`, when given, overrides the rest."""

    kecamatan_id: int | None = None
    tracking_numbers: Sequence[str] = ()
    category_codes: Sequence[str] = ()
    statuses: Sequence[str] = ()
    submitted_from: datetime | None = None
    submitted_until: datetime | None = None


class _EpochSeconds(Func):
    """A moment as whole seconds since the Unix epoch (an integer; NULL stays NULL).

    The public list reads 3,000 moments: as integers they load in C, where Django's
    timestamp loaders parse text in Python (~9 ms per 1,000 rows on PostgreSQL)."""

    output_field = BigIntegerField()
    template = "FLOOR(EXTRACT(EPOCH FROM %(expressions)s))"

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        template = "FLOOR(EXTRACT(EPOCH FROM %(expressions)s))::bigint"
        sql, params = self.as_sql(compiler, connection, template=template, **extra)
        return sql, list(params)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        # Django stores 'YYYY-MM-DD HH:MM:SS.ffffff' (UTC): the fraction is cut as text, as
        # SQLite's date functions would round it to milliseconds (…:18.9996 → …:19).
        # '%%%%s': Func's formatting leaves '%%s', the backend's then the literal '%s'.
        template = "CAST(strftime('%%%%s', substr(%(expressions)s, 1, 19)) AS INTEGER)"
        sql, params = self.as_sql(compiler, connection, template=template, **extra)
        return sql, list(params)


# Report columns of a public list row (`report_rows_public`).
PUBLIC_ROW_FIELDS: tuple[str, ...] = (
    "tracking_number",
    "id",
    "status",
    "description",
    "address",
    "category_id",
)


def report_rows_public(
    *, filters: PublicReportFilters, limit: int = PUBLIC_LIST_LIMIT
) -> list[dict[str, Any]]:
    """Public reports, newest first, at most `limit`, as plain rows of what an open-data row
    shows (no model instances: a list of 1,000 is read and written in tens of milliseconds).

    Each row holds `PUBLIC_ROW_FIELDS`; the map point as floats `lat` / `long` (None
    without one); moments as whole seconds since the Unix epoch (`_EpochSeconds`; None when
    unset): `submitted_ts`, `resolution_due_ts`, `closed_ts` (closed, else resolved) and
    `public_note_ts`; the category's `category_name`, `category_code` and
    `sla_verification_days` / `sla_first_response_days` / `sla_resolution_days`; the
    kelurahan's `kelurahan_name`, `kelurahan_code`, `kelurahan_postal_code` (None without
    one); `kecamatan_name`; `public_note` (the message of the last public timeline entry, at
    `public_note_ts`); `photo` (the stored name of the first public photo, or None) and
    `dispositions` (the (status, unit name) of the units that hold or finished the matter,
    in forwarding order). Three queries: the reports, their public photos, their
    dispositions with units.
    """
    # The area and states filter the rows met walking the newest-first index (most recent
    # rows are public): on SQLite they are kept off the indexes, or it takes the
    # (kecamatan, status, submitted) index and sorts the whole 90 days (~130 ms → ~6 ms).
    reports = (
        Report.objects.filter(is_confidential=False)
        .alias(status_unindexed=_SqliteUnindexed("status"))
        .filter(status_unindexed__in=PUBLIC_STATUS_VALUES)
    )
    if filters.kecamatan_id is not None:
        reports = reports.alias(kecamatan_unindexed=_SqliteUnindexed("kecamatan_id")).filter(
            kecamatan_unindexed=filters.kecamatan_id
        )
    if filters.tracking_numbers:
        numbers = sorted({number.strip().upper() for number in filters.tracking_numbers})
        reports = reports.filter(tracking_number__in=numbers)
    else:
        if filters.category_codes:
            reports = reports.filter(category__code__in=sorted(set(filters.category_codes)))
        if filters.statuses:
            reports = reports.filter(status_unindexed__in=sorted(set(filters.statuses)))
        if filters.submitted_from is not None:
            reports = reports.filter(submitted_at__gte=filters.submitted_from)
        if filters.submitted_until is not None:
            reports = reports.filter(submitted_at__lte=filters.submitted_until)
    last_public = ReportEvent.objects.filter(report=OuterRef("pk"), is_public=True).order_by(
        "-created_at", "-id"
    )
    rows: list[dict[str, Any]] = list(
        reports.order_by("-submitted_at", "-id").values(
            *PUBLIC_ROW_FIELDS,
            # As floats (C loaders), not Decimals the public output turns into floats anyway.
            lat=Cast("latitude", FloatField()),
            long=Cast("longitude", FloatField()),
            submitted_ts=_EpochSeconds("submitted_at"),
            resolution_due_ts=_EpochSeconds("resolution_due_at"),
            closed_ts=_EpochSeconds(Coalesce("closed_at", "resolved_at")),
            category_name=F("category__name"),
            category_code=F("category__code"),
            sla_verification_days=F("category__sla_verification_days"),
            sla_first_response_days=F("category__sla_first_response_days"),
            sla_resolution_days=F("category__sla_resolution_days"),
            kelurahan_name=F("kelurahan__name"),
            kelurahan_code=F("kelurahan__code"),
            kelurahan_postal_code=F("kelurahan__postal_code"),
            kecamatan_name=F("kecamatan__name"),
            public_note=Subquery(last_public.values("message")[:1]),
            public_note_ts=Subquery(
                last_public.annotate(ts=_EpochSeconds("created_at")).values("ts")[:1]
            ),
        )[:limit]
    )
    if not rows:
        return rows
    by_id: dict[int, dict[str, Any]] = {}
    for row in rows:
        row["photo"] = None
        row["dispositions"] = []
        by_id[row["id"]] = row
    ids = list(by_id)
    photos = _public_photos().filter(_IdIn("report_id", ids)).values_list("report_id", "file")
    for report_id, name in photos:
        row = by_id[report_id]
        if row["photo"] is None and name:
            row["photo"] = name
    held = (
        Disposition.objects.filter(_IdIn("report_id", ids))
        .exclude(status__in=[DispositionStatus.RETURNED, DispositionStatus.WITHDRAWN])
        .order_by("forwarded_at", "id")
        .values_list("report_id", "status", "unit__name")
    )
    for report_id, status, unit_name in held:
        by_id[report_id]["dispositions"].append((status, unit_name))
    return rows


def report_updates_public(
    *,
    kecamatan_id: int | None,
    since: datetime,
    until: datetime,
    limit: int = PUBLIC_LIST_LIMIT,
) -> list[ReportEvent]:
    """Public timeline entries of public reports in [since, until], oldest first.

    Each entry carries `status_then` (the report's state right after it) and `public_photos`;
    its report (with category) is loaded by join.
    """
    reports = _public_reports()
    if kecamatan_id is not None:
        reports = reports.filter(kecamatan_id=kecamatan_id)
    state_then = (
        ReportEvent.objects.filter(report=OuterRef("report"))
        .filter(
            Q(created_at__lt=OuterRef("created_at"))
            | Q(created_at=OuterRef("created_at"), id__lte=OuterRef("id"))
        )
        .exclude(to_status="")
        .order_by("-created_at", "-id")
        .values("to_status")[:1]
    )
    return list(
        ReportEvent.objects.filter(
            is_public=True,
            created_at__gte=since,
            created_at__lte=until,
            report__in=reports.values("pk"),
        )
        .select_related("report", "report__category")
        .annotate(status_then=Subquery(state_then))
        .prefetch_related(
            Prefetch("attachments", queryset=_public_photos(), to_attr="public_photos")
        )
        .order_by("created_at", "id")[:limit]
    )


def category_list_with_questions() -> list[Category]:
    """Active categories in display order, each with `open_questions` (its questions, in order)."""
    return list(
        Category.objects.filter(is_active=True)
        .prefetch_related(
            Prefetch(
                "questions",
                queryset=CategoryQuestion.objects.order_by("order", "id"),
                to_attr="open_questions",
            )
        )
        .order_by("sort_order", "name")
    )


def category_changeset() -> datetime | None:
    """When categories or their questions last changed (clients refresh their copies then)."""
    moments = [
        Category.objects.aggregate(at=Max("updated_at"))["at"],
        CategoryQuestion.objects.aggregate(at=Max("updated_at"))["at"],
    ]
    known = [moment for moment in moments if moment is not None]
    return max(known) if known else None
