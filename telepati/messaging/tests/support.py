"""Test doubles shared by the outbox tests."""

from __future__ import annotations

from telepati.messaging.models import OutboundMessage
from telepati.messaging.transports import SendResult


class CountingTransport:
    """A scripted channel that counts what it was asked to send (set
    TELEPATI_MESSAGE_TRANSPORT to COUNTING_TRANSPORT and reset `calls`)."""

    pacing_key = None
    rate_per_second = 0.0
    calls: list[int] = []

    def prepare(self, message: OutboundMessage) -> None:
        pass

    def send(self, message: OutboundMessage) -> SendResult:
        CountingTransport.calls.append(message.pk)
        return SendResult(provider_message_id=f"count.{message.pk}")

    def sent(self, *, provider_message_id: str) -> None:
        pass


COUNTING_TRANSPORT = f"{__name__}.CountingTransport"
