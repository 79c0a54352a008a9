"""The counter (loket): today's queue of one service, worked by its officers.

terjadwal → hadir (`queue_check_in`, or `queue_walk_in` for someone without a booking, who
gets the next queue number of the day) → dipanggil (`queue_call_next`, or `queue_recall`
for a skipped one) → selesai (`queue_serve`) or dilewati (`queue_skip`). Officers may also
mark a booked resident who never came (`booking_mark_no_show`; the sweep does it anyway 30
minutes after the slot).

Who: officers holding SERVE_COUNTER (administrator, operator, staff) for the service — the
desk of its kecamatan or the staff of its unit (`common.officer_require*`); others who may
see the service (the camat) get Forbidden, everyone else NotFound.

The call order is the booked slot time (a walk-in counts from their arrival), then the queue
number. `queue_call_next` *claims* the first waiting one with a conditional UPDATE
(status still CHECKED_IN), so two counters calling at once never get the same person: the
loser of a claim takes the next one.
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from telepati.accounts.models import User
from telepati.appointments import notices
from telepati.appointments.lifecycle import ACTIVE_STATES, Action, Status
from telepati.appointments.models import Booking, Channel, OfficeService
from telepati.appointments.services import common
from telepati.appointments.services.booking import person_clean
from telepati.appointments.services.reminders import no_show_claim
from telepati.citizens.services import citizen_get_or_create
from telepati.core.errors import InvalidInput, InvalidTransition, NotFound
from telepati.core.phone import phone_normalize

CALL_CANDIDATES = 5


def queue_order() -> list[str | Combinable]:
    """Call order of a day's queue: slot time (walk-ins: arrival), then queue number."""
    return [Coalesce("slot_start", "checked_in_at").asc(), "queue_number", "pk"]


def queue_check_in(*, user: User, booking_id: int, expected_version: int | None = None) -> Booking:
    """The resident arrived: BOOKED → CHECKED_IN (only on the booked day)."""
    with transaction.atomic():
        booking = common.booking_lock(booking_id=booking_id)
        common.officer_require(user=user, booking=booking)
        common.version_check(booking, expected_version)
        common.transition_target_check(booking, Action.CHECK_IN)
        at = common.now()
        if booking.service_day != common.local_today(at):
            message = _("Janji temu ini untuk %(time)s, bukan hari ini.") % {
                "time": notices.slot_label(booking)
            }
            raise InvalidInput(message, field_errors={"booking": [message]})
        common.transition_record(
            booking, Action.CHECK_IN, at=at, user=user, fields={"checked_in_at": at}
        )
        return booking


def queue_walk_in(
    *, user: User, service_id: int, name: str, phone: str = "", purpose: str = ""
) -> Booking:
    """Someone without a booking joins today's queue: CHECKED_IN with the next number."""
    try:
        with transaction.atomic():
            service = OfficeService.objects.select_related("unit").filter(pk=service_id).first()
            if service is None:
                raise NotFound(_("Layanan tidak ditemukan."))
            common.officer_require_service(user=user, service=service)
            clean_name, clean_phone, clean_purpose = person_clean(
                name, phone, purpose, phone_required=False
            )
            phone_e164 = clean_phone.e164 if clean_phone is not None else ""
            if phone_e164:
                _active_check(service=service, phone=phone_e164)
            at = common.now()
            today = common.local_today(at)
            citizen = (
                citizen_get_or_create(phone=clean_phone, name=clean_name)
                if clean_phone is not None
                else None
            )
            booking = Booking.objects.create(
                code=common.code_next(at=at),
                kecamatan_id=service.kecamatan_id,
                service=service,
                citizen=citizen,
                name=clean_name,
                phone=phone_e164,
                purpose=clean_purpose,
                channel=Channel.COUNTER,
                is_walk_in=True,
                slot_start=None,
                service_day=today,
                queue_number=common.queue_number_next(service=service, day=today),
                status=Status.CHECKED_IN,
                checked_in_at=at,
                # A walk-in is at the office: no reminders.
                reminded_day_before_at=at,
                reminded_hour_before_at=at,
            )
            common.event_append(
                booking=booking,
                at=at,
                to_status=Status.CHECKED_IN,
                actor=user,
                message=_("Datang langsung; masuk antrean."),
            )
            return booking
    except IntegrityError:
        # The same number booked or walked in at the same moment: the constraint decided.
        if phone.strip():
            number = phone_normalize(phone).e164
            _active_check(service=OfficeService.objects.get(pk=service_id), phone=number)
        raise


def _active_check(*, service: OfficeService, phone: str) -> None:
    existing = Booking.objects.filter(
        service=service, phone=phone, status__in=[s.value for s in ACTIVE_STATES]
    ).first()
    if existing is not None:
        message = _(
            "Nomor ini sudah punya janji temu aktif %(code)s (antrean %(number)s). "
            "Tandai hadir janji itu saja."
        ) % {"code": existing.code, "number": existing.queue_label}
        raise common.AlreadyBooked(message, existing=existing)


