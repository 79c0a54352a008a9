"""Transports: what actually carries an outbox row to a resident.

The outbox knows recipients and texts, never channels. A transport is any object with the
`Transport` shape; it is chosen by settings and built on demand, never at import time:

- TELEPATI_MESSAGE_TRANSPORT = "auto" (default): the WhatsApp Cloud API when
  WHATSAPP_ACCESS_TOKEN is set, otherwise the local simulator;
- "whatsapp" or "simulator" to force one; or a dotted path to a class (tests, new channels).

Transports live in the channel's package and are imported by dotted path, so messaging
never imports a channel. `send` raises errors that carry `permanent: bool` (and may carry
`code`, `title`, `status_code`, `retry_after`); delivery decides retries from them alone.

Delivery works in batches (`messaging.delivery.messages_deliver`). A transport may offer
`prepare_many` and `sent_many` to do its database work once per batch instead of once per
message (WhatsApp: one 24-hour-window query, one status-event query); one that does not is
called per message through `prepare`/`sent` (`transport_prepare_many`, `transport_sent_many`).
`send` runs in a small thread pool, so it must be thread-safe and must not use the database:
everything it needs is read before, in `prepare`/`prepare_many`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from telepati.messaging.models import OutboundMessage

logger = logging.getLogger(__name__)

TRANSPORTS: dict[str, str] = {
    "whatsapp": "telepati.whatsapp.transport.WhatsAppTransport",
    "simulator": "telepati.whatsapp.simulator_transport.SimulatorTransport",
}


@dataclass(frozen=True, slots=True)
class SendResult:
    """The provider accepted the message under this id (WhatsApp: the wamid)."""

    provider_message_id: str


class Transport(Protocol):
    """A channel that can send one outbox row."""

    # What the sending rate is counted against (e.g. the business number), or None when
    # the channel needs no pacing (the simulator).
    pacing_key: str | None
    rate_per_second: float

    def prepare(self, message: OutboundMessage) -> None:
        """Do the database reads `send` needs (before pacing); may raise like `send`."""
        ...

    def send(self, message: OutboundMessage) -> SendResult:
        """Send the message or raise an error with a `permanent` attribute (thread-safe, no
        database work)."""
        ...

    def sent(self, *, provider_message_id: str) -> None:
        """Called after the provider id is stored (e.g. to apply early status webhooks)."""
        ...


def transport_path() -> str:
    """The dotted path of the configured transport class."""
    choice = (settings.TELEPATI_MESSAGE_TRANSPORT or "auto").strip()
    if choice == "auto":
        choice = "whatsapp" if settings.WHATSAPP_ACCESS_TOKEN else "simulator"
    if choice in TRANSPORTS:
        return TRANSPORTS[choice]
    if "." not in choice:
        raise ImproperlyConfigured(
            "TELEPATI_MESSAGE_TRANSPORT must be auto, whatsapp, simulator or a dotted path, "
            f"got {choice!r}"
        )
    return choice


def transport_get() -> Transport:
    """A transport built from the current settings."""
    transport: Transport = import_string(transport_path())()
    return transport


def transport_prepare_many(
    transport: Transport, messages: Sequence[OutboundMessage]
) -> dict[int, Exception]:
    """Prepare a batch; return the error of each message that could not be prepared.

    Uses the transport's `prepare_many` (one error fails the whole batch, as its one query
    failed) when it has one, else `prepare` per message.
    """
    prepare_many = getattr(transport, "prepare_many", None)
    if prepare_many is not None:
        try:
            prepare_many(messages)
        except Exception as exc:  # every failure is recorded on the rows
            return {message.pk: exc for message in messages}
        return {}
    errors: dict[int, Exception] = {}
    for message in messages:
        try:
            transport.prepare(message)
        except Exception as exc:  # every failure is recorded on the row
            errors[message.pk] = exc
    return errors


def transport_sent_many(transport: Transport, provider_message_ids: Sequence[str]) -> None:
    """Tell the transport these ids are stored (`sent_many`, else `sent` per id).

    The messages went out already: a failure here is logged, never raised (a status that
    arrives later is still applied by the webhook).
    """
    if not provider_message_ids:
        return
    sent_many = getattr(transport, "sent_many", None)
    if sent_many is not None:
        try:
            sent_many(provider_message_ids=provider_message_ids)
        except Exception:  # the messages went out; a late status will still be applied
            logger.exception("Status catch-up failed for %s message(s)", len(provider_message_ids))
        return
    for provider_message_id in provider_message_ids:
        try:
            transport.sent(provider_message_id=provider_message_id)
        except Exception:  # the message went out; a late status will still be applied
            logger.exception("Status catch-up failed for %s", provider_message_id)
