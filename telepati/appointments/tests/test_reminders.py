"""Reminders the day before (16.00 on the previous working day) and an hour before, each
exactly once; late bookings get none; rescheduling starts over; the no-show sweep."""

from __future__ import annotations

import pytest

from telepati.appointments.lifecycle import Status
from telepati.appointments.models import Booking
from telepati.appointments.services.booking import booking_cancel, booking_reschedule
from telepati.appointments.services.reminders import (
    booking_no_show_sweep,
    booking_reminders_sweep,
)
from telepati.appointments.tests.conftest import BUDI, FRIDAY, MONDAY, NEXT_MONDAY, TUESDAY, at
from telepati.core.models import Holiday
from telepati.messaging.models import OutboundMessage

pytestmark = pytest.mark.usefixtures("clock")


def _reminders() -> list[str]:
    return list(
        OutboundMessage.objects.filter(dedupe_key__contains=":remind:")
        .order_by("pk")
        .values_list("dedupe_key", flat=True)
    )


def test_the_day_before_reminder_goes_at_four_on_the_previous_working_day(book, clock):
    booking = book(slot_start=at(TUESDAY, 10))

    assert booking_reminders_sweep(now=at(MONDAY, 15, 59)) == 0
    assert booking_reminders_sweep(now=at(MONDAY, 16, 0)) == 1
    assert booking_reminders_sweep(now=at(MONDAY, 16, 5)) == 0

    assert _reminders() == [f"booking:{booking.pk}:remind:day:261103T1000"]
    notice = OutboundMessage.objects.get(dedupe_key=_reminders()[0])
    assert notice.text == (
        "Pengingat: besok Anda punya janji temu Loket Administrasi Kependudukan, Selasa, "
        "3 November 2026, 10.00–10.30 WIB, nomor antrean A-001 (kode J2611-0001). "
        "Berhalangan? Ketik *janji* untuk menjadwal ulang atau membatalkan.\n"
        "Yang perlu dibawa:\n• KTP-el asli\n• Kartu Keluarga asli"
    )
    assert notice.template_name == "janji_temu"
    booking.refresh_from_db()
    assert booking.reminded_day_before_at == at(MONDAY, 16)
    assert booking.version == 1  # the sweep's bookkeeping does not stale an officer's form


def test_a_monday_booking_is_reminded_on_friday_and_a_holiday_moves_it_earlier(book, clock):
    monday = book(slot_start=at(NEXT_MONDAY, 9))
    Holiday.objects.create(date=FRIDAY, name="Libur", is_day_off=True)

    assert booking_reminders_sweep(now=at(FRIDAY.replace(day=5), 16)) == 1
    assert _reminders() == [f"booking:{monday.pk}:remind:day:261109T0900"]


def test_the_hour_before_reminder(book):
    booking = book(slot_start=at(TUESDAY, 10))
    booking_reminders_sweep(now=at(MONDAY, 16))

    assert booking_reminders_sweep(now=at(TUESDAY, 8, 59)) == 0
    assert booking_reminders_sweep(now=at(TUESDAY, 9, 0)) == 1
    assert booking_reminders_sweep(now=at(TUESDAY, 9, 30)) == 0

    notice = OutboundMessage.objects.get(dedupe_key=f"booking:{booking.pk}:remind:hour:261103T1000")
    assert notice.text == (
        "Satu jam lagi: janji temu Loket Administrasi Kependudukan pukul 10.00 WIB, nomor "
        "antrean A-001. Sebutkan kode J2611-0001 di loket saat tiba."
    )


def test_a_booking_made_after_the_reminder_moments_gets_no_reminder(book, clock):
    clock.move_to(at(MONDAY, 17))
    booking = book(slot_start=at(TUESDAY, 8))

    assert booking.reminded_day_before_at == at(MONDAY, 17)
    clock.move_to(at(TUESDAY, 7, 30))
    same_hour = book(phone=BUDI, name="Budi", slot_start=at(TUESDAY, 8))
    assert same_hour.reminded_hour_before_at == at(TUESDAY, 7, 30)
    assert booking_reminders_sweep(now=at(TUESDAY, 7, 30)) == 1  # the first one's hour
    assert _reminders() == [f"booking:{booking.pk}:remind:hour:261103T0800"]


def test_rescheduling_starts_the_reminders_over_and_cancelling_stops_them(book, clock):
    booking = book(slot_start=at(TUESDAY, 10))
    booking_reminders_sweep(now=at(MONDAY, 16))
    clock.move_to(at(MONDAY, 17))
    booking_reschedule(
        code=booking.code,
        day=MONDAY.replace(day=4),
        slot_start=at(MONDAY.replace(day=4), 9),
        citizen=booking.citizen,
    )
    other = book(phone=BUDI, name="Budi", slot_start=at(MONDAY.replace(day=4), 10))
    booking_cancel(code=other.code, citizen=other.citizen)

    assert booking_reminders_sweep(now=at(TUESDAY, 16)) == 1
    assert _reminders() == [
        f"booking:{booking.pk}:remind:day:261103T1000",
        f"booking:{booking.pk}:remind:day:261104T0900",
    ]


def test_the_no_show_sweep_marks_bookings_thirty_minutes_after_their_slot(book, adminduk):
    booking = book(slot_start=at(MONDAY, 10))

    assert booking_no_show_sweep(now=at(MONDAY, 10, 59)) == 0
    assert booking_no_show_sweep(now=at(MONDAY, 11, 1)) == 1
    assert booking_no_show_sweep(now=at(MONDAY, 11, 5)) == 0

    booking.refresh_from_db()
    assert (booking.status, booking.version) == (Status.NO_SHOW, 2)
    assert adminduk.loads.get().taken == 0
    notice = OutboundMessage.objects.get(dedupe_key=f"booking:{booking.pk}:no_show")
    assert notice.text == (
        "Janji temu J2611-0001 (Loket Administrasi Kependudukan, Senin, 2 November 2026, "
        "10.00–10.30 WIB) tercatat tidak hadir. Ketik *menu* untuk membuat janji baru."
    )
    assert Booking.objects.filter(status=Status.NO_SHOW).count() == 1
