"""Reads for the officers' complaints desk: the inbox page and the report page.

Built on `reports.selectors` (scope, filters, reporter masking) and adding what the screens
need, with access built in like every selector:

- the text search itself lives in `reports.search` (`report_search_apply`);
- `report_inbox_page`: one page of the inbox, sorted (newest, oldest, deadline soonest) and
  paged by keyset (a cursor on the sort key and the id; never OFFSET), each row with its
  reporter as this officer may see them and its deadline badge;
- `report_inbox_counts`: how many reports each status holds under the other filters (one
  query, each count capped at `COUNT_LIMIT` so it costs the same at any volume; a search
  counts its first `SEARCH_COUNT_LIMIT` matches once);
- `report_actions_for_officer`: the actions the report page offers — exactly those the
  services would accept from this officer now (lifecycle table + capability + desk rules);
- `forward_unit_choices`: units this officer may forward the report to.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Literal

from django.db import connections
from django.db.models import (
    Case,
    DateTimeField,
    F,
    Q,
    QuerySet,
    When,
)
from django.db.models.expressions import OrderBy
from django.utils.dateparse import parse_datetime

from telepati.accounts.capabilities import Capability
from telepati.accounts.scope import OfficerScope
from telepati.accounts.selectors import AnyUser, unit_list_for_officer
from telepati.core.keyset import row_beyond
from telepati.org.models import Unit
from telepati.reports.lifecycle import AWAITING_VERIFICATION, OPEN_STATES, Action, Status
from telepati.reports.lifecycle import allowed_actions as lifecycle_actions
from telepati.reports.models import (
    OPEN_DISPOSITION_STATES,
    Attachment,
    AttachmentKind,
    Disposition,
    Report,
)
from telepati.reports.search import report_search_apply
from telepati.reports.selectors import (
    DeadlineFilter,
    ReporterView,
    ReportFilters,
    report_list_for_officer,
    report_reporter_view,
)
from telepati.reports.services.common import deadline, desk_can, now

PAGE_SIZE = 25


class InboxSort(StrEnum):
    NEWEST = "newest"
    OLDEST = "oldest"
    DEADLINE = "deadline"


DUE_KEY = "inbox_due_at"


def _due_key() -> Case:
    """The deadline the report is measured against now (None for finished reports):
    verification while it waits for the desk, the first response while units have not
    answered, otherwise the resolution deadline."""
    return Case(
        When(status__in=sorted(AWAITING_VERIFICATION), then=F("verification_due_at")),
        When(
            status__in=[Status.FORWARDED, Status.IN_PROGRESS],
            first_response_at__isnull=True,
            response_due_at__isnull=False,
            then=F("response_due_at"),
        ),
        When(status__in=sorted(OPEN_STATES), then=F("resolution_due_at")),
        default=None,
        output_field=DateTimeField(),
    )


@dataclass(frozen=True)
class Cursor:
    """A position in one sort order: the sort key of a row (None sorts last) and its id."""

    sort: InboxSort
    key: datetime | None
    pk: int

    def encode(self) -> str:
        raw = f"{self.sort}|{self.key.isoformat() if self.key else ''}|{self.pk}"
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str, *, sort: InboxSort) -> Cursor | None:
        """The cursor in `token`, or None when it is malformed or made for another sort."""
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
            name, key, pk = raw.split("|")
            moment = parse_datetime(key) if key else None
            if name != sort or (key and moment is None) or (moment and moment.tzinfo is None):
                return None
            return cls(sort=sort, key=moment, pk=int(pk))
        except (ValueError, binascii.Error, UnicodeDecodeError):
            return None


def _row_beyond(field: str, cursor: Cursor, *, op: Literal["lt", "gt"]) -> Q:
    """``(field, id) < (key, pk)`` (or ``>``) as one row-value comparison (core.keyset)."""
    assert cursor.key is not None
    return row_beyond(field, key=cursor.key, pk=cursor.pk, op=op)


def _after_q(field: str, cursor: Cursor, *, descending: bool, nulls_last: bool) -> Q:
    """Rows after `cursor` in the order (field, id) — both ascending or both descending;
    with `nulls_last` (ascending only) rows without a key come after every keyed row."""
    if cursor.key is None:
        return Q(**{f"{field}__isnull": True, "pk__gt": cursor.pk})
    op: Literal["lt", "gt"] = "lt" if descending else "gt"
    if not nulls_last:
        return _row_beyond(field, cursor, op=op)
    condition = Q(**{f"{field}__{op}": cursor.key}) | Q(
        **{field: cursor.key, f"pk__{op}": cursor.pk}
    )
    if nulls_last:
        condition |= Q(**{f"{field}__isnull": True})
    return condition


def _before_q(field: str, cursor: Cursor, *, descending: bool, nulls_last: bool) -> Q:
    """Rows before `cursor` in the same order as `_after_q`."""
    if cursor.key is None:
        return Q(**{f"{field}__isnull": False}) | Q(
            **{f"{field}__isnull": True, "pk__lt": cursor.pk}
        )
    op: Literal["lt", "gt"] = "gt" if descending else "lt"
    if not nulls_last:
        return _row_beyond(field, cursor, op=op)
    return Q(**{f"{field}__{op}": cursor.key}) | Q(**{field: cursor.key, f"pk__{op}": cursor.pk})


def _order(field: str, *, descending: bool, nulls_last: bool, reverse: bool) -> list[OrderBy]:
    down = descending != reverse
    if nulls_last:
        key = F(field).desc(nulls_first=True) if down else F(field).asc(nulls_last=True)
    else:
        key = F(field).desc() if down else F(field).asc()
    return [key, F("pk").desc() if down else F("pk").asc()]


class DeadlineBadge(StrEnum):
    DUE_SOON = "due_soon"
    BREACHED = "breached"


def deadline_badge(report: Report, *, at: datetime, soon_until: datetime) -> DeadlineBadge | None:
    """Whether an open report's running deadlines (or its open dispositions') passed or fall
    before `soon_until`. Uses prefetched dispositions when present."""
    if report.status not in OPEN_STATES:
        return None
    running: list[datetime] = []
    if report.status in AWAITING_VERIFICATION and report.verification_due_at is not None:
        running.append(report.verification_due_at)
    if report.first_response_at is None and report.response_due_at is not None:
        running.append(report.response_due_at)
    if report.resolved_at is None and report.resolution_due_at is not None:
        running.append(report.resolution_due_at)
    marked = any(
        (
            report.verification_breached_at,
            report.response_breached_at,
            report.resolution_breached_at,
        )
    )
    for disposition in report.dispositions.all():
        if disposition.status in OPEN_DISPOSITION_STATES:
            running.append(disposition.due_at)
            marked = marked or disposition.breached_at is not None
    if marked or any(due <= at for due in running):
        return DeadlineBadge.BREACHED
    if any(due <= soon_until for due in running):
        return DeadlineBadge.DUE_SOON
    return None


@dataclass(frozen=True)
class InboxRow:
    report: Report
    reporter: ReporterView
    badge: DeadlineBadge | None


@dataclass(frozen=True)
class InboxPage:
    rows: list[InboxRow]
    next_cursor: str | None
    prev_cursor: str | None


def _inbox_queryset(
    *, user: AnyUser, scope: OfficerScope, filters: ReportFilters, search: str
) -> QuerySet[Report]:
    # "Lewat batas waktu" reads the stored flag (an index range; `Report.breached`, kept by
    # the SLA sweep) instead of evaluating marks, deadlines and dispositions per row.
    breached = filters.deadline == DeadlineFilter.BREACHED
    if breached:
        filters = replace(filters, deadline=None)
    reports = report_list_for_officer(user=user, filters=filters, scope=scope)
    if breached:
        reports = reports.filter(breached=True)
    return report_search_apply(reports, search)


def report_inbox_page(
    *,
    user: AnyUser,
    scope: OfficerScope,
    filters: ReportFilters | None = None,
    search: str = "",
    sort: InboxSort = InboxSort.NEWEST,
    after: str = "",
    before: str = "",
    limit: int = PAGE_SIZE,
) -> InboxPage:
    """One page of the officer's reports (see the module docstring); a fixed number of
    queries whatever the page size. `after`/`before` are cursors from a previous page;
    malformed ones are ignored (the first page)."""
    reports = _inbox_queryset(
        user=user, scope=scope, filters=filters or ReportFilters(), search=search
    )
    if sort == InboxSort.DEADLINE:
        reports = reports.annotate(**{DUE_KEY: _due_key()})
        field, descending, nulls_last = DUE_KEY, False, True
    else:
        field, descending, nulls_last = "submitted_at", sort == InboxSort.NEWEST, False
    cursor_after = Cursor.decode(after, sort=sort) if after else None
    cursor_before = Cursor.decode(before, sort=sort) if before and not cursor_after else None
    backwards = cursor_before is not None
    shape = {"descending": descending, "nulls_last": nulls_last}
    if cursor_after is not None:
        reports = reports.filter(_after_q(field, cursor_after, **shape))
    elif cursor_before is not None:
        reports = reports.filter(_before_q(field, cursor_before, **shape))
    reports = reports.order_by(*_order(field, reverse=backwards, **shape))
    fetched = list(reports[: limit + 1])
    more = len(fetched) > limit
    fetched = fetched[:limit]
    if backwards:
        fetched.reverse()

    def token(row: Report) -> str:
        return Cursor(sort=sort, key=getattr(row, field), pk=row.pk).encode()

    next_cursor = prev_cursor = None
    if fetched:
        if more or backwards:
            next_cursor = token(fetched[-1])
        if (more and backwards) or cursor_after is not None:
            prev_cursor = token(fetched[0])
    at = now()
    soon_until = deadline(start=at, days=1)
    rows = [
        InboxRow(
            report=row,
            reporter=report_reporter_view(user=user, report=row, scope=scope),
            badge=deadline_badge(row, at=at, soon_until=soon_until),
        )
        for row in fetched
    ]
    return InboxPage(rows=rows, next_cursor=next_cursor, prev_cursor=prev_cursor)


COUNT_LIMIT = 1000
# A search counts its matches by status once, over at most this many of them.
SEARCH_COUNT_LIMIT = 2000


@dataclass(frozen=True)
class InboxCounts:
    """Reports per status under the inbox's other filters (statuses without any are absent).

    `partial`: a search matched more than `SEARCH_COUNT_LIMIT` reports, so the numbers are
    how many of the first ones counted fell in each status — lower bounds ("n+")."""

    by_status: dict[str, int]
    partial: bool = False

    def label(self, status: str) -> str:
        """A status tab's count: exact, "1000+" above `COUNT_LIMIT`, "n+" when partial."""
        count = self.by_status.get(status, 0)
        if self.partial and count:
            return f"{min(count, COUNT_LIMIT)}+"
        return count_label(count)

    def total_label(self) -> str:
        """The "all statuses" count: exact while every status is, else a lower bound."""
        total = sum(min(n, COUNT_LIMIT) for n in self.by_status.values())
        exact = not self.partial and all(n <= COUNT_LIMIT for n in self.by_status.values())
        return str(total) if exact else f"{total}+"


