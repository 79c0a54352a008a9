"""Booking rules: the slot belongs to the schedule, one active booking per person per
service, capacity, cancel and reschedule give places back; a refused booking changes nothing."""

from __future__ import annotations

from datetime import time

import pytest

from telepati.appointments.lifecycle import Status
from telepati.appointments.models import Booking, BookingEvent, SlotLoad
from telepati.appointments.services.booking import booking_cancel, booking_reschedule
from telepati.appointments.services.common import AlreadyBooked, SlotFull
from telepati.appointments.tests.conftest import (
    BUDI,
    FRIDAY,
    MONDAY,
    SITI,
    TUESDAY,
    at,
)
from telepati.core.errors import InvalidInput, InvalidTransition, NotFound
from telepati.core.models import Holiday
from telepati.messaging.models import OutboundMessage

pytestmark = pytest.mark.usefixtures("clock")


def _taken(service, start) -> int:
    load = SlotLoad.objects.filter(service=service, starts_at=start).first()
    return load.taken if load else 0


def _nothing_booked() -> None:
    assert Booking.objects.count() == 0
    assert BookingEvent.objects.count() == 0
    assert OutboundMessage.objects.count() == 0
    assert sum(SlotLoad.objects.values_list("taken", flat=True)) == 0


def test_a_booking_gets_a_code_a_queue_number_a_place_and_a_notice(book, adminduk):
    booking = book()

    assert booking.code == "J2611-0001"
    assert (booking.status, booking.queue_number, booking.queue_label) == (
        Status.BOOKED,
        1,
        "A-001",
    )
    assert booking.slot_start == at(MONDAY, 10)
    assert booking.service_day == MONDAY
    assert booking.citizen is not None
    assert booking.citizen.phone == SITI
    assert _taken(adminduk, at(MONDAY, 10)) == 1
    [event] = booking.events.all()
    assert (event.to_status, event.message) == ("booked", "Janji temu dibuat melalui WhatsApp.")
    [notice] = OutboundMessage.objects.all()
    assert notice.dedupe_key == f"booking:{booking.pk}:booked"
    assert notice.recipient_phone == SITI
    assert notice.template_name == "janji_temu"
    assert notice.template_params == [
        "J2611-0001",
        "Loket Administrasi Kependudukan",
        "Senin, 2 November 2026, 10.00–10.30 WIB",
    ]
    assert notice.text == (
        "Janji temu Anda tercatat.\n"
        "Kode: J2611-0001\n"
        "Layanan: Loket Administrasi Kependudukan\n"
        "Waktu: Senin, 2 November 2026, 10.00–10.30 WIB\n"
        "Nomor antrean: A-001\n"
        "Tempat: Seksi Pelayanan Umum, Kantor Camat.\n"
        "Datanglah 10 menit lebih awal dan sebutkan kode ini di loket.\n"
        "Yang perlu dibawa:\n"
        "• KTP-el asli\n"
        "• Kartu Keluarga asli\n"
        "Ketik *janji* untuk melihat, menjadwal ulang atau membatalkan."
    )


def test_queue_numbers_follow_booking_order_per_service_and_day(book):
    first = book(slot_start=at(MONDAY, 14))
    second = book(slot_start=at(MONDAY, 9), phone=BUDI, name="Budi")
    other_day = book(slot_start=at(TUESDAY, 9), phone="+6281311112222", name="Rina")

    assert [first.queue_number, second.queue_number, other_day.queue_number] == [1, 2, 1]


@pytest.mark.parametrize(
    ("day", "hour", "minute", "field", "message"),
    [
        (MONDAY, 7, 30, "slot_start", "Jam tersebut di luar jadwal layanan"),
        (MONDAY, 14, 45, "slot_start", "Jam tersebut di luar jadwal layanan"),  # ends after 15
        (MONDAY, 12, 0, "slot_start", "Jam tersebut di luar jadwal layanan"),  # the break
        (MONDAY, 11, 45, "slot_start", "Jam tersebut di luar jadwal layanan"),  # off the grid
        (FRIDAY, 11, 30, "slot_start", "Jam tersebut di luar jadwal layanan"),  # Friday closes
        (MONDAY, 9, 15, "slot_start", "Jam tersebut di luar jadwal layanan"),
    ],
)
def test_a_slot_outside_the_hours_is_refused(book, day, hour, minute, field, message):
    with pytest.raises(InvalidInput) as raised:
        book(day=day, slot_start=at(day, hour, minute))

    assert str(raised.value).startswith(message)
    assert list(raised.value.field_errors) == [field]
    _nothing_booked()


def test_friday_morning_is_open(book):
    assert book(slot_start=at(FRIDAY, 11)).slot_start == at(FRIDAY, 11)


