"""Bot conversations about population documents: checking an application, the catalogue,
and the limit on failed look-ups."""

from __future__ import annotations

from datetime import datetime

import pytest
from freezegun import freeze_time

from telepati.core.workdays import WIB
from telepati.documents.lifecycle import Status
from telepati.documents.models import DocumentType
from telepati.whatsapp.bot import documents_texts as dt
from telepati.whatsapp.bot import texts
from telepati.whatsapp.bot.turn import BUTTON_TITLE_MAX, ROW_DESCRIPTION_MAX, ROW_TITLE_MAX
from telepati.whatsapp.models import Conversation
from telepati.whatsapp.tests import test_bot_documents_support as support
from telepati.whatsapp.tests.test_bot_documents_support import (
    BUDI_PHONE,
    MONDAY_MORNING,
    NIK,
    application_make,
    snapshot,
)
from telepati.whatsapp.tests.test_bot_support import bot_setup  # noqa: F401

# Fixtures shared by the document conversations (test_bot_documents_support).
budi = support.budi
catalogue = support.catalogue
ktp_type = support.ktp_type
letter_type = support.letter_type
phone = support.phone

pytestmark = pytest.mark.usefixtures("bot_setup", "catalogue")

NOT_FOUND = (
    "Permohonan {code} tidak kami temukan di antara permohonan Anda. Periksa kembali kodenya, "
    "lalu ketik: cek dok <kode permohonan>."
)
TOO_MANY = (
    "Maaf, sudah terlalu banyak kode yang tidak cocok dalam satu jam terakhir. Demi keamanan "
    "data warga, silakan coba lagi nanti, atau tanyakan langsung ke kantor kecamatan dengan "
    "membawa KTP-el."
)


def _state() -> tuple[str, dict]:
    conversation = Conversation.objects.get()
    return conversation.bot_state, conversation.bot_data


def _processing(ktp_type, code: str = "D2611-0001", **fields):
    return application_make(
        ktp_type,
        code=code,
        applied_at=MONDAY_MORNING,
        due_at=datetime(2026, 11, 9, 10, 0, tzinfo=WIB),
        **fields,
    )


# --- Checking one application ------------------------------------------------------------


def test_cek_dok_shows_the_residents_own_application_without_the_nik(db, phone, ktp_type):
    _processing(ktp_type)

    replies = phone.text("Cek  dok #d2611-0001")

    assert replies == [
        (
            "Permohonan D2611-0001\n"
            "Dokumen: KTP elektronik (KTP-el)\n"
            "Status: Diproses\n"
            "Didaftarkan: 2 November 2026, 10.00 WIB\n"
            "Target selesai: Senin, 9 November 2026",
            None,
        )
    ]
    assert NIK not in replies[0][0]
    assert NIK[-4:] not in replies[0][0]
    assert _state() == ("", {})


def test_a_needs_fix_application_says_what_to_fix(db, phone, ktp_type):
    _processing(ktp_type, status=Status.NEEDS_FIX, fix_note="Fotokopi KK tidak terbaca.")

    [(text, _)] = phone.text("cek dok D2611-0001")

    assert text.splitlines()[2:] == [
        "Status: Perlu perbaikan",
        "Didaftarkan: 2 November 2026, 10.00 WIB",
        "Target selesai: Senin, 9 November 2026",
        "Yang perlu diperbaiki: Fotokopi KK tidak terbaca.",
        "Bawa perbaikannya ke kantor kecamatan.",
    ]


def test_a_pre_registration_lists_what_to_bring(db, phone, ktp_type):
    application_make(
        ktp_type, code="D2611-0003", status=Status.PRE_REGISTERED, applied_at=MONDAY_MORNING
    )

    [(text, _)] = phone.text("cek dok D2611-0003")

    assert text.splitlines()[2:] == [
        "Status: Pra-pendaftaran",
        "Didaftarkan: 2 November 2026, 10.00 WIB",
        "Bawa berkas asli berikut ke kantor kecamatan dan sebutkan kode ini:",
        "• Fotokopi Kartu Keluarga",
        "• Surat pengantar kelurahan",
    ]


