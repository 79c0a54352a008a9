"""A unit's work on a disposition: acknowledge, report progress, finish, or return it.

A disposition is PENDING until the unit acknowledges it; the first update (IN_PROGRESS)
stops the unit's response clock and, when public, the report's; finishing the last open
disposition resolves the report (`resolution_apply`); returning it as not the unit's authority
(bukan wewenang) sends the report back to the desk when no other unit still holds it.
Members of the unit act, or the kecamatan desk on their behalf. Each function takes the
report version the officer saw (`expected_version`): a report changed since raises
`Conflict` and nothing is applied.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from telepati.accounts.capabilities import Capability
from telepati.accounts.models import Role, User
from telepati.accounts.selectors import officer_list_of_kecamatan, officer_scope_get
from telepati.core.errors import Forbidden, InvalidTransition, NotFound
from telepati.reports.lifecycle import Action, Status, transition_target
from telepati.reports.models import (
    OPEN_DISPOSITION_STATES,
    Disposition,
    DispositionStatus,
    EventKind,
    Report,
)
from telepati.reports.services.common import (
    desk_can,
    event_append,
    now,
    officer_notify,
    report_lock,
    report_scope_q,
    report_touch,
    reporter_notify,
    resident_language,
    text_required,
    transition_apply,
    version_check,
)
from telepati.reports.services.media import PreparedUpload, attachments_store, evidence_store
from telepati.reports.services.resolution import resolution_apply

# Roles through which a member of the receiving unit acts on its disposition.
MEMBER_ROLES = frozenset({Role.STAFF, Role.LIAISON, Role.LEADER, Role.ADMINISTRATOR, Role.OPERATOR})


def _disposition_open(
    *, user: User, disposition_id: int, expected_version: int | None
) -> tuple[Report, Disposition]:
    """Lock the disposition's report, check that `user` may act for the unit, then that the
    report is still at `expected_version` (access first, so a stale version never tells an
    outsider that the report exists)."""
    report_id = (
        Disposition.objects.filter(pk=disposition_id).values_list("report_id", flat=True).first()
    )
    if report_id is None:
        raise NotFound(_("Disposisi tidak ditemukan."))
    report = report_lock(report_id=report_id)
    disposition = Disposition.objects.select_related("unit").get(pk=disposition_id)
    disposition.report = report
    scope = officer_scope_get(user=user)
    if not Report.objects.filter(report_scope_q(scope), pk=report.pk).exists():
        raise NotFound(_("Laporan tidak ditemukan."))
    member = any(g.unit_id == disposition.unit_id and g.role in MEMBER_ROLES for g in scope.grants)
    desk = desk_can(scope, Capability.DISPOSE_REPORT, kecamatan_id=report.kecamatan_id)
    if not (member or desk):
        raise Forbidden(_("Anda bukan petugas unit yang menerima disposisi ini."))
    version_check(report, expected_version)
    return report, disposition


def _still_open(disposition: Disposition) -> None:
    if disposition.status not in OPEN_DISPOSITION_STATES:
        raise InvalidTransition(
            _("Disposisi ini sudah berstatus %(status)s.")
            % {"status": disposition.get_status_display()}
        )


def _disposition_save(disposition: Disposition, status: DispositionStatus, **fields: Any) -> None:
    disposition.status = status
    for name, value in fields.items():
        setattr(disposition, name, value)
    disposition.save(update_fields=["status", *fields])


def disposition_acknowledge(
    *, user: User, disposition_id: int, expected_version: int | None = None
) -> Disposition:
    """The unit confirms it received the matter (menunggu → diterima); repeating is harmless."""
    with transaction.atomic():
        report, disposition = _disposition_open(
            user=user, disposition_id=disposition_id, expected_version=expected_version
        )
        _still_open(disposition)
        if disposition.status != DispositionStatus.PENDING:
            return disposition
        at = now()
        _disposition_save(disposition, DispositionStatus.ACKNOWLEDGED, acknowledged_at=at)
        event_append(
            report=report,
            kind=EventKind.DISPOSITION,
            at=at,
            actor=user,
            unit=disposition.unit,
            message=_("Disposisi diterima oleh %(unit)s.") % {"unit": disposition.unit.name},
            data={"disposition": disposition.pk},
        )
    return disposition


def disposition_update(
    *,
    user: User,
    disposition_id: int,
    message: str,
    is_public: bool = True,
    uploads: Sequence[PreparedUpload] = (),
    expected_version: int | None = None,
) -> Disposition:
    """The unit records what it did; the report is then ditindaklanjuti.

    The unit's own first response is any update; the report's first-response clock stops
    only at the first *public* update, because only that one reaches the resident.
    """
    with transaction.atomic():
        report, disposition = _disposition_open(
            user=user, disposition_id=disposition_id, expected_version=expected_version
        )
        _still_open(disposition)
        transition_target(Action.FOLLOW_UP, Status(report.status))
        text = text_required(message, field="message", message=_("Tuliskan tindak lanjutnya."))
        at = now()
        _disposition_save(
            disposition,
            DispositionStatus.IN_PROGRESS,
            acknowledged_at=disposition.acknowledged_at or at,
            first_response_at=disposition.first_response_at or at,
        )
        fields = {"first_response_at": at} if is_public and not report.first_response_at else {}
        source, target = transition_apply(report, Action.FOLLOW_UP, fields=fields)
        event = event_append(
            report=report,
            kind=EventKind.UPDATE,
            at=at,
            action=Action.FOLLOW_UP,
            from_status=source,
            to_status=target,
            actor=user,
            unit=disposition.unit,
            is_public=is_public,
            message=text,
            data={"disposition": disposition.pk},
        )
        if uploads:
            attachments_store(
                report=report,
                uploads=list(uploads),
                event=event,
                is_public=is_public,
                uploaded_by=user,
            )
        if is_public:
            with resident_language():
                notice = _("Tindak lanjut laporan %(number)s dari %(unit)s: %(message)s") % {
                    "number": report.tracking_number,
                    "unit": disposition.unit.name,
                    "message": text,
                }
            reporter_notify(report=report, key=f"update:{event.pk}", text=notice)
    return disposition


def disposition_complete(
    *,
    user: User,
    disposition_id: int,
    message: str,
    uploads: Sequence[PreparedUpload] = (),
    expected_version: int | None = None,
) -> Disposition:
    """The unit finished its part; when no other unit still holds the report, it is resolved.

    `message` (what was done) is public: with the last unit it becomes the resolution the
    resident is asked to rate; `uploads` are evidence photos.
    """
    with transaction.atomic():
        report, disposition = _disposition_open(
            user=user, disposition_id=disposition_id, expected_version=expected_version
        )
        _still_open(disposition)
        others_open = (
            Disposition.objects.filter(report=report, status__in=OPEN_DISPOSITION_STATES)
            .exclude(pk=disposition.pk)
            .exists()
        )
        transition_target(
            Action.FOLLOW_UP if others_open else Action.RESOLVE, Status(report.status)
        )
        text = text_required(
            message, field="message", message=_("Tuliskan apa yang sudah dikerjakan.")
        )
        at = now()
        _disposition_save(
            disposition,
            DispositionStatus.DONE,
            done_at=at,
            acknowledged_at=disposition.acknowledged_at or at,
            first_response_at=disposition.first_response_at or at,
        )
        if not others_open:
            event_append(
                report=report,
                kind=EventKind.DISPOSITION,
                at=at,
                actor=user,
                unit=disposition.unit,
                message=_("%(unit)s menyelesaikan disposisinya; laporan diselesaikan.")
                % {"unit": disposition.unit.name},
                data={"disposition": disposition.pk},
            )
            resolution_apply(report=report, actor=user, message=text, at=at, uploads=uploads)
            return disposition
        fields = {"first_response_at": at} if not report.first_response_at else {}
        source, target = transition_apply(report, Action.FOLLOW_UP, fields=fields)
        event = event_append(
            report=report,
            kind=EventKind.UPDATE,
            at=at,
            action=Action.FOLLOW_UP,
            from_status=source,
            to_status=target,
            actor=user,
            unit=disposition.unit,
            is_public=True,
            message=text,
            data={"disposition": disposition.pk, "done": True},
        )
        evidence_store(report=report, uploads=uploads, event=event, uploaded_by=user)
        with resident_language():
            notice = _(
                "%(unit)s telah menyelesaikan bagiannya untuk laporan %(number)s: %(message)s "
                "Unit lain masih menindaklanjuti; kami kabari bila semuanya selesai."
            ) % {"unit": disposition.unit.name, "number": report.tracking_number, "message": text}
        reporter_notify(report=report, key=f"unit-done:{disposition.pk}", text=notice)
    return disposition


def disposition_return(
    *, user: User, disposition_id: int, reason: str, expected_version: int | None = None
) -> Disposition:
    """The unit returns the matter as not its authority (bukan wewenang).

    When it was the last unit holding the report, the report goes back to the desk
    (terverifikasi) and the desk operators are told to forward it elsewhere.
    """
    with transaction.atomic():
        report, disposition = _disposition_open(
            user=user, disposition_id=disposition_id, expected_version=expected_version
        )
        _still_open(disposition)
        others_due = list(
            Disposition.objects.filter(report=report, status__in=OPEN_DISPOSITION_STATES)
            .exclude(pk=disposition.pk)
            .values_list("due_at", flat=True)
        )
        if not others_due:
            transition_target(Action.RETURN, Status(report.status))
        reason = text_required(reason, field="reason", message=_("Tulis alasan pengembalian."))
        at = now()
        _disposition_save(
            disposition, DispositionStatus.RETURNED, returned_at=at, return_reason=reason
        )
        source = target = None
        if not others_due:
            source, target = transition_apply(
                report, Action.RETURN, fields={"response_due_at": None}
            )
        elif report.first_response_at is None and report.response_due_at != min(others_due):
            report_touch(report, fields={"response_due_at": min(others_due)})
        event_append(
            report=report,
            kind=EventKind.DISPOSITION,
            at=at,
            action=Action.RETURN if target is not None else None,
            from_status=source,
            to_status=target,
            actor=user,
            unit=disposition.unit,
            message=_("Dikembalikan oleh %(unit)s (bukan wewenang): %(reason)s")
            % {"unit": disposition.unit.name, "reason": reason},
            data={"disposition": disposition.pk},
        )
        with resident_language():
            text = _(
                "%(unit)s mengembalikan disposisi laporan %(number)s (bukan wewenang): %(reason)s"
            ) % {"unit": disposition.unit.name, "number": report.tracking_number, "reason": reason}
            if target is not None:
                text += " " + _("Tidak ada unit lain yang memegangnya; mohon disposisikan ulang.")
        officer_notify(
            users=officer_list_of_kecamatan(
                kecamatan_id=report.kecamatan_id, roles=[Role.OPERATOR]
            ),
            report=report,
            key=f"returned:{disposition.pk}",
            text=text,
        )
    return disposition