def queue_call_next(*, user: User, service_id: int, counter_name: str = "") -> Booking | None:
    """Call the next waiting resident to `counter_name` (default: the service's counter);
    None when nobody waits."""
    with transaction.atomic():
        service = OfficeService.objects.select_related("unit").filter(pk=service_id).first()
        if service is None:
            raise NotFound(_("Layanan tidak ditemukan."))
        common.officer_require_service(user=user, service=service)
        at = common.now()
        counter = (counter_name or service.counter_name).strip()[:40]
        waiting = Booking.objects.filter(
            service=service, service_day=common.local_today(at), status=Status.CHECKED_IN
        ).order_by(*queue_order())
        while True:
            candidates = list(waiting.values_list("pk", flat=True)[:CALL_CANDIDATES])
            if not candidates:
                return None
            for pk in candidates:
                if _claim_call(pk=pk, source=Status.CHECKED_IN, user=user, counter=counter, at=at):
                    return _called(pk=pk, source=Status.CHECKED_IN, user=user, at=at)


def queue_recall(
    *, user: User, booking_id: int, counter_name: str = "", expected_version: int | None = None
) -> Booking:
    """Call a skipped (or called) resident again: SKIPPED → CALLED, with a new notice."""
    with transaction.atomic():
        booking = common.booking_lock(booking_id=booking_id)
        common.officer_require(user=user, booking=booking)
        common.version_check(booking, expected_version)
        source = Status(booking.status)
        if source == Status.CHECKED_IN:
            raise InvalidTransition(_("Panggil warga yang menunggu dengan “Panggil berikutnya”."))
        if source != Status.CALLED:  # a called one may be called out again
            common.transition_target_check(booking, Action.CALL)
        at = common.now()
        counter = (counter_name or booking.counter_name or booking.service.counter_name)[:40]
        _claim_call(pk=booking.pk, source=source, user=user, counter=counter, at=at)
        return _called(pk=booking.pk, source=source, user=user, at=at)


def _claim_call(*, pk: int, source: Status, user: User, counter: str, at: datetime) -> bool:
    claimed = Booking.objects.filter(pk=pk, status=source).update(
        status=Status.CALLED,
        called_at=at,
        counter_name=counter,
        served_by=user,
        version=F("version") + 1,
        updated_at=at,
    )
    return claimed == 1


def _called(*, pk: int, source: Status, user: User, at: datetime) -> Booking:
    booking = Booking.objects.select_related("service", "service__unit", "citizen").get(pk=pk)
    common.event_append(
        booking=booking,
        at=booking.called_at or common.now(),
        action=Action.CALL,
        from_status=source,
        to_status=Status.CALLED,
        actor=user,
        message=_("Dipanggil ke %(counter)s.") % {"counter": booking.counter_name},
    )
    common.resident_notify(
        booking=booking, key=f"called:{booking.version}", text=notices.called_text(booking)
    )
    return booking


def queue_serve(*, user: User, booking_id: int, expected_version: int | None = None) -> Booking:
    """The called resident was served: CALLED → SERVED."""
    with transaction.atomic():
        booking = common.booking_lock(booking_id=booking_id)
        common.officer_require(user=user, booking=booking)
        common.version_check(booking, expected_version)
        at = common.now()
        common.transition_record(
            booking,
            Action.SERVE,
            at=at,
            user=user,
            fields={"served_at": at, "closed_at": at, "served_by": user},
        )
        return booking


def queue_skip(*, user: User, booking_id: int, expected_version: int | None = None) -> Booking:
    """The called resident did not come forward: CALLED → SKIPPED (may be recalled)."""
    with transaction.atomic():
        booking = common.booking_lock(booking_id=booking_id)
        common.officer_require(user=user, booking=booking)
        common.version_check(booking, expected_version)
        common.transition_record(booking, Action.SKIP, at=common.now(), user=user)
        return booking


def booking_mark_no_show(
    *, user: User, booking_id: int, expected_version: int | None = None
) -> Booking:
    """An officer marks a booked resident who did not come (once their slot has begun)."""
    with transaction.atomic():
        booking = common.booking_lock(booking_id=booking_id)
        common.officer_require(user=user, booking=booking)
        common.version_check(booking, expected_version)
        common.transition_target_check(booking, Action.MARK_NO_SHOW)
        at = common.now()
        if booking.slot_start is None or booking.slot_start > at:
            message = _("Tandai tidak hadir hanya setelah jadwalnya dimulai.")
            raise InvalidInput(message, field_errors={"booking": [message]})
        no_show_claim(booking_id=booking.pk, at=at, user=user)
        booking.refresh_from_db()
        return booking
