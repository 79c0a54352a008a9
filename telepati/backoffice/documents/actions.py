"""What the application page offers and what each offer does: one table, one helper.

`desk_actions_for(scope=…, application=…)` is the only place that decides which actions
the page shows: those legal from the application's status (`documents.lifecycle`), that the
officer may take on this application (`documents_manage_allowed`: the kecamatan desk, the
handling unit, the kantor kelurahan of the applicant's kelurahan) and whose extra condition
holds (Disdukcapil documents are submitted there before they are issued; delivery only for
documents that may be delivered; a courier only for a scheduled delivery). The services
decide again on every POST.

Each `run` receives the officer, the application (read through the scoped selector) and the
form's cleaned data; it calls one service and returns the success message. Domain errors
pass through untouched for the view to show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from telepati.accounts.models import User
from telepati.accounts.scope import OfficerScope
from telepati.backoffice.documents.forms import (
    ActionForm,
    AssignForm,
    DeliveryForm,
    FixForm,
    HandOverForm,
    IssueForm,
    ReasonForm,
)
from telepati.core.errors import InvalidInput
from telepati.documents.lifecycle import Action, Status, allowed_actions
from telepati.documents.models import Application
from telepati.documents.services import delivery, handover, pipeline, registration
from telepati.documents.services.common import documents_manage_allowed

Data = dict[str, Any]
ASSIGN = "assign"


@dataclass(frozen=True)
class DeskAction:
    """One action of the application page: its URL key, button, form and service call."""

    key: str
    label: str | Promise
    form: type[ActionForm]
    run: Callable[[User, Application, Data], str]
    lifecycle: Action | None = None
    available: Callable[[Application], bool] = lambda application: True
    danger: bool = False
    # Shown open (not folded) because it is the usual next step.
    primary: bool = False


def _message(text: str, application: Application) -> str:
    return text % {"code": application.code}


def _accept(user: User, application: Application, data: Data) -> str:
    registration.application_accept(
        actor=user, application_id=application.pk, expected_version=data["expected_version"]
    )
    return _message(_("Berkas permohonan %(code)s diterima."), application)


def _process(user: User, application: Application, data: Data) -> str:
    pipeline.application_process(
        actor=user, application_id=application.pk, expected_version=data["expected_version"]
    )
    return _message(_("Permohonan %(code)s sedang diproses."), application)


def _request_fix(user: User, application: Application, data: Data) -> str:
    pipeline.application_request_fix(
        actor=user,
        application_id=application.pk,
        fix_note=data["fix_note"],
        expected_version=data["expected_version"],
    )
    return _message(_("Permintaan perbaikan %(code)s dikirim ke pemohon."), application)


def _fixed(user: User, application: Application, data: Data) -> str:
    pipeline.application_fixed(
        actor=user, application_id=application.pk, expected_version=data["expected_version"]
    )
    return _message(_("Perbaikan %(code)s diterima; berkas diproses kembali."), application)


def _submit(user: User, application: Application, data: Data) -> str:
    pipeline.application_submit(
        actor=user, application_id=application.pk, expected_version=data["expected_version"]
    )
    return _message(_("Permohonan %(code)s diajukan ke Disdukcapil."), application)


def _issue(user: User, application: Application, data: Data) -> str:
    pipeline.application_issue(
        actor=user,
        application_id=application.pk,
        document_number=data["document_number"],
        expected_version=data["expected_version"],
    )
    return _message(_("Dokumen %(code)s ditandai terbit; pemohon diberi tahu."), application)


def _reject(user: User, application: Application, data: Data) -> str:
    pipeline.application_reject(
        actor=user,
        application_id=application.pk,
        reason=data["reason"],
        expected_version=data["expected_version"],
    )
    return _message(_("Permohonan %(code)s ditolak."), application)


def _cancel(user: User, application: Application, data: Data) -> str:
    pipeline.application_cancel(
        actor=user,
        application_id=application.pk,
        reason=data["reason"],
        expected_version=data["expected_version"],
    )
    return _message(_("Permohonan %(code)s dibatalkan."), application)


def _hand_over(user: User, application: Application, data: Data) -> str:
    handover.application_hand_over(
        actor=user,
        application_id=application.pk,
        received_by_name=data["received_by_name"],
        received_by_relation=data["received_by_relation"],
        identity_checked=bool(data["identity_checked"]),
        expected_version=data["expected_version"],
    )
    return _message(_("Dokumen %(code)s diserahkan di kantor."), application)


def _choose_pickup(user: User, application: Application, data: Data) -> str:
    handover.application_choose_pickup(actor=user, application_id=application.pk)
    return _message(_("Dokumen %(code)s akan diambil di kantor."), application)


def _choose_delivery(user: User, application: Application, data: Data) -> str:
    if not data["day"]:
        message = _("Pilih hari antar.")
        raise InvalidInput(message, field_errors={"day": [message]})
    handover.application_choose_delivery(
        actor=user,
        application_id=application.pk,
        address=data["address"],
        day=date.fromisoformat(data["day"]),
    )
    return _message(_("Pengantaran dokumen %(code)s dijadwalkan."), application)


def _assign(user: User, application: Application, data: Data) -> str:
    if not data["courier_id"]:
        message = _("Pilih kurir.")
        raise InvalidInput(message, field_errors={"courier_id": [message]})
    delivery.delivery_assign(
        actor=user,
        application_id=application.pk,
        courier_id=data["courier_id"],
        expected_version=data["expected_version"],
    )
    return _message(_("Kurir untuk %(code)s ditetapkan."), application)


def _via_disdukcapil(application: Application) -> bool:
    return application.document_type.via_disdukcapil


def _issue_available(application: Application) -> bool:
    # Disdukcapil documents are issued after submission (or by the bulk import).
    return application.status == Status.SUBMITTED or not application.document_type.via_disdukcapil


def _deliverable(application: Application) -> bool:
    return application.document_type.delivery_available


def _scheduled(application: Application) -> bool:
    return application.status == Status.DELIVERY_SCHEDULED


DESK_ACTIONS: tuple[DeskAction, ...] = (
    DeskAction("accept", Action.ACCEPT.label, ActionForm, _accept, Action.ACCEPT, primary=True),
    DeskAction("process", Action.PROCESS.label, ActionForm, _process, Action.PROCESS, primary=True),
    DeskAction("fixed", Action.FIXED.label, ActionForm, _fixed, Action.FIXED, primary=True),
    DeskAction(
        "submit",
        Action.SUBMIT.label,
        ActionForm,
        _submit,
        Action.SUBMIT,
        available=_via_disdukcapil,
        primary=True,
    ),
    DeskAction(
        "issue",
        Action.ISSUE.label,
        IssueForm,
        _issue,
        Action.ISSUE,
        available=_issue_available,
        primary=True,
    ),
    DeskAction("request_fix", Action.REQUEST_FIX.label, FixForm, _request_fix, Action.REQUEST_FIX),
    DeskAction(
        "hand_over",
        Action.HAND_OVER.label,
        HandOverForm,
        _hand_over,
        Action.HAND_OVER,
        primary=True,
    ),
    DeskAction(
        "choose_pickup",
        gettext_lazy("Pemohon memilih ambil di kantor"),
        ActionForm,
        _choose_pickup,
        Action.CHOOSE_PICKUP,
    ),
    DeskAction(
        "choose_delivery",
        gettext_lazy("Pemohon memilih antar ke rumah"),
        DeliveryForm,
        _choose_delivery,
        Action.CHOOSE_DELIVERY,
        available=_deliverable,
    ),
    DeskAction(
        ASSIGN,
        gettext_lazy("Tetapkan kurir"),
        AssignForm,
        _assign,
        available=_scheduled,
        primary=True,
    ),
    DeskAction("reject", Action.REJECT.label, ReasonForm, _reject, Action.REJECT, danger=True),
    DeskAction("cancel", Action.CANCEL.label, ReasonForm, _cancel, Action.CANCEL, danger=True),
)
BY_KEY: dict[str, DeskAction] = {action.key: action for action in DESK_ACTIONS}


def desk_actions_for(*, scope: OfficerScope, application: Application) -> list[DeskAction]:
    """The actions this officer may take on this application now (see the module docstring)."""
    may_act = documents_manage_allowed(
        scope,
        kecamatan_id=application.kecamatan_id,
        handling_unit_id=application.handling_unit_id,
        kelurahan_id=application.kelurahan_id,
    )
    if not may_act:
        return []
    legal = set(allowed_actions(Status(application.status)))
    return [
        action
        for action in DESK_ACTIONS
        if (action.lifecycle is None or action.lifecycle in legal) and action.available(application)
    ]
