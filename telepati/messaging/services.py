"""Outbox writes. Lifecycle: queued → sending → sent → delivered → read, or → failed/cancelled.

`message_enqueue` is the single way any domain service sends a resident a message. Call it
inside the transaction that makes the change; the delivery task is queued on commit, so a
rolled-back change never sends anything and a committed one is never lost.
"""

from __future__ import annotations

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
