"""message_deliver: a queued row is claimed once, by one worker, and marked sent."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from freezegun import freeze_time

from telepati.messaging.delivery import message_deliver
from telepati.messaging.models import MessageStatus, OutboundMessage

pytestmark = pytest.mark.django_db

SENT_AT = datetime(2026, 11, 2, 3, 0, 5, tzinfo=UTC)  # 10:00:05 WIB


def _queued(**fields) -> OutboundMessage:
    values = {
        "dedupe_key": "report:1:submitted:1",
        "recipient_phone": "+6281234567890",
        "text": "Laporan Anda sudah kami terima.",
        "status": MessageStatus.QUEUED,
        "next_attempt_at": datetime(2026, 11, 2, 3, 0, tzinfo=UTC),
    }
    values.update(fields)
    return OutboundMessage.objects.create(**values)


def _state(message: OutboundMessage) -> tuple[object, ...]:
    message.refresh_from_db()
    return (
        message.status,
        message.attempts,
        message.sent_at,
        message.next_attempt_at,
        message.provider_message_id,
    )


def test_a_queued_message_is_claimed_and_marked_sent(django_assert_num_queries):
    message = _queued()

    with freeze_time(SENT_AT), django_assert_num_queries(2):  # claim, then mark sent
        delivered = message_deliver(message_id=message.pk)

    assert delivered is True
    assert _state(message) == (MessageStatus.SENT, 1, SENT_AT, None, f"local.{message.pk}")


def test_a_message_is_delivered_only_once(django_assert_num_queries):
    message = _queued()
    with freeze_time(SENT_AT):
        message_deliver(message_id=message.pk)

    with django_assert_num_queries(1):  # the claim finds nothing to take
        again = message_deliver(message_id=message.pk)

    assert again is False
    assert _state(message) == (MessageStatus.SENT, 1, SENT_AT, None, f"local.{message.pk}")


@pytest.mark.parametrize(
    "status",
    [
        MessageStatus.SENDING,
        MessageStatus.DELIVERED,
        MessageStatus.READ,
        MessageStatus.FAILED,
        MessageStatus.CANCELLED,
    ],
)
def test_a_message_that_is_not_queued_is_left_alone(status):
    message = _queued(status=status)
    before = _state(message)

    assert message_deliver(message_id=message.pk) is False
    assert _state(message) == before


def test_an_unknown_message_is_not_delivered():
    assert message_deliver(message_id=999_999) is False


def test_a_requeued_message_counts_every_attempt():
    message = _queued(attempts=2, last_error_code="131047")

    with freeze_time(SENT_AT):
        message_deliver(message_id=message.pk)

    assert _state(message) == (MessageStatus.SENT, 3, SENT_AT, None, f"local.{message.pk}")
