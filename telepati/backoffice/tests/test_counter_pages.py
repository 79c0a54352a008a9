"""The counter screen (/kantor/loket/): who may open it (role × page), today's queue, call
next, check-in, serve, skip, call again, walk-ins into the same queue, messages after each
POST, refusals that change nothing, and constant queries of the refreshing queue."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import get_resolver, reverse

from telepati.accounts.selectors import officer_scope_get
from telepati.appointments.lifecycle import Status
from telepati.appointments.models import Booking, Channel, OfficeService
from telepati.appointments.services.counter import queue_check_in
from telepati.appointments.tests import conftest as appointments
from telepati.appointments.tests.conftest import BUDI, MONDAY, at
from telepati.backoffice.nav import nav_for
from telepati.backoffice.tests.test_units_support import page_queries

pytestmark = pytest.mark.usefixtures("clock")

clock = appointments.clock
adminduk = appointments.adminduk
trantib_desk = appointments.trantib_desk
book = appointments.book


@pytest.fixture(autouse=True)
def _urls_loaded() -> None:
    """Import every URL module before the clock freezes: a C extension imported under a frozen
    clock (psycopg, through some door's views) fails its datetime size check."""
    get_resolver().url_patterns  # noqa: B018 (loads the URLconf)


def queue_url(service: OfficeService, *, counter: str = "") -> str:
    url = reverse("backoffice:counter_queue", kwargs={"service_id": service.pk})
    return f"{url}?loket={counter.replace(' ', '+')}" if counter else url


def fragment_url(service: OfficeService) -> str:
    return reverse("backoffice:counter_queue_fragment", kwargs={"service_id": service.pk})


def call_url(service: OfficeService) -> str:
    return reverse("backoffice:counter_call_next", kwargs={"service_id": service.pk})


def action_url(booking: Booking, action: str) -> str:
    return reverse(
        "backoffice:counter_action",
        kwargs={"service_id": booking.service_id, "booking_id": booking.pk, "action": action},
    )


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def arrived(book, desk_operator, clock) -> Booking:
    """Siti booked 09.00 and checked in at 08.50."""
    booking = book(slot_start=at(MONDAY, 9))
    clock.move_to(at(MONDAY, 8, 50))
    return queue_check_in(user=desk_operator, booking_id=booking.pk)


# --- Who may open the counter ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "home", "queue"),
    [
        ("desk_operator", 200, 200),  # the desk of the kecamatan
        ("administrator", 200, 200),
        ("superuser", 200, 200),
        ("section_staff", 200, 404),  # serves the counter of their own unit only
        ("kelurahan_staff", 200, 404),
        ("camat", 403, 403),  # no SERVE_COUNTER
        ("lurah", 403, 403),
        ("agency_liaison", 403, 403),
        ("courier", 403, 403),
        ("outsider", 200, 404),  # Medan Johor
    ],
)
def test_only_officers_serving_the_counter_open_its_queue(
    client, request, arrived, adminduk, persona, home, queue
):
    client.force_login(request.getfixturevalue(persona))

    listing = client.get(reverse("backoffice:counter"))
    page = client.get(queue_url(adminduk))
    fragment = client.get(fragment_url(adminduk))

    assert listing.status_code == home
    assert page.status_code == fragment.status_code == queue
    shown = html(listing) + html(page) + html(fragment)
    if queue != 200:
        assert "Siti Aminah" not in shown
        assert "Loket Administrasi Kependudukan" not in shown


@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        ("desk_operator", True),
        ("administrator", True),
        ("section_staff", True),  # staff serve the counters of their own unit
        ("kelurahan_staff", True),
        ("outsider", True),  # their own kecamatan's counters
        ("superuser", True),
        ("camat", False),
        ("lurah", False),
        ("agency_liaison", False),
        ("courier", False),
    ],
)
def test_the_menu_entry_follows_the_serve_counter_capability(request, persona, shown):
    scope = officer_scope_get(user=request.getfixturevalue(persona))

    assert ("backoffice:counter" in [link.url_name for link in nav_for(scope)]) is shown


