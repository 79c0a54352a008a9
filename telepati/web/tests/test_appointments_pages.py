"""Public temu cepat pages: choosing a slot step by step (with and without HTMX), booking
with a one-time token, a full slot answered with the nearest free ones, one active booking
per person, managing a booking by code and digits (rate-limited), and the TV display
(queue numbers only, constant queries)."""

from __future__ import annotations

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver

from telepati.appointments.lifecycle import Status
from telepati.appointments.models import Booking, Channel
from telepati.appointments.services.counter import (
    queue_call_next,
    queue_check_in,
    queue_walk_in,
)
from telepati.appointments.tests import conftest as appointments
from telepati.appointments.tests.conftest import BUDI, MONDAY, SITI, TUESDAY, at
from telepati.web import views_appointments

pytestmark = pytest.mark.usefixtures("clock")

# The appointments fixtures: a frozen clock on Monday 2 November 2026, 07:00 WIB, the adminduk
# counter (slots of 30 minutes, two places each) and camat meetings, `book(...)`.
clock = appointments.clock
adminduk = appointments.adminduk
camat_meeting = appointments.camat_meeting
book = appointments.book


@pytest.fixture(autouse=True)
def _urls_loaded() -> None:
    """Import every URL module before the clock freezes: a C extension imported under a frozen
    clock (psycopg, through some door's views) fails its datetime size check."""
    get_resolver().url_patterns  # noqa: B018 (loads the URLconf)


FULL = (
    "Maaf, slot Senin, 2 November 2026, 10.00–10.30 WIB baru saja penuh. Pilih salah satu "
    "waktu terdekat yang masih kosong."
)
NOT_FOUND = (
    "Janji temu tidak ditemukan. Periksa kode janji temu dan 4 angka terakhir nomor WhatsApp "
    "yang Anda daftarkan."
)
TOO_MANY = (
    "Terlalu banyak percobaan. Tunggu beberapa saat lalu coba lagi, atau tanyakan langsung ke "
    "kantor camat."
)


def html(response) -> str:
    return response.content.decode()


def form_token(client: Client, slot: str = "10:00", day: str = "2026-11-02") -> str:
    page = html(client.get(f"/temu/?layanan=loket-adminduk&hari={day}&jam={slot}"))
    match = re.search(r'name="submission_token" value="([0-9a-f]{32})"', page)
    assert match is not None
    return match.group(1)


def booking_data(token: str, **overrides: str) -> dict[str, str]:
    data = {
        "submission_token": token,
        "service": "loket-adminduk",
        "slot": "2026-11-02T10:00",
        "name": "Siti Aminah",
        "phone": "0812-3456-7890",
        "purpose": "Perekaman KTP-el",
    }
    data.update(overrides)
    return data


def submit(client: Client, **overrides: str):
    return client.post("/temu/pesan/", booking_data(form_token(client), **overrides))


# --- Choosing a slot ------------------------------------------------------------------------


def test_without_javascript_each_step_is_a_get_form(client, adminduk, camat_meeting):
    first = html(client.get("/temu/"))
    service = html(client.get("/temu/?layanan=loket-adminduk"))
    day = html(client.get("/temu/?layanan=loket-adminduk&hari=2026-11-02"))
    slot = html(client.get("/temu/?layanan=loket-adminduk&hari=2026-11-02&jam=10:00"))

    assert 'value="loket-adminduk"' in first
    assert 'value="bertemu-camat"' in first
    assert "2. Pilih hari" not in first
    assert 'name="hari" value="2026-11-02"' in service
    assert "Senin, 2 November 2026" in service
    assert "24 tempat kosong" in service
    assert "3. Pilih jam" not in service
    assert 'name="jam" value="10:00"' in day
    assert "10.00–10.30 WIB" in day
    assert 'name="jam" value="12:00"' not in day  # the break
    assert '<form method="post" action="/temu/pesan/"' not in day
    assert "Loket Administrasi Kependudukan, Senin, 2 November 2026, 10.00–10.30 WIB." in slot
    assert '<input type="hidden" name="slot" value="2026-11-02T10:00"' in slot


def test_with_htmx_a_choice_answers_with_the_steps_fragment_only(client, adminduk):
    response = client.get(
        "/temu/?layanan=loket-adminduk&hari=2026-11-02", headers={"HX-Request": "true"}
    )

    page = html(response)
    assert page.startswith('<div id="temu-steps"')
    assert "<html" not in page
    assert "hx-include=\"[name='layanan'],[name='hari']\"" in page


