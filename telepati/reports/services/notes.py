"""Work on a report that does not move its state: assignment, notes, public updates, replies.

An officer who can see a report assigns it to a colleague who can see it too, adds internal
notes, or posts a public update that the reporter and followers receive; canned responses
offer ready-made texts per category and state.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from telepati.accounts.capabilities import Capability
from telepati.accounts.models import User
from telepati.accounts.selectors import officer_scope_get
from telepati.core.errors import InvalidInput
from telepati.reports.lifecycle import Status
from telepati.reports.models import (
    CannedResponse,
    EventKind,
    Report,
)
from telepati.reports.services.common import (
    event_append,
    now,
    officer_notify,
    officer_require,
    report_lock,
    report_scope_q,
    report_touch,
    reporter_notify,
    resident_language,
    text_required,
)
from telepati.reports.services.media import PreparedUpload, attachments_store


def report_assign(*, user: User, report_id: int, assignee_id: int | None) -> Report:
    """The desk hands a report to an officer who can see it (or clears the assignment)."""
    with transaction.atomic():
        report = report_lock(report_id=report_id)
        officer_require(user=user, report=report, capability=Capability.VERIFY_REPORT)
        if assignee_id == report.assigned_to_id:
            return report
        assignee = None
        if assignee_id is not None:
            assignee = User.objects.filter(pk=assignee_id, is_active=True).first()
            if assignee is None or not _officer_sees(assignee, report):
                message = _("Petugas ini tidak dapat menangani laporan ini.")
                raise InvalidInput(message, field_errors={"assignee": [message]})
        at = now()
        report_touch(report, fields={"assigned_to": assignee})
        event_append(
            report=report,
            kind=EventKind.EDIT,
            at=at,
            actor=user,
            message=(
                _("Ditugaskan kepada %(name)s.") % {"name": assignee}
                if assignee is not None
                else _("Penugasan dilepas.")
            ),
            data={"assigned_to": assignee_id},
        )
        if assignee is not None:
            with resident_language():
                text = _("Laporan %(number)s ditugaskan kepada Anda.") % {
                    "number": report.tracking_number
                }
            officer_notify(
                users=[assignee], report=report, key=f"assigned:{report.version}", text=text
            )
    return report


def _officer_sees(officer: User, report: Report) -> bool:
    scope = officer_scope_get(user=officer)
    return Report.objects.filter(report_scope_q(scope), pk=report.pk).exists()


def report_note_add(
    *,
    user: User,
    report_id: int,
    message: str,
    is_public: bool = False,
    uploads: Sequence[PreparedUpload] = (),
) -> Report:
    """An internal note, or a public update the reporter and followers receive.

    A note does not change the report's data, so its version stays (an officer adding a note
    never makes a colleague's pending decision stale).
    """
    with transaction.atomic():
        report = report_lock(report_id=report_id)
        officer_require(user=user, report=report, capability=Capability.FOLLOW_UP)
        if report.status == Status.MERGED:
            raise InvalidInput(_("Laporan ini sudah digabung; tulis catatan di laporan tujuan."))
        text = text_required(message, field="message", message=_("Tulis isi catatan."))
        event = event_append(
            report=report,
            kind=EventKind.UPDATE if is_public else EventKind.NOTE,
            at=now(),
            actor=user,
            is_public=is_public,
            message=text,
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
                notice = _("Kabar terbaru laporan %(number)s: %(message)s") % {
                    "number": report.tracking_number,
                    "message": text,
                }
            reporter_notify(report=report, key=f"note:{event.pk}", text=notice)
    return report


def canned_response_list(*, category_id: int | None, status: str) -> list[CannedResponse]:
    """Active ready-made replies for a category and state (rows for all categories or all
    states included), the most specific first."""
    rows = CannedResponse.objects.filter(is_active=True).filter(
        Q(category__isnull=True) | Q(category_id=category_id),
        Q(status="") | Q(status=status),
    )
    return sorted(rows, key=lambda r: (r.category_id is None, r.status == "", r.title))
