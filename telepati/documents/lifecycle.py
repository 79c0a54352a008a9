"""The document-application lifecycle as data: states, actions and the legal moves.

Pure module: no database access, no settings. Services ask `transition_target()` before they
change a row, so an illegal move raises `InvalidTransition` and changes nothing.

Main path: (pra-pendaftaran →) berkas diterima → diproses → diajukan ke Disdukcapil → terbit
→ siap diambil | dijadwalkan antar → dalam pengantaran → diserahkan. Letters the kecamatan
or kelurahan signs itself (SKD, SKTM, …) go from diproses straight to terbit. Side paths:
perlu perbaikan (what to fix; back to diproses when fixed), ditolak, dibatalkan. After
terbit the resident chooses pick-up or delivery (and may change their mind until the
document is handed over); a failed delivery attempt goes back to dijadwalkan antar.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from telepati.core.errors import InvalidTransition


class Status(models.TextChoices):
    PRE_REGISTERED = "pre_registered", _("Pra-pendaftaran")
    RECEIVED = "received", _("Berkas diterima")
    PROCESSING = "processing", _("Diproses")
    NEEDS_FIX = "needs_fix", _("Perlu perbaikan")
    SUBMITTED = "submitted", _("Diajukan ke Disdukcapil")
    ISSUED = "issued", _("Terbit")
    READY_FOR_PICKUP = "ready_for_pickup", _("Siap diambil")
    DELIVERY_SCHEDULED = "delivery_scheduled", _("Dijadwalkan antar")
    OUT_FOR_DELIVERY = "out_for_delivery", _("Dalam pengantaran")
    HANDED_OVER = "handed_over", _("Diserahkan")
    REJECTED = "rejected", _("Ditolak")
    CANCELLED = "cancelled", _("Dibatalkan")


class Action(models.TextChoices):
    ACCEPT = "accept", _("Terima berkas")
    PROCESS = "process", _("Proses")
    REQUEST_FIX = "request_fix", _("Minta perbaikan")
    FIXED = "fixed", _("Perbaikan diterima")
    SUBMIT = "submit", _("Ajukan ke Disdukcapil")
    ISSUE = "issue", _("Tandai terbit")
    CHOOSE_PICKUP = "choose_pickup", _("Ambil di kantor")
    CHOOSE_DELIVERY = "choose_delivery", _("Antar ke rumah")
    DISPATCH = "dispatch", _("Berangkat mengantar")
    DELIVER = "deliver", _("Terantar")
    DELIVERY_FAIL = "delivery_fail", _("Gagal antar")
    HAND_OVER = "hand_over", _("Serahkan di kantor")
    REJECT = "reject", _("Tolak")
    CANCEL = "cancel", _("Batalkan")


S = Status

# action → {from state: to state}. A from-state missing here makes the action illegal there.
TRANSITIONS: dict[Action, dict[Status, Status]] = {
    Action.ACCEPT: {S.PRE_REGISTERED: S.RECEIVED},
    Action.PROCESS: {S.RECEIVED: S.PROCESSING},
    Action.REQUEST_FIX: {
        S.RECEIVED: S.NEEDS_FIX,
        S.PROCESSING: S.NEEDS_FIX,
        S.SUBMITTED: S.NEEDS_FIX,
    },
    Action.FIXED: {S.NEEDS_FIX: S.PROCESSING},
    Action.SUBMIT: {S.PROCESSING: S.SUBMITTED},
    Action.ISSUE: {S.SUBMITTED: S.ISSUED, S.PROCESSING: S.ISSUED},
    Action.CHOOSE_PICKUP: {
        S.ISSUED: S.READY_FOR_PICKUP,
        S.DELIVERY_SCHEDULED: S.READY_FOR_PICKUP,
    },
    Action.CHOOSE_DELIVERY: {
        S.ISSUED: S.DELIVERY_SCHEDULED,
        S.READY_FOR_PICKUP: S.DELIVERY_SCHEDULED,
        # A new day or a corrected address before the courier leaves.
        S.DELIVERY_SCHEDULED: S.DELIVERY_SCHEDULED,
    },
    Action.DISPATCH: {S.DELIVERY_SCHEDULED: S.OUT_FOR_DELIVERY},
    Action.DELIVER: {S.OUT_FOR_DELIVERY: S.HANDED_OVER, S.DELIVERY_SCHEDULED: S.HANDED_OVER},
    # Nobody home, wrong address…: rescheduled (the resident is told and may pick another day).
    Action.DELIVERY_FAIL: {
        S.OUT_FOR_DELIVERY: S.DELIVERY_SCHEDULED,
        S.DELIVERY_SCHEDULED: S.DELIVERY_SCHEDULED,
    },
    Action.HAND_OVER: {S.READY_FOR_PICKUP: S.HANDED_OVER, S.ISSUED: S.HANDED_OVER},
    Action.REJECT: {
        S.PRE_REGISTERED: S.REJECTED,
        S.RECEIVED: S.REJECTED,
        S.PROCESSING: S.REJECTED,
        S.NEEDS_FIX: S.REJECTED,
        S.SUBMITTED: S.REJECTED,
    },
    Action.CANCEL: {
        S.PRE_REGISTERED: S.CANCELLED,
        S.RECEIVED: S.CANCELLED,
        S.PROCESSING: S.CANCELLED,
        S.NEEDS_FIX: S.CANCELLED,
    },
}

IN_PROGRESS_STATES: frozenset[Status] = frozenset(
    {S.PRE_REGISTERED, S.RECEIVED, S.PROCESSING, S.NEEDS_FIX, S.SUBMITTED}
)
"""Before the document exists: the target date (`due_at`) runs."""

AWAITING_HANDOVER: frozenset[Status] = frozenset(
    {S.ISSUED, S.READY_FOR_PICKUP, S.DELIVERY_SCHEDULED, S.OUT_FOR_DELIVERY}
)
"""The document exists and waits for its owner (pick-up reminders run in ISSUED/READY)."""

TERMINAL_STATES: frozenset[Status] = frozenset({S.HANDED_OVER, S.REJECTED, S.CANCELLED})


@dataclass(frozen=True, slots=True)
class Move:
    """One legal transition."""

    action: Action
    source: Status
    target: Status


def transition_target(action: Action, current: Status) -> Status:
    """The state `action` leads to from `current`, or raise InvalidTransition."""
    targets = TRANSITIONS[action]
    if current not in targets:
        raise InvalidTransition(
            _("Tindakan “%(action)s” tidak berlaku untuk permohonan berstatus %(status)s.")
            % {"action": action.label, "status": current.label}
        )
    return targets[current]


def allowed_actions(current: Status) -> list[Action]:
    """Actions legal from `current`, in table order (before role and scope checks)."""
    return [action for action, targets in TRANSITIONS.items() if current in targets]


def all_moves() -> list[Move]:
    """Every legal transition, for tests and documentation."""
    return [
        Move(action, source, target)
        for action, targets in TRANSITIONS.items()
        for source, target in targets.items()
    ]
