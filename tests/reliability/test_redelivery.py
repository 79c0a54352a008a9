"""Item 1: every webhook of a realistic conversation delivered three times in random order.

Two residents hold the same conversation with the bot — file a complaint with two photos,
a typed address and the confirmation; an officer resolves it; they check its status and
rate it — and every outbound message gets its sent/delivered/read statuses. Siti's webhooks
arrive once each, in order: the reference. Budi's arrive three times each: the first copy
in conversation order (a redelivery never precedes the original), the two redeliveries at
random later moments, interleaved with his later messages; his statuses all three times in
any order. Budi must end with exactly what Siti has: one report, two photos, the same
inbound messages, outbox rows, bot replies and status events — nothing twice.
"""

from __future__ import annotations

import json
import random
import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from telepati.messaging.models import MessageStatus, OutboundMessage
from telepati.reports.models import Attachment, Report
from telepati.whatsapp.models import (
    Conversation,
    InboundMessage,
    StatusEvent,
    WebhookDelivery,
)
from telepati.whatsapp.tests.test_bot_photos import _jpeg
from telepati.whatsapp.tests.test_bot_support import Phone

pytestmark = pytest.mark.usefixtures("bot_setup", "categories")

SITI = {"wa_id": "6281234567890", "name": "Siti Aminah", "bsuid": "ID.1358962746384827362"}
BUDI = {"wa_id": "6285261234567", "name": "Budi Santoso", "bsuid": "ID.2468013579246801357"}
DESCRIPTION = "Sampah menumpuk di depan gang Mawar sudah tiga hari."
COPIES = 3


def _steps(phone: Phone, harjosari_i_pk: int, photos: tuple[str, str]) -> list[bytes]:
    """The bodies of the filing part of the conversation, in the order the resident sent."""

    def tap(reply_id: str, kind: str = "button_reply") -> bytes:
        return phone.payload(
            {
                "type": "interactive",
                "interactive": {"type": kind, kind: {"id": reply_id, "title": reply_id}},
            }
        )

    def image(media_id: str) -> bytes:
        return phone.payload(
            {"type": "image", "image": {"id": media_id, "mime_type": "image/jpeg", "sha256": "x"}}
        )

    return [
        tap("menu:report", "list_reply"),
        tap("cat:kebersihan", "list_reply"),
        phone.payload({"type": "text", "text": {"body": DESCRIPTION}}),
        image(photos[0]),
        image(photos[1]),
        tap("photos:done"),
        phone.payload({"type": "text", "text": {"body": "Jl. Garu II, gang Mawar"}}),
        tap(f"kel:{harjosari_i_pk}", "list_reply"),
        tap("confirm:send"),
    ]


def _redelivered(bodies: list[bytes], rng: random.Random) -> list[bytes]:
    """Each body COPIES times: originals in order, redeliveries at random later places."""
    sequence = list(bodies)
    for body in bodies:
        for _ in range(COPIES - 1):
            first = sequence.index(body)
            sequence.insert(rng.randint(first + 1, len(sequence)), body)
    return sequence


def _resolve(report: Report) -> None:
    """The officers' part, which is not under test here."""
    now = timezone.now()
    Report.objects.filter(pk=report.pk).update(
        status="resolved", resolved_at=now, dispute_until=now + timedelta(days=10)
    )


def _status_body(resident: dict[str, str], wamid: str, status: str, at: int) -> bytes:
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "6281122334455", "phone_number_id": "106540352242922"},
        "statuses": [
            {
                "id": wamid,
                "status": status,
                "timestamp": str(at),
                "recipient_id": resident["wa_id"],
                "recipient_user_id": resident["bsuid"],
            }
        ],
    }
    body = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": value}]}],
    }
    return json.dumps(body).encode()


def _converse(phone: Phone, resident: dict[str, str], harjosari_i_pk: int, *, copies: bool):
    """Run the whole conversation; with `copies`, every webhook arrives COPIES times."""
    rng = random.Random(f"redelivery-{resident['wa_id']}")
    prefix = resident["wa_id"][-4:]
    filing = _steps(phone, harjosari_i_pk, (f"{prefix}1", f"{prefix}2"))
    for body in _redelivered(filing, rng) if copies else filing:
        phone.post(body)
    report = Report.objects.get(reporter__phone=f"+{resident['wa_id']}")
    _resolve(report)
    later = [
        phone.payload({"type": "text", "text": {"body": f"cek {report.tracking_number}"}}),
        phone.payload({"type": "text", "text": {"body": "4"}}),
    ]
    for body in _redelivered(later, rng) if copies else later:
        phone.post(body)
    # Every reply went out (the stand-in's ids) and reports its statuses back.
    rows = OutboundMessage.objects.filter(recipient_phone=f"+{resident['wa_id']}").order_by("pk")
    statuses: list[bytes] = []
    moment = int(timezone.now().timestamp())
    for row in rows:
        wamid = f"wamid.out.{resident['wa_id']}.{row.pk}"
        OutboundMessage.objects.filter(pk=row.pk).update(
            status=MessageStatus.SENT, provider_message_id=wamid, sent_at=timezone.now()
        )
        for offset, status in enumerate(("sent", "delivered", "read")):
            statuses.append(_status_body(resident, wamid, status, moment + offset))
    if copies:
        statuses *= COPIES
        rng.shuffle(statuses)
    for body in statuses:
        phone.post(body)
    return report


