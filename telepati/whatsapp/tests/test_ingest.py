"""Processing stored deliveries: every payload type, conversations, duplicates, batches, crashes."""

from __future__ import annotations

import copy
import json
import random
import threading
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.db import connection
from django.utils import timezone

from telepati.citizens.models import Citizen
from telepati.citizens.services import citizen_get_or_create
from telepati.core.phone import phone_normalize
from telepati.core.workdays import WIB
from telepati.messaging.models import OutboundMessage
from telepati.whatsapp import dispatch
from telepati.whatsapp.models import (
    Conversation,
    DeliveryStatus,
    InboundMessage,
    MediaStatus,
    StatusEvent,
    WebhookDelivery,
)
from telepati.whatsapp.parser import webhook_parse
from telepati.whatsapp.services import (
    MAX_ATTEMPTS,
    webhook_deliveries_resume,
    webhook_delivery_process,
)
from telepati.whatsapp.signature import signature_header

PAYLOADS = Path(__file__).parent / "payloads"
APP_SECRET = "rahasia-aplikasi-uji"
# Every fixture message was sent on Monday 2 November 2026, 10:00 WIB.
SENT_AT = datetime(2026, 11, 2, 10, 0, tzinfo=WIB)
SITI_WA_ID = "6281234567890"
SITI_BSUID = "ID.1358962746384827362"
BUDI_BSUID = "ID.2874619035517738120"
ACK_TEXT = (
    "Terima kasih, pesan Anda sudah kami terima. Petugas WA Center Kecamatan akan membalas "
    "pada jam kerja. Untuk melihat status laporan, ketik: cek <nomor laporan>."
)


@pytest.fixture(autouse=True)
def _without_bot(monkeypatch):
    """These tests pin the door's minimal answers; the bot has its own (test_bot*.py)."""
    handler = dispatch.bot_handler
    monkeypatch.setattr(dispatch, "BOT_MODULE", "telepati.whatsapp.no_bot")
    handler.cache_clear()
    yield
    handler.cache_clear()


def _raw(name: str) -> bytes:
    return (PAYLOADS / f"{name}.json").read_bytes()


def _names() -> list[str]:
    return sorted(path.stem for path in PAYLOADS.glob("*.json"))


def _process(body: bytes | str | dict[str, Any]) -> WebhookDelivery:
    if isinstance(body, dict):
        body = json.dumps(body)
    if isinstance(body, bytes):
        body = body.decode()
    delivery = WebhookDelivery.objects.create(body=body)
    return webhook_delivery_process(delivery_id=delivery.pk)


def _text_from(payload_name: str, *, wamid: str, body: str = "", **message: Any) -> dict:
    """A fixture payload with its one message changed (new wamid, other text or sender)."""
    payload = json.loads(_raw(payload_name))
    value = payload["entry"][0]["changes"][0]["value"]
    value["messages"][0]["id"] = wamid
    if body:
        value["messages"][0]["text"] = {"body": body}
    value["messages"][0].update(message)
    return payload


# --- Every payload type ---------------------------------------------------------------------


@pytest.mark.parametrize("name", _names())
def test_every_fixture_payload_is_processed_without_failure(db, name):
    batch = webhook_parse(_raw(name))

    delivery = _process(_raw(name))

    assert delivery.status == DeliveryStatus.PROCESSED
    assert delivery.error == ""
    assert delivery.attempts == 1
    assert delivery.processed_at is not None
    stored = {m.wamid: m for m in InboundMessage.objects.all()}
    assert set(stored) == {m.wamid for m in batch.messages}
    for inbound in batch.messages:
        message = stored[inbound.wamid]
        assert (message.kind, message.text, message.reply_id) == (
            inbound.kind,
            inbound.text,
            inbound.reply_id,
        )
        assert message.sent_at == inbound.timestamp
        assert message.payload == inbound.raw
        assert message.delivery_id == delivery.pk
        assert message.handled_at is not None
    assert StatusEvent.objects.count() == len({(s.wamid, s.status) for s in batch.statuses})
    assert len(delivery.problems) == len(batch.problems) + len(batch.value_errors)


def test_text_message_creates_citizen_and_conversation_and_is_acknowledged(db):
    delivery = _process(_raw("text"))

    citizen = Citizen.objects.get()
    assert (citizen.phone, citizen.wa_bsuid, citizen.name) == (
        "+6281234567890",
        SITI_BSUID,
        "Siti Aminah",
    )
    conversation = Conversation.objects.get()
    assert conversation.citizen == citizen
    assert (conversation.wa_id, conversation.bsuid, conversation.profile_name) == (
        SITI_WA_ID,
        SITI_BSUID,
        "Siti Aminah",
    )
    assert conversation.last_inbound_at == SENT_AT
    message = InboundMessage.objects.get()
    assert message.wamid == "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjVEVYVC0wMDAx"
    assert message.conversation == conversation
    assert message.delivery == delivery
    assert message.kind == "text"
    assert message.text == "Selamat pagi, sampah di Jl. Garu II belum diangkut sejak Jumat."
    assert message.media_status == MediaStatus.NONE
    reply = OutboundMessage.objects.get()
    assert reply.dedupe_key == f"wa-reply:{message.wamid}"
    assert (reply.recipient_phone, reply.recipient_wa_bsuid) == ("+6281234567890", SITI_BSUID)
    assert reply.text == ACK_TEXT


