"""The buttons under the "terbit" notice: pick-up, or delivery with the address and a day.

Taps arrive as interactive button replies (inside the 24-hour window) or as template
quick-reply payloads (outside it, message type "button"); both carry the same reply id.
"""

from __future__ import annotations

from datetime import date

import pytest
from freezegun import freeze_time

from telepati.documents.lifecycle import Status
from telepati.documents.models import HandoverMode
from telepati.documents.services.pipeline import application_issue
from telepati.messaging.models import OutboundMessage
from telepati.whatsapp.models import Conversation
from telepati.whatsapp.tests import test_bot_documents_support as support
from telepati.whatsapp.tests.test_bot_documents_support import (
    BUDI_PHONE,
    MONDAY_MORNING,
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

CODE = "D2611-0001"
ADDRESS_ON_FILE = "Jl. Garu II No. 5, gang Mawar"
DAYS = {
    "type": "list",
    "button": "Pilih hari",
    "sections": [
        [
            "",
            [
                [f"doc:day:{CODE}:2026-11-03", "Selasa, 3 November", ""],
                [f"doc:day:{CODE}:2026-11-04", "Rabu, 4 November", ""],
                [f"doc:day:{CODE}:2026-11-05", "Kamis, 5 November", ""],
                [f"doc:day:{CODE}:2026-11-06", "Jumat, 6 November", ""],
                [f"doc:day:{CODE}:2026-11-09", "Senin, 9 November", ""],
            ],
        ]
    ],
    "header": "",
    "footer": "",
}


def _template_tap(phone, payload: str, text: str):
    """A tap on a template's quick-reply button (sent while the window was closed)."""
    return phone.send({"type": "button", "button": {"payload": payload, "text": text}})


def _day_prompt(address: str) -> str:
    return (
        f"Diantar ke: {address}\nPilih hari pengantaran. Kurir datang pada jam kerja; pastikan "
        "ada yang menerima dengan membawa KTP-el."
    )


def _state() -> tuple[str, dict]:
    conversation = Conversation.objects.get()
    return conversation.bot_state, conversation.bot_data


@pytest.fixture
def issued(ktp_type, desk_operator):
    """Siti's KTP-el, issued through the pipeline: the notice carries the two buttons."""
    application = application_make(ktp_type, code=CODE, status=Status.SUBMITTED)
    with freeze_time(MONDAY_MORNING):
        return application_issue(actor=desk_operator, application_id=application.pk)


# --- Pick-up -------------------------------------------------------------------------------


def test_the_notices_pickup_button_makes_the_document_ready_for_pickup(db, phone, issued):
    notice = OutboundMessage.objects.get(dedupe_key=f"application:{issued.pk}:issued")
    assert notice.interactive is not None
    assert notice.interactive["buttons"][0] == [f"doc:pickup:{CODE}", "Ambil di kantor"]

    replies = phone.choose(f"doc:pickup:{CODE}", "Ambil di kantor")

    issued.refresh_from_db()
    assert (issued.status, issued.handover_mode) == (Status.READY_FOR_PICKUP, HandoverMode.PICKUP)
    # The service's notice (hours, what to bring) is the only answer.
    [row] = OutboundMessage.objects.filter(dedupe_key__startswith=f"application:{issued.pk}:pickup")
    assert replies == [(row.text, None)]


def test_a_second_pickup_tap_changes_nothing_and_says_so(db, phone, issued):
    phone.choose(f"doc:pickup:{CODE}")
    before = snapshot(issued)

    assert _template_tap(phone, f"doc:pickup:{CODE}", "Ambil di kantor") == [
        ("Pilihan Anda sudah tercatat: dokumen diambil di kantor.", None)
    ]
    assert snapshot(issued) == before


def test_pickup_before_the_document_is_issued_is_refused_kindly(db, phone, ktp_type):
    application = application_make(ktp_type, code=CODE, status=Status.PROCESSING)
    before = snapshot(application)

    assert phone.choose(f"doc:pickup:{CODE}") == [
        (
            "Maaf, tindakan “Ambil di kantor” tidak berlaku untuk permohonan berstatus Diproses.",
            None,
        )
    ]
    assert snapshot(application) == before


# --- Delivery ------------------------------------------------------------------------------


def test_delivery_from_a_template_payload_confirms_the_address_and_books_a_day(db, phone, issued):
    with freeze_time(MONDAY_MORNING):
        assert _template_tap(phone, f"doc:delivery:{CODE}", "Antar ke rumah") == [
            (
                f"KTP elektronik (KTP-el) Anda (kode {CODE}) akan diantar ke alamat ini:\n"
                f"{ADDRESS_ON_FILE}\nApakah alamatnya benar?",
                {
                    "type": "buttons",
                    "buttons": [
                        [f"doc:addrok:{CODE}", "Alamat benar"],
                        [f"doc:addredit:{CODE}", "Ubah alamat"],
                    ],
                    "header": "",
                    "footer": "",
                },
            )
        ]
        assert _state() == ("doc_delivery_address", {"code": CODE, "address": ADDRESS_ON_FILE})
        assert phone.choose(f"doc:addrok:{CODE}", "Alamat benar") == [
            (_day_prompt(ADDRESS_ON_FILE), DAYS)
        ]
        assert _state()[0] == "doc_delivery_day"

        replies = phone.choose(f"doc:day:{CODE}:2026-11-05", "Kamis, 5 November")

    issued.refresh_from_db()
    assert (
        issued.status,
        issued.handover_mode,
        issued.delivery_address,
        issued.delivery_date,
    ) == (Status.DELIVERY_SCHEDULED, HandoverMode.DELIVERY, ADDRESS_ON_FILE, date(2026, 11, 5))
    [row] = OutboundMessage.objects.filter(
        dedupe_key__startswith=f"application:{issued.pk}:delivery"
    )
    assert replies == [(row.text, None)]
    assert _state() == ("", {})


def test_a_changed_address_is_asked_for_and_used(db, phone, issued):
    with freeze_time(MONDAY_MORNING):
        phone.choose(f"doc:delivery:{CODE}")
        assert phone.choose(f"doc:addredit:{CODE}", "Ubah alamat") == [
            (
                "Tulis alamat pengantaran lengkap: jalan, nomor rumah, gang atau lingkungan, "
                "dan patokannya.",
                None,
            )
        ]
        assert phone.text("Gg") == [
            ("Alamatnya terlalu singkat. Tulis nama jalan, nomor rumah dan gangnya, ya.", None)
        ]
        new_address = "Jl. Pertahanan No. 12, depan masjid"
        assert phone.text(f"  {new_address} ") == [(_day_prompt(new_address), DAYS)]
        phone.choose(f"doc:day:{CODE}:2026-11-09")

    issued.refresh_from_db()
    assert (issued.status, issued.delivery_address, issued.delivery_date) == (
        Status.DELIVERY_SCHEDULED,
        new_address,
        date(2026, 11, 9),
    )


def test_the_address_may_be_confirmed_by_typing(db, phone, issued):
    with freeze_time(MONDAY_MORNING):
        phone.choose(f"doc:delivery:{CODE}")

        assert phone.text("Ya, benar!") == [(_day_prompt(ADDRESS_ON_FILE), DAYS)]


def test_a_misunderstood_message_shows_the_days_again(db, phone, issued):
    with freeze_time(MONDAY_MORNING):
        phone.choose(f"doc:delivery:{CODE}")
        phone.choose(f"doc:addrok:{CODE}")

        replies = phone.text("kapan saja")

    assert replies[1] == (_day_prompt(ADDRESS_ON_FILE), DAYS)
    assert _state()[0] == "doc_delivery_day"


def test_a_day_not_offered_is_refused_and_nothing_changes(db, phone, issued):
    before = snapshot(issued)
    with freeze_time(MONDAY_MORNING):
        phone.choose(f"doc:delivery:{CODE}")
        phone.choose(f"doc:addrok:{CODE}")

        [(text, _)] = phone.choose(f"doc:day:{CODE}:2026-12-25")

    assert text.startswith("Maaf, pilih salah satu hari antar: Selasa, 3 November 2026;")
    assert snapshot(issued) == before


def test_a_document_that_is_not_delivered_offers_pickup_instead(db, phone, letter_type):
    application = application_make(letter_type, code=CODE, status=Status.ISSUED)
    before = snapshot(application)

    assert phone.choose(f"doc:delivery:{CODE}") == [
        (
            "Maaf, Surat Keterangan Domisili tidak dapat diantar. Silakan ambil di kantor "
            "kecamatan.",
            {
                "type": "buttons",
                "buttons": [[f"doc:pickup:{CODE}", "Ambil di kantor"]],
                "header": "",
                "footer": "",
            },
        )
    ]
    assert snapshot(application) == before


def test_after_a_failed_attempt_the_delivery_button_books_a_new_day(db, phone, ktp_type):
    application = application_make(
        ktp_type,
        code=CODE,
        status=Status.DELIVERY_SCHEDULED,
        handover_mode=HandoverMode.DELIVERY,
        delivery_address="Jl. Garu II No. 5",
        delivery_date=date(2026, 11, 2),
    )
    with freeze_time(MONDAY_MORNING):
        [(text, _)] = _template_tap(phone, f"doc:delivery:{CODE}", "Antar ke rumah")
        assert "Jl. Garu II No. 5\nApakah alamatnya benar?" in text
        phone.choose(f"doc:addrok:{CODE}")
        phone.choose(f"doc:day:{CODE}:2026-11-04")

    application.refresh_from_db()
    assert (application.status, application.delivery_date) == (
        Status.DELIVERY_SCHEDULED,
        date(2026, 11, 4),
    )


# --- Someone else's code -------------------------------------------------------------------


@pytest.mark.parametrize(
    "reply_id",
    [
        f"doc:pickup:{CODE}",
        f"doc:delivery:{CODE}",
        f"doc:addrok:{CODE}",
        f"doc:addredit:{CODE}",
        f"doc:day:{CODE}:2026-11-04",
        f"doc:status:{CODE}",
    ],
)
def test_buttons_with_another_residents_code_are_not_found_and_change_nothing(
    db, phone, ktp_type, reply_id
):
    other = application_make(
        ktp_type, code=CODE, status=Status.ISSUED, phone=BUDI_PHONE, applicant_name="Budi"
    )
    before = snapshot(other)

    with freeze_time(MONDAY_MORNING):
        assert phone.choose(reply_id) == [
            (
                f"Permohonan {CODE} tidak kami temukan di antara permohonan Anda. Periksa "
                "kembali kodenya, lalu ketik: cek dok <kode permohonan>.",
                None,
            )
        ]
    assert snapshot(other) == before
    assert _state() == ("", {})
