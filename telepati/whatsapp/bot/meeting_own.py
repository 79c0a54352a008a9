"""Temu cepat on WhatsApp: the resident's own bookings — "janji" (the active ones, with
*Jadwal ulang* / *Batalkan janji* buttons), cancelling (asked once, or at once with
"batal janji <kode>") and finding the booking "jadwal ulang" moves (the day and slot lists
are `meeting`'s). A resident reaches only their own bookings (`booking_get_for_citizen`);
other codes get the same "not found" answer as unknown ones. Only BOOKED bookings change
here; once checked in, the counter decides.
"""

from __future__ import annotations

from telepati.appointments import notices
from telepati.appointments.lifecycle import Status
from telepati.appointments.models import Booking
from telepati.appointments.selectors import booking_get_for_citizen, bookings_active_for_citizen
from telepati.appointments.services.booking import booking_cancel
from telepati.core.errors import DomainError, NotFound
from telepati.whatsapp.bot import meeting_texts as mt
from telepati.whatsapp.bot import texts
from telepati.whatsapp.bot.states import LIST_MAX_ROWS, State
from telepati.whatsapp.bot.turn import Turn


def _own(turn: Turn, code: str) -> Booking | None:
    try:
        return booking_get_for_citizen(code=code, citizen=turn.citizen)
    except NotFound:
        turn.reply(mt.not_found(code.strip().lstrip("#").upper()))
        return None


def my_bookings(turn: Turn) -> None:
    """ "janji": the resident's active bookings."""
    turn.go(State.IDLE, data={})
    bookings = bookings_active_for_citizen(citizen=turn.citizen)
    if not bookings:
        turn.reply(mt.none_active())
    elif len(bookings) == 1:
        show(turn, bookings[0])
    else:
        turn.choices(
            mt.list_prompt(len(bookings)),
            button=mt.list_button(),
            rows=[
                (f"meet:show:{b.code}", b.code, f"{b.service.short_name} · {notices.slot_label(b)}")
                for b in bookings[:LIST_MAX_ROWS]
            ],
        )


def show(turn: Turn, booking: Booking) -> None:
    text = mt.booking_details(
        code=booking.code,
        service=booking.service.name,
        time=notices.slot_label(booking),
        number=booking.queue_label,
        status=booking.get_status_display(),
    )
    if booking.status == Status.BOOKED:
        turn.buttons(text, mt.booking_buttons(booking.code))
    else:
        turn.reply(text)


def _changeable(turn: Turn, booking: Booking) -> bool:
    if booking.status == Status.BOOKED:
        return True
    turn.reply(mt.not_changeable(booking.get_status_display()))
    return False


def cancel_ask(turn: Turn, code: str) -> None:
    turn.go(State.IDLE, data={})
    booking = _own(turn, code)
    if booking is None or not _changeable(turn, booking):
        return
    turn.go(State.MEET_CANCEL, data={"meet": {"code": booking.code}})
    turn.buttons(
        mt.cancel_question(
            code=booking.code, service=booking.service.name, time=notices.slot_label(booking)
        ),
        mt.cancel_buttons(booking.code),
    )


def cancel_do(turn: Turn, code: str) -> None:
    """Cancel through the service, which sends the notice."""
    turn.go(State.IDLE, data={})
    booking = _own(turn, code)
    if booking is None or not _changeable(turn, booking):
        return
    try:
        booking_cancel(code=booking.code, citizen=turn.citizen)
    except DomainError as exc:
        turn.reply(texts.error(str(exc)))


def reschedule_target(turn: Turn, code: str = "") -> Booking | None:
    """The booking "jadwal ulang [kode]" moves: the given one, or the only booked one (else
    the list of bookings is shown and None returned)."""
    turn.go(State.IDLE, data={})
    if not code:
        booked = [
            b
            for b in bookings_active_for_citizen(citizen=turn.citizen)
            if b.status == Status.BOOKED
        ]
        if len(booked) != 1:
            my_bookings(turn)
            return None
        code = booked[0].code
    booking = _own(turn, code)
    if booking is None or not _changeable(turn, booking):
        return None
    return booking


def keep(turn: Turn) -> None:
    turn.go(State.IDLE, data={})
    turn.reply(mt.kept())


def show_code(turn: Turn, code: str) -> None:
    booking = _own(turn, code)
    if booking is not None:
        show(turn, booking)
