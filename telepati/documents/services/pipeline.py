"""The office's work on a received file, up to the document being issued (or not).

berkas diterima → diproses → (diajukan ke Disdukcapil →) terbit. On the way an officer may
ask for a fix (perlu perbaikan, with what to fix; `application_fixed` resumes processing),
reject the application (with a reason) or cancel it (officer or the applicant, with a
reason). Each function follows the recipe in `common.py`: lock, access (officers who
handle the application — see `documents_manage_allowed`), version, lifecycle, inputs, then
the change, its public timeline event and the applicant's notice in the same transaction.

`application_issue` is also what the bulk import of Disdukcapil data calls per matched row
(`import_row_id`); it starts the pick-up reminders (`reminder_due_at`, see reminders.py).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from telepati.accounts.capabilities import Capability
from telepati.accounts.models import User
from telepati.citizens.models import Citizen
from telepati.core.errors import InvalidInput, InvalidTransition
from telepati.documents import notices
from telepati.documents.lifecycle import Action, Status, transition_target
from telepati.documents.models import Application
from telepati.documents.services.common import (
    applicant_notify,
    applicant_require,
    application_lock,
    deadline,
    now,
    officer_require,
    text_required,
    transition_record,
    version_check,
)
from telepati.documents.services.reminders import reminder_days

DOCUMENT_NUMBER_MAX_LENGTH = 40


def _officer_start(
    *, actor: User, application_id: int, expected_version: int | None, action: Action
) -> Application:
    """Lock, check access and version, check the move is legal: the first steps of each
    officer action (the caller is inside the transaction)."""
    application = application_lock(application_id=application_id)
    officer_require(user=actor, application=application, capability=Capability.MANAGE_DOCUMENTS)
    version_check(application, expected_version)
    transition_target(action, Status(application.status))
    return application


def application_process(
    *, actor: User, application_id: int, expected_version: int | None = None
) -> Application:
    """Start working on a received file (diproses)."""
    with transaction.atomic():
        application = _officer_start(
            actor=actor,
            application_id=application_id,
            expected_version=expected_version,
            action=Action.PROCESS,
        )
        transition_record(
            application, Action.PROCESS, at=now(), user=actor, message=_("Berkas diproses.")
        )
        return application


def application_request_fix(
    *,
    actor: User,
    application_id: int,
    fix_note: str,
    expected_version: int | None = None,
) -> Application:
    """Ask the applicant to complete or correct the file; the notice says what to fix."""
    with transaction.atomic():
        application = _officer_start(
            actor=actor,
            application_id=application_id,
            expected_version=expected_version,
            action=Action.REQUEST_FIX,
        )
        note = text_required(
            fix_note,
            field="fix_note",
            message=_("Tuliskan apa yang perlu diperbaiki atau dilengkapi pemohon."),
        )
        transition_record(
            application,
            Action.REQUEST_FIX,
            at=now(),
            user=actor,
            message=_("Perlu perbaikan: %(note)s") % {"note": note},
            fields={"fix_note": note},
        )
        applicant_notify(
            application=application,
            key=f"needs_fix:{application.version}",
            text=notices.needs_fix_text(application),
            template_name=notices.TEMPLATE_STATUS,
            template_params=notices.template_status_params(application),
        )
        return application


def application_fixed(
    *, actor: User, application_id: int, expected_version: int | None = None
) -> Application:
    """The applicant brought what was missing: processing resumes."""
    with transaction.atomic():
        application = _officer_start(
            actor=actor,
            application_id=application_id,
            expected_version=expected_version,
            action=Action.FIXED,
        )
        transition_record(
            application,
            Action.FIXED,
            at=now(),
            user=actor,
            message=_("Perbaikan diterima; berkas diproses kembali."),
            fields={"fix_note": ""},
        )
        return application


def application_submit(
    *, actor: User, application_id: int, expected_version: int | None = None
) -> Application:
    """The file goes to Disdukcapil (only for documents Disdukcapil issues)."""
    with transaction.atomic():
        application = _officer_start(
            actor=actor,
            application_id=application_id,
            expected_version=expected_version,
            action=Action.SUBMIT,
        )
        if not application.document_type.via_disdukcapil:
            raise InvalidTransition(
                _(
                    "%(document)s ditandatangani di kecamatan/kelurahan, tidak diajukan ke "
                    "Disdukcapil: tandai terbit bila sudah selesai."
                )
                % {"document": application.document_type.name}
            )
        at = now()
        transition_record(
            application,
            Action.SUBMIT,
            at=at,
            user=actor,
            message=_("Berkas diajukan ke Disdukcapil Kota Medan."),
            fields={"submitted_at": at},
        )
        applicant_notify(
            application=application,
            key=f"submitted:{application.version}",
            text=notices.submitted_text(application),
            template_name=notices.TEMPLATE_STATUS,
            template_params=notices.template_status_params(application),
        )
        return application


def application_issue(
    *,
    actor: User,
    application_id: int,
    document_number: str = "",
    expected_version: int | None = None,
    import_row_id: int | None = None,
) -> Application:
    """The document exists (terbit): the applicant chooses pick-up or delivery; the pick-up
    reminders start."""
    with transaction.atomic():
        application = _officer_start(
            actor=actor,
            application_id=application_id,
            expected_version=expected_version,
            action=Action.ISSUE,
        )
        number = " ".join((document_number or "").split())
        if len(number) > DOCUMENT_NUMBER_MAX_LENGTH:
            message = _("Nomor dokumen terlalu panjang (maksimal %(n)d karakter).") % {
                "n": DOCUMENT_NUMBER_MAX_LENGTH
            }
            raise InvalidInput(message, field_errors={"document_number": [message]})
        at = now()
        fields: dict[str, object] = {
            "issued_at": at,
            "reminder_due_at": deadline(start=at, days=reminder_days()),
            "reminders_sent": 0,
        }
        if number:
            fields["document_number"] = number
        data = {"import_row_id": import_row_id} if import_row_id is not None else None
        transition_record(
            application,
            Action.ISSUE,
            at=at,
            user=actor,
            message=(
                _("Dokumen terbit (data impor Disdukcapil).")
                if import_row_id is not None
                else _("Dokumen terbit.")
            ),
            fields=fields,
            data=data,
        )
        applicant_notify(
            application=application,
            key="issued",
            text=notices.issued_text(application),
            template_name=notices.TEMPLATE_ISSUED,
            template_params=notices.template_issued_params(application),
            interactive=notices.issued_buttons(application),
        )
        return application


def application_reject(
    *,
    actor: User,
    application_id: int,
    reason: str,
    expected_version: int | None = None,
) -> Application:
    """The application cannot go on (e.g. not a resident of the kecamatan); the reason is
    sent to the applicant."""
    with transaction.atomic():
        application = _officer_start(
            actor=actor,
            application_id=application_id,
            expected_version=expected_version,
            action=Action.REJECT,
        )
        text = text_required(
            reason, field="reason", message=_("Tuliskan alasan penolakan untuk pemohon.")
        )
        at = now()
        transition_record(
            application,
            Action.REJECT,
            at=at,
            user=actor,
            message=_("Ditolak: %(reason)s") % {"reason": text},
            fields={"rejection_reason": text, "closed_at": at},
        )
        applicant_notify(
            application=application,
            key="rejected",
            text=notices.rejected_text(application),
            template_name=notices.TEMPLATE_STATUS,
            template_params=notices.template_status_params(application),
        )
        return application


def application_cancel(
    *,
    application_id: int,
    reason: str,
    actor: User | None = None,
    citizen: Citizen | None = None,
    expected_version: int | None = None,
) -> Application:
    """Withdraw an application before it is submitted: by an officer who handles it, or by
    the applicant themselves (exactly one of `actor`, `citizen`)."""
    if (actor is None) == (citizen is None):
        raise ValueError("application_cancel needs exactly one of actor and citizen")
    with transaction.atomic():
        application = application_lock(application_id=application_id)
        if actor is not None:
            officer_require(
                user=actor, application=application, capability=Capability.MANAGE_DOCUMENTS
            )
        else:
            assert citizen is not None
            applicant_require(application=application, citizen=citizen)
        version_check(application, expected_version)
        transition_target(Action.CANCEL, Status(application.status))
        text = text_required(reason, field="reason", message=_("Tuliskan alasan pembatalan."))
        at = now()
        transition_record(
            application,
            Action.CANCEL,
            at=at,
            user=actor,
            citizen=citizen,
            message=(
                _("Dibatalkan oleh pemohon: %(reason)s")
                if citizen is not None
                else _("Dibatalkan petugas: %(reason)s")
            )
            % {"reason": text},
            fields={"cancel_reason": text, "closed_at": at},
        )
        applicant_notify(
            application=application,
            key="cancelled",
            text=notices.cancelled_text(application),
            template_name=notices.TEMPLATE_STATUS,
            template_params=notices.template_status_params(application),
        )
        return application
