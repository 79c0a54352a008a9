"""The report lifecycle as data: states, actions and the legal moves between them.

Pure module: no database access, no settings. Services ask `transition_target()` before they
change a row, so an illegal move raises `InvalidTransition` and changes nothing.

Main path: baru → terverifikasi → didisposisikan → ditindaklanjuti → selesai → ditutup.
Verification may be put on hold (ditunda) until the reporter clarifies; the desk may resolve
a verified report itself (e.g. an information request it can answer); the reporter may
dispute a resolution (back to ditindaklanjuti) until the dispute window closes. Side exits:
ditolak (reason required) and digabung (merged into another report).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from telepati.core.errors import InvalidTransition


class Status(models.TextChoices):
    NEW = "new", _("Baru")
    ON_HOLD = "on_hold", _("Ditunda")
    VERIFIED = "verified", _("Terverifikasi")
    FORWARDED = "forwarded", _("Didisposisikan")
    IN_PROGRESS = "in_progress", _("Ditindaklanjuti")
    RESOLVED = "resolved", _("Selesai")
    CLOSED = "closed", _("Ditutup")
    REJECTED = "rejected", _("Ditolak")
    MERGED = "merged", _("Digabung")


class Action(models.TextChoices):
    VERIFY = "verify", _("Verifikasi")
    HOLD = "hold", _("Tunda verifikasi")
    CLARIFY = "clarify", _("Klarifikasi diterima")
    REJECT = "reject", _("Tolak")
    FORWARD = "forward", _("Disposisikan")
    FOLLOW_UP = "follow_up", _("Tindak lanjut")
    RETURN = "return", _("Dikembalikan unit")
    RESOLVE = "resolve", _("Selesaikan")
    DISPUTE = "dispute", _("Sanggah penyelesaian")
    CLOSE = "close", _("Tutup")
    REOPEN = "reopen", _("Buka kembali")
    MERGE = "merge", _("Gabungkan")


S = Status

# action → {from state: to state}. A from-state missing here makes the action illegal there.
TRANSITIONS: dict[Action, dict[Status, Status]] = {
    Action.VERIFY: {S.NEW: S.VERIFIED, S.ON_HOLD: S.VERIFIED},
    Action.HOLD: {S.NEW: S.ON_HOLD},
    Action.CLARIFY: {S.ON_HOLD: S.NEW},
    Action.REJECT: {S.NEW: S.REJECTED, S.ON_HOLD: S.REJECTED, S.VERIFIED: S.REJECTED},
    Action.FORWARD: {
        S.VERIFIED: S.FORWARDED,
        S.FORWARDED: S.FORWARDED,
        S.IN_PROGRESS: S.IN_PROGRESS,
    },
    Action.FOLLOW_UP: {S.FORWARDED: S.IN_PROGRESS, S.IN_PROGRESS: S.IN_PROGRESS},
    # The last unit holding the matter returned it (not its authority): the desk re-forwards.
    Action.RETURN: {S.FORWARDED: S.VERIFIED, S.IN_PROGRESS: S.VERIFIED},
    Action.RESOLVE: {S.VERIFIED: S.RESOLVED, S.FORWARDED: S.RESOLVED, S.IN_PROGRESS: S.RESOLVED},
    Action.DISPUTE: {S.RESOLVED: S.IN_PROGRESS},
    Action.CLOSE: {S.RESOLVED: S.CLOSED},
    Action.REOPEN: {S.RESOLVED: S.IN_PROGRESS, S.CLOSED: S.IN_PROGRESS, S.REJECTED: S.NEW},
    Action.MERGE: {
        S.NEW: S.MERGED,
        S.ON_HOLD: S.MERGED,
        S.VERIFIED: S.MERGED,
        S.FORWARDED: S.MERGED,
        S.IN_PROGRESS: S.MERGED,
    },
}

OPEN_STATES: frozenset[Status] = frozenset(
    {S.NEW, S.ON_HOLD, S.VERIFIED, S.FORWARDED, S.IN_PROGRESS}
)
"""States in which someone still owes the resident an action."""

TERMINAL_STATES: frozenset[Status] = frozenset({S.CLOSED, S.REJECTED, S.MERGED})
"""States no routine action leaves (only an explicit reopen, where allowed)."""

AWAITING_VERIFICATION: frozenset[Status] = frozenset({S.NEW, S.ON_HOLD})
"""States in which the verification deadline runs."""

PUBLIC_STATES: frozenset[Status] = frozenset(Status) - {S.NEW, S.ON_HOLD, S.REJECTED, S.MERGED}
"""States a public page may show (the desk has looked at the report and accepted it)."""


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
            _("Tindakan “%(action)s” tidak berlaku untuk laporan berstatus %(status)s.")
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
