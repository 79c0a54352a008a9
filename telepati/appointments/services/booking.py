"""Booking a slot, cancelling and rescheduling: the resident's side of temu cepat.

- `booking_create`: a resident (WhatsApp, web) or an officer on their behalf takes a place in
  a slot: status BOOKED, a J-code (`J2611-0007`), the next queue number of the service on
  that day, and a notice with the code, number, time and what to bring. The slot must belong
  to the service's schedule (`schedule.py`): a working day, one of its weekdays, within the
  hours and outside the break, not begun, within `book_days_ahead`. One active booking per
  person per service (`AlreadyBooked`, carrying the existing one). A full slot raises
  `SlotFull` with the nearest free slots, so every door can offer them.
- `booking_cancel`: BOOKED → CANCELLED; the place is given back in the same transaction.
- `booking_reschedule`: BOOKED stays BOOKED in another slot; the new place is claimed
  (race-free) and the old one given back together, the code is kept, a new queue number is
  drawn when the day changes, and the reminders start over.

Residents act with their contact (`citizen`) or, on the web, with the code and the last four
digits of their number (`phone_last4`); officers of the service's counter with `user`.
A door that may resend passes a `submission_key`; the same key returns the same booking.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from telepati.accounts.models import User
from telepati.appointments import notices, schedule
from telepati.appointments.lifecycle import ACTIVE_STATES, Action, Status
from telepati.appointments.models import Booking, Channel, OfficeService
from telepati.appointments.services import common
from telepati.appointments.services.common import AlreadyBooked, SlotFull
from telepati.citizens.models import Citizen
from telepati.citizens.services import citizen_get_or_create
from telepati.core.errors import InvalidInput, NotFound
from telepati.core.phone import PhoneNumber, phone_normalize
from telepati.core.selectors import work_calendar_get
from telepati.core.workdays import WIB, WorkCalendar

NAME_MAX_LENGTH = 120
PURPOSE_MAX_LENGTH = 255


def booking_create(
    *,
    service_id: int,
    day: date,
    slot_start: datetime,
    name: str,
    phone: str,
    channel: Channel,
    citizen: Citizen | None = None,
    purpose: str = "",
    submission_key: str | None = None,
    wa_bsuid: str = "",
    user: User | None = None,
) -> Booking:
    """Take a place in a slot (see the module docstring); returns the BOOKED booking."""
    existing = _by_submission_key(submission_key)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            service = _service_get(service_id)
            if user is not None:
                common.officer_require_service(user=user, service=service)
            at = common.now()
            calendar = work_calendar_get()
            start = slot_validate(
                service=service, day=day, slot_start=slot_start, at=at, calendar=calendar
            )
            clean_name, clean_phone, clean_purpose = person_clean(name, phone, purpose)
            assert clean_phone is not None
            _one_active_check(service=service, phone=clean_phone.e164)
            if not common.place_claim(service=service, start=start):
                raise _slot_full(service=service, start=start, calendar=calendar, at=at)
            person = citizen or citizen_get_or_create(
                phone=clean_phone, wa_bsuid=wa_bsuid, name=clean_name
            )
            booking = Booking.objects.create(
                code=common.code_next(at=at),
                submission_key=submission_key or None,
                kecamatan_id=service.kecamatan_id,
                service=service,
                citizen=person,
                name=clean_name,
                phone=clean_phone.e164,
                purpose=clean_purpose,
                channel=channel,
                slot_start=start,
                service_day=day,
                queue_number=common.queue_number_next(service=service, day=day),
                status=Status.BOOKED,
                **_reminders_already_due(service=service, start=start, at=at, calendar=calendar),
            )
            common.event_append(
                booking=booking,
                at=at,
                to_status=Status.BOOKED,
                actor=user,
                message=_("Janji temu dibuat melalui %(channel)s.")
                % {"channel": Channel(channel).label},
                data={"slot": start.isoformat()},
            )
            common.resident_notify(booking=booking, key="booked", text=notices.booked_text(booking))
            return booking
    except IntegrityError:
        # A resent submission, or the same person booking twice at the same moment: the
        # database's constraints decided; answer as if we had seen it first.
        existing = _by_submission_key(submission_key)
        if existing is not None:
            return existing
        clean_phone = phone_normalize(phone)
        _one_active_check(service=_service_get(service_id), phone=clean_phone.e164)
        raise


def booking_cancel(
    *,
    code: str,
    citizen: Citizen | None = None,
    phone_last4: str = "",
    user: User | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> Booking:
    """BOOKED → CANCELLED by the resident or an officer; the place is given back."""
    with transaction.atomic():
        booking = common.booking_lock(code=code)
        common.actor_require(booking=booking, user=user, citizen=citizen, phone_last4=phone_last4)
        common.version_check(booking, expected_version)
        at = common.now()
        reason = " ".join((reason or "").split())[:255]
        common.transition_record(
            booking,
            Action.CANCEL,
            at=at,
            user=user,
            message=reason
            or (_("Dibatalkan oleh petugas.") if user else _("Dibatalkan oleh warga.")),
            fields={"closed_at": at},
        )
        common.place_release(service_id=booking.service_id, start=booking.slot_start)
        common.resident_notify(
            booking=booking, key="cancelled", text=notices.cancelled_text(booking)
        )
        return booking


def booking_reschedule(
    *,
    code: str,
    day: date,
    slot_start: datetime,
    citizen: Citizen | None = None,
    phone_last4: str = "",
    user: User | None = None,
    expected_version: int | None = None,
) -> Booking:
    """Move a BOOKED booking to another slot of its service (same code)."""
    with transaction.atomic():
        booking = common.booking_lock(code=code)
        common.actor_require(booking=booking, user=user, citizen=citizen, phone_last4=phone_last4)
        common.version_check(booking, expected_version)
        common.transition_target_check(booking, Action.RESCHEDULE)
        service = booking.service
        at = common.now()
        calendar = work_calendar_get()
        start = slot_validate(
            service=service, day=day, slot_start=slot_start, at=at, calendar=calendar
        )
        old_start = booking.slot_start
        if start == old_start:
            message = _("Jadwal baru sama dengan jadwal sekarang. Pilih waktu lain.")
            raise InvalidInput(message, field_errors={"slot_start": [message]})
        # Both load rows are touched in time order, so two residents swapping slots cannot
        # deadlock; a full slot rolls the release back with everything else.
        if old_start is not None and old_start < start:
            common.place_release(service_id=service.pk, start=old_start)
        if not common.place_claim(service=service, start=start):
            raise _slot_full(service=service, start=start, calendar=calendar, at=at)
        if old_start is None or old_start > start:
            common.place_release(service_id=service.pk, start=old_start)
        fields: dict[str, object] = {
            "slot_start": start,
            "service_day": day,
            "reminded_day_before_at": None,
            "reminded_hour_before_at": None,
            **_reminders_already_due(service=service, start=start, at=at, calendar=calendar),
        }
        if day != booking.service_day:
            fields["queue_number"] = common.queue_number_next(service=service, day=day)
        common.transition_record(
            booking,
            Action.RESCHEDULE,
            at=at,
            user=user,
            message=_("Dijadwal ulang ke %(time)s.")
            % {"time": notices.time_range_label(start, schedule.slot_end(service, start))},
            fields=fields,
            data={"from": old_start.isoformat() if old_start else "", "to": start.isoformat()},
        )
        common.resident_notify(
            booking=booking,
            key=f"rescheduled:{booking.version}",
            text=notices.rescheduled_text(booking),
        )
        return booking


# --- Rules ---------------------------------------------------------------------------------


def slot_validate(
    *,
    service: OfficeService,
    day: date,
    slot_start: datetime,
    at: datetime,
    calendar: WorkCalendar,
) -> datetime:
    """The slot start (in WIB) when it belongs to the service's schedule on `day`, else
    InvalidInput saying why (field "slot_start", or "day" for a closed day)."""
    if slot_start.tzinfo is None:
        raise ValueError("slot_start must be timezone-aware")
    start = slot_start.astimezone(WIB)
    today = common.local_today(at)
    if start.date() != day:
        _invalid("slot_start", _("Jam yang dipilih bukan pada tanggal tersebut."))
    if day < today or start <= at:
        _invalid("slot_start", _("Waktu tersebut sudah lewat. Pilih waktu lain."))
    if day > schedule.last_bookable_day(service, today):
        _invalid(
            "day",
            _("Janji temu hanya dapat dibuat paling lambat %(n)d hari ke depan.")
            % {"n": service.book_days_ahead},
        )
    if not schedule.day_is_open(calendar, service, day):
        _invalid("day", _("Layanan %(service)s tidak buka pada hari itu.") % {"service": service})
    if start not in schedule.slot_starts(service, day):
        _invalid(
            "slot_start",
            _("Jam tersebut di luar jadwal layanan (jam buka atau istirahat). Pilih slot lain."),
        )
    return start


def _invalid(field: str, message: str) -> None:
    raise InvalidInput(message, field_errors={field: [message]})


def _service_get(service_id: int) -> OfficeService:
    service = (
        OfficeService.objects.select_related("unit", "kecamatan")
        .filter(pk=service_id, is_active=True)
        .first()
    )
    if service is None:
        message = _("Layanan tidak ditemukan.")
        raise NotFound(message)
    return service


def person_clean(
    name: str, phone: str, purpose: str, *, phone_required: bool = True
) -> tuple[str, PhoneNumber | None, str]:
    """Name, WhatsApp number and purpose, cleaned; InvalidInput listing every problem."""
    errors: dict[str, list[str]] = {}
    clean_name = " ".join((name or "").split())
    if not clean_name:
        errors["name"] = [_("Nama wajib diisi.")]
    elif len(clean_name) > NAME_MAX_LENGTH:
        errors["name"] = [
            _("Nama terlalu panjang (maksimal %(n)d karakter).") % {"n": NAME_MAX_LENGTH}
        ]
    clean_phone: PhoneNumber | None = None
    if phone_required or (phone or "").strip():
        try:
            clean_phone = phone_normalize(phone)
        except ValidationError as exc:
            errors["phone"] = list(exc.messages)
    clean_purpose = " ".join((purpose or "").split())
    if len(clean_purpose) > PURPOSE_MAX_LENGTH:
        errors["purpose"] = [
            _("Keperluan terlalu panjang (maksimal %(n)d karakter).") % {"n": PURPOSE_MAX_LENGTH}
        ]
    if errors:
        raise InvalidInput(
            _("Data janji temu belum lengkap. Periksa isian yang ditandai."), field_errors=errors
        )
    return clean_name, clean_phone, clean_purpose


def _one_active_check(*, service: OfficeService, phone: str) -> None:
    existing = (
        Booking.objects.filter(
            service=service, phone=phone, status__in=[s.value for s in ACTIVE_STATES]
        )
        .select_related("service")
        .first()
    )
    if existing is not None:
        raise AlreadyBooked(
            _(
                "Anda sudah punya janji temu %(service)s dengan kode %(code)s pada %(time)s. "
                "Jadwalkan ulang atau batalkan janji itu bila ingin waktu lain."
            )
            % {
                "service": service.name,
                "code": existing.code,
                "time": notices.slot_label(existing),
            },
            existing=existing,
        )


def _slot_full(
    *, service: OfficeService, start: datetime, calendar: WorkCalendar, at: datetime
) -> SlotFull:
    from telepati.appointments.selectors import nearest_free_slots

    return SlotFull(
        _("Maaf, slot %(time)s baru saja penuh. Pilih salah satu waktu terdekat yang masih kosong.")
        % {"time": notices.time_range_label(start, schedule.slot_end(service, start))},
        alternatives=nearest_free_slots(service=service, around=start, calendar=calendar, at=at),
    )


def _reminders_already_due(
    *, service: OfficeService, start: datetime, at: datetime, calendar: WorkCalendar
) -> dict[str, datetime]:
    """A booking made after a reminder's moment gets none: the booking notice tells it all."""
    from telepati.appointments.services.reminders import day_before_due, hour_before_due

    fields: dict[str, datetime] = {}
    if day_before_due(start=start, calendar=calendar) <= at:
        fields["reminded_day_before_at"] = at
    if hour_before_due(start=start) <= at:
        fields["reminded_hour_before_at"] = at
    return fields


def _by_submission_key(key: str | None) -> Booking | None:
    if not key:
        return None
    return Booking.objects.filter(submission_key=key).select_related("service").first()