def test_an_issued_document_offers_pickup_and_delivery_buttons(db, phone, ktp_type, letter_type):
    issued = datetime(2026, 11, 6, 14, 30, tzinfo=WIB)
    application_make(
        ktp_type,
        code="D2611-0001",
        status=Status.ISSUED,
        applied_at=MONDAY_MORNING,
        issued_at=issued,
    )
    application_make(letter_type, code="D2611-0002", status=Status.ISSUED, issued_at=issued)

    [(text, interactive)] = phone.text("cek dok D2611-0001")
    assert text.splitlines()[2:] == [
        "Status: Terbit",
        "Didaftarkan: 2 November 2026, 10.00 WIB",
        "Terbit: 6 November 2026, 14.30 WIB",
        "Pilih cara menerimanya: ambil di kantor, atau kami antar ke rumah.",
    ]
    assert interactive is not None
    assert interactive["buttons"] == [
        ["doc:pickup:D2611-0001", "Ambil di kantor"],
        ["doc:delivery:D2611-0001", "Antar ke rumah"],
    ]

    [(text, interactive)] = phone.text("cek dok D2611-0002")
    assert text.splitlines()[-1] == (
        "Dokumen ini diambil di kantor. Tekan *Ambil di kantor* untuk melihat yang dibawa."
    )
    assert interactive is not None
    assert interactive["buttons"] == [["doc:pickup:D2611-0002", "Ambil di kantor"]]


def test_after_issue_the_status_says_where_and_when(db, phone, ktp_type):
    application_make(
        ktp_type,
        code="D2611-0001",
        status=Status.DELIVERY_SCHEDULED,
        delivery_date=datetime(2026, 11, 10).date(),
        delivery_address="Jl. Garu II No. 5",
    )
    application_make(ktp_type, code="D2611-0002", status=Status.READY_FOR_PICKUP)

    assert phone.text("cek dok D2611-0001")[0][0].splitlines()[-2:] == [
        "Diantar: Selasa, 10 November 2026",
        "Alamat: Jl. Garu II No. 5",
    ]
    assert phone.text("cek dok D2611-0002")[0][0].splitlines()[-1] == (
        "Silakan ambil di kantor kecamatan pada jam kerja (Senin–Jumat, 08.00–16.00 WIB) "
        "dengan membawa KTP-el/KK asli dan kode permohonan. Bila diwakilkan, bawa surat kuasa."
    )


def test_a_plain_cek_with_a_document_code_checks_the_document(db, phone, ktp_type):
    _processing(ktp_type)

    assert phone.text("cek D2611-0001")[0][0].startswith("Permohonan D2611-0001\n")


def test_another_residents_code_and_an_unknown_code_get_the_same_answer(db, phone, ktp_type):
    other = _processing(ktp_type, code="D2611-0002", phone=BUDI_PHONE, applicant_name="Budi")
    before = snapshot(other)

    assert phone.text("cek dok D2611-0002") == [(NOT_FOUND.format(code="D2611-0002"), None)]
    assert phone.text("cek dok D2611-9999") == [(NOT_FOUND.format(code="D2611-9999"), None)]
    assert snapshot(other) == before


def test_the_applicant_citizen_sees_an_application_under_another_number(db, phone, ktp_type):
    phone.text("halo")
    citizen = Conversation.objects.get().citizen
    _processing(ktp_type, phone=BUDI_PHONE, applicant=citizen)

    assert phone.text("cek dok D2611-0001")[0][0].startswith("Permohonan D2611-0001\n")


# --- Without a code ----------------------------------------------------------------------


