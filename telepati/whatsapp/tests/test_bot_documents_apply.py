"""Pre-applying for a document through the bot: type → name → NIK → kelurahan → address →
summary → Kirim, and what happens when something is refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from freezegun import freeze_time

from telepati.documents.lifecycle import Status
from telepati.documents.models import Application, Channel
from telepati.whatsapp.models import Conversation
from telepati.whatsapp.tests import test_bot_documents_support as support
from telepati.whatsapp.tests.test_bot_documents_support import (
    MONDAY_MORNING,
    NIK,
)
from telepati.whatsapp.tests.test_bot_support import bot_setup  # noqa: F401

# Fixtures shared by the document conversations (test_bot_documents_support).
catalogue = support.catalogue
ktp_type = support.ktp_type
letter_type = support.letter_type
phone = support.phone

pytestmark = pytest.mark.usefixtures("bot_setup", "catalogue")

TYPE_LIST = {
    "type": "list",
    "button": "Pilih dokumen",
    "sections": [
        [
            "",
            [
                ["doc:type:ktp-el", "KTP-el", "Rekam dan cetak KTP-el baru atau pengganti"],
                ["doc:type:sk-domisili", "SK Domisili", ""],
            ],
        ]
    ],
    "header": "",
    "footer": "",
}
NAME_PROMPT = "Dokumen: KTP elektronik (KTP-el). Tulis nama lengkap pemohon sesuai KK."
NIK_PROMPT = (
    "Tulis NIK pemohon (16 angka, ada di KTP-el atau KK). Bila belum tahu, tekan *Lewati*.",
    {"type": "buttons", "buttons": [["doc:nikskip", "Lewati"]], "header": "", "footer": ""},
)
ADDRESS_PROMPT = "Tulis alamat pemohon: jalan, nomor rumah, gang atau lingkungan."
CONFIRM = {
    "type": "buttons",
    "buttons": [["doc:send", "Kirim"], ["doc:cancel", "Batal"]],
    "header": "",
    "footer": "",
}


def _state() -> str:
    return Conversation.objects.get().bot_state


def _up_to_summary(phone, harjosari_i, *, nik: str = NIK) -> list:
    phone.text("daftar dokumen")
    phone.choose("doc:type:ktp-el")
    phone.text("Siti Aminah")
    if nik:
        phone.text(nik)
    else:
        phone.choose("doc:nikskip")
    phone.choose(f"doc:kel:{harjosari_i.pk}")
    return phone.text("Jl. Garu II No. 5, gang Mawar")


def test_a_full_pre_application_creates_the_application_and_sends_its_code(
    db, phone, harjosari_i, sitirejo_ii
):
    assert phone.text("Daftar dokumen") == [
        ("Dokumen apa yang ingin Anda daftarkan? Pilih dari daftar.", TYPE_LIST)
    ]
    assert phone.choose("doc:type:ktp-el") == [(NAME_PROMPT, None)]
    assert phone.text("Si") == [
        ("Namanya terlalu singkat. Tulis nama lengkap pemohon sesuai KK, ya.", None)
    ]
    assert phone.text("  Siti   Aminah ") == [NIK_PROMPT]
    assert phone.text("1271 0912 3456") == [("Maaf, NIK harus 16 angka.", None), NIK_PROMPT]
    [(text, kelurahan)] = phone.text("1271-0945-0890-0002")
    assert text == "Pemohon tinggal di kelurahan mana?"
    assert kelurahan is not None
    assert kelurahan["sections"][0][1] == [
        [f"doc:kel:{harjosari_i.pk}", "Harjosari I", ""],
        [f"doc:kel:{sitirejo_ii.pk}", "Sitirejo II", ""],
    ]
    assert phone.choose(f"doc:kel:{harjosari_i.pk}") == [(ADDRESS_PROMPT, None)]
    assert phone.text("Jl. Garu II No. 5, gang Mawar") == [
        (
            "Periksa pendaftaran Anda:\n"
            "Dokumen: KTP elektronik (KTP-el)\n"
            "Nama: Siti Aminah\n"
            "NIK: ••••••••••••0002\n"
            "Kelurahan: Harjosari I\n"
            "Alamat: Jl. Garu II No. 5, gang Mawar\n"
            "Tekan *Kirim* bila sudah benar.",
            CONFIRM,
        )
    ]
    assert _state() == "doc_confirm"

    replies = phone.choose("doc:send", "Kirim")

    application = Application.objects.get()
    conversation = Conversation.objects.get()
    assert (
        application.status,
        application.channel,
        application.submission_key,
        application.applicant,
        application.applicant_name,
        application.phone,
        application.nik,
        application.kelurahan,
        application.address,
    ) == (
        Status.PRE_REGISTERED,
        Channel.WHATSAPP,
        f"wa:{phone.last_wamid}",
        conversation.citizen,
        "Siti Aminah",
        "+6281234567890",
        NIK,
        harjosari_i,
        "Jl. Garu II No. 5, gang Mawar",
    )
    # The service's notice (code and what to bring), then the bot's next step.
    [(notice, _), (next_step, _)] = replies
    assert f"kode {application.code}" in notice
    assert "• Fotokopi Kartu Keluarga\n• Surat pengantar kelurahan" in notice
    assert next_step == (
        "Apa selanjutnya? Setelah berkas Anda diterima di loket, petugas memprosesnya; setiap "
        "perkembangan kami kabarkan lewat WhatsApp ini. Cek kapan saja dengan: cek dok <kode>."
    )
    assert (conversation.bot_state, conversation.bot_data) == ("", {})


def test_the_nik_may_be_skipped_and_stays_empty(db, phone, harjosari_i):
    [(summary, _)] = _up_to_summary(phone, harjosari_i, nik="")
    assert "NIK: belum diisi" in summary.splitlines()

    phone.text("kirim")

    assert Application.objects.get().nik == ""


def test_the_confirming_webhook_delivered_twice_makes_one_application(db, phone, harjosari_i):
    _up_to_summary(phone, harjosari_i)
    body = phone.payload(
        {
            "type": "interactive",
            "interactive": {
                "type": "button_reply",
                "button_reply": {"id": "doc:send", "title": "Kirim"},
            },
        }
    )

    first = phone.post(body)
    again = phone.post(body)

    assert Application.objects.count() == 1
    assert len(first) == 2
    assert again == []


def test_the_catalogues_daftar_button_starts_with_that_document(db, phone):
    phone.choose("menu:info")
    phone.choose("doc:info:ktp-el")

    assert phone.choose("doc:apply:ktp-el", "Daftar") == [(NAME_PROMPT, None)]
    assert Conversation.objects.get().bot_data == {"doc": {"type": "ktp-el"}}


def test_a_refused_field_is_explained_and_asked_again(db, phone, harjosari_i):
    phone.text("daftar dokumen")
    phone.choose("doc:type:ktp-el")
    phone.text("Siti " * 30)
    phone.choose("doc:nikskip")
    phone.choose(f"doc:kel:{harjosari_i.pk}")
    phone.text("Jl. Garu II No. 5")

    replies = phone.choose("doc:send")

    assert replies == [
        ("Maaf, nama terlalu panjang (maksimal 120 karakter).", None),
        (NAME_PROMPT, None),
    ]
    assert Application.objects.count() == 0
    assert _state() == "doc_name"
    phone.text("Siti Aminah")
    assert phone.choose("doc:send")[0][0].startswith("Pra-pendaftaran KTP elektronik")
    assert Application.objects.get().applicant_name == "Siti Aminah"


def test_batal_ends_the_pre_application_without_an_application(db, phone, harjosari_i):
    _up_to_summary(phone, harjosari_i)

    assert phone.choose("doc:cancel", "Batal") == [
        ("Baik, dibatalkan. Ketik *menu* untuk melihat layanan.", None)
    ]
    assert Application.objects.count() == 0
    assert _state() == ""


def test_a_misunderstood_answer_asks_the_same_question_again(db, phone):
    phone.text("daftar dokumen")
    phone.choose("doc:type:ktp-el")

    replies = phone.location(latitude=3.5, longitude=98.6)

    assert replies[1] == (NAME_PROMPT, None)
    assert _state() == "doc_name"


def test_a_pre_application_waits_30_minutes_for_an_answer(db, phone):
    with freeze_time(MONDAY_MORNING):
        phone.text("daftar dokumen")
    assert Conversation.objects.get().bot_state_expires_at == MONDAY_MORNING + timedelta(minutes=30)

    with freeze_time(MONDAY_MORNING + timedelta(minutes=31)):
        replies = phone.choose("doc:type:ktp-el")

    assert replies[0][0] == (
        "Sesi sebelumnya sudah berakhir karena lama tidak ada balasan. Mari mulai lagi."
    )
    assert _state() == ""