def _outcome(resident: dict[str, str], report: Report) -> dict[str, Any]:
    """Everything one resident's conversation left behind, without ids and numbers."""
    phone = f"+{resident['wa_id']}"
    conversation = Conversation.objects.get(wa_id=resident["wa_id"])
    rows = OutboundMessage.objects.filter(recipient_phone=phone).order_by("pk")

    def plain(text: str) -> str:
        text = text.replace(report.tracking_number, "<nomor>").replace(resident["name"], "<nama>")
        return re.sub(r"\d{1,2}\.\d{2} WIB", "<jam> WIB", text)

    return {
        "reports": Report.objects.filter(reporter__phone=phone).count(),
        "rating": report.rating,
        "attachments": Attachment.objects.filter(report=report).count(),
        "inbound": InboundMessage.objects.filter(conversation=conversation).count(),
        "unhandled": InboundMessage.objects.filter(
            conversation=conversation, handled_at__isnull=True
        ).count(),
        "replies": [(plain(row.text), row.interactive) for row in rows],
        "dedupe_keys_unique": len({row.dedupe_key for row in rows}) == rows.count(),
        "statuses": sorted(
            StatusEvent.objects.filter(wamid__startswith=f"wamid.out.{resident['wa_id']}.")
            .values_list("status", flat=True)
            .order_by()
        ),
        "row_states": sorted(set(rows.values_list("status", flat=True))),
    }


def test_a_conversation_delivered_three_times_in_random_order_leaves_what_one_delivery_does(
    db, client, django_capture_on_commit_callbacks, graph_stand_in, harjosari_i
):
    for resident in (SITI, BUDI):
        prefix = resident["wa_id"][-4:]
        graph_stand_in.media_add(f"{prefix}1", _jpeg("red"))
        graph_stand_in.media_add(f"{prefix}2", _jpeg("blue"))
    siti = Phone(client, django_capture_on_commit_callbacks, **SITI)
    budi = Phone(client, django_capture_on_commit_callbacks, **BUDI)

    siti_report = _converse(siti, SITI, harjosari_i.pk, copies=False)
    siti_deliveries = WebhookDelivery.objects.count()
    budi_report = _converse(budi, BUDI, harjosari_i.pk, copies=True)

    reference = _outcome(SITI, Report.objects.get(pk=siti_report.pk))
    redelivered = _outcome(BUDI, Report.objects.get(pk=budi_report.pk))
    # Every copy was stored and answered 200; Meta would stop retrying.
    assert WebhookDelivery.objects.count() == siti_deliveries * (1 + COPIES)
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"processed"}
    # The exact counts of one conversation: 11 messages in, one report with two photos,
    # 12 bot replies (each with its three statuses), the rating kept.
    assert {k: reference[k] for k in ("reports", "rating", "attachments", "inbound")} == {
        "reports": 1,
        "rating": 4,
        "attachments": 2,
        "inbound": 11,
    }
    assert [text.split("\n")[0][:40] for text, _ in reference["replies"]] == [
        "Pilih kategori masalah yang ingin Anda l",
        "Kategori: Kebersihan & sampah. Ceritakan",
        "Ada foto masalahnya? Kirim foto (boleh l",
        "Foto ke-1 diterima. Kirim foto lain, ata",
        "Foto ke-2 diterima. Kirim foto lain, ata",
        "Di mana lokasinya? Bagikan lokasi (📎 lal",
        "Lokasi itu masuk kelurahan mana?",
        "Periksa laporan Anda:",
        "Terima kasih, laporan Anda sudah kami te",
        "Apa selanjutnya? Petugas memeriksa lapor",
        "Laporan <nomor>",
        "Terima kasih atas penilaian Anda (4 dari",
    ]
    assert reference["statuses"] == sorted(["sent", "delivered", "read"] * 12)
    assert reference["row_states"] == [MessageStatus.READ]
    assert reference["unhandled"] == 0
    assert reference["dedupe_keys_unique"] is True
    assert redelivered == reference
    # Each photo fetched once (media lookup + bytes), never again for a redelivery.
    media_paths = sorted(r.path for r in graph_stand_in.requests)
    assert len(media_paths) == 8
    assert len(set(media_paths)) == 8
