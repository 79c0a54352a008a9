"""The announcement lifecycle as data. Pure: no database access.

draft → sending (staff press *Kirim*; recipients are materialised chunk by chunk)
      → sent (every chunk done; the outbox paces the messages out)
draft | sending | sent → cancelled (no further chunks; queued messages are cancelled,
nothing already sent is touched). A draft is edited only while it is a draft.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SENDING = "sending", _("Sedang dikirim")
    SENT = "sent", _("Terkirim")
    CANCELLED = "cancelled", _("Dibatalkan")


class Action(StrEnum):
    EDIT = "edit"
    SEND = "send"
    FINISH = "finish"
    CANCEL = "cancel"


TRANSITIONS: dict[tuple[Status, Action], Status] = {
    (Status.DRAFT, Action.EDIT): Status.DRAFT,
    (Status.DRAFT, Action.SEND): Status.SENDING,
    (Status.SENDING, Action.FINISH): Status.SENT,
    (Status.DRAFT, Action.CANCEL): Status.CANCELLED,
    (Status.SENDING, Action.CANCEL): Status.CANCELLED,
    # A finished announcement may still have messages waiting for their pacing slot.
    (Status.SENT, Action.CANCEL): Status.CANCELLED,
}


def transition_target(status: str, action: Action) -> Status | None:
    """The status `action` leads to from `status`, or None when it is not allowed."""
    return TRANSITIONS.get((Status(status), action))