def test_a_day_or_hour_no_longer_on_offer_is_not_kept(client, adminduk, clock):
    clock.move_to(at(MONDAY, 10, 10))

    page = html(client.get("/temu/?layanan=loket-adminduk&hari=2026-11-02&jam=10:00"))

    assert 'name="jam" value="10:00"' not in page
    assert 'name="jam" value="10:30"' in page
    assert '<form method="post" action="/temu/pesan/"' not in page


# --- Booking ----------------------------------------------------------------------------


def test_booking_shows_the_code_queue_number_time_and_what_to_bring(client, adminduk):
    token = form_token(client)

    response = client.post("/temu/pesan/", booking_data(token))

    page = html(response)
    booking = Booking.objects.get()
    assert response.status_code == 200
    assert (booking.status, booking.channel, booking.submission_key) == (
        Status.BOOKED,
        Channel.WEB,
        f"web:{token}",
    )
    assert (booking.name, booking.phone, booking.purpose) == (
        "Siti Aminah",
        SITI,
        "Perekaman KTP-el",
    )
    assert f'<dd class="big" data-testid="booking-code">{booking.code}</dd>' in page
    assert '<dd class="big" data-testid="queue-number">A-001</dd>' in page
    assert "<dd>Senin, 2 November 2026, 10.00–10.30 WIB</dd>" in page
    assert "<li>KTP-el asli</li>" in page
    assert "<li>Kartu Keluarga asli</li>" in page
    assert f'href="/temu/kelola/?kode={booking.code}"' in page


def test_a_double_submit_makes_one_booking(client, adminduk):
    data = booking_data(form_token(client))

    first = client.post("/temu/pesan/", data)
    second = client.post("/temu/pesan/", data)

    booking = Booking.objects.get()
    assert first.status_code == second.status_code == 200
    assert f'data-testid="booking-code">{booking.code}<' in html(second)


def test_a_full_slot_offers_the_nearest_free_slots_and_keeps_what_was_typed(client, adminduk, book):
    token = form_token(client)  # the form is open while two others take the last places
    book(phone=BUDI, name="Budi")
    book(phone="+6281311112222", name="Rina")

    response = client.post("/temu/pesan/", booking_data(token))

    page = html(response)
    assert response.status_code == 200
    assert FULL in page
    values = re.findall(r'name="slot" value="([^"]+)"', page)
    assert values == ["2026-11-02T09:30", "2026-11-02T10:30", "2026-11-02T11:00"]
    assert 'value="Siti Aminah"' in page
    assert 'value="0812-3456-7890"' in page
    assert Booking.objects.filter(phone=SITI).count() == 0

    kept = re.search(r'name="submission_token" value="([0-9a-f]{32})"', page)
    assert kept is not None
    taken = client.post("/temu/pesan/", booking_data(kept.group(1), slot="2026-11-02T10:30"))

    assert taken.status_code == 200
    assert Booking.objects.get(phone=SITI).slot_start == at(MONDAY, 10, 30)


def test_one_active_booking_per_person_shows_the_existing_code_and_where_to_manage_it(
    client, adminduk, book
):
    existing = book(slot_start=at(TUESDAY, 9))

    response = submit(client)

    page = html(response)
    assert response.status_code == 200
    assert (
        f"Anda sudah punya janji temu Loket Administrasi Kependudukan dengan kode {existing.code} "
        "pada Selasa, 3 November 2026, 09.00–09.30 WIB."
    ) in page
    assert (
        f'<a href="/temu/kelola/?kode={existing.code}">Kelola janji temu {existing.code}</a>'
        in (page)
    )
    assert Booking.objects.count() == 1


def test_errors_show_next_to_the_fields_and_keep_the_input(client, adminduk):
    response = submit(client, phone="12345")
    missing = submit(client, name="")

    page = html(response)
    assert response.status_code == 200
    assert Booking.objects.count() == 0
    assert 'value="12345"' in page
    assert 'value="Siti Aminah"' in page
    assert 'value="Perekaman KTP-el"' in page
    assert re.search(r'id="id_phone_error"[^>]*>\s*<li>Nomor telepon', page)
    assert "Nama wajib diisi." in html(missing)


