"""Reads of the complaints domain, with access built in.

Officer-facing selectors take the signed-in `user` and apply their scope
(`report_visible_q(officer_scope_get(user=…))`, the rows of `services.common.report_scope_q`):
a report outside it raises `NotFound`, so its existence never leaks. The scope's to-many
part (dispositions to the officer's units) is a `pk__in` subquery on dispositions, so rows
never repeat.
Residents read their own reports (`report_get_for_citizen`); everyone may read the public
ones (`report_get_public`). Who may see a reporter's identity is decided here too
(`report_reporter_view`, the *anonim* rule of SP4N-LAPOR!).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from telepati.accounts.capabilities import Capability
from telepati.accounts.roles import Role
from telepati.accounts.scope import OfficerScope
from telepati.accounts.selectors import AnyUser, officer_scope_get
from telepati.citizens.models import Citizen
from telepati.core.errors import NotFound
from telepati.core.phone import mask_phone
from telepati.reports.lifecycle import AWAITING_VERIFICATION, OPEN_STATES, PUBLIC_STATES, Status
from telepati.reports.models import (
    OPEN_DISPOSITION_STATES,
    Attachment,
    Category,
    Channel,
    Disposition,
    Report,
    ReportEvent,
    ReportFollower,
)
from telepati.reports.services.common import deadline, now


def category_list_public() -> list[Category]:
    """Active categories in display order, as residents choose them."""
    return list(Category.objects.filter(is_active=True).order_by("sort_order", "name"))


# --- Officers ---------------------------------------------------------------------------


def _not_found() -> NotFound:
    return NotFound(_("Laporan tidak ditemukan."))


def report_visible_q(scope: OfficerScope) -> Q:
    """`report_scope_q` without the join: the report's own area columns, or its id among the
    dispositions to the officer's units. Same rows, no repeats, and the planner can walk an
    index in the page's order (the join form made PostgreSQL hash the whole area first)."""
    area = scope.q(kecamatan="kecamatan", kelurahan="kelurahan")
    if not scope.unit_ids:
        return area
    forwarded = Disposition.objects.filter(unit_id__in=sorted(scope.unit_ids))
    return area | Q(pk__in=forwarded.values("report_id"))


def _visible_reports(scope: OfficerScope) -> QuerySet[Report]:
    """Every report the scope allows, without repeated rows."""
    if not scope.can(Capability.VIEW_REPORTS):
        return Report.objects.none()
    if scope.is_superuser:
        return Report.objects.all()
    return Report.objects.filter(report_visible_q(scope))


def report_get_for_officer(
    *,
    user: AnyUser,
    report_id: int | None = None,
    tracking_number: str | None = None,
    scope: OfficerScope | None = None,
) -> Report:
    """One report by id or tracking number; NotFound when missing or outside the scope."""
    if (report_id is None) == (tracking_number is None):
        raise ValueError("Pass exactly one of report_id and tracking_number.")
    scope = scope if scope is not None else officer_scope_get(user=user)
    reports = _visible_reports(scope).select_related(
        "category", "kelurahan", "reporter", "kecamatan", "assigned_to"
    )
    if report_id is not None:
        reports = reports.filter(pk=report_id)
    else:
        reports = reports.filter(tracking_number=(tracking_number or "").strip().upper())
    try:
        return reports.get()
    except Report.DoesNotExist:
        raise _not_found() from None


class DeadlineFilter:
    """Values of `ReportFilters.deadline`."""

    DUE_SOON = "due_soon"
    BREACHED = "breached"


@dataclass(frozen=True)
class ReportFilters:
    """What an officer's inbox may narrow the list by; every field is optional.

    - `status`: one state or several;
    - `unit_id`: reports with a disposition (in any state) to that unit;
    - `deadline`: ``"due_soon"`` — a running due date falls within the next working day;
      ``"breached"`` — a breach mark is set or a running due date has passed;
    - `search`: case-insensitive text in the tracking number, title, description or address.
    """

    status: Status | str | tuple[Status | str, ...] | None = None
    category_id: int | None = None
    kelurahan_id: int | None = None
    unit_id: int | None = None
    channel: Channel | str | None = None
    deadline: str | None = None
    assigned_to_me: bool = False
    search: str = ""


