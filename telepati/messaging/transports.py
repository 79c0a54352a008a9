"""Transports: what actually carries an outbox row to a resident.

The outbox knows recipients and texts, never channels. A transport is any object with the
`Transport` shape; it is chosen by settings and built on demand, never at import time:

- TELEPATI_MESSAGE_TRANSPORT = "auto" (default): the WhatsApp Cloud API when
  WHATSAPP_ACCESS_TOKEN is set, otherwise the local simulator;
- "whatsapp" or "simulator" to force one; or a dotted path to a class (tests, new channels).

Transports live in the channel's package and are imported by dotted path, so messaging
never imports a channel. `send` raises errors that carry `permanent: bool` (and may carry
`code`, `title`, `status_code`, `retry_after`); delivery decides retries from them alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from telepati.messaging.models import OutboundMessage

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
        """Send the message or raise an error with a `permanent` attribute."""
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
