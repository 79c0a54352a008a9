"""Today's answers to a new message: "cek <nomor>", acknowledgement, unsupported types, bot seam."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from freezegun import freeze_time

from telepati.core.workdays import WIB
from telepati.messaging.models import OutboundMessage
from telepati.reports.models import Category, Channel, Report
from telepati.reports.services.intake import ReportDraft, report_submit
from telepati.whatsapp import dispatch
from telepati.whatsapp.dispatch import check_command_number
from telepati.whatsapp.models import Conversation, InboundMessage, WebhookDelivery
from telepati.whatsapp.services import webhook_delivery_process

PAYLOADS = Path(__file__).parent / "payloads"
MONDAY_MORNING = datetime(2026, 11, 2, 10, 0, tzinfo=WIB)
ACK_TEXT = (
    "Terima kasih, pesan Anda sudah kami terima. Petugas WA Center Kecamatan akan membalas "
    "pada jam kerja. Untuk melihat status laporan, ketik: cek <nomor laporan>."
)
UNSUPPORTED_TEXT = (
    "Maaf, jenis pesan ini belum dapat kami baca. Silakan kirim sebagai teks biasa, foto, "
    "atau lokasi."
)


@pytest.fixture(autouse=True)
def _without_bot(monkeypatch):
    """These tests pin the door's minimal answers; the bot has its own (test_bot*.py)."""
    handler = dispatch.bot_handler
    monkeypatch.setattr(dispatch, "BOT_MODULE", "telepati.whatsapp.no_bot")
    handler.cache_clear()
    yield
    handler.cache_clear()


@pytest.fixture
def sanitation(territory, dlh) -> Category:
    return Category.objects.create(code="kebersihan", name="Kebersihan & sampah", default_unit=dlh)


def _report(category: Category, kelurahan: Any, *, phone: str, name: str) -> Report:
    return report_submit(
        draft=ReportDraft(
            category_code=category.code,
            description="Sampah menumpuk di depan gang Mawar sudah tiga hari.",
            channel=Channel.WHATSAPP,
            kelurahan_id=kelurahan.pk,
            address="Jl. Garu II, gang Mawar",
            reporter_name=name,
            reporter_phone=phone,
            submitted_at=MONDAY_MORNING,
        )
    )


@pytest.fixture
def siti_report(sanitation, harjosari_i, resident) -> Report:
    return _report(sanitation, harjosari_i, phone=resident.phone, name=resident.name)


def _deliver(name: str, *, wamid: str = "", text: str | None = None, **message: Any) -> None:
    payload = json.loads((PAYLOADS / f"{name}.json").read_text())
    item = payload["entry"][0]["changes"][0]["value"]["messages"][0]
    if wamid:
        item["id"] = wamid
    if text is not None:
        item["text"] = {"body": text}
    item.update(message)
    delivery = WebhookDelivery.objects.create(body=json.dumps(payload))
    webhook_delivery_process(delivery_id=delivery.pk)


def _replies() -> list[str]:
    """Texts the WhatsApp door answered with (not the notices of report_submit)."""
    replies = OutboundMessage.objects.filter(dedupe_key__startswith="wa-reply:")
    return list(replies.order_by("pk").values_list("text", flat=True))


# --- "cek <nomor>" --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("cek L2611-0001", "L2611-0001"),
        ("Cek l2611-0001", "L2611-0001"),
        ("  CEK   #L2611-0001  ", "L2611-0001"),
        ("cek\tl2611-0001\n", "L2611-0001"),
        ("cek", None),
        ("cekL2611-0001", None),
        ("cek dok 1234", None),
        ("tolong cek L2611-0001", None),
        ("", None),
    ],
)
def test_check_command_reads_one_tracking_number(text, number):
    assert check_command_number(text) == number


def test_check_command_answers_with_the_status_of_the_residents_own_report(db, siti_report):
    assert siti_report.tracking_number == "L2611-0001"

    _deliver("text_reply_forwarded", text="cek l2611-0001")

    reply = OutboundMessage.objects.get(dedupe_key__startswith="wa-reply:")
    assert reply.text == (
        "Laporan L2611-0001\n"
        "Kategori: Kebersihan & sampah\n"
        "Status: Baru\n"
        "Diterima: 2 November 2026, 10.00 WIB"
    )
    assert reply.recipient_phone == "+6281234567890"
    assert reply.reference == "report:L2611-0001"
    assert reply.dedupe_key == f"wa-reply:{InboundMessage.objects.get().wamid}"