def test_known_resident_from_the_web_is_the_same_citizen(db):
    known = citizen_get_or_create(phone=phone_normalize("0812-3456-7890"), name="Siti A.")

    _process(_raw("text"))

    assert Citizen.objects.get() == known
    assert Conversation.objects.get().citizen == known
    known.refresh_from_db()
    assert known.wa_bsuid == SITI_BSUID
    assert known.name == "Siti A."  # A name the resident gave is never overwritten.


def test_resident_with_withheld_number_is_known_by_business_scoped_id(db):
    _process(_raw("bsuid_only"))

    citizen = Citizen.objects.get()
    assert (citizen.phone, citizen.wa_bsuid, citizen.name) == (None, BUDI_BSUID, "Budi")
    conversation = Conversation.objects.get()
    assert (conversation.wa_id, conversation.bsuid) == (None, BUDI_BSUID)
    reply = OutboundMessage.objects.get()
    assert (reply.recipient_phone, reply.recipient_wa_bsuid) == ("", BUDI_BSUID)


def test_number_shown_later_is_added_to_a_conversation_known_by_id(db):
    _process(_raw("bsuid_only"))
    later = _text_from("bsuid_only", wamid="wamid.budi-2", body="Ini nomor saya")
    later["entry"][0]["changes"][0]["value"]["contacts"][0]["wa_id"] = "6285261234567"
    later["entry"][0]["changes"][0]["value"]["messages"][0]["from"] = "6285261234567"

    _process(later)

    conversation = Conversation.objects.get()
    assert (conversation.wa_id, conversation.bsuid) == ("6285261234567", BUDI_BSUID)
    assert Citizen.objects.count() == 1
    assert InboundMessage.objects.filter(conversation=conversation).count() == 2


def test_profile_name_and_window_follow_the_latest_message(db):
    _process(_raw("text"))
    later = _text_from("text", wamid="wamid.siti-2", body="Halo lagi", timestamp="1793592000")
    later["entry"][0]["changes"][0]["value"]["contacts"][0]["profile"]["name"] = "Siti Aminah R."
    _process(later)
    older = _text_from("text", wamid="wamid.siti-0", body="Pesan lama", timestamp="1793580000")
    _process(older)

    conversation = Conversation.objects.get()
    assert conversation.last_inbound_at == SENT_AT + timedelta(hours=1)
    assert conversation.profile_name == "Siti Aminah R."  # a late, older message changes nothing
    assert Citizen.objects.get().name == "Siti Aminah"  # the citizen's name is never overwritten


def test_media_message_is_stored_pending_download(db):
    _process(_raw("image"))

    message = InboundMessage.objects.get()
    assert message.kind == "image"
    assert message.text == "Tumpukan sampah di depan gang"
    assert message.media_status == MediaStatus.PENDING
    assert message.media_id != ""
    assert message.media_mime == "image/jpeg"


def test_message_level_errors_are_kept_on_the_message(db):
    _process(_raw("unsupported"))

    message = InboundMessage.objects.get()
    assert message.kind == "unsupported"
    assert [error["code"] for error in message.errors] == [131051]


def test_value_level_errors_are_recorded_on_the_delivery(db):
    delivery = _process(_raw("value_errors"))

    assert delivery.status == DeliveryStatus.PROCESSED
    assert delivery.problems == [
        {
            "path": "value.errors",
            "reason": "value-level error",
            "error": {
                "code": 131000,
                "title": "Something went wrong",
                "message": "Something went wrong",
                "details": "Something went wrong while processing the update.",
            },
        }
    ]
    assert InboundMessage.objects.count() == 1


# --- Number change ------------------------------------------------------------------------


def test_number_change_moves_conversation_and_citizen_to_the_new_number(db):
    _process(_raw("text"))

    _process(_raw("system_user_changed_number"))

    conversation = Conversation.objects.get()
    assert (conversation.wa_id, conversation.bsuid) == ("6281377778888", "ID.9023746519283746501")
    citizen = Citizen.objects.get()
    assert (citizen.phone, citizen.wa_bsuid) == ("+6281377778888", "ID.9023746519283746501")
    assert InboundMessage.objects.get(kind="system").handled_at is not None
    assert OutboundMessage.objects.count() == 1  # the first acknowledgement only


