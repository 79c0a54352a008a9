"""Building blocks shared by the report services: locking, access checks, timeline, notices.

Every state change follows one recipe, inside one short `transaction.atomic()`:

1. `report_lock(report_id=…)` — re-read the row under a lock (PostgreSQL: SELECT … FOR
   UPDATE; SQLite: the IMMEDIATE transaction already holds the write lock), so two officers
   acting at once are serialised and the second sees the first one's result;
2. `version_check(…)` — when the caller shows what it saw (`expected_version`), a newer row
   raises `Conflict` instead of silently applying a decision made on stale data;
3. an access check (`officer_require`) and `transition_target()` from the pure lifecycle;
4. change the row (`version` + 1), `event_append(…)`, `reporter_notify(…)` (outbox rows).

No network I/O happens inside: notices are outbox rows delivered after commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from telepati.accounts.capabilities import Capability
from telepati.accounts.models import User
from telepati.accounts.scope import OfficerScope
from telepati.accounts.selectors import officer_scope_get
from telepati.citizens.models import Citizen
from telepati.core.errors import Conflict, Forbidden, InvalidInput, NotFound

# Re-exported: the report services and the bot import them from here.
from telepati.core.formatting import moment_format as moment_format
from telepati.core.formatting import resident_language as resident_language
from telepati.core.selectors import work_calendar_get
from telepati.core.workdays import WorkCalendar, add_working_days
from telepati.messaging.services import Recipient, message_enqueue
from telepati.org.models import Unit
from telepati.reports.lifecycle import Action, Status, transition_target
from telepati.reports.models import EventKind, Report, ReportEvent, ReportFollower


def report_scope_q(scope: OfficerScope) -> Q:
    """The reports an officer may see: located in their area or forwarded to their unit."""
    return scope.q(
        kecamatan="kecamatan", kelurahan="kelurahan", forwarded_unit="dispositions__unit"
    )


def report_lock(*, report_id: int) -> Report:
    """The report row, locked for the rest of the transaction; NotFound if it does not exist."""
    try:
        return (
            Report.objects.select_for_update(of=("self",))
            .select_related("category", "reporter")
            .get(pk=report_id)
        )
    except Report.DoesNotExist:
        raise NotFound(_("Laporan tidak ditemukan.")) from None


def version_check(report: Report, expected_version: int | None) -> None:
    """Refuse to act on a report that changed since the caller looked at it."""
    if expected_version is not None and report.version != expected_version:
        raise Conflict(
            _(
                "Laporan %(number)s baru saja diubah oleh petugas lain. "
                "Muat ulang halaman untuk melihat keadaan terbaru."
            )
            % {"number": report.tracking_number}
        )


def officer_require(
    *, user: User, report: Report, capability: Capability, scope: OfficerScope | None = None
) -> OfficerScope:
    """Check that `user` may see `report` and holds `capability`; return their scope.

    A report outside the scope raises NotFound (its existence does not leak); a visible
    report the role may not act on raises Forbidden.
    """
    scope = scope if scope is not None else officer_scope_get(user=user)
    visible = Report.objects.filter(report_scope_q(scope), pk=report.pk).exists()
    if not visible:
        raise NotFound(_("Laporan tidak ditemukan."))
    if not scope.can(capability):
        raise Forbidden(_("Peran Anda tidak berwenang melakukan tindakan ini pada laporan."))
    if capability != Capability.FOLLOW_UP and not desk_can(
        scope, capability, kecamatan_id=report.kecamatan_id
    ):
        raise Forbidden(_("Peran Anda tidak berwenang melakukan tindakan ini pada laporan."))
    return scope


def desk_can(scope: OfficerScope, capability: Capability, *, kecamatan_id: int) -> bool:
    """Desk decisions (verify, forward, close) belong to officers of the report's kecamatan
    who see the whole kecamatan — the camat and the WA Center desk, not a lurah, whose
    kelurahan-wide view is for following up."""
    if scope.is_superuser:
        return True
    return kecamatan_id in scope.kecamatan_ids and scope.can_in(
        capability, kecamatan_id=kecamatan_id
    )


def transition_apply(
    report: Report,
    action: Action,
    *,
    fields: dict[str, Any] | None = None,
) -> tuple[Status, Status]:
    """Move the (locked) report by `action`, set extra fields, bump the version, save.

    Returns (from, to). Raises InvalidTransition before touching anything when illegal.
    """
    source = Status(report.status)
    target = transition_target(action, source)
    changed = ["status", "version", "updated_at"]
    report.status = target
    report.version += 1
    for name, value in (fields or {}).items():
        setattr(report, name, value)
        changed.append(name)
    report.save(update_fields=changed)
    return source, target


def report_touch(report: Report, *, fields: dict[str, Any]) -> None:
    """Change fields of the (locked) report without a state change; bumps the version."""
    for name, value in fields.items():
        setattr(report, name, value)
    report.version += 1
    report.save(update_fields=[*fields, "version", "updated_at"])


def event_append(
    *,
    report: Report,
    kind: EventKind,
    at: datetime,
    action: Action | None = None,
    from_status: Status | None = None,
    to_status: Status | None = None,
    actor: User | None = None,
    actor_citizen: Citizen | None = None,
    unit: Unit | None = None,
    is_public: bool = False,
    message: str = "",
    data: dict[str, Any] | None = None,
) -> ReportEvent:
    """Append one line to the report's timeline."""
    return ReportEvent.objects.create(
        report=report,
        kind=kind,
        action=action.value if action else "",
        from_status=from_status.value if from_status else "",
        to_status=to_status.value if to_status else "",
        actor=actor,
        actor_citizen=actor_citizen,
        unit=unit,
        is_public=is_public,
        message=message,
        data=data or {},
        created_at=at,
    )