def report_inbox_counts(
    *, user: AnyUser, scope: OfficerScope, filters: ReportFilters | None = None, search: str = ""
) -> InboxCounts:
    """Reports per status under every filter but the status itself (one query).

    Each status is counted up to `COUNT_LIMIT` + 1 (shown as "1000+"): a desk with a million
    finished reports needs to know there are many, and an exact count would read every one
    of them on every inbox page. Each count is a LIMIT-ed subquery that walks an index of
    that status, so the query costs the same at any volume.

    A search is counted differently: nine such subqueries would each evaluate the text match
    again (a full-text index read per status: ~90 ms at a million reports), so the matches
    are read once, at most `SEARCH_COUNT_LIMIT` + 1 of them, and grouped by status; more
    matches than that make the counts lower bounds (`InboxCounts.partial`)."""
    filters = filters or ReportFilters()
    unfiltered = ReportFilters(**{**filters.__dict__, "status": None})
    reports = (
        _inbox_queryset(user=user, scope=scope, filters=unfiltered, search=search)
        .prefetch_related(None)
        .select_related(None)
        .order_by()
    )
    connection = connections[reports.db]
    if search.strip():
        matched = reports.values("status")[: SEARCH_COUNT_LIMIT + 1]
        sql, params = matched.query.get_compiler(using=reports.db).as_sql()
        with connection.cursor() as cursor:
            # Compiled by the ORM from the scoped queryset; nothing here comes from the request.
            cursor.execute(
                f"SELECT status, COUNT(*) FROM ({sql}) matched GROUP BY status",  # noqa: S608
                params,
            )
            by_status = dict(cursor.fetchall())
        return InboxCounts(by_status, partial=sum(by_status.values()) > SEARCH_COUNT_LIMIT)
    parts: list[str] = []
    params = []
    for index, status in enumerate(Status.values):
        subquery = reports.filter(status=status).values("pk")[: COUNT_LIMIT + 1]
        sub_sql, sub_params = subquery.query.get_compiler(using=reports.db).as_sql()
        # Compiled by the ORM from the scoped queryset; nothing here comes from the request.
        parts.append(f"(SELECT COUNT(*) FROM ({sub_sql}) capped_{index})")  # noqa: S608
        params.extend(sub_params)
    # Nine subqueries add up to a plan cost above PostgreSQL's `jit_above_cost` although
    # they read a few thousand index entries: settings turn JIT off for the connection.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        row = cursor.fetchone()
    return InboxCounts({status: n for status, n in zip(Status.values, row, strict=True) if n})


