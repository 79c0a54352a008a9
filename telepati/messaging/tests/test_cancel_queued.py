"""messages_cancel_queued: only queued rows of the reference are cancelled, never sent again."""

from __future__ import annotations

import pytest

from telepati.messaging.delivery import Outcome, message_deliver
from telepati.messaging.models import MessageStatus, OutboundMessage
from telepati.messaging.services import messages_cancel_queued

pytestmark = pytest.mark.django_db


def _row(key: str, reference: str, status: str) -> OutboundMessage:
    return OutboundMessage.objects.create(
        dedupe_key=key,
        recipient_phone="+6281234567890",
        text="Pengumuman",
        reference=reference,
        status=status,
    )


def test_only_queued_rows_of_the_reference_are_cancelled(settings):
    settings.TELEPATI_MESSAGE_TRANSPORT = "simulator"
    rows = {
        "queued": _row("a", "announcement:1:5", MessageStatus.QUEUED),
        "sending": _row("b", "announcement:1:6", MessageStatus.SENDING),
        "sent": _row("c", "announcement:1:7", MessageStatus.SENT),
        "failed": _row("d", "announcement:1:8", MessageStatus.FAILED),
        "other": _row("e", "announcement:12:5", MessageStatus.QUEUED),
    }

    cancelled = messages_cancel_queued(reference_prefix="announcement:1:")

    assert cancelled == 1
    statuses = {name: OutboundMessage.objects.get(pk=row.pk).status for name, row in rows.items()}
    assert statuses == {
        "queued": MessageStatus.CANCELLED,
        "sending": MessageStatus.SENDING,
        "sent": MessageStatus.SENT,
        "failed": MessageStatus.FAILED,
        "other": MessageStatus.QUEUED,
    }
    assert message_deliver(message_id=rows["queued"].pk).outcome == Outcome.SKIPPED
    assert OutboundMessage.objects.get(pk=rows["queued"].pk).status == MessageStatus.CANCELLED


def test_the_ids_narrow_the_rows_cancelled():
    first = _row("a", "announcement:1:5", MessageStatus.QUEUED)
    second = _row("b", "announcement:2:5", MessageStatus.QUEUED)

    assert messages_cancel_queued(reference_prefix="announcement:", message_ids=[second.pk]) == 1

    assert OutboundMessage.objects.get(pk=first.pk).status == MessageStatus.QUEUED
    assert OutboundMessage.objects.get(pk=second.pk).status == MessageStatus.CANCELLED


def test_an_empty_prefix_is_refused():
    with pytest.raises(ValueError, match="must not be empty"):
        messages_cancel_queued(reference_prefix="")
