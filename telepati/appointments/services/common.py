"""Building blocks shared by the appointment services: errors, locking, access, places,
timeline and notices.

Every change of a booking follows the house recipe inside one short `transaction.atomic()`:
`booking_lock` → an access check (`officer_require` for the counter, `resident_require` for
the resident: NotFound outside, Forbidden when the role may not act) → `version_check` →
`transition_target` from the pure lifecycle → input validation → `transition_record`
(row, version, event) → `resident_notify` (an outbox row with a stable key per cause).

Places of a slot are counted in `SlotLoad` rows: `place_claim` creates the row race-free
(get_or_create under the unique constraint) and takes a place with a conditional UPDATE
(`taken < capacity`), so of two residents taking the last place exactly one gets it;
`place_release` gives a place back (never below zero) in the same transaction.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from telepati.accounts.capabilities import Capability, roles_with
from telepati.accounts.models import User
from telepati.accounts.roles import Role
from telepati.accounts.scope import OfficerScope
from telepati.accounts.selectors import officer_scope_get
from telepati.appointments.lifecycle import Action, Status, transition_target
from telepati.appointments.models import Booking, BookingEvent, OfficeService, SlotLoad
from telepati.appointments.schedule import SlotOption
from telepati.citizens.models import Citizen
from telepati.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from telepati.core.sequences import sequence_next, tracking_code_next
from telepati.core.workdays import WIB
from telepati.messaging.services import Recipient, message_enqueue

CODE_PREFIX = "J"
TEMPLATE_BOOKING = "janji_temu"
# Roles that run every counter of their kecamatan; staff serve the counters of their unit.
_DESK_ROLES = frozenset({Role.ADMINISTRATOR, Role.OPERATOR})


class SlotFull(Conflict):
    """The slot has no free place left; `alternatives` are the nearest free slots."""

    code = "slot_full"

    def __init__(self, message: str, *, alternatives: list[SlotOption]) -> None:
        super().__init__(message)
        self.alternatives = alternatives


class AlreadyBooked(InvalidInput):
    """The person already holds an active booking for this service (offer to reschedule)."""

    code = "already_booked"

    def __init__(self, message: str, *, existing: Booking) -> None:
        super().__init__(message, field_errors={"phone": [message]})
        self.existing = existing


def now() -> datetime:
    return timezone.now()


def local_today(at: datetime | None = None) -> date:
    return (at or now()).astimezone(WIB).date()


# --- Reading and locking -------------------------------------------------------------------


def booking_lock(*, booking_id: int | None = None, code: str = "") -> Booking:
    """The booking row (by id or code), locked for the rest of the transaction."""
    lookup: dict[str, Any] = (
        {"pk": booking_id} if booking_id is not None else {"code": code.strip().upper()}
    )
    try:
        return (
            Booking.objects.select_for_update(of=("self",))
            .select_related("service", "service__unit", "citizen")
            .get(**lookup)
        )
    except Booking.DoesNotExist:
        raise NotFound(_("Janji temu tidak ditemukan.")) from None


def version_check(booking: Booking, expected_version: int | None) -> None:
    if expected_version is not None and booking.version != expected_version:
        raise Conflict(
            _(
                "Janji temu %(code)s baru saja diubah oleh petugas lain. "
                "Muat ulang halaman untuk melihat keadaan terbaru."
            )
            % {"code": booking.code}
        )


def transition_target_check(booking: Booking, action: Action) -> Status:
    """The lifecycle's answer before anything is validated or changed (InvalidTransition)."""
    return transition_target(action, Status(booking.status))


# --- Access --------------------------------------------------------------------------------


def booking_scope_q(scope: OfficerScope) -> Q:
    """The bookings an officer may see: every service of their kecamatan (administrator,
    operator, camat) or the services of their own unit (staff)."""
    return scope.q(kecamatan="kecamatan", forwarded_unit="service__unit")


def service_scope_q(scope: OfficerScope) -> Q:
    """The services an officer may see (same rule as `booking_scope_q`)."""
    return scope.q(kecamatan="kecamatan", forwarded_unit="unit")


def counter_allowed(scope: OfficerScope, service: OfficeService) -> bool:
    """Whether the officer serves this service's counter: SERVE_COUNTER through the desk of
    its kecamatan (administrator, operator) or through its own unit (staff)."""
    if scope.is_superuser:
        return True
    allowed = roles_with(Capability.SERVE_COUNTER)
    for grant in scope.grants:
        if grant.role not in allowed:
            continue
        if grant.role in _DESK_ROLES and grant.kecamatan_id == service.kecamatan_id:
            return True
        if grant.unit_id == service.unit_id:
            return True
    return False


def service_visible(scope: OfficerScope, service: OfficeService) -> bool:
    if scope.is_superuser:
        return True
    return service.kecamatan_id in scope.kecamatan_ids or service.unit_id in scope.unit_ids


def officer_require_service(
    *, user: User, service: OfficeService, scope: OfficerScope | None = None
) -> OfficerScope:
    """NotFound when the service is outside the officer's scope, Forbidden when they may see
    it but do not serve its counter."""
    scope = scope if scope is not None else officer_scope_get(user=user)
    if not service_visible(scope, service):
        raise NotFound(_("Layanan tidak ditemukan."))
    if not counter_allowed(scope, service):
        raise Forbidden(_("Peran Anda tidak berwenang melayani antrean layanan ini."))
    return scope


