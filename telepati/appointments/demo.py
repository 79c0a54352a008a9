"""Demo bookings of temu cepat in Kecamatan Medan Amplas: a week around today, every state.

For every active service, the three working days before today, today and the next three
working days get a few bookings on WhatsApp and the web, made and moved through the real
services under a frozen clock (freezegun) at plausible moments, all steps of all bookings in
time order: booked two or three days ahead, checked in before their slot, called, served or
skipped, a no-show marked after the slot, some cancelled, one rescheduled; walk-ins join
today's adminduk queue. Steps that would lie in the future are not taken, so today's queue
stops where the clock stands (some waiting, one at the counter, others still expected).

Deterministic (no randomness) and idempotent: submission keys start with "demo-meet-"; when
one exists the loader does nothing. Without services (nothing seeded) it makes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _
from freezegun import freeze_time

from telepati.accounts.models import User
from telepati.appointments import schedule
from telepati.appointments.models import Booking, Channel, OfficeService
from telepati.appointments.services import booking as booking_services
from telepati.appointments.services import counter
from telepati.core.errors import DomainError
from telepati.core.selectors import work_calendar_get
from telepati.core.workdays import WIB, WorkCalendar, is_working_day, next_working_day
from telepati.org.models import Kecamatan
from telepati.org.services import SeedCount

if TYPE_CHECKING:
    from telepati.demo.loaders import DemoContext

DEMO_KEY_PREFIX = "demo-meet-"
DEMO_KECAMATAN_CODE = "medan-amplas"
DESK_USERNAME = "operator"
DAYS_BEFORE = 3
DAYS_AFTER = 3
# What happens to the n-th booking of a service on a day (cycled).
FATES = ("served", "skipped", "served", "no_show", "cancelled", "rescheduled", "served")
NAMES = (
    "Rina Siregar", "Budi Santoso", "Hendra Nasution", "Sri Wahyuni", "Ahmad Fauzi Lubis",
    "Dewi Lestari Harahap", "Tigor Simanjuntak", "Maria Br Sitepu", "Yusuf Daulay",
    "Nur Aisyah Pohan", "Susanti Wijaya", "Rudi Hartono Tarigan", "Fitri Handayani",
    "Ikhsan Batubara", "Lestari Br Ginting", "Andi Saputra", "Ratna Sari Hasibuan",
    "Darwin Manurung", "Wulan Sembiring", "Joko Prasetyo",
)  # fmt: skip
PURPOSES = {
    "loket-adminduk": "Perubahan data Kartu Keluarga",
    "paten": "Surat keterangan usaha",
    "bertemu-camat": "Undangan peresmian posyandu",
    "bertemu-sekcam": "Koordinasi kegiatan kelurahan",
    "konsultasi-umkm": "Pendaftaran NIB dan sertifikat halal",
}

Step = tuple[datetime, int, Callable[[], None]]


@dataclass
class _Plan:
    key: str
    service: OfficeService
    day: date
    slot: datetime
    fate: str
    name: str
    phone: str
    booking: Booking | None = None


def _days(calendar: WorkCalendar, today: date) -> list[date]:
    before: list[date] = []
    day = today
    while len(before) < DAYS_BEFORE:
        day -= timedelta(days=1)
        if is_working_day(calendar, day):
            before.append(day)
    after: list[date] = [today] if is_working_day(calendar, today) else []
    day = today
    for _i in range(DAYS_AFTER):
        day = next_working_day(calendar, day)
        after.append(day)
    return sorted(before) + after


def _plans(services: list[OfficeService], days: list[date], calendar: WorkCalendar) -> list[_Plan]:
    plans: list[_Plan] = []
    index = 0
    for service in services:
        per_day = 5 if service.capacity_per_slot > 1 else 2
        for day in days:
            if not schedule.day_is_open(calendar, service, day):
                continue
            starts = schedule.slot_starts(service, day)
            for n, start in enumerate(starts[::2][:per_day]):
                plans.append(
                    _Plan(
                        key=f"{DEMO_KEY_PREFIX}{service.code}-{day:%Y%m%d}-{n}",
                        service=service,
                        day=day,
                        slot=start,
                        fate=FATES[(n + day.toordinal()) % len(FATES)],
                        name=NAMES[index % len(NAMES)],
                        phone=f"+628120002{index:04d}",
                    )
                )
                index += 1
    return plans


def _steps(plan: _Plan, *, now: datetime, desk: User) -> list[Step]:
    booked_at = min(
        now - timedelta(hours=2),
        datetime.combine(plan.day - timedelta(days=3), time(10, 0), WIB),
    ) + timedelta(minutes=7 * (hash_index(plan.key) % 40))
    slot, service = plan.slot, plan.service
    channel = Channel.WEB if hash_index(plan.key) % 3 == 0 else Channel.WHATSAPP

    def make() -> None:
        plan.booking = booking_services.booking_create(
            service_id=service.pk,
            day=plan.day,
            slot_start=slot,
            name=plan.name,
            phone=plan.phone,
            channel=channel,
            purpose=PURPOSES.get(service.code, ""),
            submission_key=plan.key,
        )

    def code() -> str:
        return plan.booking.code if plan.booking else ""

    def check_in() -> None:
        if plan.booking is not None:
            counter.queue_check_in(user=desk, booking_id=plan.booking.pk)

    def call() -> None:
        called = counter.queue_call_next(user=desk, service_id=service.pk)
        if called is not None:
            plan.booking = called

    def serve() -> None:
        if plan.booking is not None:
            counter.queue_serve(user=desk, booking_id=plan.booking.pk)

    def skip() -> None:
        if plan.booking is not None:
            counter.queue_skip(user=desk, booking_id=plan.booking.pk)

    def no_show() -> None:
        if plan.booking is not None:
            counter.booking_mark_no_show(user=desk, booking_id=plan.booking.pk)

    def cancel() -> None:
        booking_services.booking_cancel(
            code=code(), phone_last4=plan.phone[-4:], reason=_("Berhalangan hadir.")
        )

    def reschedule() -> None:
        later = schedule.slot_starts(service, plan.day)[-1]
        plan.booking = booking_services.booking_reschedule(
            code=code(), day=plan.day, slot_start=later, phone_last4=plan.phone[-4:]
        )
        plan.slot = later

    minutes = timedelta(minutes=1)
    steps: list[Step] = [(booked_at, 0, make)]
    if plan.fate == "cancelled":
        steps.append((booked_at + 90 * minutes, 1, cancel))
    elif plan.fate == "rescheduled":
        steps.append((booked_at + 60 * minutes, 1, reschedule))
    elif plan.fate == "no_show":
        steps.append((slot + 40 * minutes, 1, no_show))
    else:
        steps.append((slot - 10 * minutes, 1, check_in))
        steps.append((slot + 2 * minutes, 2, call))
        steps.append((slot + 12 * minutes, 3, serve if plan.fate == "served" else skip))
    return steps


def hash_index(text: str) -> int:
    """A small deterministic number from a text (Python's hash() is salted per process)."""
    return sum(ord(ch) * (i + 1) for i, ch in enumerate(text))


def _walk_in_steps(service: OfficeService, today: date, desk: User) -> list[Step]:
    opening = datetime.combine(today, service.opens_at, WIB)
    steps: list[Step] = []
    for n, name in enumerate(("Syahrul Munthe", "Kartini Br Karo", "Dedi Irawan")):

        def walk_in(name: str = name) -> None:
            counter.queue_walk_in(user=desk, service_id=service.pk, name=name)

        steps.append((opening + timedelta(minutes=25 + 35 * n), 5, walk_in))
    return steps


def _call_now(service: OfficeService, desk: User) -> Callable[[], None]:
    def call() -> None:
        counter.queue_call_next(user=desk, service_id=service.pk)

    return call


def load_appointment_demo(context: DemoContext) -> None:
    """About a hundred bookings around today, through the services (once)."""
    count = SeedCount(_("Janji temu demo"))
    existing = Booking.objects.filter(submission_key__startswith=DEMO_KEY_PREFIX).count()
    kecamatan = Kecamatan.objects.filter(code=DEMO_KECAMATAN_CODE).first()
    desk = User.objects.filter(username=DESK_USERNAME).first()
    services = list(
        OfficeService.objects.filter(kecamatan=kecamatan, is_active=True).order_by("sort_order")
    )
    if existing or kecamatan is None or desk is None or not services:
        count.existing = existing
        context.counts.append(count)
        return
    now = timezone.now()
    calendar = work_calendar_get()
    today = now.astimezone(WIB).date()
    plans = _plans(services, _days(calendar, today), calendar)
    steps = [step for plan in plans for step in _steps(plan, now=now, desk=desk)]
    adminduk = next((s for s in services if s.code == "loket-adminduk"), None)
    if adminduk is not None and schedule.day_is_open(calendar, adminduk, today):
        steps += _walk_in_steps(adminduk, today, desk)
    for service in services:
        # Whoever waits longest is at the counter right now.
        if schedule.day_is_open(calendar, service, today):
            steps.append((now - timedelta(minutes=2), 9, _call_now(service, desk)))
    steps.sort(key=lambda step: (step[0], step[1]))
    for moment, _order, action in steps:
        if moment > now:
            continue
        with freeze_time(moment):
            try:
                action()
            except DomainError:
                # A demo step the situation no longer allows (e.g. someone else was called):
                # the booking simply stays where it is.
                continue
    count.created = Booking.objects.filter(submission_key__startswith=DEMO_KEY_PREFIX).count()
    context.counts.append(count)
