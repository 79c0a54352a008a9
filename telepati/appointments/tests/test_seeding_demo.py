"""Seeding the services offered, and the demo week of bookings (every state, once)."""

from __future__ import annotations

from datetime import datetime, time

import pytest
from freezegun import freeze_time

from telepati.appointments.demo import DEMO_KEY_PREFIX, load_appointment_demo
from telepati.appointments.lifecycle import Status
from telepati.appointments.models import Booking, OfficeService, SlotLoad
from telepati.appointments.seeding import office_services_seed
from telepati.core.workdays import WIB
from telepati.demo.loaders import DemoContext, demo_accounts_load
from telepati.org.services import territory_seed

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 4, 10, 40, tzinfo=WIB)  # a Wednesday morning


@pytest.fixture
def seeded() -> None:
    territory_seed()
    office_services_seed()


def test_seeding_creates_the_services_once_and_keeps_edits(seeded):
    services = {s.code: s for s in OfficeService.objects.select_related("unit")}

    assert list(services) == [
        "loket-adminduk",
        "paten",
        "bertemu-camat",
        "bertemu-sekcam",
        "konsultasi-umkm",
    ]
    adminduk = services["loket-adminduk"]
    assert (adminduk.unit.code, adminduk.opens_at, adminduk.closes_at) == (
        "medan-amplas--pemerintahan",
        time(8, 0),
        time(15, 0),
    )
    assert (adminduk.break_starts_at, adminduk.friday_closes_at) == (time(12, 0), time(11, 30))
    assert services["konsultasi-umkm"].unit.code == "medan-amplas--pemberdayaan"
    assert services["bertemu-camat"].unit.code == "medan-amplas--pimpinan"
    assert all(len(s.short_name) <= 24 for s in services.values())

    OfficeService.objects.filter(code="paten").update(capacity_per_slot=9)
    again = office_services_seed()

    assert (again.created, again.existing) == (0, 5)
    assert OfficeService.objects.get(code="paten").capacity_per_slot == 9


def test_the_demo_week_has_every_state_and_runs_once(seeded):
    with freeze_time(NOW):
        context = DemoContext()
        demo_accounts_load(context)
        load_appointment_demo(context)
        count = Booking.objects.filter(submission_key__startswith=DEMO_KEY_PREFIX).count()
        load_appointment_demo(context)

    statuses = set(Booking.objects.values_list("status", flat=True))
    assert statuses == {s.value for s in Status}
    assert count > 60
    assert Booking.objects.filter(submission_key__startswith=DEMO_KEY_PREFIX).count() == count
    assert Booking.objects.filter(is_walk_in=True).count() == 3
    assert (context.counts[-2].created, context.counts[-1].existing) == (count, count)
    # The places taken match the bookings holding them.
    for load in SlotLoad.objects.all():
        holding = Booking.objects.filter(
            service_id=load.service_id,
            slot_start=load.starts_at,
            status__in=["booked", "checked_in", "called", "served", "skipped"],
        ).count()
        assert load.taken == holding
