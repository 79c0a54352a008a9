"""Reminders before a booking, and the no-show sweep after it.

Two reminders per booking, each sent exactly once:

- the day before: at 16.00 WIB on the last working day before the booked day (a Monday
  booking is reminded on Friday afternoon);
- an hour before the slot starts.

A booking made after a reminder's moment gets none (`booking_create` marks it sent: the
booking notice says it all); rescheduling starts both over. The periodic sweep
(`booking_reminders_sweep`, task `appointments.tasks.reminders_sweep`) reads the candidates
and *claims* each reminder with a conditional UPDATE on `reminded_day_before_at` /
`reminded_hour_before_at` (still empty, still BOOKED): only the worker whose UPDATE changed
the row writes the event and the notice, so workers running at once never remind twice.
Claims do not bump the booking's version (the sweep's bookkeeping must not make an officer's
form stale).

`booking_no_show_sweep` marks BOOKED bookings whose slot ended more than
`NO_SHOW_GRACE` ago as no-shows, claimed the same way, giving the place back.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from telepati.accounts.models import User
from telepati.appointments import notices, schedule
from telepati.appointments.lifecycle import Action, Status
from telepati.appointments.models import Booking
from telepati.appointments.services import common
from telepati.core.selectors import work_calendar_get
from telepati.core.workdays import WIB, WorkCalendar, next_working_day

logger = logging.getLogger(__name__)

DAY_BEFORE_AT = time(16, 0)
HOUR_BEFORE = timedelta(hours=1)
NO_SHOW_GRACE = timedelta(minutes=30)
BATCH_SIZE = 200


def day_before_due(*, start: datetime, calendar: WorkCalendar) -> datetime:
    """When the day-before reminder of a slot is due: 16.00 on the previous working day."""
    day = start.astimezone(WIB).date()
    return datetime.combine(schedule.previous_working_day(calendar, day), DAY_BEFORE_AT, WIB)


def hour_before_due(*, start: datetime) -> datetime:
    return start - HOUR_BEFORE


def booking_reminders_sweep(*, now: datetime | None = None) -> int:
    """Send every reminder due by `now`, each exactly once; returns how many were sent."""
    at = now or common.now()
    calendar = work_calendar_get()
    today = common.local_today(at)
    sent = 0
    # Day before: bookings up to the next working day whose reminder moment has come.
    horizon: date = next_working_day(calendar, today)
    day_candidates = Booking.objects.filter(
        status=Status.BOOKED,
        reminded_day_before_at__isnull=True,
        service_day__gt=today,
        service_day__lte=horizon,
        slot_start__isnull=False,
    ).values_list("pk", "slot_start")
    for pk, start in list(day_candidates.order_by("slot_start", "pk")):
        if start is not None and day_before_due(start=start, calendar=calendar) <= at:
            sent += _claim_and_send(pk=pk, at=at, kind="day")
    hour_candidates = Booking.objects.filter(
        status=Status.BOOKED,
        reminded_hour_before_at__isnull=True,
        slot_start__gt=at,
        slot_start__lte=at + HOUR_BEFORE,
    ).values_list("pk", flat=True)
    for pk in list(hour_candidates.order_by("slot_start", "pk")):
        sent += _claim_and_send(pk=pk, at=at, kind="hour")
    return sent


def _claim_and_send(*, pk: int, at: datetime, kind: str) -> int:
    field = "reminded_day_before_at" if kind == "day" else "reminded_hour_before_at"
    try:
        with transaction.atomic():
            claimed = Booking.objects.filter(
                pk=pk, status=Status.BOOKED, **{f"{field}__isnull": True}
            ).update(**{field: at})
            if claimed != 1:
                return 0
            booking = Booking.objects.select_related("service", "service__unit", "citizen").get(
                pk=pk
            )
            common.event_append(
                booking=booking,
                at=at,
                message=(
                    _("Pengingat H-1 dikirim.") if kind == "day" else _("Pengingat 1 jam dikirim.")
                ),
                data={"reminder": kind},
            )
            common.resident_notify(
                booking=booking,
                key=f"remind:{kind}:{common.slot_key(booking.slot_start)}",
                text=(
                    notices.reminder_day_before_text(booking)
                    if kind == "day"
                    else notices.reminder_hour_before_text(booking)
                ),
            )
            return 1
    except Exception:
        logger.exception("Appointment reminders: booking %s failed; the others go on", pk)
        return 0


def booking_no_show_sweep(*, now: datetime | None = None) -> int:
    """Mark BOOKED bookings whose slot ended over 30 minutes ago as no-shows; returns how many."""
    at = now or common.now()
    candidates = (
        Booking.objects.filter(
            status=Status.BOOKED, slot_start__isnull=False, slot_start__lt=at - NO_SHOW_GRACE
        )
        .select_related("service")
        .order_by("slot_start", "pk")
    )
    marked = 0
    for booking in list(candidates[:BATCH_SIZE]):
        assert booking.slot_start is not None
        if schedule.slot_end(booking.service, booking.slot_start) + NO_SHOW_GRACE > at:
            continue
        try:
            with transaction.atomic():
                marked += no_show_claim(booking_id=booking.pk, at=at)
        except Exception:
            logger.exception("No-show sweep: booking %s failed; the others go on", booking.pk)
    return marked


def no_show_claim(*, booking_id: int, at: datetime, user: User | None = None) -> int:
    """Claim one BOOKED booking as NO_SHOW (conditional UPDATE), give its place back, record
    it. Returns 1 when this caller made the change, 0 when another did. Call in a transaction."""
    claimed = Booking.objects.filter(pk=booking_id, status=Status.BOOKED).update(
        status=Status.NO_SHOW, closed_at=at, version=F("version") + 1, updated_at=at
    )
    if claimed != 1:
        return 0
    booking = Booking.objects.select_related("service", "service__unit", "citizen").get(
        pk=booking_id
    )
    common.place_release(service_id=booking.service_id, start=booking.slot_start)
    common.event_append(
        booking=booking,
        at=at,
        action=Action.MARK_NO_SHOW,
        from_status=Status.BOOKED,
        to_status=Status.NO_SHOW,
        actor=user,
        message=_("Tidak hadir pada jadwalnya."),
    )
    common.resident_notify(booking=booking, key="no_show", text=notices.no_show_text(booking))
    return 1