def count_label(count: int) -> str:
    """A status count as the inbox shows it: exact up to `COUNT_LIMIT`, then "1000+"."""
    return f"{COUNT_LIMIT}+" if count > COUNT_LIMIT else str(count)


# --- The report page ---------------------------------------------------------------------


class PageAction(StrEnum):
    """What the report page may offer; each is one service call."""

    VERIFY = "verify"
    HOLD = "hold"
    REJECT = "reject"
    FORWARD = "forward"
    ASSIGN = "assign"
    NOTE = "note"
    REPLY = "reply"
    RESOLVE = "resolve"
    CLOSE = "close"
    REOPEN = "reopen"
    MERGE = "merge"


# Lifecycle-bound page actions: the lifecycle action and the capability its service checks
# through `officer_require` (every one of these is a desk decision of the report's kecamatan).
_LIFECYCLE_ACTIONS: dict[PageAction, tuple[Action, Capability]] = {
    PageAction.VERIFY: (Action.VERIFY, Capability.VERIFY_REPORT),
    PageAction.HOLD: (Action.HOLD, Capability.VERIFY_REPORT),
    PageAction.REJECT: (Action.REJECT, Capability.VERIFY_REPORT),
    PageAction.FORWARD: (Action.FORWARD, Capability.DISPOSE_REPORT),
    PageAction.RESOLVE: (Action.RESOLVE, Capability.CLOSE_REPORT),
    PageAction.CLOSE: (Action.CLOSE, Capability.CLOSE_REPORT),
    PageAction.REOPEN: (Action.REOPEN, Capability.CLOSE_REPORT),
    PageAction.MERGE: (Action.MERGE, Capability.VERIFY_REPORT),
}


