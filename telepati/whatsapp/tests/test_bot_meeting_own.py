"""One's own bookings through the bot: "janji", cancelling (asked once, or "batal janji
<kode>"), "jadwal ulang"; other people's codes are not found; a misunderstood answer asks
again."""

from __future__ import annotations

import pytest

from telepati.appointments.lifecycle import Status
from telepati.appointments.models import Booking, Channel
from telepati.appointments.services.booking import booking_create
from telepati.appointments.tests.conftest import MONDAY, TUESDAY, at
from telepati.whatsapp.models import Conversation
from telepati.whatsapp.tests import test_bot_meeting as flow
from telepati.whatsapp.tests.test_bot_support import bot_setup  # noqa: F401

adminduk = flow.adminduk
camat_meeting = flow.camat_meeting
clock = flow.clock
phone = flow.phone

pytestmark = pytest.mark.usefixtures("bot_setup", "clock")

SITI = "+6281234567890"


def _book(service, *, slot=None, phone_number: str = SITI, name: str = "Siti Aminah") -> Booking:
    start = slot or at(MONDAY, 10)
    return booking_create(
        service_id=service.pk,
        day=start.date(),
        slot_start=start,
        name=name,
        phone=phone_number,
        channel=Channel.WEB,
    )


def _state() -> str:
    return Conversation.objects.get().bot_state


def test_janji_without_bookings_points_to_the_menu(phone, adminduk):
    assert phone.text("janji") == [
        (
            "Anda belum punya janji temu yang aktif. Pilih *Temu cepat* di menu untuk membuatnya.",
            None,
        )
    ]


def test_janji_shows_the_one_booking_with_its_buttons(phone, adminduk):
    booking = _book(adminduk)

    [(text, buttons)] = phone.text("Janji")

    assert text == (
        f"Janji temu {booking.code}\nLayanan: Loket Administrasi Kependudukan\n"
        "Waktu: Senin, 2 November 2026, 10.00–10.30 WIB\nNomor antrean: A-001\n"
        "Status: Terjadwal"
    )
    assert buttons is not None
    assert buttons["buttons"] == [
        [f"meet:resched:{booking.code}", "Jadwal ulang"],
        [f"meet:cancel:{booking.code}", "Batalkan janji"],
    ]


def test_several_bookings_come_as_a_list(phone, adminduk, camat_meeting):
    first = _book(adminduk)
    second = _book(camat_meeting, slot=at(TUESDAY, 9))

    [(text, interactive)] = phone.text("janji saya")

    assert text == "Janji temu Anda yang aktif: 2. Pilih salah satu untuk melihat rinciannya."
    assert interactive is not None
    assert [row[0] for row in interactive["sections"][0][1]] == [
        f"meet:show:{first.code}",
        f"meet:show:{second.code}",
    ]
    [(details, _buttons)] = phone.choose(f"meet:show:{second.code}")
    assert details.startswith(f"Janji temu {second.code}\nLayanan: Bertemu Camat")


def test_cancelling_asks_once_then_the_service_tells_the_resident(phone, adminduk):
    booking = _book(adminduk)

    [(question, buttons)] = phone.choose(f"meet:cancel:{booking.code}")
    assert question == (
        f"Batalkan janji temu {booking.code} (Loket Administrasi Kependudukan, Senin, "
        "2 November 2026, 10.00–10.30 WIB)?"
    )
    assert buttons is not None
    assert buttons["buttons"] == [
        [f"meet:cancelok:{booking.code}", "Ya, batalkan"],
        ["meet:keep", "Tidak"],
    ]
    assert phone.text("tidak") == [("Baik, janji temu Anda tetap berlaku.", None)]
    assert Booking.objects.get().status == Status.BOOKED

    phone.choose(f"meet:cancel:{booking.code}")
    [(notice, _none)] = phone.text("ya")

    assert notice.startswith(f"Janji temu {booking.code} (Loket Administrasi Kependudukan")
    assert Booking.objects.get().status == Status.CANCELLED
    assert adminduk.loads.get().taken == 0


def test_batal_janji_with_a_code_cancels_at_once(phone, adminduk):
    booking = _book(adminduk)

    [(notice, _none)] = phone.text(f"batal janji {booking.code.lower()}")

    assert "dibatalkan" in notice
    assert Booking.objects.get().status == Status.CANCELLED


def test_someone_elses_code_is_not_found_and_nothing_changes(phone, adminduk):
    other = _book(adminduk, phone_number="+6285261234567", name="Budi")

    for reply in (
        phone.text(f"batal janji {other.code}"),
        phone.choose(f"meet:cancel:{other.code}"),
    ):
        assert reply == [
            (
                f"Janji temu {other.code} tidak kami temukan di antara janji Anda. Ketik "
                "*janji* untuk melihat janji temu Anda.",
                None,
            )
        ]
    assert Booking.objects.get().status == Status.BOOKED


def test_jadwal_ulang_walks_the_days_and_slots_and_keeps_the_code(phone, adminduk):
    booking = _book(adminduk)

    [(_text, days)] = phone.text("jadwal ulang")
    assert days is not None
    assert _state() == "meet_day"
    phone.choose(f"meet:day:{adminduk.pk}:2026-11-03")
    [(question, buttons)] = phone.choose(f"meet:slot:{adminduk.pk}:2026-11-03T0900")
    assert question == (
        f"Pindahkan janji temu {booking.code} (Loket Administrasi Kependudukan) ke Selasa, "
        "3 November 2026, 09.00–09.30 WIB?"
    )
    assert buttons is not None
    assert buttons["buttons"][0] == ["meet:ok", "Ya, pindahkan"]

    [(notice, _none)] = phone.choose("meet:ok")

    moved = Booking.objects.get()
    assert (moved.code, moved.slot_start, moved.status) == (
        booking.code,
        at(TUESDAY, 9),
        Status.BOOKED,
    )
    assert notice.startswith(f"Janji temu {booking.code} dipindahkan.")
    assert _state() == ""


def test_a_checked_in_booking_is_not_changed_on_whatsapp(phone, adminduk, desk_operator, clock):
    booking = _book(adminduk)
    clock.move_to(at(MONDAY, 9, 50))
    from telepati.appointments.services.counter import queue_check_in

    queue_check_in(user=desk_operator, booking_id=booking.pk)

    [(text, _none)] = phone.choose(f"meet:resched:{booking.code}")

    assert text.startswith("Janji temu ini sudah berstatus Menunggu dipanggil")
    assert Booking.objects.get().status == Status.CHECKED_IN


def test_a_misunderstood_answer_asks_the_question_again(phone, adminduk):
    phone.choose(f"meet:day:{adminduk.pk}:2026-11-02")

    replies = phone.text("pagi saja")

    assert replies[0][0].startswith("Maaf, kami belum memahami pesan Anda.")
    assert replies[1][0] == (
        "Loket Administrasi Kependudukan, Senin, 2 November 2026: pilih jam kedatangan."
    )
    assert _state() == "meet_slot"