def test_number_change_to_a_number_someone_else_holds_keeps_both_apart(db):
    other = citizen_get_or_create(phone=phone_normalize("+6281377778888"), name="Orang lain")
    _process(_raw("text"))

    _process(_raw("system_user_changed_number"))

    siti = Citizen.objects.get(name="Siti Aminah")
    assert siti.phone == "+6281234567890"
    assert siti.wa_bsuid == "ID.9023746519283746501"
    other.refresh_from_db()
    assert other.phone == "+6281377778888"


# --- Batches --------------------------------------------------------------------------------


def test_batch_with_several_entries_and_changes_is_processed_completely(db):
    delivery = _process(_raw("batch_2x2"))

    assert delivery.status == DeliveryStatus.PROCESSED
    assert delivery.problems == []
    assert InboundMessage.objects.count() == 7
    assert Conversation.objects.count() == 2
    assert Citizen.objects.count() == 2
    siti = Conversation.objects.get(wa_id=SITI_WA_ID)
    assert siti.messages.count() == 5
    assert Conversation.objects.get(bsuid=BUDI_BSUID).messages.count() == 2
    assert sorted(StatusEvent.objects.values_list("status", flat=True)) == ["delivered", "sent"]
    # One acknowledgement per resident, not one per message.
    assert OutboundMessage.objects.count() == 2


def test_malformed_parts_are_recorded_and_the_rest_processed(db):
    delivery = _process(_raw("batch_malformed"))

    assert delivery.status == DeliveryStatus.PROCESSED
    assert [problem["path"] for problem in delivery.problems] == [
        "entry[0].changes[0].value.messages[1]",
        "entry[0].changes[0].value.messages[2]",
        "entry[0].changes[0].value.messages[3]",
        "entry[0].changes[1].value",
        "entry[0].changes[2].value.statuses[1]",
        "entry[0].changes[2].value.statuses[2]",
    ]
    assert sorted(InboundMessage.objects.values_list("text", flat=True)) == [
        "Sebelum yang rusak",
        "Sesudah yang rusak",
    ]
    assert StatusEvent.objects.get().status == "sent"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("bukan json", "not JSON"),
        ('{"object": "page", "entry": []}', "not a WhatsApp Business Account webhook"),
    ],
)
def test_delivery_with_nothing_usable_is_ignored_with_its_reason(db, body, reason):
    delivery = _process(body)

    assert delivery.status == DeliveryStatus.IGNORED
    assert len(delivery.problems) == 1
    assert reason in delivery.problems[0]["reason"]


def test_message_without_any_sender_is_recorded_as_a_problem(db):
    payload = _text_from("text", wamid="wamid.anon")
    value = payload["entry"][0]["changes"][0]["value"]
    del value["contacts"]
    del value["messages"][0]["from"]
    del value["messages"][0]["from_user_id"]
    value["messages"].append(
        copy.deepcopy(json.loads(_raw("text"))["entry"][0]["changes"][0]["value"]["messages"][0])
    )

    delivery = _process(payload)

    assert delivery.status == DeliveryStatus.PROCESSED
    assert delivery.problems == [
        {
            "path": "message wamid.anon",
            "reason": "message without sender (no from, from_user_id or contact)",
        }
    ]
    assert InboundMessage.objects.count() == 1


# --- Exactly once ---------------------------------------------------------------------------


def test_same_webhooks_delivered_three_times_in_random_order_count_once(
    client, db, settings, django_capture_on_commit_callbacks
):
    settings.WHATSAPP_APP_SECRET = APP_SECRET
    bodies = [_raw("text"), _raw("image"), _raw("bsuid_only")] * 3
    random.Random(20261102).shuffle(bodies)

    for body in bodies:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/whatsapp/webhook/",
                data=body,
                content_type="application/json",
                headers={"X-Hub-Signature-256": signature_header(body=body, app_secret=APP_SECRET)},
            )
        assert response.status_code == 200

    assert WebhookDelivery.objects.count() == 9
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"processed"}
    assert InboundMessage.objects.count() == 3
    assert Citizen.objects.count() == 2
    assert Conversation.objects.count() == 2
    # Siti: one acknowledgement for her first message (text or photo); Budi: one.
    assert OutboundMessage.objects.count() == 2
    assert set(OutboundMessage.objects.values_list("text", flat=True)) == {ACK_TEXT}


