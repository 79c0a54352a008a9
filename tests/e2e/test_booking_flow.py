"""A resident books at the office on a phone-sized screen: each choice (service, day, hour)
swaps the next step in with HTMX, the booking shows its code and queue number, and the
booking can be found again by code and the last four digits."""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest

from telepati.appointments.lifecycle import Status
from telepati.appointments.models import Booking, OfficeService
from telepati.appointments.tests import conftest as appointments
from telepati.org.models import Kecamatan, Unit

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 800}


@pytest.fixture
def every_day(amplas: Kecamatan, amplas_service: Unit) -> OfficeService:
    """Open every day until late, so the test finds a free slot whenever it runs."""
    return appointments.service_make(
        kecamatan=amplas,
        unit=amplas_service,
        weekdays=[0, 1, 2, 3, 4, 5, 6],
        opens_at=time(0, 0),
        closes_at=time(23, 30),
        break_starts_at=None,
        break_ends_at=None,
        friday_closes_at=None,
    )


def test_a_resident_books_step_by_step_and_finds_the_booking_again(
    page: Any, every_day: OfficeService
) -> None:
    page.set_viewport_size(PHONE)
    page.goto("/")
    page.locator("a[href='/temu/']").first.click()

    page.get_by_label("Loket Administrasi Kependudukan").check()
    expect(page.get_by_text("2. Pilih hari")).to_be_visible()
    page.locator("input[name='hari']").first.check()
    expect(page.get_by_text("3. Pilih jam")).to_be_visible()
    page.locator("input[name='jam']").first.check()
    expect(page.get_by_text("4. Isi data diri")).to_be_visible()
    assert "jam=" in page.url  # each step is in the address: reload and back work

    page.get_by_label("Nama lengkap").fill("Siti Aminah")
    page.get_by_label("Nomor WhatsApp").fill("0812-3456-7890")
    page.get_by_role("button", name="Buat janji temu").click()

    booking = Booking.objects.get()
    expect(page.get_by_test_id("booking-code")).to_have_text(booking.code)
    expect(page.get_by_test_id("queue-number")).to_have_text("A-001")
    assert booking.status == Status.BOOKED

    page.get_by_role("link", name="Jadwal ulang atau batalkan janji temu ini").click()
    page.get_by_label("4 angka terakhir nomor WhatsApp").fill("7890")
    page.get_by_role("button", name="Lihat janji temu").click()
    page.get_by_role("button", name="Batalkan janji temu ini").click()
    expect(page.get_by_text(f"Janji temu {booking.code} dibatalkan.")).to_be_visible()
    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED
