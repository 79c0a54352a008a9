"""What each report-page action does: its form and the one service call it makes.

Each `run` receives the officer, the report (read through the scoped selector) and the
form's cleaned data; it calls the service and returns the success message. Domain errors
pass through untouched for the view to show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from telepati.accounts.models import User
from telepati.accounts.selectors import officer_scope_get
from telepati.backoffice.reports.forms import (
    ActionForm,
    AssignForm,
    CloseForm,
    ForwardForm,
    HoldForm,
    MergeForm,
    NoteForm,
    RejectForm,
    ReopenForm,
    ReplyForm,
    ResolveForm,
    VerifyForm,
)
from telepati.core.errors import Forbidden, InvalidInput, NotFound
from telepati.reports.models import Report
from telepati.reports.selectors import report_get_for_officer
from telepati.reports.selectors_inbox import PageAction, report_actions_for_officer
from telepati.reports.services.desk import report_hold, report_reject, report_verify
from telepati.reports.services.dispositions import report_forward
from telepati.reports.services.media import PreparedUpload, upload_prepare
from telepati.reports.services.merge import report_merge
from telepati.reports.services.notes import report_assign, report_note_add
from telepati.reports.services.resolution import report_close, report_reopen, report_resolve

Data = dict[str, Any]


@dataclass(frozen=True)
class Done:
    message: str
    tracking_number: str


@dataclass(frozen=True)
class ActionSpec:
    form: type[ActionForm]
    run: Callable[[User, Report, Data], Done]
    choice_names: tuple[str, ...] = ()


def _done(report: Report, message: str) -> Done:
    return Done(
        message=message % {"number": report.tracking_number}, tracking_number=report.tracking_number
    )


def _verify(user: User, report: Report, data: Data) -> Done:
    report_verify(
        user=user,
        report_id=report.pk,
        expected_version=data["expected_version"],
        title=data["title"] or None,
        category_code=data["category"] or None,
        kelurahan_id=data["kelurahan"] or None,
        priority=data["priority"] or None,
    )
    return _done(report, _("Laporan %(number)s diverifikasi."))


def _hold(user: User, report: Report, data: Data) -> Done:
    report_hold(
        user=user,
        report_id=report.pk,
        question=data["question"],
        expected_version=data["expected_version"],
    )
    return _done(report, _("Verifikasi laporan %(number)s ditunda; pertanyaan dikirim ke pelapor."))


def _reject(user: User, report: Report, data: Data) -> Done:
    report_reject(
        user=user,
        report_id=report.pk,
        reason=data["reason"],
        expected_version=data["expected_version"],
    )
    return _done(report, _("Laporan %(number)s ditolak."))


def _forward(user: User, report: Report, data: Data) -> Done:
    report_forward(
        user=user,
        report_id=report.pk,
        unit_ids=list(data["units"]),
        instruction=data["instruction"],
        expected_version=data["expected_version"],
    )
    return _done(report, _("Laporan %(number)s didisposisikan."))


def _assign(user: User, report: Report, data: Data) -> Done:
    report_assign(user=user, report_id=report.pk, assignee_id=data["assignee"] or None)
    if data["assignee"]:
        return _done(report, _("Laporan %(number)s ditugaskan."))
    return _done(report, _("Penugasan laporan %(number)s dilepas."))


def _note(user: User, report: Report, data: Data) -> Done:
    report_note_add(user=user, report_id=report.pk, message=data["message"])
    return _done(report, _("Catatan internal disimpan."))


def _reply(user: User, report: Report, data: Data) -> Done:
    report_note_add(user=user, report_id=report.pk, message=data["message"], is_public=True)
    return _done(report, _("Kabar dikirim ke pelapor laporan %(number)s."))


def _uploads(data: Data) -> list[PreparedUpload]:
    photo = data.get("photo")
    if not photo:
        return []
    try:
        return [upload_prepare(name=photo.name, content=photo.read())]
    except InvalidInput as exc:
        raise InvalidInput(str(exc), field_errors={"photo": [str(exc)]}) from exc


def _resolve(user: User, report: Report, data: Data) -> Done:
    report_resolve(
        user=user,
        report_id=report.pk,
        message=data["message"],
        uploads=_uploads(data),
        expected_version=data["expected_version"],
    )
    return _done(report, _("Laporan %(number)s diselesaikan."))


def _close(user: User, report: Report, data: Data) -> Done:
    report_close(
        user=user,
        report_id=report.pk,
        reason=data["reason"],
        expected_version=data["expected_version"],
    )
    return _done(report, _("Laporan %(number)s ditutup."))


def _reopen(user: User, report: Report, data: Data) -> Done:
    report_reopen(
        user=user,
        report_id=report.pk,
        reason=data["reason"],
        expected_version=data["expected_version"],
    )
    return _done(report, _("Laporan %(number)s dibuka kembali."))


def _merge(user: User, report: Report, data: Data) -> Done:
    try:
        target = report_get_for_officer(user=user, tracking_number=data["into"])
    except NotFound:
        scope = officer_scope_get(user=user)
        if PageAction.MERGE not in report_actions_for_officer(scope=scope, report=report):
            # Not this officer's decision at all: say so rather than "check the number".
            raise Forbidden(
                _("Peran Anda tidak berwenang melakukan tindakan ini pada laporan.")
            ) from None
        message = _("Laporan tujuan tidak ditemukan.")
        raise InvalidInput(message, field_errors={"into": [message]}) from None
    report_merge(
        user=user,
        report_id=report.pk,
        into_report_id=target.pk,
        expected_version=data["expected_version"],
    )
    return Done(
        message=_("Laporan %(number)s digabung ke %(into)s.")
        % {"number": report.tracking_number, "into": target.tracking_number},
        tracking_number=report.tracking_number,
    )


SPECS: dict[PageAction, ActionSpec] = {
    PageAction.VERIFY: ActionSpec(VerifyForm, _verify, ("categories", "kelurahan")),
    PageAction.HOLD: ActionSpec(HoldForm, _hold),
    PageAction.REJECT: ActionSpec(RejectForm, _reject),
    PageAction.FORWARD: ActionSpec(ForwardForm, _forward, ("units",)),
    PageAction.ASSIGN: ActionSpec(AssignForm, _assign, ("officers",)),
    PageAction.NOTE: ActionSpec(NoteForm, _note),
    PageAction.REPLY: ActionSpec(ReplyForm, _reply),
    PageAction.RESOLVE: ActionSpec(ResolveForm, _resolve),
    PageAction.CLOSE: ActionSpec(CloseForm, _close),
    PageAction.REOPEN: ActionSpec(ReopenForm, _reopen),
    PageAction.MERGE: ActionSpec(MergeForm, _merge),
}