@pytest.mark.parametrize("persona", ["outsider", "section_staff", "camat"])
def test_others_cannot_call_check_in_or_walk_in(client, request, arrived, adminduk, persona):
    client.force_login(request.getfixturevalue(persona))
    expected = 403 if persona == "camat" else 404

    responses = [
        client.post(call_url(adminduk)),
        client.post(action_url(arrived, "selesai")),
        client.post(
            reverse("backoffice:counter_walk_in", kwargs={"service_id": adminduk.pk}),
            {"name": "Joko"},
        ),
    ]

    assert [r.status_code for r in responses] == [expected] * 3
    arrived.refresh_from_db()
    assert (arrived.status, arrived.version) == (Status.CHECKED_IN, 2)
    assert Booking.objects.count() == 1


def test_the_counter_list_shows_the_services_the_officer_serves(
    client, adminduk, trantib_desk, section_staff, desk_operator
):
    client.force_login(section_staff)
    staff = html(client.get(reverse("backoffice:counter")))
    client.force_login(desk_operator)
    desk = html(client.get(reverse("backoffice:counter")))

    assert "Konsultasi Ketertiban" in staff
    assert "Loket Administrasi Kependudukan" not in staff
    assert f'href="{queue_url(adminduk)}"' in desk
    assert '<a href="/kantor/loket/" aria-current="page">Loket temu cepat</a>' in desk


# --- The queue ------------------------------------------------------------------------------


def test_the_queue_shows_called_waiting_and_booked_not_yet_arrived(
    client, arrived, book, adminduk, desk_operator
):
    later = book(phone=BUDI, name="Budi Santoso", slot_start=at(MONDAY, 11))
    client.force_login(desk_operator)

    page = html(client.get(queue_url(adminduk, counter="Loket 2")))

    waiting, expected = page.split("Terjadwal, belum datang (1)")
    assert "Menunggu (1)" in waiting
    assert "Siti Aminah" in waiting
    assert "Budi Santoso" in expected
    assert later.code in expected
    assert f'action="{action_url(later, "hadir")}"' in expected
    assert f'hx-get="{fragment_url(adminduk)}?loket=Loket+2" hx-trigger="every 5s"' in page
    assert '<input type="hidden" name="loket" value="Loket 2">' in page
    assert 'href="/layar/loket-adminduk/"' in page


def test_call_next_calls_the_first_waiting_to_this_counter(
    client, arrived, adminduk, desk_operator
):
    client.force_login(desk_operator)

    response = client.post(call_url(adminduk), {"loket": "Loket 2"}, follow=True)

    arrived.refresh_from_db()
    assert (arrived.status, arrived.counter_name, arrived.served_by) == (
        Status.CALLED,
        "Loket 2",
        desk_operator,
    )
    assert response.redirect_chain == [(queue_url(adminduk, counter="Loket 2"), 302)]
    assert "Nomor A-001 (Siti Aminah) dipanggil ke Loket 2." in html(response)
    assert "Dipanggil (1)" in html(response)


def test_call_next_with_nobody_waiting_says_so(client, adminduk, desk_operator):
    client.force_login(desk_operator)

    response = client.post(call_url(adminduk), follow=True)

    assert "Tidak ada warga yang menunggu." in html(response)


def test_check_in_serve_skip_and_call_again_through_the_page(
    client, book, adminduk, desk_operator, clock
):
    booking = book(slot_start=at(MONDAY, 9))
    clock.move_to(at(MONDAY, 8, 45))
    client.force_login(desk_operator)

    def act(action: str, **data: str) -> str:
        booking.refresh_from_db()
        data.setdefault("version", str(booking.version))
        return html(client.post(action_url(booking, action), data, follow=True))

    assert "A-001 (Siti Aminah) hadir dan masuk antrean." in act("hadir")
    client.post(call_url(adminduk))
    assert "A-001 dilewati; dapat dipanggil ulang." in act("lewati")
    assert "A-001 dipanggil ulang ke Loket 3." in act("panggil-ulang", loket="Loket 3")
    assert "A-001 selesai dilayani." in act("selesai")
    booking.refresh_from_db()
    assert (booking.status, booking.counter_name) == (Status.SERVED, "Loket 3")
    assert list(booking.events.values_list("action", flat=True)) == [
        "",
        "check_in",
        "call",
        "skip",
        "call",
        "serve",
    ]


