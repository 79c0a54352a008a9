"""Bot conversations through the real webhook: menu, commands, handover, timeout, rating."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time

from telepati.core.workdays import WIB
from telepati.reports.models import Channel, Report, ReportEvent
from telepati.reports.services.intake import ReportDraft, report_submit
from telepati.whatsapp.bot import texts
from telepati.whatsapp.bot.turn import (
    BUTTON_TITLE_MAX,
    ROW_DESCRIPTION_MAX,
    ROW_TITLE_MAX,
)
from telepati.whatsapp.models import Conversation, InboundMessage
from telepati.whatsapp.services_handover import conversation_release
from telepati.whatsapp.tests.test_bot_support import (  # noqa: F401
    Phone,
    bot_setup,
    categories,
)

pytestmark = pytest.mark.usefixtures("bot_setup", "categories")

MENU_BODY = (
    "Halo Siti Aminah! Ini layanan WhatsApp Kecamatan. Silakan pilih layanan. Ketik *menu* "
    "kapan saja untuk kembali ke sini, atau *batal* untuk membatalkan."
)
MENU = {
    "type": "list",
    "button": "Pilih layanan",
    "sections": [
        [
            "",
            [
                ["menu:report", "Buat laporan", "Laporkan masalah di lingkungan Anda"],
                ["menu:check", "Cek status laporan", "Lihat perkembangan laporan Anda"],
                ["menu:document", "Cek dokumen kependudukan", "Status permohonan KTP, KK, akta"],
                ["menu:apply", "Daftar dokumen", "Pra-pendaftaran KTP, KK, akta, surat"],
                ["menu:info", "Info layanan", "Persyaratan dokumen dan cara daftar"],
                ["menu:meeting", "Temu cepat", "Janji bertemu petugas kecamatan"],
                ["menu:officer", "Bicara dengan petugas", "Percakapan diteruskan ke petugas"],
            ],
        ]
    ],
    "header": "",
    "footer": "",
}
CANCELLED = "Baik, dibatalkan. Ketik *menu* untuk melihat layanan."
MISUNDERSTOOD = (
    "Maaf, kami belum memahami pesan Anda. Silakan pilih dari menu, atau ketik *petugas* "
    "untuk bicara dengan petugas."
)
HANDOVER = (
    "Baik, percakapan ini kami teruskan ke petugas. Petugas akan membalas pada jam kerja "
    "(Senin–Jumat, 08.00–16.00 WIB). Mohon tunggu, ya."
)


@pytest.fixture
def phone(client, django_capture_on_commit_callbacks) -> Phone:
    return Phone(client, django_capture_on_commit_callbacks)


@pytest.fixture
def budi(client, django_capture_on_commit_callbacks) -> Phone:
    return Phone(
        client, django_capture_on_commit_callbacks, wa_id="6285261234567", name="Budi", bsuid="ID.2"
    )


def _report(harjosari_i, *, phone: str, name: str = "Siti Aminah") -> Report:
    return report_submit(
        draft=ReportDraft(
            category_code="kebersihan",
            description="Sampah menumpuk di depan gang Mawar sudah tiga hari.",
            channel=Channel.WHATSAPP,
            kelurahan_id=harjosari_i.pk,
            address="Jl. Garu II, gang Mawar",
            reporter_name=name,
            reporter_phone=phone,
        )
    )


def _state() -> tuple[str, dict]:
    conversation = Conversation.objects.get()
    return conversation.bot_state, conversation.bot_data


# --- Menu ----------------------------------------------------------------------------------


@pytest.mark.parametrize("greeting", ["halo", "Selamat pagi!", "  MENU ", "Menu"])
def test_a_greeting_or_menu_shows_the_main_menu_as_a_list(db, phone, greeting):
    assert phone.text(greeting) == [(MENU_BODY, MENU)]
    assert _state() == ("", {})


def test_menu_titles_stay_within_whatsapps_limits(db):
    for _id, title, description in texts.menu_rows() + texts.edit_rows():
        assert len(title) <= ROW_TITLE_MAX
        assert len(description) <= ROW_DESCRIPTION_MAX
    buttons = texts.confirm_buttons() + texts.proposal_buttons(with_yes=True)
    assert all(len(title) <= BUTTON_TITLE_MAX for _id, title in buttons)
    assert len(texts.continue_button()) <= BUTTON_TITLE_MAX


def test_check_status_from_the_menu_asks_for_the_number(db, phone, harjosari_i):
    report = _report(harjosari_i, phone="+6281234567890")

    assert phone.choose("menu:check") == [("Ketik nomor laporan Anda, misalnya L2611-0042.", None)]
    [(text, _interactive)] = phone.text(report.tracking_number.lower())

    assert text.startswith(
        f"Laporan {report.tracking_number}\nKategori: Kebersihan & sampah\nStatus: Baru\nDiterima: "
    )
    assert _state() == ("", {})


def test_document_menu_rows_lead_to_the_document_services(db, phone):
    # Conversations in detail: test_bot_documents*.py.
    assert phone.choose("menu:document") == [
        ("Ketik kode permohonan dokumen Anda, misalnya D2611-0042.", None)
    ]
    assert phone.choose("menu:info") == [
        (
            "Maaf, daftar layanan dokumen belum tersedia di sini. Silakan tanyakan ke kantor "
            "kecamatan pada jam kerja, atau ketik *menu*.",
            None,
        )
    ]


# --- Commands --------------------------------------------------------------------------------


def test_check_command_shows_the_residents_own_report(db, phone, harjosari_i):
    report = _report(harjosari_i, phone="+6281234567890")

    [(text, _)] = phone.text(f"  CEK   #{report.tracking_number.lower()} ")

    assert text.splitlines()[:3] == [
        f"Laporan {report.tracking_number}",
        "Kategori: Kebersihan & sampah",
        "Status: Baru",
    ]


def test_a_resident_cannot_see_another_residents_report(db, phone, harjosari_i):
    other = _report(harjosari_i, phone="+6285261234567", name="Budi")

    assert phone.text(f"cek {other.tracking_number}") == [
        (
            f"Laporan {other.tracking_number} tidak kami temukan di antara laporan Anda. "
            "Periksa kembali nomornya, lalu ketik: cek <nomor laporan>.",
            None,
        )
    ]


def _resolve(report: Report) -> None:
    now = timezone.now()
    Report.objects.filter(pk=report.pk).update(
        status="resolved", resolved_at=now, dispute_until=now + timedelta(days=10)
    )


def test_a_digit_rates_the_latest_resolved_report(db, phone, harjosari_i):
    report = _report(harjosari_i, phone="+6281234567890")
    _resolve(report)

    replies = phone.text(" 4 ")

    report.refresh_from_db()
    assert report.rating == 4
    assert replies == [
        (
            f"Terima kasih atas penilaian Anda (4 dari 5) untuk laporan {report.tracking_number}. "
            "Masukan Anda membantu kami memperbaiki layanan.",
            None,
        )
    ]
    assert phone.text("5") == [
        (
            "Tidak ada laporan Anda yang menunggu penilaian. Ketik *menu* untuk melihat layanan.",
            None,
        )
    ]
    assert Report.objects.get(pk=report.pk).rating == 4


def test_dispute_asks_for_the_reason_when_it_is_missing(db, phone, harjosari_i):
    report = _report(harjosari_i, phone="+6281234567890")
    _resolve(report)
    number = report.tracking_number

    assert phone.text(f"SANGGAH {number.lower()}") == [
        (f"Apa alasan Anda menyanggah penyelesaian laporan {number}? Tulis singkat, ya.", None)
    ]
    replies = phone.text("Sampahnya masih menumpuk, belum diangkut.")

    report.refresh_from_db()
    assert report.status == "in_progress"
    assert replies == [
        (
            f"Sanggahan atas penyelesaian laporan {number} sudah kami terima. Laporan "
            "ditindaklanjuti kembali; kami akan mengabarkan perkembangannya.",
            None,
        )
    ]
    assert ReportEvent.objects.filter(
        report=report, message="Sampahnya masih menumpuk, belum diangkut."
    ).exists()
    assert _state() == ("", {})


def test_dispute_in_one_line_and_domain_errors_become_friendly_replies(db, phone, harjosari_i):
    report = _report(harjosari_i, phone="+6281234567890")
    number = report.tracking_number
    _resolve(report)
    Report.objects.filter(pk=report.pk).update(dispute_until=timezone.now() - timedelta(days=1))
    version = Report.objects.get(pk=report.pk).version

    assert phone.text(f"sanggah {number} masih kotor") == [
        (
            f"Maaf, masa sanggah laporan {number} sudah berakhir. Bila masalahnya muncul lagi, "
            "silakan kirim laporan baru.",
            None,
        )
    ]
    assert Report.objects.get(pk=report.pk).version == version
    assert phone.text("sanggah") == [
        ("Untuk menyanggah penyelesaian, ketik: sanggah <nomor laporan> <alasan>.", None)
    ]


def test_dispute_of_another_residents_report_is_not_found(db, phone, harjosari_i):
    other = _report(harjosari_i, phone="+6285261234567", name="Budi")
    _resolve(other)

    [(text, _)] = phone.text(f"sanggah {other.tracking_number} tidak beres")

    assert text.startswith(f"Laporan {other.tracking_number} tidak kami temukan")
    assert Report.objects.get(pk=other.pk).status == "resolved"


# --- Cancel, timeout, misunderstanding, handover -------------------------------------------


def test_batal_and_menu_work_in_the_middle_of_a_report(db, phone):
    phone.choose("menu:report")
    phone.choose("cat:kebersihan")
    assert _state()[0] == "report_description"

    assert phone.text(" BATAL ") == [(CANCELLED, None)]
    assert _state() == ("", {})

    phone.choose("menu:report")
    assert phone.text("Menu") == [(MENU_BODY, MENU)]
    assert _state() == ("", {})


def test_a_state_left_for_30_minutes_resets_with_a_gentle_note(db, phone):
    phone.choose("menu:report")
    Conversation.objects.update(bot_state_expires_at=timezone.now() - timedelta(seconds=1))

    replies = phone.text("halo")

    assert replies == [
        ("Sesi sebelumnya sudah berakhir karena lama tidak ada balasan. Mari mulai lagi.", None),
        (MENU_BODY, MENU),
    ]
    assert _state() == ("", {})


def test_a_state_lasts_30_minutes_after_the_last_answer(db, phone):
    monday = datetime(2026, 11, 2, 10, 0, tzinfo=WIB)
    with freeze_time(monday):
        phone.choose("menu:report")
    assert Conversation.objects.get().bot_state_expires_at == monday + timedelta(minutes=30)

    with freeze_time(monday + timedelta(minutes=29)):
        assert phone.choose("cat:kebersihan")[0][0].startswith("Kategori: Kebersihan & sampah.")
    assert Conversation.objects.get().bot_state_expires_at == monday + timedelta(minutes=59)

    with freeze_time(monday + timedelta(minutes=59, seconds=1)):
        replies = phone.text("Sampah menumpuk di depan gang Mawar sudah tiga hari.")
    assert replies[0] == (
        "Sesi sebelumnya sudah berakhir karena lama tidak ada balasan. Mari mulai lagi.",
        None,
    )
    # Read again from idle: the text becomes a new proposal.
    assert replies[1][0].startswith("Sepertinya Anda ingin melaporkan masalah")
    assert Conversation.objects.get().bot_state == "proposal"


@pytest.mark.parametrize("words", ["petugas", "Operator", "bicara dengan petugas"])
def test_asking_for_an_officer_hands_over_and_the_bot_goes_silent(db, phone, words, desk_operator):
    assert phone.text(words) == [(HANDOVER, None)]
    assert Conversation.objects.get().handed_over_at is not None

    assert phone.text("halo") == []
    assert phone.text("menu") == []
    assert InboundMessage.objects.filter(handled_at__isnull=True).count() == 0

    conversation_release(user=desk_operator, conversation_id=Conversation.objects.get().pk)
    assert phone.text("menu") == [(MENU_BODY, MENU)]


def test_the_menu_row_hands_over_too(db, phone):
    assert phone.choose("menu:officer") == [(HANDOVER, None)]


def test_three_misunderstood_messages_hand_over(db, phone):
    phone.choose("menu:report")
    category_list = phone.text("hmm")

    assert category_list[0] == (MISUNDERSTOOD, None)
    assert category_list[1][0] == "Pilih kategori masalah yang ingin Anda laporkan."
    phone.text("apa")
    assert phone.text("??") == [
        ("Maaf, kami belum berhasil memahami pesan Anda. " + HANDOVER, None)
    ]
    assert Conversation.objects.get().handed_over_at is not None


def test_an_understood_message_resets_the_misunderstanding_count(db, phone):
    phone.text("hmm")
    phone.text("apa")
    phone.text("menu")
    phone.text("hmm")
    phone.text("apa")

    assert Conversation.objects.get().handed_over_at is None


def test_unreadable_messages_ask_for_a_normal_message(db, phone):
    assert phone.send({"type": "unsupported", "errors": [{"code": 131051, "title": "x"}]}) == [
        (
            "Maaf, jenis pesan ini belum dapat kami baca. Silakan kirim sebagai teks biasa, "
            "foto, atau lokasi.",
            None,
        )
    ]


def test_reactions_get_no_answer(db, phone):
    assert (
        phone.send({"type": "reaction", "reaction": {"message_id": "wamid.x", "emoji": "👍"}}) == []
    )