def test_without_a_code_the_open_applications_are_listed(db, phone, ktp_type, letter_type):
    _processing(ktp_type, code="D2611-0001")
    application_make(letter_type, code="D2611-0002", status=Status.READY_FOR_PICKUP)
    application_make(ktp_type, code="D2610-0009", status=Status.HANDED_OVER)
    application_make(ktp_type, code="D2611-0005", phone=BUDI_PHONE)

    replies = phone.choose("menu:document")  # newest first

    assert replies == [
        (
            "Permohonan dokumen Anda yang sedang berjalan: 2. Pilih salah satu untuk melihat "
            "rinciannya, atau ketik: cek dok <kode permohonan>.",
            {
                "type": "list",
                "button": "Lihat permohonan",
                "sections": [
                    [
                        "",
                        [
                            [
                                "doc:status:D2611-0002",
                                "D2611-0002",
                                "Surat Keterangan Domisili · Siap diambil",
                            ],
                            [
                                "doc:status:D2611-0001",
                                "D2611-0001",
                                "KTP elektronik (KTP-el) · Diproses",
                            ],
                        ],
                    ]
                ],
                "header": "",
                "footer": "",
            },
        )
    ]
    assert phone.choose("doc:status:D2611-0002")[0][0].startswith("Permohonan D2611-0002\n")


def test_without_open_applications_the_bot_asks_for_the_code(db, phone, ktp_type):
    _processing(ktp_type, code="D2611-0001", phone=BUDI_PHONE)

    assert phone.text("cek dok") == [
        ("Ketik kode permohonan dokumen Anda, misalnya D2611-0042.", None)
    ]
    assert _state() == ("doc_check_code", {})
    assert phone.text("d2611-0001") == [(NOT_FOUND.format(code="D2611-0001"), None)]
    assert _state() == ("", {})


def test_a_check_in_the_middle_of_a_pre_application_keeps_the_draft(db, phone, ktp_type):
    _processing(ktp_type)
    phone.text("daftar dokumen")
    phone.choose("doc:type:ktp-el")

    assert phone.text("cek dok D2611-0001")[0][0].startswith("Permohonan D2611-0001\n")
    assert _state() == ("doc_name", {"doc": {"type": "ktp-el"}})


def test_the_code_typed_after_the_prompt_shows_the_status(db, phone, ktp_type):
    phone.text("cek dokumen")
    _processing(ktp_type)

    assert phone.text(" #D2611-0001 ")[0][0].startswith("Permohonan D2611-0001\n")


# --- Enumeration limit ---------------------------------------------------------------------


def test_five_failed_lookups_an_hour_then_a_polite_refusal_without_a_lookup(
    db, phone, budi, ktp_type, monkeypatch
):
    _processing(ktp_type, code="D2611-0001")
    from telepati.whatsapp.bot import documents

    lookups: list[str] = []
    real = documents.application_get_for_citizen

    def counting(*, code, citizen):
        lookups.append(code)
        return real(code=code, citizen=citizen)

    monkeypatch.setattr(documents, "application_get_for_citizen", counting)

    with freeze_time(MONDAY_MORNING):
        assert phone.text("cek dok D2611-0001")[0][0].startswith("Permohonan D2611-0001")
        for n in range(1, 6):
            assert phone.text(f"cek dok D2611-900{n}") == [
                (NOT_FOUND.format(code=f"D2611-900{n}"), None)
            ]
        assert len(lookups) == 6

        assert phone.text("cek dok D2611-9006") == [(TOO_MANY, None)]
        assert phone.text("cek dok D2611-0001") == [(TOO_MANY, None)]
        assert phone.choose("doc:pickup:D2611-0001") == [(TOO_MANY, None)]
        assert len(lookups) == 6
        # Another resident has a count of their own.
        assert budi.text("cek dok D2611-9001") == [(NOT_FOUND.format(code="D2611-9001"), None)]

    with freeze_time(MONDAY_MORNING.replace(hour=12)):
        assert phone.text("cek dok D2611-0001")[0][0].startswith("Permohonan D2611-0001")


# --- The catalogue -------------------------------------------------------------------------