def report_recipients(report: Report) -> list[Citizen]:
    """Who hears about a report: its reporter and residents whose duplicates merged into it."""
    people: list[Citizen] = []
    if report.reporter_id is not None and report.reporter is not None:
        people.append(report.reporter)
    followers = Citizen.objects.filter(
        pk__in=ReportFollower.objects.filter(report=report).values("citizen_id")
    ).order_by("pk")
    people.extend(c for c in followers if c.pk != report.reporter_id)
    return people


def reporter_notify(
    *,
    report: Report,
    key: str,
    text: str,
    template_name: str = "",
    template_params: Iterable[str] = (),
    interactive: dict[str, Any] | None = None,
    recipients: Iterable[Citizen] | None = None,
) -> int:
    """Queue one notice per recipient (outbox rows, same transaction); returns how many.

    `key` names the cause (e.g. "verified:v3"); with the report and the recipient it forms
    the outbox's dedupe key, so repeating a service call never sends a notice twice.
    """
    count = 0
    for citizen in recipients if recipients is not None else report_recipients(report):
        recipient = Recipient(phone=citizen.phone or "", wa_bsuid=citizen.wa_bsuid or "")
        message = message_enqueue(
            recipient=recipient,
            text=text,
            dedupe_key=f"report:{report.pk}:{key}:{citizen.pk}",
            reference=f"report:{report.tracking_number}",
            template_name=template_name,
            template_params=list(template_params),
            interactive=interactive,
        )
        count += message is not None
    return count


def officer_notify(*, users: Iterable[User], report: Report, key: str, text: str) -> int:
    """Queue a WhatsApp notice to officers who have a number (escalations, new dispositions).

    Officers without a number still see the matter in the back-office; the timeline event
    written by the calling service is the record.
    """
    count = 0
    for user in users:
        if not user.phone or not user.is_active:
            continue
        message = message_enqueue(
            recipient=Recipient(phone=user.phone),
            text=text,
            dedupe_key=f"report:{report.pk}:{key}:officer:{user.pk}",
            reference=f"report:{report.tracking_number}",
            template_name="pemberitahuan_petugas",
            template_params=[report.tracking_number],
        )
        count += message is not None
    return count


def deadline(*, start: datetime, days: int, calendar: WorkCalendar | None = None) -> datetime:
    """`days` working days after `start`, on the office calendar."""
    return add_working_days(calendar or work_calendar_get(), start=start, days=days)


def now() -> datetime:
    return timezone.now()


def text_required(value: str, *, field: str, message: str) -> str:
    """The stripped text, or InvalidInput naming `field` when it is blank."""
    text = (value or "").strip()
    if not text:
        raise InvalidInput(message, field_errors={field: [message]})
    return text


def desk_open(
    *, user: User, report_id: int, expected_version: int | None, action: Action
) -> Report:
    """Lock the report, check access, version and that `action` is legal now (in that order)."""
    report = report_lock(report_id=report_id)
    officer_require(user=user, report=report, capability=Capability.VERIFY_REPORT)
    version_check(report, expected_version)
    transition_target(action, Status(report.status))
    return report


def transition_record(
    report: Report,
    action: Action,
    *,
    at: datetime,
    message: str,
    fields: dict[str, Any] | None = None,
    user: User | None = None,
    citizen: Citizen | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    """Apply a lifecycle move to the locked report and record it on the public timeline."""
    source, target = transition_apply(report, action, fields=fields)
    event_append(
        report=report,
        kind=EventKind.TRANSITION,
        at=at,
        action=action,
        from_status=source,
        to_status=target,
        actor=user,
        actor_citizen=citizen,
        is_public=True,
        message=message,
        data=data,
    )
