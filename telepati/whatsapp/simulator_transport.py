"""The simulator transport: outbox rows count as sent without leaving the machine.

Used when no WhatsApp access token is configured (`make run`, tests, demos). The row is
marked sent with the provider id "sim.<row id>"; the simulator page shows the outbox rows of
its phone as the bot's answers. No pacing: nothing reaches Meta.
"""

from __future__ import annotations

from telepati.messaging.models import OutboundMessage
from telepati.messaging.transports import SendResult


class SimulatorTransport:
    """Accepts every message at once."""

    pacing_key: str | None = None
    rate_per_second = 0.0

    def prepare(self, message: OutboundMessage) -> None:
        """Nothing to look up."""

    def send(self, message: OutboundMessage) -> SendResult:
        return SendResult(provider_message_id=f"sim.{message.pk}")

    def sent(self, *, provider_message_id: str) -> None:
        """Nothing to catch up: the simulator sends no status webhooks for these ids."""