def officer_require(*, user: User, booking: Booking) -> OfficerScope:
    """The same check for one booking (NotFound says "janji temu")."""
    scope = officer_scope_get(user=user)
    if not service_visible(scope, booking.service):
        raise NotFound(_("Janji temu tidak ditemukan."))
    if not counter_allowed(scope, booking.service):
        raise Forbidden(_("Peran Anda tidak berwenang melayani antrean layanan ini."))
    return scope


def resident_owns(booking: Booking, citizen: Citizen) -> bool:
    return booking.citizen_id == citizen.pk or (
        bool(citizen.phone) and booking.phone == citizen.phone
    )


def resident_require(
    *, booking: Booking, citizen: Citizen | None = None, phone_last4: str = ""
) -> None:
    """A resident acts on their own booking: by their contact (WhatsApp, signed in) or, on the
    web, by the code with the last four digits of the number; otherwise NotFound, the same
    answer as for an unknown code."""
    if citizen is not None and resident_owns(booking, citizen):
        return
    digits = "".join(ch for ch in phone_last4 if ch.isdigit())
    if citizen is None and len(digits) == 4 and booking.phone and booking.phone.endswith(digits):
        return
    raise NotFound(_("Janji temu tidak ditemukan."))


def actor_require(
    *,
    booking: Booking,
    user: User | None,
    citizen: Citizen | None,
    phone_last4: str,
) -> None:
    """An officer (counter of the service) or the resident themselves."""
    if user is not None:
        officer_require(user=user, booking=booking)
    else:
        resident_require(booking=booking, citizen=citizen, phone_last4=phone_last4)


# --- Places and queue numbers --------------------------------------------------------------


def place_claim(*, service: OfficeService, start: datetime) -> bool:
    """Take one place of the slot; False when it is full. Call inside a transaction."""
    # get_or_create inserts under a savepoint and, when a concurrent booking inserted the row
    # first (IntegrityError on the unique constraint), reads that row instead.
    load, _created = SlotLoad.objects.get_or_create(service=service, starts_at=start)
    taken = SlotLoad.objects.filter(pk=load.pk, taken__lt=service.capacity_per_slot).update(
        taken=F("taken") + 1
    )
    return taken == 1


def place_release(*, service_id: int, start: datetime | None) -> None:
    """Give one place of the slot back (never below zero)."""
    if start is None:
        return
    SlotLoad.objects.filter(service_id=service_id, starts_at=start, taken__gt=0).update(
        taken=F("taken") - 1
    )


def code_next(*, at: datetime) -> str:
    """A booking code from the shared counter: "J2611-0007"."""
    return tracking_code_next(prefix=CODE_PREFIX, at=at)


def queue_number_next(*, service: OfficeService, day: date) -> int:
    """The next queue number of the service on `day` (booking order; walk-ins at arrival)."""
    return sequence_next(prefix=f"Q{service.pk}", period=day.strftime("%y%m%d"))


# --- Timeline and notices ------------------------------------------------------------------


def event_append(
    *,
    booking: Booking,
    at: datetime,
    action: Action | None = None,
    from_status: Status | None = None,
    to_status: Status | None = None,
    actor: User | None = None,
    message: str = "",
    data: dict[str, Any] | None = None,
) -> BookingEvent:
    return BookingEvent.objects.create(
        booking=booking,
        action=action.value if action else "",
        from_status=from_status.value if from_status else "",
        to_status=to_status.value if to_status else "",
        actor=actor,
        message=message,
        data=data or {},
        created_at=at,
    )


def transition_record(
    booking: Booking,
    action: Action,
    *,
    at: datetime,
    user: User | None = None,
    message: str = "",
    fields: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
) -> tuple[Status, Status]:
    """Apply a lifecycle move to the locked booking, bump its version, append the event."""
    source = Status(booking.status)
    target = transition_target(action, source)
    changed = ["status", "version", "updated_at"]
    booking.status = target
    booking.version += 1
    for name, value in (fields or {}).items():
        setattr(booking, name, value)
        changed.append(name)
    booking.save(update_fields=changed)
    event_append(
        booking=booking,
        at=at,
        action=action,
        from_status=source,
        to_status=target,
        actor=user,
        message=message,
        data=data,
    )
    return source, target


def resident_notify(
    *,
    booking: Booking,
    key: str,
    text: str,
    template_params: list[str] | None = None,
) -> bool:
    """Queue one WhatsApp notice to the resident (outbox row, same transaction).

    `key` names the cause; with the booking it forms the dedupe key, so a repeated call never
    sends twice. Outside the 24-hour window the template `janji_temu` [code, service, time]
    goes out. False when the booking has no WhatsApp contact (a walk-in without a number).
    """
    bsuid = booking.citizen.wa_bsuid if booking.citizen is not None else ""
    recipient = Recipient(phone=booking.phone, wa_bsuid=bsuid or "")
    if not recipient:
        return False
    from telepati.appointments import notices

    message = message_enqueue(
        recipient=recipient,
        text=text,
        dedupe_key=f"booking:{booking.pk}:{key}",
        reference=f"booking:{booking.code}",
        template_name=TEMPLATE_BOOKING,
        template_params=(
            template_params if template_params is not None else notices.template_params(booking)
        ),
    )
    return message is not None


def slot_key(start: datetime | None) -> str:
    """A compact, stable name of a slot for dedupe keys: "261102T1000"."""
    return start.astimezone(WIB).strftime("%y%m%dT%H%M") if start else "walkin"