def test_a_stale_or_illegal_action_shows_the_error_and_changes_nothing(
    client, arrived, desk_operator
):
    client.force_login(desk_operator)

    stale = client.post(action_url(arrived, "selesai"), {"version": "1"}, follow=True)
    illegal = client.post(action_url(arrived, "lewati"), follow=True)

    assert "baru saja diubah oleh petugas lain" in html(stale)
    assert "Tindakan “Lewati” tidak berlaku untuk janji temu berstatus Menunggu dipanggil." in (
        html(illegal)
    )
    arrived.refresh_from_db()
    assert (arrived.status, arrived.version, arrived.events.count()) == (Status.CHECKED_IN, 2, 2)


def test_an_unknown_action_is_not_found(client, arrived, desk_operator):
    client.force_login(desk_operator)

    assert client.post(action_url(arrived, "hapus")).status_code == 404
    assert client.get(action_url(arrived, "selesai")).status_code == 405


def test_a_walk_in_joins_the_same_queue_after_those_waiting(
    client, arrived, adminduk, desk_operator, clock
):
    clock.move_to(at(MONDAY, 9, 5))
    client.force_login(desk_operator)
    url = reverse("backoffice:counter_walk_in", kwargs={"service_id": adminduk.pk})

    response = client.post(url, {"name": "Rudi Hartono", "loket": "Loket 2"}, follow=True)

    walk_in = Booking.objects.get(is_walk_in=True)
    assert (walk_in.status, walk_in.channel, walk_in.queue_number) == (
        Status.CHECKED_IN,
        Channel.COUNTER,
        2,
    )
    assert "Rudi Hartono masuk antrean dengan nomor A-002." in html(response)
    client.post(call_url(adminduk))
    arrived.refresh_from_db()
    assert arrived.status == Status.CALLED  # booked 09.00 comes before arrival at 09.05


def test_a_refused_walk_in_keeps_what_was_typed(client, arrived, adminduk, desk_operator):
    client.force_login(desk_operator)
    url = reverse("backoffice:counter_walk_in", kwargs={"service_id": adminduk.pk})

    bad_phone = client.post(url, {"name": "Joko", "phone": "12345"})
    booked = client.post(url, {"name": "Siti", "phone": "0812-3456-7890"})

    assert bad_phone.status_code == booked.status_code == 400
    assert 'value="12345"' in html(bad_phone)
    assert "Nomor telepon" in html(bad_phone)
    assert (
        f"Nomor ini sudah punya janji temu aktif {arrived.code} (antrean A-001). "
        "Tandai hadir janji itu saja."
    ) in html(booked)
    assert Booking.objects.count() == 1


# --- Queries --------------------------------------------------------------------------------


def _today(service: OfficeService, count: int, start: int) -> None:
    statuses = [Status.CHECKED_IN, Status.CALLED, Status.BOOKED, Status.SERVED, Status.SKIPPED]
    Booking.objects.bulk_create(
        Booking(
            code=f"J2611-{start + n:04d}",
            kecamatan_id=service.kecamatan_id,
            service=service,
            name=f"Warga {start + n}",
            phone=f"+62813{start + n:08d}",
            channel=Channel.WEB,
            slot_start=at(MONDAY, 8) + timedelta(minutes=30 * (n % 12)),
            service_day=MONDAY,
            queue_number=start + n,
            status=statuses[n % len(statuses)],
            counter_name="Loket 1",
        )
        for n in range(count)
    )


def test_the_queue_fragment_takes_the_same_queries_for_10_and_200_bookings(
    client, adminduk, desk_operator
):
    client.force_login(desk_operator)
    _today(adminduk, 10, 1)
    ten = page_queries(client, fragment_url(adminduk))
    _today(adminduk, 190, 11)
    two_hundred = page_queries(client, fragment_url(adminduk))

    assert len(ten) == len(two_hundred)
    assert "Warga 200" in html(client.get(fragment_url(adminduk)))