def report_list_for_officer(
    *,
    user: AnyUser,
    filters: ReportFilters | None = None,
    scope: OfficerScope | None = None,
) -> QuerySet[Report]:
    """The officer's reports, newest first, with what an inbox row shows already loaded.

    Related rows come in a fixed number of queries whatever the page size: the row's category,
    kelurahan, reporter and assignee by join, its dispositions (with units) by one prefetch.
    """
    scope = scope if scope is not None else officer_scope_get(user=user)
    filters = filters or ReportFilters()
    reports = _visible_reports(scope)
    reports = _filters_apply(reports, filters, user_id=getattr(user, "pk", None))
    return (
        reports.select_related("category", "kelurahan", "reporter", "assigned_to")
        .prefetch_related(
            Prefetch("dispositions", queryset=Disposition.objects.select_related("unit"))
        )
        .order_by("-submitted_at", "-id")
    )


def _statuses(value: Status | str | tuple[Status | str, ...]) -> list[str]:
    items: Iterable[Status | str] = (value,) if isinstance(value, str) else value
    return [Status(item).value for item in items]


def _filters_apply(
    reports: QuerySet[Report], filters: ReportFilters, *, user_id: int | None
) -> QuerySet[Report]:
    if filters.status is not None:
        reports = reports.filter(status__in=_statuses(filters.status))
    if filters.category_id is not None:
        reports = reports.filter(category_id=filters.category_id)
    if filters.kelurahan_id is not None:
        reports = reports.filter(kelurahan_id=filters.kelurahan_id)
    if filters.channel:
        reports = reports.filter(channel=Channel(filters.channel).value)
    if filters.unit_id is not None:
        forwarded = Disposition.objects.filter(unit_id=filters.unit_id).values("report_id")
        reports = reports.filter(pk__in=forwarded)
    if filters.assigned_to_me:
        reports = reports.filter(assigned_to_id=user_id) if user_id else reports.none()
    if filters.deadline == DeadlineFilter.DUE_SOON:
        moment = now()
        reports = reports.filter(_running_due_q(after=moment, until=deadline(start=moment, days=1)))
    elif filters.deadline == DeadlineFilter.BREACHED:
        reports = reports.filter(_breached_q(moment=now()))
    elif filters.deadline:
        raise ValueError(f"Unknown deadline filter {filters.deadline!r}.")
    text = filters.search.strip()
    if text:
        # Simple and portable; full-text search (PostgreSQL) can replace it when lists grow.
        reports = reports.filter(
            Q(tracking_number__icontains=text)
            | Q(title__icontains=text)
            | Q(description__icontains=text)
            | Q(address__icontains=text)
        )
    return reports


def _running_due_q(*, after: datetime | None, until: datetime) -> Q:
    """Open reports with a running due date in (after, until]; `after=None`: any time before."""

    def window(field: str) -> Q:
        condition = Q(**{f"{field}__lte": until})
        if after is not None:
            condition &= Q(**{f"{field}__gt": after})
        return condition

    verification = Q(status__in=sorted(AWAITING_VERIFICATION), verification_breached_at=None) & (
        window("verification_due_at")
    )
    response = Q(first_response_at=None, response_breached_at=None) & window("response_due_at")
    resolution = Q(resolved_at=None, resolution_breached_at=None) & window("resolution_due_at")
    open_dispositions = Disposition.objects.filter(
        Q(status__in=OPEN_DISPOSITION_STATES, breached_at=None) & window("due_at")
    ).values("report_id")
    return Q(status__in=sorted(OPEN_STATES)) & (
        verification | response | resolution | Q(pk__in=open_dispositions)
    )