INFO_LIST = {
    "type": "list",
    "button": "Lihat layanan",
    "sections": [
        [
            "",
            [
                ["doc:info:ktp-el", "KTP-el", "Rekam dan cetak KTP-el baru atau pengganti"],
                ["doc:info:sk-domisili", "SK Domisili", ""],
            ],
        ]
    ],
    "header": "",
    "footer": "",
}


def test_service_info_lists_the_document_catalogue(db, phone):
    assert phone.choose("menu:info") == [
        (
            "Layanan dokumen kependudukan di kantor kecamatan. Pilih satu untuk melihat "
            "persyaratan, biaya dan lama prosesnya.",
            INFO_LIST,
        )
    ]


def test_a_document_type_shows_requirements_fee_days_delivery_and_how_to_register(db, phone):
    phone.choose("menu:info")

    assert phone.choose("doc:info:ktp-el") == [
        (
            "*KTP elektronik (KTP-el)*\n"
            "Rekam dan cetak KTP-el baru atau pengganti\n"
            "Persyaratan (bawa yang asli):\n"
            "• Fotokopi Kartu Keluarga\n"
            "• Surat pengantar kelurahan\n"
            "Biaya: Gratis (tidak dipungut biaya)\n"
            "Lama proses: sekitar 5 hari kerja\n"
            "Bisa diantar ke rumah setelah terbit.\n"
            "Daftar lebih dulu lewat WhatsApp: tekan *Daftar* atau ketik *daftar dokumen*, lalu "
            "bawa persyaratannya ke kantor kecamatan.",
            {
                "type": "buttons",
                "buttons": [
                    ["doc:apply:ktp-el", "Daftar"],
                    ["menu:info", "Layanan lain"],
                    ["proposal:menu", "Menu"],
                ],
                "header": "",
                "footer": "",
            },
        )
    ]
    [(text, _)] = phone.choose("doc:info:sk-domisili")
    assert "Diambil di kantor setelah terbit (tidak diantar)." in text.splitlines()


def test_a_long_catalogue_pages_within_whatsapps_ten_rows(db, phone, amplas, amplas_service):
    for n in range(10):
        DocumentType.objects.create(
            kecamatan=amplas,
            code=f"akta-{n}",
            name=f"Akta nomor {n} dengan nama yang panjang sekali",
            short_name=f"Akta {n}",
            description="x" * 100,
            handling_unit=amplas_service,
            sort_order=30 + n,
        )
    DocumentType.objects.create(
        kecamatan=amplas,
        code="lama",
        name="Tidak aktif",
        short_name="Lama",
        handling_unit=amplas_service,
        is_active=False,
    )

    [(_, first)] = phone.choose("menu:info")
    rows = first["sections"][0][1]
    assert [row[0] for row in rows] == [
        "doc:info:ktp-el",
        "doc:info:sk-domisili",
        *[f"doc:info:akta-{n}" for n in range(7)],
        "doc:infopage:1",
    ]
    assert all(len(t) <= ROW_TITLE_MAX and len(d) <= ROW_DESCRIPTION_MAX for _, t, d in rows)

    [(_, second)] = phone.choose("doc:infopage:1")
    assert [row[0] for row in second["sections"][0][1]] == [
        f"doc:info:akta-{n}" for n in range(7, 10)
    ]


def test_menu_and_document_titles_stay_within_whatsapps_limits(db):
    for _id, title, description in texts.menu_rows():
        assert len(title) <= ROW_TITLE_MAX
        assert len(description) <= ROW_DESCRIPTION_MAX
    buttons = (
        dt.type_info_buttons("doc:apply:x")
        + dt.confirm_buttons()
        + dt.address_buttons("D2611-0001")
    )
    titles = [t for _, t in buttons] + [dt.skip_button(), dt.pickup_button(), dt.delivery_button()]
    assert all(len(title) <= BUTTON_TITLE_MAX for title in titles)
    lists = [dt.info_button(), dt.open_list_button(), dt.type_button(), dt.day_button()]
    assert all(len(button) <= BUTTON_TITLE_MAX for button in [*lists, dt.kelurahan_button()])
