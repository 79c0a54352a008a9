"""Outbox writes. Lifecycle: queued → sending → sent → delivered → read, or → failed/cancelled.

`message_enqueue` is the single way any domain service sends a resident a message. Call it
inside the transaction that makes the change; the delivery task is queued on commit, so a
rolled-back change never sends anything and a committed one is never lost.
`messages_cancel_queued` withdraws rows not yet claimed by a worker (e.g. a cancelled
announcement); it never touches a row that is being sent or was sent.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from telepati.messaging.models import MessageStatus, OutboundMessage


@dataclass(frozen=True, slots=True)
class Recipient:
    """Where a message goes: a WhatsApp number (E.164) and/or a business-scoped user id."""

    phone: str = ""
    wa_bsuid: str = ""

    def __bool__(self) -> bool:
        return bool(self.phone or self.wa_bsuid)


def message_enqueue(
    *,
    recipient: Recipient,
    text: str,
    dedupe_key: str,
    reference: str = "",
    template_name: str = "",
    template_params: list[str] | None = None,
    interactive: dict[str, Any] | None = None,
) -> OutboundMessage | None:
    """Store one outbound message (once per dedupe_key) and queue its delivery after commit.

    Returns None when the recipient has no WhatsApp contact (e.g. a web report with e-mail
    only); the change that caused the message still stands.
    """
    if not recipient:
        return None
    message, created = OutboundMessage.objects.get_or_create(
        dedupe_key=dedupe_key[:200],
        defaults={
            "recipient_phone": recipient.phone,
            "recipient_wa_bsuid": recipient.wa_bsuid,
            "text": text,
            "reference": reference[:100],
            "template_name": template_name,
            "template_params": template_params or [],
            "interactive": interactive,
            "status": MessageStatus.QUEUED,
            "next_attempt_at": timezone.now(),
        },
    )
    if created:
        from telepati.messaging.tasks import deliver_message

        message_id = message.pk
        # Robust: the change that caused the message is committed by now; a task queue that
        # refuses the job must not turn it into an error for the resident. The row stays
        # queued (next_attempt_at is set) for a sweep to pick up.
        transaction.on_commit(lambda: deliver_message.enqueue(message_id=message_id), robust=True)
    return message


def messages_cancel_queued(
    *, reference_prefix: str, message_ids: Collection[int] | None = None
) -> int:
    """Cancel the still-queued rows whose reference starts with `reference_prefix` (and,
    when given, that are among `message_ids`); returns how many were cancelled.

    One conditional UPDATE: a row a worker has already claimed (sending) or sent is left as
    it is, and delivery only ever claims queued rows, so a cancelled row never goes out.
    """
    if not reference_prefix:
        raise ValueError("reference_prefix must not be empty")
    rows = OutboundMessage.objects.filter(
        status=MessageStatus.QUEUED, reference__startswith=reference_prefix
    )
    if message_ids is not None:
        rows = rows.filter(pk__in=list(message_ids))
    return rows.update(status=MessageStatus.CANCELLED, next_attempt_at=None)