def test_processing_a_delivery_twice_changes_nothing(db, django_assert_num_queries):
    delivery = _process(_raw("batch_2x2"))
    before = (
        list(InboundMessage.objects.values_list("wamid", "handled_at")),
        list(OutboundMessage.objects.values_list("dedupe_key", "text")),
        list(Conversation.objects.values_list("wa_id", "last_inbound_at", "acknowledged_at")),
        StatusEvent.objects.count(),
    )

    with django_assert_num_queries(1):  # read the row, see it is processed, stop
        again = webhook_delivery_process(delivery_id=delivery.pk)
    assert again.status == DeliveryStatus.PROCESSED
    assert again.attempts == 1

    # A worker that died after storing everything but before marking the delivery runs it
    # again from the start: unique keys make every item a no-op.
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.RECEIVED)
    rerun = webhook_delivery_process(delivery_id=delivery.pk)

    assert rerun.status == DeliveryStatus.PROCESSED
    assert rerun.attempts == 2
    after = (
        list(InboundMessage.objects.values_list("wamid", "handled_at")),
        list(OutboundMessage.objects.values_list("dedupe_key", "text")),
        list(Conversation.objects.values_list("wa_id", "last_inbound_at", "acknowledged_at")),
        StatusEvent.objects.count(),
    )
    assert after == before


def test_redelivered_messages_cost_four_queries(db, django_assert_num_queries):
    _process(_raw("text"))
    delivery = WebhookDelivery.objects.create(body=_raw("text").decode())

    # Read the delivery, count the attempt, look up known wamids, mark it processed.
    with django_assert_num_queries(4):
        webhook_delivery_process(delivery_id=delivery.pk)
    assert InboundMessage.objects.count() == 1
    assert OutboundMessage.objects.count() == 1


def test_crash_in_the_middle_of_a_batch_is_safe_to_run_again(db):
    failing = "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjQkFUQ0gtMDAwMg=="
    handled: list[str] = []
    real = dispatch.inbound_dispatch

    def flaky(*, message: InboundMessage) -> None:
        if message.wamid == failing:
            raise RuntimeError("bot crashed")
        handled.append(message.wamid)
        real(message=message)

    with mock.patch("telepati.whatsapp.services_ingest.inbound_dispatch", side_effect=flaky):
        delivery = _process(_raw("batch_2x2"))

    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.error == f"message {failing}: RuntimeError: bot crashed"
    assert InboundMessage.objects.count() == 6
    assert not InboundMessage.objects.filter(wamid=failing).exists()
    assert StatusEvent.objects.count() == 2  # statuses after the crash still processed

    with mock.patch("telepati.whatsapp.services_ingest.inbound_dispatch", side_effect=flaky):
        failing = "none"
        rerun = webhook_delivery_process(delivery_id=delivery.pk)

    assert rerun.status == DeliveryStatus.PROCESSED
    assert rerun.error == ""
    assert rerun.attempts == 2
    assert InboundMessage.objects.count() == 7
    assert len(handled) == 7  # six the first time, the missing one the second time
    assert len(set(handled)) == 7


# --- Resume sweep ---------------------------------------------------------------------------


def test_resume_sweep_runs_deliveries_left_behind_only(db):
    stale = timezone.now() - timedelta(minutes=10)
    left = WebhookDelivery.objects.create(body=_raw("text").decode())
    failed = WebhookDelivery.objects.create(
        body=_raw("image").decode(), status=DeliveryStatus.FAILED, attempts=1
    )
    exhausted = WebhookDelivery.objects.create(
        body=_raw("video").decode(), status=DeliveryStatus.FAILED, attempts=MAX_ATTEMPTS
    )
    done = WebhookDelivery.objects.create(
        body=_raw("sticker").decode(), status=DeliveryStatus.PROCESSED
    )
    WebhookDelivery.objects.update(received_at=stale)
    fresh = WebhookDelivery.objects.create(body=_raw("audio_voice").decode())

    # The test settings run tasks immediately.
    assert webhook_deliveries_resume() == 2

    statuses = dict(WebhookDelivery.objects.values_list("pk", "status"))
    assert statuses == {
        left.pk: "processed",
        failed.pk: "processed",
        exhausted.pk: "failed",
        done.pk: "processed",
        fresh.pk: "received",
    }
    assert set(InboundMessage.objects.values_list("kind", flat=True)) == {"text", "image"}


# --- Concurrency ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_redeliveries_processed_at_the_same_moment_store_and_answer_once():
    """Meta retries while the first delivery is still being processed, on several workers."""
    deliveries = [WebhookDelivery.objects.create(body=_raw("batch_2x2").decode()) for _ in range(4)]
    barrier = threading.Barrier(len(deliveries))
    errors: list[BaseException] = []

    def work(delivery_id: int) -> None:
        try:
            barrier.wait(timeout=10)
            webhook_delivery_process(delivery_id=delivery_id)
        except BaseException as exc:  # collected for the assertion
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(d.pk,)) for d in deliveries]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"processed"}
    assert InboundMessage.objects.count() == 7
    assert Citizen.objects.count() == 2
    assert Conversation.objects.count() == 2
    assert StatusEvent.objects.count() == 2
    assert OutboundMessage.objects.count() == 2
