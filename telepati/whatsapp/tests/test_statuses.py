"""Status webhooks move the outbox row forward only: sent < failed < delivered < read."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from telepati.core.workdays import WIB
from telepati.messaging.models import MessageStatus, OutboundMessage
from telepati.whatsapp.models import StatusEvent, WebhookDelivery
from telepati.whatsapp.services import webhook_delivery_process
from telepati.whatsapp.services_status import outbound_status_sync

PAYLOADS = Path(__file__).parent / "payloads"
# The wamid of the fixtures status_sent/delivered/read, and of status_failed.
WAMID = "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjT1VULTAwMTA="
FAILED_WAMID = "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjT1VULTAwMTE="
POSTED_AT = datetime(2026, 11, 2, 10, 0, 59, tzinfo=WIB)
SENT_AT = datetime(2026, 11, 2, 10, 1, 0, tzinfo=WIB)  # status_sent.json
DELIVERED_AT = datetime(2026, 11, 2, 10, 1, 2, tzinfo=WIB)  # status_delivered.json
FAILED_AT = datetime(2026, 11, 2, 10, 1, 30, tzinfo=WIB)  # status_failed.json
READ_AT = datetime(2026, 11, 2, 10, 5, 0, tzinfo=WIB)  # status_read.json


def _outbound(wamid: str = WAMID, **fields: Any) -> OutboundMessage:
    """A message our delivery task has posted to the Graph API (it has the provider id)."""
    values: dict[str, Any] = {
        "dedupe_key": f"test:{wamid}",
        "recipient_phone": "+6281234567890",
        "text": "Laporan Anda sudah kami terima.",
        "status": MessageStatus.SENT,
        "provider_message_id": wamid,
        "sent_at": POSTED_AT,
    }
    values.update(fields)
    return OutboundMessage.objects.create(**values)


def _deliver(*names: str) -> None:
    for name in names:
        body = (PAYLOADS / f"{name}.json").read_text()
        delivery = WebhookDelivery.objects.create(body=body)
        webhook_delivery_process(delivery_id=delivery.pk)


def _status_payload(wamid: str, status: str, at: datetime, **extra: Any) -> str:
    item = {"id": wamid, "status": status, "timestamp": str(int(at.timestamp()))}
    item.update(extra)
    value = {"messaging_product": "whatsapp", "metadata": {}, "statuses": [item]}
    entry = {"id": "1", "changes": [{"field": "messages", "value": value}]}
    return json.dumps({"object": "whatsapp_business_account", "entry": [entry]})


def _deliver_status(wamid: str, status: str, at: datetime, **extra: Any) -> None:
    delivery = WebhookDelivery.objects.create(body=_status_payload(wamid, status, at, **extra))
    webhook_delivery_process(delivery_id=delivery.pk)


def _row(message: OutboundMessage) -> tuple[Any, ...]:
    message.refresh_from_db()
    return (
        message.status,
        message.sent_at,
        message.delivered_at,
        message.read_at,
        message.failed_at,
        message.last_error_code,
        message.last_error,
    )


def test_statuses_in_order_move_the_row_to_read(db):
    message = _outbound()

    _deliver("status_sent", "status_delivered", "status_read")

    assert _row(message) == ("read", POSTED_AT, DELIVERED_AT, READ_AT, None, "", "")
    assert list(StatusEvent.objects.order_by("at").values_list("status", "at")) == [
        ("sent", SENT_AT),
        ("delivered", DELIVERED_AT),
        ("read", READ_AT),
    ]


@pytest.mark.parametrize(
    "order",
    [
        ("status_read", "status_delivered", "status_sent"),
        ("status_delivered", "status_read", "status_sent"),
        ("status_read", "status_sent", "status_delivered"),
    ],
)
def test_statuses_out_of_order_never_go_backwards(db, order):
    message = _outbound()

    _deliver(*order)

    assert _row(message) == ("read", POSTED_AT, DELIVERED_AT, READ_AT, None, "", "")
    assert StatusEvent.objects.count() == 3


def test_read_without_delivered_is_read(db):
    message = _outbound()

    _deliver("status_read")

    assert _row(message) == ("read", POSTED_AT, None, READ_AT, None, "", "")


def test_sent_status_fills_sent_at_of_a_row_still_sending(db):
    message = _outbound(status=MessageStatus.SENDING, sent_at=None)

    _deliver("status_sent")

    assert _row(message) == ("sent", SENT_AT, None, None, None, "", "")


def test_repeated_status_is_stored_once(db):
    message = _outbound()

    _deliver("status_delivered", "status_delivered", "status_delivered")

    assert StatusEvent.objects.count() == 1
    assert _row(message)[:3] == ("delivered", POSTED_AT, DELIVERED_AT)


def test_failed_status_without_contacts_keeps_the_error_code(db):
    message = _outbound(FAILED_WAMID)

    _deliver("status_failed")

    assert _row(message) == (
        "failed",
        POSTED_AT,
        None,
        None,
        FAILED_AT,
        "131047",
        "Re-engagement message: Message failed to send because more than 24 hours have passed "
        "since the customer last replied to this number.",
    )
    event = StatusEvent.objects.get()
    assert (event.wamid, event.status, event.at, event.recipient) == (
        FAILED_WAMID,
        "failed",
        FAILED_AT,
        "6281234567890",
    )
    assert event.errors[0]["code"] == 131047


def test_failed_after_read_keeps_read_and_records_the_event(db):
    message = _outbound(FAILED_WAMID)
    _deliver_status(FAILED_WAMID, "read", READ_AT)

    _deliver("status_failed")

    assert _row(message) == ("read", POSTED_AT, None, READ_AT, None, "", "")
    assert sorted(StatusEvent.objects.values_list("status", flat=True)) == ["failed", "read"]


def test_delivered_after_failed_is_the_better_news(db):
    message = _outbound(FAILED_WAMID)
    _deliver("status_failed")

    _deliver_status(FAILED_WAMID, "delivered", DELIVERED_AT)

    status, _sent, delivered_at, _read, failed_at, code, _error = _row(message)
    assert (status, delivered_at, failed_at, code) == (
        "delivered",
        DELIVERED_AT,
        FAILED_AT,
        "131047",
    )


def test_sent_after_failed_does_not_undo_the_failure(db):
    message = _outbound(FAILED_WAMID)
    _deliver("status_failed")

    _deliver_status(FAILED_WAMID, "sent", SENT_AT)

    assert _row(message)[0] == "failed"


def test_played_voice_note_counts_as_read(db):
    message = _outbound()

    _deliver_status(WAMID, "played", READ_AT)

    assert _row(message) == ("read", POSTED_AT, None, READ_AT, None, "", "")


def test_status_of_an_unknown_message_is_kept_for_audit_only(db):
    other = _outbound("wamid.lain")

    _deliver("status_failed")

    event = StatusEvent.objects.get()
    assert (event.wamid, event.status) == (FAILED_WAMID, "failed")
    assert _row(other) == ("sent", POSTED_AT, None, None, None, "", "")


def test_statuses_that_arrived_before_the_provider_id_are_applied_by_sync(db):
    _deliver("status_read", "status_delivered")
    message = _outbound(provider_message_id=None, status=MessageStatus.SENDING, sent_at=None)
    OutboundMessage.objects.filter(pk=message.pk).update(
        provider_message_id=WAMID, status=MessageStatus.SENT, sent_at=POSTED_AT
    )

    assert outbound_status_sync(wamid=WAMID) is True
    assert outbound_status_sync(wamid=WAMID) is True  # again: no change

    assert _row(message) == ("read", POSTED_AT, DELIVERED_AT, READ_AT, None, "", "")
    assert outbound_status_sync(wamid="wamid.tidak-ada") is False


def test_one_status_costs_a_bounded_number_of_queries(db, django_assert_num_queries):
    _outbound()
    delivery = WebhookDelivery.objects.create(
        body=_status_payload(WAMID, "delivered", DELIVERED_AT)
    )

    # The delivery: read it, count the attempt, mark it processed. The status, in its own
    # transaction (a savepoint here): insert the event inside a savepoint, lock the outbox
    # row, update it.
    with django_assert_num_queries(10):
        webhook_delivery_process(delivery_id=delivery.pk)