def test_a_weekend_a_holiday_and_a_day_the_service_is_not_offered_are_closed(book, camat_meeting):
    Holiday.objects.create(date=TUESDAY, name="Cuti bersama", is_day_off=True)
    saturday = MONDAY.replace(day=7)
    for day, service_id in [(saturday, None), (TUESDAY, None), (MONDAY, camat_meeting.pk)]:
        extra = {"service_id": service_id} if service_id else {}
        with pytest.raises(InvalidInput) as raised:
            book(day=day, slot_start=at(day, 10), **extra)
        assert list(raised.value.field_errors) == ["day"]
        assert "tidak buka pada hari itu" in str(raised.value)
    _nothing_booked()


def test_the_past_and_too_far_ahead_are_refused(book, clock):
    clock.move_to(at(MONDAY, 10, 5))
    with pytest.raises(InvalidInput, match="sudah lewat"):
        book(slot_start=at(MONDAY, 10))
    with pytest.raises(InvalidInput, match="sudah lewat"):
        book(day=MONDAY.replace(day=1), slot_start=at(MONDAY.replace(day=1), 10))
    too_far = MONDAY.replace(day=13)  # Friday, 11 days ahead (book_days_ahead = 10)
    with pytest.raises(InvalidInput, match="paling lambat 10 hari ke depan"):
        book(day=too_far, slot_start=at(too_far, 10))
    _nothing_booked()
    assert book(slot_start=at(MONDAY, 10, 30)).slot_start == at(MONDAY, 10, 30)
    last = MONDAY.replace(day=12)
    assert book(slot_start=at(last, 9), phone=BUDI).service_day == last


def test_name_and_phone_are_checked_per_field(book):
    with pytest.raises(InvalidInput) as raised:
        book(name=" ", phone="12")

    assert set(raised.value.field_errors) == {"name", "phone"}
    _nothing_booked()


def test_one_active_booking_per_person_per_service(book, camat_meeting):
    first = book()

    with pytest.raises(AlreadyBooked) as raised:
        book(slot_start=at(MONDAY, 14), phone="0812-3456-7890")

    assert raised.value.existing == first
    assert str(raised.value) == (
        "Anda sudah punya janji temu Loket Administrasi Kependudukan dengan kode J2611-0001 "
        "pada Senin, 2 November 2026, 10.00–10.30 WIB. Jadwalkan ulang atau batalkan janji "
        "itu bila ingin waktu lain."
    )
    assert Booking.objects.count() == 1
    assert _taken(first.service, at(MONDAY, 14)) == 0
    # Another service is fine, and so is a new booking once the first is cancelled.
    assert book(service_id=camat_meeting.pk, slot_start=at(TUESDAY, 9)).status == Status.BOOKED
    booking_cancel(code=first.code, citizen=first.citizen)
    assert book(slot_start=at(MONDAY, 14)).queue_number == 2


def test_a_full_slot_is_refused_with_the_nearest_free_slots(book, adminduk):
    book()
    book(phone=BUDI, name="Budi")

    with pytest.raises(SlotFull) as raised:
        book(phone="+6281311112222", name="Rina")

    assert str(raised.value) == (
        "Maaf, slot Senin, 2 November 2026, 10.00–10.30 WIB baru saja penuh. Pilih salah satu "
        "waktu terdekat yang masih kosong."
    )
    assert [(o.start, o.free) for o in raised.value.alternatives] == [
        (at(MONDAY, 9, 30), 2),
        (at(MONDAY, 10, 30), 2),
        (at(MONDAY, 11), 2),
    ]
    assert Booking.objects.count() == 2
    assert _taken(adminduk, at(MONDAY, 10)) == 2


def test_the_same_submission_key_returns_the_same_booking(book):
    first = book(submission_key="wa:wamid.1")
    again = book(submission_key="wa:wamid.1", slot_start=at(MONDAY, 14))

    assert again.pk == first.pk
    assert Booking.objects.count() == 1
    assert OutboundMessage.objects.count() == 1


def test_booking_create_query_count(book, adminduk, django_assert_num_queries):
    book(phone=BUDI, slot_start=at(MONDAY, 9))  # the code counter exists
    # service, holidays, active check, slot row (+insert), claim, citizen (+insert), code and
    # queue counters (3 each), booking, event, outbox (+insert), savepoints.
    with django_assert_num_queries(26):
        book()


# --- Cancel ---------------------------------------------------------------------------------


def test_cancelling_gives_the_place_back_and_tells_the_resident(book, adminduk):
    booking = book()

    cancelled = booking_cancel(code=booking.code.lower(), citizen=booking.citizen)

    assert (cancelled.status, cancelled.version) == (Status.CANCELLED, 2)
    assert cancelled.closed_at is not None
    assert _taken(adminduk, at(MONDAY, 10)) == 0
    notice = OutboundMessage.objects.get(dedupe_key=f"booking:{booking.pk}:cancelled")
    assert notice.text == (
        "Janji temu J2611-0001 (Loket Administrasi Kependudukan, Senin, 2 November 2026, "
        "10.00–10.30 WIB) dibatalkan. Ketik *menu* bila ingin membuat janji baru."
    )


