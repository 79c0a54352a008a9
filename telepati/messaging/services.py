"""Outbox writes. Lifecycle: queued → sending → sent → delivered → read, or → failed/cancelled.

`message_enqueue` is the single way any domain service sends a resident a message. Call it
inside the transaction that makes the change; delivery is queued on commit, so a
rolled-back change never sends anything and a committed one is never lost. The rows one
transaction creates are queued together, as one job per TELEPATI_OUTBOX_BATCH rows
(`_delivery_pending`), not one job per row.
`messages_cancel_queued` withdraws rows not yet claimed by a worker (e.g. a cancelled
announcement); it never touches a row that is being sent or was sent.
"""

from __future__ import annotations

import threading
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
        _delivery_pending(message.pk)
    return message


# Ids of rows written in this thread's open transaction and not yet handed to the queue.
_pending = threading.local()


def _delivery_pending(message_id: int) -> None:
    """Queue the row's delivery when the transaction commits, together with the other rows
    the transaction created.

    Every row registers an on-commit callback (so the row's fate follows its savepoint),
    but the first callback to run takes the whole pending list and queues it in jobs of
    TELEPATI_OUTBOX_BATCH ids; the later ones find the list empty. An id left in the list by
    a savepoint that was rolled back is harmless: delivery only claims rows that are
    committed, queued and due, each at most once, so that id is skipped — or, on SQLite,
    which hands a rolled-back id to the next row, it names a row that is rightly queued and
    goes out once (ids are queued without repeats). When no on-commit callback at all is
    registered — outside a transaction, or a new transaction after one that was rolled
    back — nothing pending can belong to this transaction, and the list starts afresh.
    """
    connection = transaction.get_connection()
    ids: list[int] | None = getattr(_pending, "ids", None)
    if ids is None or not connection.in_atomic_block or not connection.run_on_commit:
        ids = _pending.ids = []
    ids.append(message_id)
    # Robust: the change that caused the message is committed by now; a task queue that
    # refuses the job must not turn it into an error for the resident. The row stays
    # queued (next_attempt_at is set) for a sweep to pick up.
    transaction.on_commit(_delivery_flush, robust=True)


def _delivery_flush() -> None:
    """Queue every pending id (the first on-commit callback of a transaction does it all)."""
    ids: list[int] | None = getattr(_pending, "ids", None)
    if not ids:
        return
    _pending.ids = []
    from telepati.messaging.tasks import deliveries_enqueue

    deliveries_enqueue(ids)


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
