"""Reads for the unit portal: the dispositions a unit received, as its members may see them.

A unit (an OPD such as DLH, a section of the kantor camat, a kantor kelurahan) sees only the
matters forwarded to it: the list holds the dispositions of the officer's own units (every
role but courier; a superuser sees all), whatever else their kecamatan-wide scope allows —
the kecamatan desk works from the report inbox, so for an operator or the camat this list
holds only what was forwarded to their own section (usually nothing). A disposition of
another unit raises `NotFound`, so its existence never leaks.

On a disposition's page the unit sees the report's public timeline plus its own events,
public photos plus the ones it added, and the reporter as a unit may: a name and a masked
number, or "Pelapor anonim" — never the full number (only the desk sees that).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import quote

from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from telepati.accounts.scope import OfficerScope
from telepati.accounts.selectors import AnyUser, officer_scope_get
from telepati.core.errors import NotFound
from telepati.core.phone import mask_phone
from telepati.reports.lifecycle import TRANSITIONS, Action, Status
from telepati.reports.models import (
    OPEN_DISPOSITION_STATES,
    Attachment,
    Disposition,
    DispositionStatus,
    Report,
    ReportEvent,
)
from telepati.reports.services.common import deadline, now

UNIT_PAGE_SIZE = 25
OPEN = "open"
ALL = "all"


class UnitDeadline:
    """Values of `UnitFilters.deadline` (on the disposition's own `due_at`)."""

    DUE_SOON = "due_soon"
    BREACHED = "breached"


@dataclass(frozen=True)
class UnitFilters:
    """What the unit inbox may narrow by.

    - `status`: ``"open"`` (menunggu, diterima, dikerjakan — the default), ``"all"``, or one
      `DispositionStatus` value;
    - `deadline`: ``"due_soon"`` — still open, not breached, due within the next working day;
      ``"breached"`` — a breach mark is set, or still open and past due.
    """

    status: str = OPEN
    deadline: str = ""


@dataclass(frozen=True)
class DispositionPage:
    """One page of the unit inbox (most urgent first) and the cursor of the next one."""

    items: list[Disposition]
    next_cursor: str | None


@dataclass(frozen=True)
class UnitReporterView:
    """The reporter as a unit sees them."""

    name: str
    phone: str
    is_hidden: bool


@dataclass(frozen=True)
class UnitReportView:
    """Everything the unit's page of one disposition shows."""

    disposition: Disposition
    report: Report
    reporter: UnitReporterView
    timeline: list[ReportEvent]
    photos: list[Attachment]
    map_url: str
    actions: frozenset[str] = field(default_factory=frozenset)


def _not_found() -> NotFound:
    return NotFound(_("Disposisi tidak ditemukan."))


def _unit_dispositions(scope: OfficerScope) -> QuerySet[Disposition]:
    """The dispositions of the officer's own units (couriers have none)."""
    return Disposition.objects.filter(scope.q(forwarded_unit="unit"))


def _status_filter(dispositions: QuerySet[Disposition], status: str) -> QuerySet[Disposition]:
    if status == ALL:
        return dispositions
    if status in ("", OPEN):
        return dispositions.filter(status__in=OPEN_DISPOSITION_STATES)
    return dispositions.filter(status=DispositionStatus(status).value)


def _deadline_filter(dispositions: QuerySet[Disposition], value: str) -> QuerySet[Disposition]:
    if not value:
        return dispositions
    moment = now()
    running = Q(status__in=OPEN_DISPOSITION_STATES, breached_at=None)
    if value == UnitDeadline.DUE_SOON:
        until = deadline(start=moment, days=1)
        return dispositions.filter(running, due_at__gt=moment, due_at__lte=until)
    if value == UnitDeadline.BREACHED:
        return dispositions.filter(Q(breached_at__isnull=False) | (running & Q(due_at__lte=moment)))
    raise ValueError(f"Unknown deadline filter {value!r}.")


def cursor_encode(disposition: Disposition) -> str:
    raw = f"{disposition.due_at.isoformat()}|{disposition.pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def cursor_decode(cursor: str) -> tuple[datetime, int] | None:
    """The (due_at, id) a cursor points after, or None when it is missing or malformed."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        moment_text, pk_text = raw.split("|", 1)
        moment = parse_datetime(moment_text)
        pk = int(pk_text)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    if moment is None or moment.tzinfo is None:
        return None
    return moment, pk


def disposition_list_for_unit_officer(
    *,
    user: AnyUser,
    filters: UnitFilters | None = None,
    cursor: str = "",
    limit: int = UNIT_PAGE_SIZE,
    scope: OfficerScope | None = None,
) -> DispositionPage:
    """One page of the officer's units' dispositions, by due date (keyset pagination).

    A fixed number of queries whatever the page size: report, category, kelurahan and unit
    come by join. A malformed cursor starts from the first page.
    """
    scope = scope if scope is not None else officer_scope_get(user=user)
    filters = filters or UnitFilters()
    dispositions = _unit_dispositions(scope)
    dispositions = _status_filter(dispositions, filters.status)
    dispositions = _deadline_filter(dispositions, filters.deadline)
    after = cursor_decode(cursor)
    if after is not None:
        moment, pk = after
        dispositions = dispositions.filter(Q(due_at__gt=moment) | Q(due_at=moment, pk__gt=pk))
    rows = list(
        dispositions.select_related("report__category", "report__kelurahan", "unit").order_by(
            "due_at", "pk"
        )[: limit + 1]
    )
    next_cursor = cursor_encode(rows[limit - 1]) if len(rows) > limit else None
    return DispositionPage(items=rows[:limit], next_cursor=next_cursor)


def disposition_get_for_unit_officer(
    *, user: AnyUser, disposition_id: int, scope: OfficerScope | None = None
) -> Disposition:
    """One disposition of the officer's units, with its report; NotFound otherwise."""
    scope = scope if scope is not None else officer_scope_get(user=user)
    try:
        return (
            _unit_dispositions(scope)
            .select_related(
                "unit",
                "report__category",
                "report__kelurahan",
                "report__kecamatan",
                "report__reporter",
            )
            .get(pk=disposition_id)
        )
    except Disposition.DoesNotExist:
        raise _not_found() from None


def unit_reporter_view(*, report: Report) -> UnitReporterView:
    """The reporter as any unit sees them: anonymous hidden, otherwise a masked number."""
    reporter = report.reporter
    if report.is_anonymous or reporter is None:
        return UnitReporterView(name=_("Pelapor anonim"), phone="", is_hidden=True)
    phone = mask_phone(reporter.phone) if reporter.phone else ""
    return UnitReporterView(name=reporter.name, phone=phone, is_hidden=False)


def disposition_actions_allowed(*, disposition: Disposition, others_open: bool) -> frozenset[str]:
    """What the unit may do now (`acknowledge`, `update`, `complete`, `return`).

    Mirrors the checks of `reports.services.unit_work` so the page offers only buttons that
    would succeed; the services still decide.
    """
    if disposition.status not in OPEN_DISPOSITION_STATES:
        return frozenset()
    status = Status(disposition.report.status)
    allowed: set[str] = set()
    if disposition.status == DispositionStatus.PENDING:
        allowed.add("acknowledge")
    if status in TRANSITIONS[Action.FOLLOW_UP]:
        allowed.add("update")
    finish = Action.FOLLOW_UP if others_open else Action.RESOLVE
    if status in TRANSITIONS[finish]:
        allowed.add("complete")
    if others_open or status in TRANSITIONS[Action.RETURN]:
        allowed.add("return")
    return frozenset(allowed)


def map_url(report: Report) -> str:
    """A link that opens the report's location in a map app (coordinates, else the address)."""
    if report.latitude is not None and report.longitude is not None:
        query = f"{report.latitude},{report.longitude}"
    elif report.address:
        place = report.kelurahan.name if report.kelurahan_id and report.kelurahan else ""
        query = ", ".join(part for part in (report.address, place, report.kecamatan.name) if part)
    else:
        return ""
    return f"https://www.google.com/maps/search/?api=1&query={quote(query)}"


def unit_report_view(
    *, user: AnyUser, disposition_id: int, scope: OfficerScope | None = None
) -> UnitReportView:
    """The unit's page of one disposition (NotFound outside the officer's units).

    Five queries whatever the report's history: the disposition with its report, whether
    other units still hold the report, the timeline (public events and the unit's own) with
    actors and units, and the photos (public ones and the unit's own).
    """
    scope = scope if scope is not None else officer_scope_get(user=user)
    disposition = disposition_get_for_unit_officer(
        user=user, disposition_id=disposition_id, scope=scope
    )
    report = disposition.report
    others_open = (
        Disposition.objects.filter(report=report, status__in=OPEN_DISPOSITION_STATES)
        .exclude(pk=disposition.pk)
        .exists()
    )
    own = Q(unit_id=disposition.unit_id)
    timeline = list(
        ReportEvent.objects.filter(Q(is_public=True) | own, report=report)
        .select_related("actor", "unit")
        .order_by("created_at", "id")
    )
    photos = list(
        Attachment.objects.filter(
            Q(is_public=True) | Q(event__unit_id=disposition.unit_id), report=report
        ).order_by("created_at", "id")
    )
    return UnitReportView(
        disposition=disposition,
        report=report,
        reporter=unit_reporter_view(report=report),
        timeline=timeline,
        photos=photos,
        map_url=map_url(report),
        actions=disposition_actions_allowed(disposition=disposition, others_open=others_open),
    )