def test_the_web_cancels_with_the_code_and_the_last_four_digits(book):
    booking = book()

    with pytest.raises(NotFound):
        booking_cancel(code=booking.code, phone_last4="1111")
    assert Booking.objects.get().status == Status.BOOKED

    assert booking_cancel(code=booking.code, phone_last4="7890").status == Status.CANCELLED


def test_someone_else_cannot_cancel_and_nothing_changes(book, adminduk):
    booking = book()
    other = book(phone=BUDI, name="Budi", slot_start=at(MONDAY, 11)).citizen
    before = OutboundMessage.objects.count()

    with pytest.raises(NotFound):
        booking_cancel(code=booking.code, citizen=other)

    booking.refresh_from_db()
    assert (booking.status, booking.version, booking.events.count()) == (Status.BOOKED, 1, 1)
    assert OutboundMessage.objects.count() == before
    assert _taken(adminduk, at(MONDAY, 10)) == 1


def test_a_cancelled_booking_cannot_be_cancelled_again_and_the_place_stays_at_zero(book, adminduk):
    booking = book()
    booking_cancel(code=booking.code, citizen=booking.citizen)

    with pytest.raises(InvalidTransition):
        booking_cancel(code=booking.code, citizen=booking.citizen)

    assert _taken(adminduk, at(MONDAY, 10)) == 0


# --- Reschedule ------------------------------------------------------------------------------


def test_rescheduling_moves_the_place_keeps_the_code_and_draws_a_new_number(book, adminduk):
    booking = book()
    book(phone=BUDI, name="Budi", slot_start=at(TUESDAY, 9))

    moved = booking_reschedule(
        code=booking.code, day=TUESDAY, slot_start=at(TUESDAY, 13), citizen=booking.citizen
    )

    assert (moved.code, moved.status, moved.version) == (booking.code, Status.BOOKED, 2)
    assert (moved.service_day, moved.slot_start, moved.queue_number) == (
        TUESDAY,
        at(TUESDAY, 13),
        2,
    )
    assert _taken(adminduk, at(MONDAY, 10)) == 0
    assert _taken(adminduk, at(TUESDAY, 13)) == 1
    notice = OutboundMessage.objects.get(dedupe_key=f"booking:{booking.pk}:rescheduled:2")
    assert notice.text.startswith(
        "Janji temu J2611-0001 dipindahkan.\nLayanan: Loket Administrasi Kependudukan\n"
        "Waktu baru: Selasa, 3 November 2026, 13.00–13.30 WIB\nNomor antrean: A-002"
    )


def test_rescheduling_within_the_day_keeps_the_queue_number(book):
    booking = book()

    moved = booking_reschedule(
        code=booking.code, day=MONDAY, slot_start=at(MONDAY, 8), citizen=booking.citizen
    )

    assert (moved.slot_start, moved.queue_number) == (at(MONDAY, 8), 1)


def test_rescheduling_into_a_full_slot_changes_nothing(book, adminduk):
    booking = book()
    book(phone=BUDI, name="Budi", slot_start=at(MONDAY, 11))
    book(phone="+6281311112222", name="Rina", slot_start=at(MONDAY, 11))

    with pytest.raises(SlotFull) as raised:
        booking_reschedule(
            code=booking.code, day=MONDAY, slot_start=at(MONDAY, 11), citizen=booking.citizen
        )

    assert at(MONDAY, 11) not in [o.start for o in raised.value.alternatives]
    booking.refresh_from_db()
    assert (booking.slot_start, booking.version) == (at(MONDAY, 10), 1)
    assert _taken(adminduk, at(MONDAY, 10)) == 1
    assert _taken(adminduk, at(MONDAY, 11)) == 2


def test_rescheduling_to_the_same_slot_or_outside_the_hours_is_refused(book):
    booking = book()
    for slot in (at(MONDAY, 10), at(MONDAY, 12, 30)):
        with pytest.raises(InvalidInput):
            booking_reschedule(
                code=booking.code, day=MONDAY, slot_start=slot, citizen=booking.citizen
            )
    booking.refresh_from_db()
    assert booking.version == 1


def test_an_officer_of_the_counter_may_cancel_and_reschedule(book, desk_operator, adminduk):
    booking = book()

    booking_reschedule(code=booking.code, day=MONDAY, slot_start=at(MONDAY, 11), user=desk_operator)
    cancelled = booking_cancel(code=booking.code, user=desk_operator, reason="Warga menelepon")

    assert cancelled.status == Status.CANCELLED
    event = cancelled.events.get(action="cancel")
    assert (event.message, event.actor) == ("Warga menelepon", desk_operator)


def test_the_service_hours_are_validated_in_the_admin_form(adminduk):
    from django.core.exceptions import ValidationError

    adminduk.break_starts_at = time(7, 0)
    adminduk.closes_at = time(7, 0)
    with pytest.raises(ValidationError) as raised:
        adminduk.full_clean()

    assert {"closes_at", "break_starts_at"} <= set(raised.value.message_dict)
