"""Delivery of queued outbox rows through the configured transport.

Until the WhatsApp Cloud API channel is wired, the only transport is the local one: it records
the message as sent (so the simulator and the back-office can show it) without leaving the
machine. Claiming is a conditional UPDATE, so two workers never deliver one row twice.
"""

from __future__ import annotations

from django.db.models import F
from django.utils import timezone

from telepati.messaging.models import MessageStatus, OutboundMessage


def message_deliver(*, message_id: int) -> bool:
    """Deliver one queued message; return False if it was not ours to deliver (already taken)."""
    claimed = OutboundMessage.objects.filter(pk=message_id, status=MessageStatus.QUEUED).update(
        status=MessageStatus.SENDING
    )
    if not claimed:
        return False
    now = timezone.now()
    OutboundMessage.objects.filter(pk=message_id, status=MessageStatus.SENDING).update(
        status=MessageStatus.SENT,
        sent_at=now,
        attempts=F("attempts") + 1,
        next_attempt_at=None,
        provider_message_id=f"local.{message_id}",
    )
    return True
