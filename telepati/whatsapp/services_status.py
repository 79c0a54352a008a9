"""Delivery statuses of our outbound messages: sent → delivered → read, or failed.

Meta reports each status of a message in its own webhook, possibly out of order, possibly
twice, and sometimes skips one ("read" without "delivered"). Every status is kept once as a
`StatusEvent` (unique by wamid and status, also for wamids we do not know, for audit) and
moves the outbox row (`messaging.OutboundMessage`, found by `provider_message_id`) forward
only: sent(1) < failed(2) < delivered(3) < read(4). A `failed` status records its error code
and title on the row unless the message was already delivered or read. Each status's own
timestamp is filled in once even when it arrives after a later one.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db import IntegrityError, transaction

from telepati.messaging.models import MessageStatus, OutboundMessage
from telepati.whatsapp.models import StatusEvent, WebhookDelivery
from telepati.whatsapp.parser import WaError, WaStatus

# Webhook status → outbox status. "played" (a voice note was listened to) implies read.
_OUTBOX_STATUS: dict[str, MessageStatus] = {
    "sent": MessageStatus.SENT,
    "delivered": MessageStatus.DELIVERED,
    "read": MessageStatus.READ,
    "played": MessageStatus.READ,
    "failed": MessageStatus.FAILED,
}
# How far a message has got; a status only ever replaces a lower one.
_RANK: dict[str, int] = {
    MessageStatus.SENT: 1,
    MessageStatus.FAILED: 2,
    MessageStatus.DELIVERED: 3,
    MessageStatus.READ: 4,
}
# The row's own timestamp column for each status.
_MOMENT_FIELD: dict[str, str] = {
    MessageStatus.SENT: "sent_at",
    MessageStatus.DELIVERED: "delivered_at",
    MessageStatus.READ: "read_at",
}


def errors_as_json(errors: tuple[WaError, ...]) -> list[dict[str, Any]]:
    """Errors as stored in JSON columns (status events, inbound messages, deliveries)."""
    return [
        {"code": e.code, "title": e.title, "message": e.message, "details": e.details}
        for e in errors
    ]


def status_record(*, status: WaStatus, delivery: WebhookDelivery | None = None) -> bool:
    """Keep one status webhook and apply it to its outbox row; False if it was a repeat."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                event = StatusEvent.objects.create(
                    wamid=status.wamid[:200],
                    status=status.status,
                    at=status.timestamp,
                    recipient=(status.recipient_wa_id or status.recipient_bsuid or "")[:100],
                    errors=errors_as_json(status.errors),
                    delivery=delivery,
                )
        except IntegrityError:
            return False  # Meta redelivered it: already applied.
        message = (
            OutboundMessage.objects.select_for_update()
            .filter(provider_message_id=event.wamid)
            .first()
        )
        if message is not None:
            _apply(message, event)
    return True


def outbound_status_sync(*, wamid: str) -> bool:
    """Apply every status recorded for `wamid` to its outbox row; False if there is no row.

    For the delivery side: a status can arrive before the row has stored its provider id
    (Meta answers the send request and fires the webhook at nearly the same moment); calling
    this after storing the id catches up. Applying the same events again changes nothing.
    """
    with transaction.atomic():
        message = (
            OutboundMessage.objects.select_for_update().filter(provider_message_id=wamid).first()
        )
        if message is None:
            return False
        for event in StatusEvent.objects.filter(wamid=wamid).order_by("at", "pk"):
            _apply(message, event)
    return True


def outbound_statuses_sync(*, wamids: Collection[str]) -> int:
    """`outbound_status_sync` for a batch of just-stored wamids; returns how many had events.

    Almost always no status has arrived yet, so one plain SELECT looks for events first and
    only the wamids that have some are locked and applied (`outbound_status_sync`). Locking
    the row first did not guard more: a webhook takes no lock this would wait for before it
    looks for the row. The narrow race both leave — on PostgreSQL a webhook that looked for
    the row just before the wamid was stored and commits its event just after this SELECT —
    leaves that one status kept as a StatusEvent but not applied to the row; on SQLite,
    where writers take turns, it cannot happen.
    """
    if not wamids:
        return 0
    early = set(StatusEvent.objects.filter(wamid__in=list(wamids)).values_list("wamid", flat=True))
    for wamid in sorted(early):
        outbound_status_sync(wamid=wamid)
    return len(early)


def _apply(message: OutboundMessage, event: StatusEvent) -> None:
    """Move the row forward by one status event (order-independent, idempotent)."""
    target = _OUTBOX_STATUS.get(event.status)
    if target is None:
        return
    current_rank = _RANK.get(message.status, 0)
    target_rank = _RANK[target]
    changed: list[str] = []
    if target == MessageStatus.FAILED:
        if current_rank >= target_rank:
            return  # Already failed, delivered or read: the event alone records it.
        error = event.errors[0] if event.errors else {}
        message.failed_at = event.at
        message.last_error_code = str(error.get("code") or "")[:40]
        message.last_error = _error_text(error)
        changed += ["failed_at", "last_error_code", "last_error"]
    else:
        moment_field = _MOMENT_FIELD[target]
        if getattr(message, moment_field) is None:
            setattr(message, moment_field, event.at)
            changed.append(moment_field)
    if target_rank > current_rank:
        message.status = target
        changed.append("status")
    if changed:
        message.save(update_fields=changed)


def _error_text(error: dict[str, Any]) -> str:
    title = str(error.get("title") or error.get("message") or "")
    details = str(error.get("details") or "")
    if title and details and details != title:
        return f"{title}: {details}"
    return title or details
