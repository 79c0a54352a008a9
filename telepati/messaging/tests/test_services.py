"""message_enqueue: one outbox row per cause, delivered only after the change commits."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.db import transaction

from telepati.messaging import tasks
from telepati.messaging.models import MessageStatus, OutboundMessage
from telepati.messaging.services import Recipient, message_enqueue

pytestmark = pytest.mark.django_db

SITI = Recipient(phone="+6281234567890")
ACK = "Terima kasih, laporan Anda sudah kami terima dengan nomor L2611-0001."


def test_a_message_is_stored_queued_and_delivered_after_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks:
        message = message_enqueue(
            recipient=SITI,
            text=ACK,
            dedupe_key="report:1:submitted:1",
            reference="L2611-0001",
            template_name="laporan_diterima",
            template_params=["L2611-0001", "Kebersihan & sampah"],
        )

    assert message is not None
    stored = OutboundMessage.objects.get()
    assert stored.pk == message.pk
    assert (stored.recipient_phone, stored.recipient_wa_bsuid) == ("+6281234567890", "")
    assert (stored.text, stored.reference, stored.status) == (
        ACK,
        "L2611-0001",
        MessageStatus.QUEUED,
    )
    assert stored.template_name == "laporan_diterima"
    assert stored.template_params == ["L2611-0001", "Kebersihan & sampah"]
    assert stored.interactive is None
    assert stored.next_attempt_at is not None
    assert len(callbacks) == 1  # nothing sent before commit

    callbacks[0]()

    stored.refresh_from_db()
    assert (stored.status, stored.attempts) == (MessageStatus.SENT, 1)


def test_a_new_message_costs_one_lookup_and_one_insert(django_assert_num_queries):
    with django_assert_num_queries(4):  # SELECT, SAVEPOINT, INSERT, RELEASE SAVEPOINT
        message_enqueue(recipient=SITI, text=ACK, dedupe_key="report:1:submitted:1")


def test_the_same_dedupe_key_twice_stores_and_delivers_once(
    django_capture_on_commit_callbacks, django_assert_num_queries
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = message_enqueue(recipient=SITI, text=ACK, dedupe_key="report:1:submitted:1")
        with django_assert_num_queries(1):  # the lookup finds the row; nothing is written
            again = message_enqueue(
                recipient=Recipient(phone="+6281311112222"),
                text="Teks lain",
                dedupe_key="report:1:submitted:1",
            )

    assert first is not None
    assert again is not None
    assert again.pk == first.pk
    assert len(callbacks) == 1
    stored = OutboundMessage.objects.get()
    assert (stored.recipient_phone, stored.text) == ("+6281234567890", ACK)
    assert (stored.status, stored.attempts) == (MessageStatus.SENT, 1)


def test_a_recipient_known_only_by_whatsapp_user_id_is_enough():
    message = message_enqueue(
        recipient=Recipient(wa_bsuid="ID.1234567890123456"), text=ACK, dedupe_key="k"
    )

    assert message is not None
    assert (message.recipient_phone, message.recipient_wa_bsuid) == ("", "ID.1234567890123456")


def test_without_a_whatsapp_contact_nothing_is_stored_or_sent(
    django_capture_on_commit_callbacks, django_assert_num_queries
):
    with django_capture_on_commit_callbacks() as callbacks, django_assert_num_queries(0):
        message = message_enqueue(recipient=Recipient(), text=ACK, dedupe_key="k")

    assert message is None
    assert callbacks == []
    assert OutboundMessage.objects.count() == 0


def _change_that_fails_after_writing_a_message() -> None:
    with transaction.atomic():
        message_enqueue(recipient=SITI, text=ACK, dedupe_key="report:1:submitted:1")
        raise RuntimeError("the change failed after the message was written")


def test_a_rolled_back_change_stores_and_sends_nothing(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        _change_that_fails_after_writing_a_message()

    assert callbacks == []
    assert OutboundMessage.objects.count() == 0


def test_a_task_queue_failure_after_commit_does_not_break_the_change(
    django_capture_on_commit_callbacks, monkeypatch
):
    def queue_down(**kwargs):
        raise ConnectionError("task queue unavailable")

    monkeypatch.setattr(tasks, "deliver_message", SimpleNamespace(enqueue=queue_down))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message_enqueue(recipient=SITI, text=ACK, dedupe_key="report:1:submitted:1")

    assert len(callbacks) == 1
    stored = OutboundMessage.objects.get()
    assert (stored.status, stored.attempts) == (MessageStatus.QUEUED, 0)  # left for a sweep


def test_long_keys_and_references_are_cut_to_their_columns():
    message = message_enqueue(recipient=SITI, text=ACK, dedupe_key="k" * 250, reference="r" * 150)

    assert message is not None
    message.refresh_from_db()
    assert (len(message.dedupe_key), len(message.reference)) == (200, 100)