def report_actions_for_officer(*, scope: OfficerScope, report: Report) -> frozenset[PageAction]:
    """The actions the services would accept from this officer on `report` as it is now.

    `report` must come from a scoped selector (the officer sees it). Mirrors the services:
    lifecycle moves need the capability in the report's kecamatan (`desk_can`, as
    `officer_require` checks); assigning is a desk decision at any state (`report_assign`);
    notes and public replies need FOLLOW_UP anywhere in scope, on any report not merged.
    """
    legal = set(lifecycle_actions(Status(report.status)))
    offered: set[PageAction] = set()
    for page_action, (action, capability) in _LIFECYCLE_ACTIONS.items():
        if action in legal and _desk(scope, capability, report):
            offered.add(page_action)
    if _desk(scope, Capability.VERIFY_REPORT, report):
        offered.add(PageAction.ASSIGN)
    if scope.can(Capability.FOLLOW_UP) and report.status != Status.MERGED:
        offered |= {PageAction.NOTE, PageAction.REPLY}
    return frozenset(offered)


def _desk(scope: OfficerScope, capability: Capability, report: Report) -> bool:
    return scope.can(capability) and desk_can(scope, capability, kecamatan_id=report.kecamatan_id)


def forward_unit_choices(*, user: AnyUser, scope: OfficerScope, report: Report) -> list[Unit]:
    """Units the officer may address that the report may be forwarded to: those of the
    report's kecamatan and the city-level agencies (as `report_forward` accepts)."""
    units = unit_list_for_officer(user=user, scope=scope).filter(
        Q(kecamatan__isnull=True) | Q(kecamatan_id=report.kecamatan_id)
    )
    return list(units)


def report_dispositions(*, report: Report) -> list[Disposition]:
    """The report's dispositions (oldest first) with their units; `report` comes from a
    scoped selector."""
    return list(report.dispositions.select_related("unit").order_by("forwarded_at", "pk"))


def report_photos(*, report: Report) -> list[Attachment]:
    """The report's photos (the reporter's and evidence of finished work), oldest first;
    officers who see the report see them all."""
    return list(
        Attachment.objects.filter(report=report, kind=AttachmentKind.PHOTO).order_by(
            "created_at", "pk"
        )
    )