def test_one_address_may_book_five_times_an_hour(client, adminduk, camat_meeting):
    for n in range(5):
        slot = f"2026-11-02T{8 + n // 2:02d}:{30 * (n % 2):02d}"
        response = submit(client, phone=f"0812-3456-780{n}", slot=slot)
        assert response.status_code == 200
        assert 'data-testid="booking-code"' in html(response)

    with mock.patch.object(views_appointments, "booking_create") as create:
        response = submit(client, phone="0812-3456-7899", slot="2026-11-02T14:00")

    assert response.status_code == 429
    assert (
        "Terlalu banyak janji temu dari perangkat ini. Coba lagi dalam satu jam, atau datang "
        "langsung ke kantor camat."
    ) in html(response)
    assert 'value="0812-3456-7899"' in html(response)
    create.assert_not_called()
    assert Booking.objects.count() == 5


def test_the_booking_form_needs_the_csrf_token(adminduk):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/temu/pesan/", booking_data("0" * 32))

    assert response.status_code == 403
    assert Booking.objects.count() == 0


# --- Managing a booking -------------------------------------------------------------------


def lookup(client: Client, code: str, digits: str, **extra: str):
    return client.post("/temu/kelola/", {"code": code, "phone_last4": digits, **extra})


def test_the_code_and_digits_show_the_booking_with_cancel_and_reschedule(client, book):
    booking = book()

    page = html(lookup(client, booking.code.lower(), "7890"))

    assert f"Janji temu {booking.code}" in page
    assert "<dd><strong>Terjadwal</strong></dd>" in page
    assert "<dd>Senin, 2 November 2026, 10.00–10.30 WIB</dd>" in page
    assert "Batalkan janji temu ini" in page
    assert '<option value="2026-11-03">' in page
    assert "Siti" not in page
    assert "81234567890" not in page


def test_wrong_digits_and_an_unknown_code_get_the_same_answer(client, book):
    booking = book()

    unknown = html(lookup(client, "J2611-9999", "7890"))
    wrong = html(lookup(client, booking.code, "1234"))

    assert NOT_FOUND in unknown
    assert NOT_FOUND in wrong
    assert f"Janji temu {booking.code}" not in wrong


def test_cancelling_by_code_and_digits(client, book, adminduk):
    booking = book()

    response = client.post(
        "/temu/kelola/batal/", {"code": booking.code, "phone_last4": "7890"}, follow=True
    )

    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED
    assert response.redirect_chain == [(f"/temu/kelola/?kode={booking.code}", 302)]
    assert f"Janji temu {booking.code} dibatalkan." in html(response)
    assert adminduk.loads.get().taken == 0


def test_cancelling_with_wrong_digits_changes_nothing(client, book):
    booking = book()

    response = client.post("/temu/kelola/batal/", {"code": booking.code, "phone_last4": "0000"})

    booking.refresh_from_db()
    assert NOT_FOUND in html(response)
    assert (booking.status, booking.version) == (Status.BOOKED, 1)


def test_rescheduling_picks_a_day_then_a_slot(client, book):
    booking = book()

    slots = html(lookup(client, booking.code, "7890", day="2026-11-03"))
    assert 'name="slot" value="2026-11-03T09:00"' in slots
    response = client.post(
        "/temu/kelola/jadwal-ulang/",
        {"code": booking.code, "phone_last4": "7890", "slot": "2026-11-03T09:00"},
        follow=True,
    )

    booking.refresh_from_db()
    assert (booking.status, booking.slot_start, booking.service_day) == (
        Status.BOOKED,
        at(TUESDAY, 9),
        TUESDAY,
    )
    assert (
        f"Janji temu {booking.code} dipindahkan ke Selasa, 3 November 2026, 09.00–09.30 WIB. "
        f"Nomor antrean: {booking.queue_label}."
    ) in html(response)


def test_rescheduling_into_a_full_slot_offers_the_nearest_free_ones(client, book):
    booking = book()
    book(phone=BUDI, name="Budi", slot_start=at(TUESDAY, 9))
    book(phone="+6281311112222", name="Rina", slot_start=at(TUESDAY, 9))

    response = client.post(
        "/temu/kelola/jadwal-ulang/",
        {"code": booking.code, "phone_last4": "7890", "slot": "2026-11-03T09:00"},
    )

    page = html(response)
    assert "baru saja penuh" in page
    assert re.findall(r'name="slot" value="([^"]+)"', page) == [
        "2026-11-03T08:30",
        "2026-11-03T09:30",
        "2026-11-03T10:00",
    ]
    booking.refresh_from_db()
    assert (booking.slot_start, booking.version) == (at(MONDAY, 10), 1)


