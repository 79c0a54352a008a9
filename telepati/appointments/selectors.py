"""Reads of temu cepat, with access built in.

- For everyone: the active services (`services_active`), free slots of a day
  (`slots_available`), the days that still have room (`days_available`), the nearest free
  slots to a moment (`nearest_free_slots`) and the public TV display (`display_state_public`:
  queue numbers and at most an initial, never names or phones).
- For residents: their own bookings (`booking_get_for_citizen`, `bookings_active_for_citizen`)
  and the web look-up by code + last four digits of the number (`booking_lookup`).
- For officers: the services whose counter they serve (`services_for_officer`), one booking
  (`booking_get_for_officer`) and today's queue of a service (`queue_today_for_officer`).

Free places come from `SlotLoad` in one query per call (plus the holidays of the calendar
when no calendar is passed in).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from telepati.accounts.models import User
from telepati.accounts.selectors import officer_scope_get
from telepati.appointments import schedule
from telepati.appointments.lifecycle import ACTIVE_STATES, Status
from telepati.appointments.models import Booking, OfficeService, SlotLoad
from telepati.appointments.schedule import SlotOption
from telepati.appointments.services import common
from telepati.appointments.services.counter import queue_order
from telepati.citizens.models import Citizen
from telepati.core.errors import NotFound
from telepati.core.selectors import work_calendar_get
from telepati.core.workdays import WIB, WorkCalendar

DISPLAY_NEXT = 5


def services_active(*, kecamatan_id: int | None = None) -> QuerySet[OfficeService]:
    """The services residents may book, in menu order."""
    rows = OfficeService.objects.filter(is_active=True, kecamatan__is_active=True)
    if kecamatan_id is not None:
        rows = rows.filter(kecamatan_id=kecamatan_id)
    return rows.select_related("unit").order_by("sort_order", "name")


def _taken(service: OfficeService, starts: Iterable[datetime]) -> dict[datetime, int]:
    wanted = list(starts)
    if not wanted:
        return {}
    rows = SlotLoad.objects.filter(
        service=service, starts_at__gte=min(wanted), starts_at__lte=max(wanted)
    ).values_list("starts_at", "taken")
    return {start.astimezone(WIB): taken for start, taken in rows}


def _options(
    service: OfficeService, starts: list[datetime], taken: dict[datetime, int], at: datetime
) -> list[SlotOption]:
    options: list[SlotOption] = []
    for start in starts:
        free = service.capacity_per_slot - taken.get(start, 0)
        if start > at and free > 0:
            options.append(SlotOption(start, schedule.slot_end(service, start), free))
    return options


def _window(
    service: OfficeService, calendar: WorkCalendar, at: datetime
) -> dict[date, list[datetime]]:
    today = common.local_today(at)
    return {
        day: schedule.slot_starts(service, day)
        for day in schedule.bookable_days(calendar, service, today)
    }


def slots_available(
    *,
    service: OfficeService,
    day: date,
    calendar: WorkCalendar | None = None,
    at: datetime | None = None,
) -> list[SlotOption]:
    """The slots of `day` still open to booking (not begun, at least one free place)."""
    calendar = calendar or work_calendar_get()
    at = at or common.now()
    today = common.local_today(at)
    bookable = today <= day <= schedule.last_bookable_day(service, today)
    if not bookable or not schedule.day_is_open(calendar, service, day):
        return []
    starts = schedule.slot_starts(service, day)
    return _options(service, starts, _taken(service, starts), at)


def days_available(
    *,
    service: OfficeService,
    limit: int = 10,
    calendar: WorkCalendar | None = None,
    at: datetime | None = None,
) -> list[tuple[date, int]]:
    """The next bookable days with room: (day, free places that day), at most `limit`."""
    calendar = calendar or work_calendar_get()
    at = at or common.now()
    window = _window(service, calendar, at)
    taken = _taken(service, [start for starts in window.values() for start in starts])
    days: list[tuple[date, int]] = []
    for day, starts in window.items():
        free = sum(option.free for option in _options(service, starts, taken, at))
        if free:
            days.append((day, free))
        if len(days) >= limit:
            break
    return days


def nearest_free_slots(
    *,
    service: OfficeService,
    around: datetime,
    limit: int = 3,
    calendar: WorkCalendar | None = None,
    at: datetime | None = None,
) -> list[SlotOption]:
    """The `limit` free slots closest in time to `around` (itself left out), in time order."""
    calendar = calendar or work_calendar_get()
    at = at or common.now()
    window = _window(service, calendar, at)
    starts = [start for day_starts in window.values() for start in day_starts]
    options = [
        o for o in _options(service, starts, _taken(service, starts), at) if o.start != around
    ]
    # Nearest first; on a tie the later slot wins (coming later is easier than earlier).
    options.sort(key=lambda o: (abs(o.start - around), o.start < around, o.start))
    return sorted(options[:limit], key=lambda option: option.start)


# --- Residents -----------------------------------------------------------------------------


def _own_q(citizen: Citizen) -> Q:
    own = Q(citizen=citizen)
    if citizen.phone:
        own |= Q(phone=citizen.phone)
    return own


def booking_get_for_citizen(*, code: str, citizen: Citizen) -> Booking:
    """A resident's own booking by code; NotFound otherwise (the same for unknown codes)."""
    booking = (
        Booking.objects.filter(_own_q(citizen), code=code.strip().lstrip("#").upper())
        .select_related("service", "service__unit")
        .first()
    )
    if booking is None:
        raise NotFound(_("Janji temu tidak ditemukan."))
    return booking


