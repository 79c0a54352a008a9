"""Fixtures of the temu cepat tests: services of Medan Amplas (and one of Medan Johor), a
frozen clock on a working Monday, and `book(...)` that books through `booking_create`.

The clock starts on Monday 2 November 2026, 07:00 WIB (before opening, no holidays in the
test database); tests move it with `clock.move_to(...)`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, time
from typing import Any

import pytest
from freezegun import freeze_time
from freezegun.api import FrozenDateTimeFactory, StepTickTimeFactory, TickingDateTimeFactory

from telepati.appointments.models import Booking, Channel, OfficeService
from telepati.appointments.services.booking import booking_create
from telepati.core.workdays import WIB

MONDAY = date(2026, 11, 2)
TUESDAY = date(2026, 11, 3)
FRIDAY = date(2026, 11, 6)
NEXT_MONDAY = date(2026, 11, 9)
START = datetime(2026, 11, 2, 7, 0, tzinfo=WIB)
SITI = "+6281234567890"
BUDI = "+6285261234567"


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=WIB)


@pytest.fixture
def clock() -> Iterator[FrozenDateTimeFactory | StepTickTimeFactory | TickingDateTimeFactory]:
    with freeze_time(START) as frozen:
        yield frozen


def service_make(**fields: Any) -> OfficeService:
    values: dict[str, Any] = {
        "code": "loket-adminduk",
        "name": "Loket Administrasi Kependudukan",
        "short_name": "Loket Adminduk",
        "weekdays": [0, 1, 2, 3, 4],
        "opens_at": time(8, 0),
        "closes_at": time(15, 0),
        "break_starts_at": time(12, 0),
        "break_ends_at": time(13, 0),
        "friday_closes_at": time(11, 30),
        "slot_minutes": 30,
        "capacity_per_slot": 2,
        "book_days_ahead": 10,
        "queue_prefix": "A",
        "counter_name": "Loket 1",
        "what_to_bring": "KTP-el asli\nKartu Keluarga asli",
    }
    values.update(fields)
    return OfficeService.objects.create(**values)


@pytest.fixture
def adminduk(amplas, amplas_service) -> OfficeService:
    """The adminduk counter, run by Seksi Pelayanan Umum (the desk operator's unit)."""
    return service_make(kecamatan=amplas, unit=amplas_service)


@pytest.fixture
def camat_meeting(amplas, amplas_leadership) -> OfficeService:
    """Meeting the camat: Tuesday and Thursday mornings, one person per half hour."""
    return service_make(
        kecamatan=amplas,
        unit=amplas_leadership,
        code="bertemu-camat",
        name="Bertemu Camat",
        short_name="Bertemu Camat",
        weekdays=[1, 3],
        opens_at=time(9, 0),
        closes_at=time(12, 0),
        break_starts_at=None,
        break_ends_at=None,
        friday_closes_at=None,
        capacity_per_slot=1,
        queue_prefix="C",
        counter_name="Ruang Camat",
        what_to_bring="",
        sort_order=30,
    )


@pytest.fixture
def trantib_desk(amplas, amplas_trantib) -> OfficeService:
    """A service of Seksi Trantibum (the section staff persona's unit)."""
    return service_make(
        kecamatan=amplas,
        unit=amplas_trantib,
        code="konsultasi-trantib",
        name="Konsultasi Ketertiban",
        short_name="Konsultasi Trantib",
        queue_prefix="T",
        counter_name="Meja Trantib",
        sort_order=40,
    )


@pytest.fixture
def johor_counter(johor, johor_service) -> OfficeService:
    return service_make(kecamatan=johor, unit=johor_service, queue_prefix="J")


Book = Callable[..., Booking]


@pytest.fixture
def book(adminduk) -> Book:
    """Book through the service: defaults to Siti on WhatsApp, Monday 10.00 at the adminduk
    counter; pass any argument of `booking_create` to change it."""

    def make(**overrides: Any) -> Booking:
        values: dict[str, Any] = {
            "service_id": adminduk.pk,
            "day": MONDAY,
            "slot_start": at(MONDAY, 10),
            "name": "Siti Aminah",
            "phone": SITI,
            "channel": Channel.WHATSAPP,
        }
        values.update(overrides)
        if "slot_start" in overrides and "day" not in overrides:
            values["day"] = values["slot_start"].astimezone(WIB).date()
        return booking_create(**values)

    return make