def test_check_command_tells_why_a_report_is_on_hold(db, siti_report):
    Report.objects.filter(pk=siti_report.pk).update(
        status="on_hold", hold_reason="Kirim foto lokasi tumpukan sampah."
    )

    _deliver("text_reply_forwarded", text="cek L2611-0001")

    assert _replies()[0].endswith(
        "Status: Ditunda\nDiterima: 2 November 2026, 10.00 WIB\n"
        "Mohon lengkapi: Kirim foto lokasi tumpukan sampah."
    )


def test_check_command_never_shows_another_residents_report(db, sanitation, harjosari_i):
    other = _report(sanitation, harjosari_i, phone="+6285261234567", name="Budi")

    _deliver("text_reply_forwarded", text=f"cek {other.tracking_number}")

    assert _replies() == [
        "Laporan L2611-0001 tidak kami temukan di antara laporan Anda. Periksa kembali "
        "nomornya, lalu ketik: cek <nomor laporan>."
    ]


def test_check_command_answers_every_time_not_once_a_day(db, siti_report):
    _deliver("text", wamid="wamid.satu", text="cek L2611-0001")
    _deliver("text", wamid="wamid.dua", text="cek L2611-0001")

    assert len(_replies()) == 2


# --- Acknowledgement --------------------------------------------------------------------------


def test_acknowledgement_is_sent_at_most_once_per_24_hours(db):
    with freeze_time(MONDAY_MORNING):
        _deliver("text", wamid="wamid.pagi")
        _deliver("image")
    with freeze_time(MONDAY_MORNING + timedelta(hours=23, minutes=59)):
        _deliver("text", wamid="wamid.malam")
    assert _replies() == [ACK_TEXT]

    with freeze_time(MONDAY_MORNING + timedelta(hours=24)):
        _deliver("text", wamid="wamid.besok")

    assert _replies() == [ACK_TEXT, ACK_TEXT]
    assert Conversation.objects.get().acknowledged_at == MONDAY_MORNING + timedelta(hours=24)
    assert InboundMessage.objects.filter(handled_at__isnull=True).count() == 0


def test_no_acknowledgement_while_an_officer_has_the_conversation(db):
    _deliver("text")
    Conversation.objects.update(handed_over_at=MONDAY_MORNING, acknowledged_at=None)

    _deliver("text", wamid="wamid.kedua")

    assert len(_replies()) == 1
    assert InboundMessage.objects.get(wamid="wamid.kedua").handled_at is not None


@pytest.mark.parametrize(
    "name", ["reaction_added", "reaction_removed", "system_user_changed_number"]
)
def test_reactions_and_system_messages_get_no_answer(db, name):
    _deliver(name)

    assert _replies() == []
    assert InboundMessage.objects.get().handled_at is not None


@pytest.mark.parametrize("name", ["unsupported", "message_errors", "unknown_type"])
def test_messages_we_cannot_read_ask_for_a_normal_message(db, name):
    _deliver(name)

    assert _replies() == [UNSUPPORTED_TEXT]


@pytest.mark.parametrize(
    "name",
    ["image", "location_named", "contacts", "interactive_button_reply", "template_button"],
)
def test_readable_messages_get_the_acknowledgement(db, name):
    _deliver(name)

    assert _replies() == [ACK_TEXT]


# --- The bot seam -----------------------------------------------------------------------------


def test_bot_module_takes_over_when_it_exists(db, monkeypatch):
    calls: list[int] = []

    def bot_handle(*, message_id: int) -> None:
        calls.append(message_id)

    monkeypatch.setattr(dispatch, "bot_handler", lambda: bot_handle)

    _deliver("text")

    message = InboundMessage.objects.get()
    assert calls == [message.pk]
    assert message.handled_at is not None
    assert _replies() == []


def test_without_a_bot_module_there_is_no_handler(monkeypatch):
    monkeypatch.setattr(dispatch, "BOT_MODULE", "telepati.whatsapp.no_such_bot")
    dispatch.bot_handler.cache_clear()
    try:
        assert dispatch.bot_handler() is None
    finally:
        dispatch.bot_handler.cache_clear()


def test_bot_module_is_found_by_its_dotted_path(monkeypatch):
    # Any importable module with a bot_handle stands in for the bot that comes later.
    monkeypatch.setattr(dispatch, "BOT_MODULE", "telepati.whatsapp.tests.test_dispatch")
    dispatch.bot_handler.cache_clear()
    try:
        assert dispatch.bot_handler() is bot_handle
    finally:
        dispatch.bot_handler.cache_clear()


def bot_handle(*, message_id: int) -> None:
    """Stand-in entry point for test_bot_module_is_found_by_its_dotted_path."""
