"""Temu cepat through the bot: menu → service → day → slot → confirm → the booking notice;
a slot taken meanwhile, a second booking for the same service, and the lists' limits."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import time

import pytest
from freezegun import freeze_time

from telepati.appointments.lifecycle import Status
from telepati.appointments.models import Booking, Channel, OfficeService
from telepati.appointments.services.booking import booking_create
from telepati.appointments.tests.conftest import MONDAY, START, TUESDAY, at, service_make
from telepati.whatsapp.bot import meeting_texts as mt
from telepati.whatsapp.bot.turn import BUTTON_TITLE_MAX, ROW_DESCRIPTION_MAX, ROW_TITLE_MAX
from telepati.whatsapp.models import Conversation
from telepati.whatsapp.tests.test_bot_support import Phone, bot_setup  # noqa: F401

pytestmark = pytest.mark.usefixtures("bot_setup", "clock")

SITI = "+6281234567890"


@pytest.fixture
def clock() -> Iterator[object]:
    with freeze_time(START) as frozen:
        yield frozen


@pytest.fixture
def phone(client, django_capture_on_commit_callbacks) -> Phone:
    return Phone(client, django_capture_on_commit_callbacks)


@pytest.fixture
def adminduk(amplas, amplas_service) -> OfficeService:
    return service_make(
        kecamatan=amplas, unit=amplas_service, description="KTP-el, KK, akta", sort_order=10
    )


@pytest.fixture
def camat_meeting(amplas, amplas_leadership) -> OfficeService:
    return service_make(
        kecamatan=amplas,
        unit=amplas_leadership,
        code="bertemu-camat",
        name="Bertemu Camat",
        short_name="Bertemu Camat",
        weekdays=[1, 3],
        opens_at=time(9, 0),
        closes_at=time(10, 0),
        break_starts_at=None,
        break_ends_at=None,
        capacity_per_slot=1,
        queue_prefix="C",
        what_to_bring="",
        sort_order=20,
    )


def _state() -> tuple[str, dict]:
    conversation = Conversation.objects.get()
    return conversation.bot_state, conversation.bot_data


def _rows(interactive: dict | None) -> list[list[str]]:
    assert interactive is not None
    assert interactive["type"] == "list"
    return interactive["sections"][0][1]


def test_booking_from_the_menu_to_the_code(phone, adminduk, camat_meeting):
    [(text, services)] = phone.choose("menu:meeting")
    assert text == (
        "Temu cepat: pesan waktu untuk datang ke kantor camat, tanpa antre lama. "
        "Pilih layanan yang Anda perlukan."
    )
    assert _rows(services) == [
        [f"meet:svc:{adminduk.pk}", "Loket Adminduk", "KTP-el, KK, akta"],
        [f"meet:svc:{camat_meeting.pk}", "Bertemu Camat", ""],
    ]

    [(text, days)] = phone.choose(f"meet:svc:{adminduk.pk}")
    assert text == "Loket Administrasi Kependudukan: pilih hari kedatangan."
    day_rows = _rows(days)
    assert len(day_rows) == 9  # the working days within 10 days ahead
    assert day_rows[0] == [
        f"meet:day:{adminduk.pk}:2026-11-02",
        "Senin, 2 Nov",
        "24 tempat tersedia",
    ]

    [(text, slots)] = phone.choose(f"meet:day:{adminduk.pk}:2026-11-02")
    assert text == "Loket Administrasi Kependudukan, Senin, 2 November 2026: pilih jam kedatangan."
    slot_rows = _rows(slots)
    assert len(slot_rows) == 10  # 12 slots: nine and "Lainnya…"
    assert slot_rows[0] == [
        f"meet:slot:{adminduk.pk}:2026-11-02T0800",
        "08.00–08.30 (2 tempat)",
        "",
    ]
    assert slot_rows[-1][0] == f"meet:slotpage:{adminduk.pk}:2026-11-02:1"
    [(_text, page)] = phone.choose(slot_rows[-1][0])
    assert slot_rows[8][1] == "13.00–13.30 (2 tempat)"
    assert [row[1] for row in _rows(page)] == [
        "13.30–14.00 (2 tempat)",
        "14.00–14.30 (2 tempat)",
        "14.30–15.00 (2 tempat)",
    ]

    [(text, buttons)] = phone.choose(f"meet:slot:{adminduk.pk}:2026-11-02T1000")
    assert text == (
        "Periksa janji temu Anda:\nLayanan: Loket Administrasi Kependudukan\n"
        "Waktu: Senin, 2 November 2026, 10.00–10.30 WIB\nAtas nama: Siti Aminah\n"
        "Yang perlu dibawa:\n• KTP-el asli\n• Kartu Keluarga asli\nPesan janji ini?"
    )
    assert buttons is not None
    assert buttons["buttons"] == [["meet:ok", "Ya, pesan"], ["meet:no", "Batal"]]
    assert _state()[0] == "meet_confirm"

    [(notice, _none)] = phone.choose("meet:ok", "Ya, pesan")

    booking = Booking.objects.get()
    assert (booking.status, booking.channel, booking.slot_start) == (
        Status.BOOKED,
        Channel.WHATSAPP,
        at(MONDAY, 10),
    )
    assert booking.submission_key == f"wa:{phone.last_wamid}"
    assert (booking.phone, booking.name) == (SITI, "Siti Aminah")
    assert notice.startswith("Janji temu Anda tercatat.\nKode: J2611-0001\n")
    assert "Nomor antrean: A-001" in notice
    assert _state() == ("", {})


def test_a_typed_yes_confirms_and_no_drops(phone, adminduk):
    phone.choose(f"meet:slot:{adminduk.pk}:2026-11-02T1000")
    assert phone.text("tidak") == [
        ("Baik, janji temu tidak jadi dibuat. Ketik *menu* untuk melihat layanan.", None)
    ]
    phone.choose(f"meet:slot:{adminduk.pk}:2026-11-02T1000")
    [(notice, _none)] = phone.text("Ya!")

    assert notice.startswith("Janji temu Anda tercatat.")


def test_a_slot_taken_meanwhile_offers_the_nearest_free_slots(phone, camat_meeting):
    phone.choose(f"meet:slot:{camat_meeting.pk}:2026-11-03T0930")
    booking_create(
        service_id=camat_meeting.pk,
        day=TUESDAY,
        slot_start=at(TUESDAY, 9, 30),
        name="Budi",
        phone="+6285261234567",
        channel=Channel.WEB,
    )

    [(text, alternatives)] = phone.choose("meet:ok")

    assert text == (
        "Maaf, slot Selasa, 3 November 2026, 09.30–10.00 WIB baru saja penuh. Pilih salah "
        "satu waktu terdekat yang masih kosong."
    )
    assert _rows(alternatives) == [
        [
            f"meet:slot:{camat_meeting.pk}:2026-11-03T0900",
            "09.00–09.30 (1 tempat)",
            "Selasa, 3 Nov",
        ],
        [f"meet:slot:{camat_meeting.pk}:2026-11-05T0900", "09.00–09.30 (1 tempat)", "Kamis, 5 Nov"],
        [f"meet:slot:{camat_meeting.pk}:2026-11-05T0930", "09.30–10.00 (1 tempat)", "Kamis, 5 Nov"],
    ]
    assert _state()[0] == "meet_slot"
    phone.choose(f"meet:slot:{camat_meeting.pk}:2026-11-03T0900")
    [(notice, _none)] = phone.choose("meet:ok")
    assert "Waktu: Selasa, 3 November 2026, 09.00–09.30 WIB" in notice


def test_a_second_booking_for_the_same_service_offers_the_first_one(phone, adminduk):
    phone.choose(f"meet:slot:{adminduk.pk}:2026-11-02T1000")
    phone.choose("meet:ok")
    phone.choose(f"meet:slot:{adminduk.pk}:2026-11-02T1100")

    [(text, buttons)] = phone.choose("meet:ok")

    assert text.startswith(
        "Anda sudah punya janji temu Loket Administrasi Kependudukan dengan kode J2611-0001"
    )
    assert buttons is not None
    assert buttons["buttons"] == [
        ["meet:resched:J2611-0001", "Jadwal ulang"],
        ["meet:cancel:J2611-0001", "Batalkan janji"],
    ]
    assert Booking.objects.count() == 1


def test_a_resent_confirmation_books_once(phone, adminduk):
    phone.choose(f"meet:slot:{adminduk.pk}:2026-11-02T1000")
    body = phone.payload(
        {
            "id": "wamid.same-ok",
            "type": "interactive",
            "interactive": {
                "type": "button_reply",
                "button_reply": {"id": "meet:ok", "title": "Ya"},
            },
        }
    )
    phone.post(body)
    phone.post(body)

    assert Booking.objects.count() == 1


def test_a_full_week_answers_that_nothing_is_free(phone, camat_meeting):
    for day in (TUESDAY, MONDAY.replace(day=5), MONDAY.replace(day=10), MONDAY.replace(day=12)):
        for minute in (0, 30):
            booking_create(
                service_id=camat_meeting.pk,
                day=day,
                slot_start=at(day, 9, minute),
                name="Warga",
                phone=f"+62813000{day.day:02d}{minute:02d}0",
                channel=Channel.WEB,
            )

    assert phone.choose(f"meet:svc:{camat_meeting.pk}") == [
        (
            "Maaf, jadwal Bertemu Camat sudah penuh untuk hari-hari yang dapat dipesan. Silakan "
            "coba lagi besok, atau pilih layanan lain di menu.",
            None,
        )
    ]


def test_texts_stay_within_whatsapps_limits(db):
    buttons = (
        mt.confirm_buttons(True)
        + mt.confirm_buttons(False)
        + mt.booking_buttons("J2611-0001")
        + mt.cancel_buttons("J2611-0001")
    )
    assert all(len(title) <= BUTTON_TITLE_MAX for _id, title in buttons)
    assert len(mt.slot_title(at(MONDAY, 13), at(MONDAY, 13, 30), 10)) <= ROW_TITLE_MAX
    assert len(mt.day_title(MONDAY.replace(day=4))) <= ROW_TITLE_MAX
    assert len(mt.day_description(120)) <= ROW_DESCRIPTION_MAX
    for text in (mt.services_button(), mt.days_button(), mt.slots_button(), mt.list_button()):
        assert len(text) <= 20
