"""The booking lifecycle as data: states, actions and the legal moves. Pure module.

terjadwal (booked) → hadir (checked in at the office, waiting in the queue) → dipanggil
(called to the counter) → selesai dilayani (served). A called resident who does not come
forward is skipped (dilewati) and may be called again; a booked resident who never comes is
marked tidak hadir (no-show) after the slot; a booking may be cancelled or moved to another
slot (rescheduled, staying booked) until check-in. Walk-ins enter the same queue checked in.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from telepati.core.errors import InvalidTransition


class Status(models.TextChoices):
    BOOKED = "booked", _("Terjadwal")
    CHECKED_IN = "checked_in", _("Menunggu dipanggil")
    CALLED = "called", _("Dipanggil")
    SERVED = "served", _("Selesai dilayani")
    SKIPPED = "skipped", _("Dilewati")
    NO_SHOW = "no_show", _("Tidak hadir")
    CANCELLED = "cancelled", _("Dibatalkan")


class Action(models.TextChoices):
    CHECK_IN = "check_in", _("Hadir")
    CALL = "call", _("Panggil")
    SERVE = "serve", _("Selesai dilayani")
    SKIP = "skip", _("Lewati")
    RESCHEDULE = "reschedule", _("Jadwal ulang")
    CANCEL = "cancel", _("Batalkan")
    MARK_NO_SHOW = "mark_no_show", _("Tandai tidak hadir")


S = Status

TRANSITIONS: dict[Action, dict[Status, Status]] = {
    Action.CHECK_IN: {S.BOOKED: S.CHECKED_IN},
    Action.CALL: {S.CHECKED_IN: S.CALLED, S.SKIPPED: S.CALLED},
    Action.SERVE: {S.CALLED: S.SERVED},
    Action.SKIP: {S.CALLED: S.SKIPPED},
    Action.RESCHEDULE: {S.BOOKED: S.BOOKED},
    Action.CANCEL: {S.BOOKED: S.CANCELLED},
    Action.MARK_NO_SHOW: {S.BOOKED: S.NO_SHOW},
}

ACTIVE_STATES: frozenset[Status] = frozenset({S.BOOKED, S.CHECKED_IN, S.CALLED, S.SKIPPED})
"""A person holds at most one active booking per service (a database constraint too)."""

HOLDING_PLACE: frozenset[Status] = frozenset({S.BOOKED, S.CHECKED_IN, S.CALLED, S.SERVED})
"""States that occupy a place in their slot (cancelled/no-show places are given back)."""


@dataclass(frozen=True, slots=True)
class Move:
    action: Action
    source: Status
    target: Status


def transition_target(action: Action, current: Status) -> Status:
    """The state `action` leads to from `current`, or raise InvalidTransition."""
    targets = TRANSITIONS[action]
    if current not in targets:
        raise InvalidTransition(
            _("Tindakan “%(action)s” tidak berlaku untuk janji temu berstatus %(status)s.")
            % {"action": action.label, "status": current.label}
        )
    return targets[current]


def allowed_actions(current: Status) -> list[Action]:
    return [action for action, targets in TRANSITIONS.items() if current in targets]


def all_moves() -> list[Move]:
    return [
        Move(action, source, target)
        for action, targets in TRANSITIONS.items()
        for source, target in targets.items()
    ]
