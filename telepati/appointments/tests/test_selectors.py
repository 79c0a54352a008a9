"""Reads: the schedule, free slots and days, nearest free slots, the resident's own bookings,
the web look-up, and officer access to the queue."""

from __future__ import annotations

from datetime import date, time

import pytest

from telepati.appointments import schedule
from telepati.appointments.selectors import (
    booking_get_for_citizen,
    booking_get_for_officer,
    booking_lookup,
    bookings_active_for_citizen,
    days_available,
    display_board_public,
    nearest_free_slots,
    queue_today_for_officer,
    service_get_for_officer,
    services_active,
    slots_available,
)
from telepati.appointments.tests.conftest import BUDI, FRIDAY, MONDAY, TUESDAY, at
from telepati.core.errors import Forbidden, NotFound
from telepati.core.models import Holiday

pytestmark = pytest.mark.usefixtures("clock")


def test_slots_run_from_opening_skip_the_break_and_end_by_closing(adminduk):
    monday = [s.strftime("%H.%M") for s in schedule.slot_starts(adminduk, MONDAY)]
    friday = [s.strftime("%H.%M") for s in schedule.slot_starts(adminduk, FRIDAY)]

    assert monday == [
        "08.00", "08.30", "09.00", "09.30", "10.00", "10.30", "11.00", "11.30",
        "13.00", "13.30", "14.00", "14.30",
    ]  # fmt: skip
    assert friday == ["08.00", "08.30", "09.00", "09.30", "10.00", "10.30", "11.00"]


def test_a_break_off_the_grid_moves_the_next_slot_to_its_end(adminduk):
    adminduk.slot_minutes = 45
    adminduk.break_starts_at, adminduk.break_ends_at = time(12, 0), time(12, 30)

    starts = [s.strftime("%H.%M") for s in schedule.slot_starts(adminduk, MONDAY)]

    assert starts == ["08.00", "08.45", "09.30", "10.15", "11.00", "12.30", "13.15", "14.00"]


def test_slots_available_shows_free_places_of_slots_not_begun(
    book, adminduk, clock, django_assert_num_queries
):
    book(slot_start=at(MONDAY, 10))
    book(slot_start=at(MONDAY, 10), phone=BUDI)
    book(slot_start=at(MONDAY, 11), phone="+6281311112222")
    clock.move_to(at(MONDAY, 9, 10))

    with django_assert_num_queries(2):  # holidays, loads
        options = slots_available(service=adminduk, day=MONDAY)

    assert [(o.start.strftime("%H.%M"), o.free) for o in options] == [
        ("09.30", 2), ("10.30", 2), ("11.00", 1), ("11.30", 2),
        ("13.00", 2), ("13.30", 2), ("14.00", 2), ("14.30", 2),
    ]  # fmt: skip
    assert options[0].end == at(MONDAY, 10)


def test_closed_days_have_no_slots_and_days_available_skips_them(adminduk, camat_meeting):
    Holiday.objects.create(date=TUESDAY, name="Libur", is_day_off=True)

    assert slots_available(service=adminduk, day=TUESDAY) == []
    assert slots_available(service=adminduk, day=date(2026, 11, 7)) == []  # Saturday
    days = days_available(service=adminduk)
    assert [day for day, _free in days] == [
        MONDAY, date(2026, 11, 4), date(2026, 11, 5), FRIDAY, date(2026, 11, 9),
        date(2026, 11, 10), date(2026, 11, 11), date(2026, 11, 12),
    ]  # fmt: skip
    assert days[0][1] == 24  # 12 slots × 2 places
    assert [day for day, _free in days_available(service=camat_meeting)] == [
        date(2026, 11, 5), date(2026, 11, 10), date(2026, 11, 12),
    ]  # fmt: skip


def test_nearest_free_slots_cross_into_the_next_day(book, camat_meeting):
    for n, hour in enumerate((9, 10, 11)):
        for minute in (0, 30):
            book(
                service_id=camat_meeting.pk,
                slot_start=at(date(2026, 11, 5), hour, minute),
                phone=f"+6281300000{n}{minute // 30}",
            )

    options = nearest_free_slots(service=camat_meeting, around=at(date(2026, 11, 5), 11, 30))

    assert [o.start for o in options] == [
        at(TUESDAY, 10, 30),
        at(TUESDAY, 11),
        at(TUESDAY, 11, 30),
    ]


def test_services_active_in_menu_order(adminduk, camat_meeting, johor_counter):
    assert list(services_active(kecamatan_id=adminduk.kecamatan_id)) == [camat_meeting, adminduk]


def test_a_resident_sees_only_their_own_bookings(book, camat_meeting):
    siti = book()
    budi = book(phone=BUDI, name="Budi", slot_start=at(MONDAY, 11))
    also_siti = book(service_id=camat_meeting.pk, slot_start=at(TUESDAY, 9))

    assert booking_get_for_citizen(code=f" #{siti.code.lower()}", citizen=siti.citizen) == siti
    with pytest.raises(NotFound):
        booking_get_for_citizen(code=budi.code, citizen=siti.citizen)
    assert bookings_active_for_citizen(citizen=siti.citizen) == [siti, also_siti]


def test_the_web_look_up_needs_the_code_and_the_last_four_digits(book):
    booking = book()

    assert booking_lookup(code=booking.code.lower(), phone_last4="7890") == booking
    for code, digits in [(booking.code, "7891"), (booking.code, ""), ("J2611-9999", "7890")]:
        with pytest.raises(NotFound, match="Periksa kode dan nomor WhatsApp Anda"):
            booking_lookup(code=code, phone_last4=digits)


def test_officers_read_the_queue_only_within_their_counter(
    book, adminduk, johor_counter, desk_operator, camat, section_staff, outsider
):
    booking = book()

    assert queue_today_for_officer(user=desk_operator, service=adminduk).expected == [booking]
    assert booking_get_for_officer(user=camat, booking_id=booking.pk) == booking
    with pytest.raises(Forbidden):
        queue_today_for_officer(user=camat, service=adminduk)
    with pytest.raises(NotFound):
        queue_today_for_officer(user=section_staff, service=adminduk)
    with pytest.raises(NotFound):
        booking_get_for_officer(user=outsider, booking_id=booking.pk)
    with pytest.raises(NotFound):
        service_get_for_officer(user=desk_operator, service_id=johor_counter.pk)


def test_the_queue_and_the_board_take_constant_queries(
    book, adminduk, camat_meeting, desk_operator, clock, django_assert_num_queries
):
    for n in range(6):
        book(slot_start=at(MONDAY, 8 + n // 2, 30 * (n % 2)), phone=f"+62813000000{n:02d}")
    clock.move_to(at(MONDAY, 9))

    with django_assert_num_queries(2):  # the officer's scope, the day's bookings
        queue = queue_today_for_officer(user=desk_operator, service=adminduk)
    with django_assert_num_queries(3):  # services, then one per service
        board = display_board_public(kecamatan_id=adminduk.kecamatan_id)

    assert len(queue.expected) == 6
    assert [state.service_name for state in board] == [
        "Bertemu Camat",
        "Loket Administrasi Kependudukan",
    ]