def bookings_active_for_citizen(*, citizen: Citizen) -> list[Booking]:
    """The resident's active bookings, soonest first."""
    return list(
        Booking.objects.filter(_own_q(citizen), status__in=[s.value for s in ACTIVE_STATES])
        .select_related("service", "service__unit")
        .order_by("service_day", "slot_start", "pk")
    )


def booking_lookup(*, code: str, phone_last4: str) -> Booking:
    """The web look-up: a booking by its code and the last four digits of its number.
    NotFound for any mismatch (the web door limits attempts per address and code)."""
    digits = "".join(ch for ch in phone_last4 if ch.isdigit())
    booking = (
        Booking.objects.filter(code=code.strip().lstrip("#").upper())
        .select_related("service", "service__unit")
        .first()
    )
    if booking is None or len(digits) != 4 or not booking.phone.endswith(digits):
        raise NotFound(_("Janji temu tidak ditemukan. Periksa kode dan nomor WhatsApp Anda."))
    return booking


# --- Officers ------------------------------------------------------------------------------


def services_for_officer(*, user: User) -> list[OfficeService]:
    """The active services whose counter the officer serves."""
    scope = officer_scope_get(user=user)
    rows = services_active().filter(common.service_scope_q(scope))
    return [service for service in rows if common.counter_allowed(scope, service)]


def service_get_for_officer(*, user: User, service_id: int) -> OfficeService:
    """One service the officer serves; NotFound outside their scope, Forbidden without the
    counter."""
    service = OfficeService.objects.select_related("unit").filter(pk=service_id).first()
    if service is None:
        raise NotFound(_("Layanan tidak ditemukan."))
    common.officer_require_service(user=user, service=service)
    return service


def booking_get_for_officer(*, user: User, booking_id: int) -> Booking:
    """One booking the officer may see (their kecamatan's desk, or their unit's services)."""
    scope = officer_scope_get(user=user)
    booking = (
        Booking.objects.filter(common.booking_scope_q(scope), pk=booking_id)
        .select_related("service", "service__unit", "served_by")
        .first()
    )
    if booking is None:
        raise NotFound(_("Janji temu tidak ditemukan."))
    return booking


@dataclass
class QueueToday:
    """Today's queue of one service, grouped for the counter screen (each in call order)."""

    service: OfficeService
    day: date
    called: list[Booking] = field(default_factory=list)
    waiting: list[Booking] = field(default_factory=list)
    skipped: list[Booking] = field(default_factory=list)
    expected: list[Booking] = field(default_factory=list)  # booked, not arrived yet
    finished: list[Booking] = field(default_factory=list)  # served, no-show, cancelled


def queue_today_for_officer(
    *, user: User, service: OfficeService, at: datetime | None = None
) -> QueueToday:
    """Today's bookings of the service (one query); NotFound/Forbidden as the counter."""
    common.officer_require_service(user=user, service=service)
    day = common.local_today(at)
    queue = QueueToday(service=service, day=day)
    groups = {
        Status.CALLED: queue.called,
        Status.CHECKED_IN: queue.waiting,
        Status.SKIPPED: queue.skipped,
        Status.BOOKED: queue.expected,
    }
    rows = (
        Booking.objects.filter(service=service, service_day=day)
        .select_related("service")
        .order_by(*queue_order())
    )
    for booking in rows:
        groups.get(Status(booking.status), queue.finished).append(booking)
    return queue


# --- The public display --------------------------------------------------------------------


@dataclass(frozen=True)
class DisplayEntry:
    """One number on the TV: the queue label, the counter, and an initial at most."""

    number: str
    counter: str
    initial: str
    called_at: datetime | None


@dataclass(frozen=True)
class DisplayState:
    service_name: str
    day: date
    now_serving: list[DisplayEntry]
    next_numbers: list[str]
    waiting_count: int


def display_state_public(
    *, service: OfficeService, at: datetime | None = None, next_count: int = DISPLAY_NEXT
) -> DisplayState:
    """What the TV shows: who is being called now (latest first) and the next numbers."""
    day = common.local_today(at)
    rows = list(
        Booking.objects.filter(
            service=service, service_day=day, status__in=[Status.CALLED, Status.CHECKED_IN]
        ).order_by(*queue_order())
    )
    prefix = service.queue_prefix
    called = sorted(
        (b for b in rows if b.status == Status.CALLED),
        key=lambda b: b.called_at or datetime.min.replace(tzinfo=WIB),
        reverse=True,
    )
    waiting = [b for b in rows if b.status == Status.CHECKED_IN]
    return DisplayState(
        service_name=service.name,
        day=day,
        now_serving=[
            DisplayEntry(
                number=f"{prefix}-{b.queue_number:03d}",
                counter=b.counter_name or service.counter_name,
                initial=(b.name.strip()[:1].upper() + ".") if b.name.strip() else "",
                called_at=b.called_at,
            )
            for b in called
        ],
        next_numbers=[f"{prefix}-{b.queue_number:03d}" for b in waiting[:next_count]],
        waiting_count=len(waiting),
    )


def display_board_public(
    *, kecamatan_id: int, at: datetime | None = None, next_count: int = DISPLAY_NEXT
) -> list[DisplayState]:
    """The TV board of a kecamatan: one `DisplayState` per active service, in menu order."""
    return [
        display_state_public(service=service, at=at, next_count=next_count)
        for service in services_active(kecamatan_id=kecamatan_id)
    ]
