"""message_deliver, the outbox sweep and message_requeue (simulator and scripted transports)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from freezegun import freeze_time

from telepati.core.errors import Forbidden, InvalidTransition
from telepati.messaging import delivery
from telepati.messaging.delivery import (
    UNKNOWN_OUTCOME,
    Outcome,
    backoff_seconds,
    message_deliver,
)
from telepati.messaging.models import MessageStatus, OutboundMessage
from telepati.messaging.recovery import message_requeue, outbox_sweep
from telepati.messaging.tasks import outbox_sweep_task
from telepati.messaging.tests.support import COUNTING_TRANSPORT, CountingTransport
from telepati.messaging.transports import SendResult

pytestmark = pytest.mark.django_db

SENT_AT = datetime(2026, 11, 2, 3, 0, 5, tzinfo=UTC)  # 10:00:05 WIB


class CrashingTransport(CountingTransport):
    def send(self, message: OutboundMessage) -> SendResult:
        raise RuntimeError("bug")


@pytest.fixture(autouse=True)
def _simulator(settings):
    settings.TELEPATI_MESSAGE_TRANSPORT = "simulator"
    CountingTransport.calls = []


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


def test_a_queued_message_is_claimed_and_marked_sent_by_the_simulator(
    django_assert_num_queries,
):
    message = _queued()

    with freeze_time(SENT_AT), django_assert_num_queries(3):  # claim, load, mark sent
        outcome = message_deliver(message_id=message.pk)

    assert (outcome.outcome, outcome.provider_message_id) == (Outcome.SENT, f"sim.{message.pk}")
    assert _state(message) == (MessageStatus.SENT, 1, SENT_AT, None, f"sim.{message.pk}")


def test_a_message_is_delivered_only_once(django_assert_num_queries):
    message = _queued()
    with freeze_time(SENT_AT):
        message_deliver(message_id=message.pk)

    with django_assert_num_queries(1):  # the claim finds nothing to take
        again = message_deliver(message_id=message.pk)

    assert again.outcome == Outcome.SKIPPED
    assert _state(message) == (MessageStatus.SENT, 1, SENT_AT, None, f"sim.{message.pk}")


def test_a_message_whose_retry_is_not_due_is_left_alone():
    message = _queued(next_attempt_at=SENT_AT + timedelta(minutes=1))
    before = _state(message)

    with freeze_time(SENT_AT):
        assert message_deliver(message_id=message.pk).outcome == Outcome.SKIPPED

    assert _state(message) == before


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

    assert message_deliver(message_id=message.pk).outcome == Outcome.SKIPPED
    assert _state(message) == before


def test_an_unknown_message_is_not_delivered():
    assert message_deliver(message_id=999_999).outcome == Outcome.SKIPPED


def test_a_crash_inside_the_transport_fails_the_message_without_retry(settings):
    settings.TELEPATI_MESSAGE_TRANSPORT = f"{__name__}.CrashingTransport"
    message = _queued()

    outcome = message_deliver(message_id=message.pk)

    message.refresh_from_db()
    assert (outcome.outcome, message.status, message.last_error_code, message.last_error) == (
        Outcome.FAILED,
        MessageStatus.FAILED,
        "runtimeerror",
        "bug",
    )


def test_backoff_grows_exponentially_within_its_cap_and_honours_retry_after(monkeypatch):
    monkeypatch.setattr(delivery.random, "uniform", lambda low, high: high)  # the ceiling

    ceilings = [backoff_seconds(attempt=n) for n in (1, 2, 3, 4, 8, 20)]

    assert ceilings == [5.0, 10.0, 20.0, 40.0, 640.0, 900.0]
    monkeypatch.setattr(delivery.random, "uniform", lambda low, high: low)
    assert backoff_seconds(attempt=1) == 0.0
    assert backoff_seconds(attempt=1, retry_after=30) == 30.0


def test_the_sweep_fails_a_message_stuck_in_sending_and_never_sends_it_again(settings):
    settings.TELEPATI_MESSAGE_TRANSPORT = COUNTING_TRANSPORT
    settings.TELEPATI_OUTBOX_STUCK_MINUTES = 10
    stuck = _queued(status=MessageStatus.SENDING, sending_started_at=SENT_AT)
    recent = _queued(
        dedupe_key="recent",
        status=MessageStatus.SENDING,
        sending_started_at=SENT_AT + timedelta(minutes=5),
    )

    with freeze_time(SENT_AT + timedelta(minutes=11)):
        queued = outbox_sweep_task.call()
        message_deliver(message_id=stuck.pk)

    stuck.refresh_from_db()
    recent.refresh_from_db()
    assert queued == 0
    assert (stuck.status, stuck.last_error_code, stuck.failed_at) == (
        MessageStatus.FAILED,
        UNKNOWN_OUTCOME,
        SENT_AT + timedelta(minutes=11),
    )
    assert stuck.last_error.startswith("Pengiriman terhenti di tengah jalan")
    assert recent.status == MessageStatus.SENDING
    assert CountingTransport.calls == []


def test_the_sweep_queues_messages_whose_time_has_long_come(settings):
    settings.TELEPATI_MESSAGE_TRANSPORT = COUNTING_TRANSPORT
    lost = _queued(next_attempt_at=SENT_AT - timedelta(minutes=2))
    fresh = _queued(dedupe_key="fresh", next_attempt_at=SENT_AT - timedelta(seconds=5))
    later = _queued(dedupe_key="later", next_attempt_at=SENT_AT + timedelta(minutes=3))

    with freeze_time(SENT_AT):
        assert outbox_sweep().due == [lost.pk]
        queued = outbox_sweep_task.call()  # the immediate backend delivers at once

    assert queued == 1
    assert CountingTransport.calls == [lost.pk]
    assert [m.status for m in OutboundMessage.objects.filter(pk__in=[fresh.pk, later.pk])] == [
        MessageStatus.QUEUED,
        MessageStatus.QUEUED,
    ]


def test_an_operator_requeues_a_failed_message_and_it_goes_out(
    desk_operator, django_capture_on_commit_callbacks
):
    message = _queued(
        status=MessageStatus.FAILED,
        attempts=3,
        last_error_code=UNKNOWN_OUTCOME,
        failed_at=SENT_AT,
    )

    with freeze_time(SENT_AT), django_capture_on_commit_callbacks(execute=True):
        message_requeue(message_id=message.pk, actor=desk_operator)

    message.refresh_from_db()
    assert (message.status, message.attempts, message.provider_message_id) == (
        MessageStatus.SENT,
        1,
        f"sim.{message.pk}",
    )
    assert (message.requeued_by, message.requeued_at, message.failed_at) == (
        desk_operator,
        SENT_AT,
        None,
    )


def test_an_officer_without_the_conversation_desk_cannot_requeue(
    section_staff, django_capture_on_commit_callbacks
):
    message = _queued(status=MessageStatus.FAILED, last_error_code=UNKNOWN_OUTCOME)
    before = _state(message)

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(Forbidden):
        message_requeue(message_id=message.pk, actor=section_staff)

    assert _state(message) == before
    assert callbacks == []


def test_only_a_failed_message_can_be_requeued(desk_operator):
    message = _queued(status=MessageStatus.SENT, provider_message_id="wamid.9")
    before = _state(message)

    with pytest.raises(InvalidTransition):
        message_requeue(message_id=message.pk, actor=desk_operator)

    assert _state(message) == before