def _breached_q(*, moment: datetime) -> Q:
    """A breach mark was set (at any time, even on a report since closed) or is overdue now."""
    marked = (
        Q(verification_breached_at__isnull=False)
        | Q(response_breached_at__isnull=False)
        | Q(resolution_breached_at__isnull=False)
        | Q(pk__in=Disposition.objects.filter(breached_at__isnull=False).values("report_id"))
    )
    return marked | _running_due_q(after=None, until=moment)


def report_timeline(
    *, report: Report, include_internal: bool, with_attachments: bool = True
) -> list[ReportEvent]:
    """The report's events, oldest first; without `include_internal` only the public ones.

    Attachments come prefetched (one more query) unless `with_attachments` is False (the
    officers' report page shows photos apart); the public timeline carries only public
    attachments.
    """
    events = ReportEvent.objects.filter(report=report).select_related("actor", "unit")
    if with_attachments:
        attachments = Attachment.objects.order_by("created_at", "id")
        if not include_internal:
            attachments = attachments.filter(is_public=True)
        events = events.prefetch_related(Prefetch("attachments", queryset=attachments))
    if not include_internal:
        events = events.filter(is_public=True)
    return list(events.order_by("created_at", "id"))


@dataclass(frozen=True)
class ReporterView:
    """How an officer sees a report's reporter: a name and a number, full, masked or hidden."""

    name: str
    phone: str
    is_hidden: bool
    is_masked: bool


_DESK_ROLES = frozenset({Role.OPERATOR, Role.ADMINISTRATOR})


def reporter_identity_visible(*, scope: OfficerScope, report: Report) -> bool:
    """Whether the officer is the report's kecamatan desk (operator or administrator there)."""
    if scope.is_superuser:
        return True
    return any(
        grant.role in _DESK_ROLES and grant.kecamatan_id == report.kecamatan_id
        for grant in scope.grants
    )


def report_reporter_view(
    *, user: AnyUser, report: Report, scope: OfficerScope | None = None
) -> ReporterView:
    """The reporter as this officer may see them (SP4N-LAPOR!'s *anonim* rule).

    The kecamatan desk (operators and administrators of the report's kecamatan) and superusers
    see the name and full number. For an anonymous report everyone else sees "Pelapor anonim"
    and no number; otherwise they see the name and a masked number. `report` must come from a
    scoped selector; pass `scope` when rendering a list to avoid one query per row.
    """
    scope = scope if scope is not None else officer_scope_get(user=user)
    desk = reporter_identity_visible(scope=scope, report=report)
    if (report.is_anonymous and not desk) or not scope.can(Capability.VIEW_REPORTS):
        return ReporterView(name=_("Pelapor anonim"), phone="", is_hidden=True, is_masked=False)
    reporter = report.reporter
    name = reporter.name if reporter is not None else ""
    phone = (reporter.phone or "") if reporter is not None else ""
    if desk or not phone:
        return ReporterView(name=name, phone=phone, is_hidden=False, is_masked=False)
    return ReporterView(name=name, phone=mask_phone(phone), is_hidden=False, is_masked=True)


# --- Residents and the public -----------------------------------------------------------


def report_get_for_citizen(*, tracking_number: str, citizen: Citizen) -> Report:
    """A report the resident filed or follows (a merged duplicate); NotFound otherwise."""
    followed = ReportFollower.objects.filter(citizen=citizen).values("report_id")
    try:
        return (
            Report.objects.filter(Q(reporter=citizen) | Q(pk__in=followed))
            .select_related("category", "kelurahan", "merged_into")
            .get(tracking_number=tracking_number.strip().upper())
        )
    except Report.DoesNotExist:
        raise _not_found() from None


def report_get_public(*, tracking_number: str) -> Report:
    """A report anyone may look up: not confidential and accepted by the desk (public states)."""
    try:
        return (
            Report.objects.filter(
                is_confidential=False, status__in=sorted(s.value for s in PUBLIC_STATES)
            )
            .select_related("category", "kelurahan")
            .get(tracking_number=tracking_number.strip().upper())
        )
    except Report.DoesNotExist:
        raise _not_found() from None