def test_one_address_may_manage_twenty_times_in_ten_minutes(client, book):
    booking = book()
    for _attempt in range(20):
        assert lookup(client, booking.code, "7890").status_code == 200

    with mock.patch.object(views_appointments, "booking_lookup") as found:
        response = lookup(client, booking.code, "7890")

    assert response.status_code == 429
    assert TOO_MANY in html(response)
    found.assert_not_called()


def test_five_failed_look_ups_lock_the_code_also_for_cancelling(book):
    booking = book()
    for n in range(5):
        assert (
            lookup(Client(REMOTE_ADDR=f"198.51.100.{n}"), booking.code, "0000").status_code == 200
        )

    locked = Client(REMOTE_ADDR="203.0.113.9").post(
        "/temu/kelola/batal/", {"code": booking.code, "phone_last4": "7890"}
    )

    assert locked.status_code == 429
    booking.refresh_from_db()
    assert booking.status == Status.BOOKED


# --- The TV display -----------------------------------------------------------------------


@pytest.fixture
def called_queue(book, adminduk, desk_operator, clock):
    """The walk-in (arrived 08.50) called to Loket 2; Siti (09.00) and Budi (10.00) wait."""
    siti = book(slot_start=at(MONDAY, 9))
    budi = book(phone=BUDI, name="Budi Santoso", slot_start=at(MONDAY, 10))
    clock.move_to(at(MONDAY, 8, 50))
    queue_check_in(user=desk_operator, booking_id=siti.pk)
    queue_check_in(user=desk_operator, booking_id=budi.pk)
    queue_walk_in(user=desk_operator, service_id=adminduk.pk, name="Rudi Hartono", phone="")
    queue_call_next(user=desk_operator, service_id=adminduk.pk, counter_name="Loket 2")
    return siti, budi


def test_the_display_shows_who_is_called_and_the_next_numbers(client, called_queue):
    page = html(client.get("/layar/loket-adminduk/"))

    # The walk-in (A-003, arrived 08.50) comes before Siti's 09.00 slot.
    assert '<span class="number">A-003</span><span class="counter">Loket 2</span>' in page
    assert "<li>A-001</li><li>A-002</li>" in page
    assert "2 orang menunggu" in page
    assert 'hx-get="/layar/loket-adminduk/isi/" hx-trigger="every 3s"' in page


def test_the_display_never_shows_names_or_phone_numbers(client, called_queue):
    page = html(client.get("/layar/loket-adminduk/")) + html(
        client.get("/layar/loket-adminduk/isi/")
    )

    for secret in ("Siti", "Aminah", "Budi", "Santoso", "Rudi", "Hartono", "81234567890", "7890"):
        assert secret not in page
    assert "S." not in page


def test_an_unknown_service_has_no_display(client, adminduk):
    assert client.get("/layar/tidak-ada/").status_code == 404
    assert client.get("/layar/tidak-ada/isi/").status_code == 404


def _queue_rows(service, count: int, start: int) -> None:
    Booking.objects.bulk_create(
        Booking(
            code=f"J2611-{start + n:04d}",
            kecamatan_id=service.kecamatan_id,
            service=service,
            name=f"Warga {n}",
            phone=f"+62813{start + n:08d}",
            channel=Channel.COUNTER,
            is_walk_in=True,
            service_day=MONDAY,
            queue_number=start + n,
            status=Status.CALLED if n % 10 == 0 else Status.CHECKED_IN,
            counter_name=f"Loket {n % 3 + 1}",
            checked_in_at=at(MONDAY, 8) + timedelta(minutes=n),
            called_at=at(MONDAY, 9) + timedelta(minutes=n) if n % 10 == 0 else None,
        )
        for n in range(count)
    )


def test_the_display_fragment_takes_the_same_queries_for_10_and_200_in_the_queue(client, adminduk):
    _queue_rows(adminduk, 10, 1)
    with CaptureQueriesContext(connection) as ten:
        assert client.get("/layar/loket-adminduk/isi/").status_code == 200
    _queue_rows(adminduk, 190, 11)
    with CaptureQueriesContext(connection) as two_hundred:
        response = client.get("/layar/loket-adminduk/isi/")

    assert len(ten) == len(two_hundred) == 2
    assert "200 orang menunggu" not in html(response)  # 20 called, 180 waiting
    assert "180 orang menunggu" in html(response)


def test_the_home_page_links_temu_cepat(client, db):
    assert 'href="/temu/"' in html(client.get("/"))
