"""Temu cepat on WhatsApp: booking a visit to the office, and one's own bookings.

Menu *Temu cepat* → a list of the services (≤ 10 rows) → a list of the next days with room
(`days_available`, ≤ 10) → a list of the free slots of that day ("08.00–08.30 (3 tempat)",
nine and a "Lainnya…" row when there are more) → a summary with *Ya, pesan* / *Batal* →
`booking_create(channel=WHATSAPP, submission_key="wa:<wamid>")`. The service sends the code,
queue number and what to bring itself. A slot taken meanwhile (`SlotFull`) is answered with
the nearest free slots as a new list; an active booking for the same service
(`AlreadyBooked`) with *Jadwal ulang* / *Batalkan janji* buttons for it.

Commands in any state: "janji" (one's active bookings, with the same buttons),
"batal janji <kode>", "jadwal ulang [kode]" (one's own bookings: `meeting_own`).
Rescheduling walks the same day and slot lists and ends in `booking_reschedule`. Reply ids
are "meet:<action>[:<args>]" and work in any state, so an older list still answers; the
routing of commands, replies and typed answers for both modules is here.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from telepati.appointments import notices
from telepati.appointments.models import Channel, OfficeService
from telepati.appointments.schedule import slot_end
from telepati.appointments.selectors import (
    days_available,
    services_active,
    slots_available,
)
from telepati.appointments.services.booking import (
    booking_create,
    booking_reschedule,
)
from telepati.appointments.services.common import AlreadyBooked, SlotFull
from telepati.core.errors import DomainError
from telepati.core.workdays import WIB
from telepati.whatsapp.bot import meeting_own, texts
from telepati.whatsapp.bot import meeting_texts as mt
from telepati.whatsapp.bot.states import LIST_MAX_ROWS, State, normalize, page_slice
from telepati.whatsapp.bot.turn import Turn

_MY_WORDS = frozenset({"janji", "janji saya", "janji temu", "cek janji", "lihat janji"})
_START_WORDS = frozenset({"temu cepat", "buat janji", "pesan janji"})
_CANCEL = re.compile(r"^batal(?:kan)? janji(?: temu)?(?:\s+#?(\S{1,30}))?$")
_RESCHEDULE = re.compile(r"^(?:jadwal ulang|ubah jadwal|ganti jadwal)(?:\s+#?(\S{1,30}))?$")
_YES = frozenset({"ya", "iya", "ya pesan", "ok", "oke", "setuju", "lanjut"})
_NO = frozenset({"tidak", "gak", "nggak", "jangan"})
_SLOT_FORMAT = "%Y-%m-%dT%H%M"


# --- Reading the service, the day and the slot ---------------------------------------------------


def _service(service_id: str | int) -> OfficeService | None:
    try:
        return services_active().filter(pk=int(service_id)).first()
    except (TypeError, ValueError):
        return None


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _slot(text: str) -> datetime | None:
    try:
        return datetime.strptime(text, _SLOT_FORMAT).replace(tzinfo=WIB)
    except ValueError:
        return None


def _meet(turn: Turn) -> dict[str, Any]:
    data: dict[str, Any] = turn.data.setdefault("meet", {})
    return data


# --- Booking ------------------------------------------------------------------------------------


def meeting_start(turn: Turn) -> None:
    """Menu *Temu cepat*: the services as a list."""
    turn.go(State.IDLE, data={})
    services = list(services_active()[:LIST_MAX_ROWS])
    if not services:
        turn.reply(mt.no_services())
        return
    turn.go(State.MEET_SERVICE, data={"meet": {}})
    turn.choices(
        mt.services_prompt(),
        button=mt.services_button(),
        rows=[(f"meet:svc:{s.pk}", s.short_name or s.name, s.description) for s in services],
    )


def service_choose(turn: Turn, service: OfficeService, *, reschedule: str = "") -> None:
    days = days_available(service=service, limit=LIST_MAX_ROWS)
    if not days:
        turn.go(State.IDLE, data={})
        turn.reply(mt.no_days(service.name))
        return
    turn.go(State.MEET_DAY, data={"meet": {"service": service.pk, "resched": reschedule}})
    turn.choices(
        mt.days_prompt(service.name),
        button=mt.days_button(),
        rows=[
            (f"meet:day:{service.pk}:{day.isoformat()}", mt.day_title(day), mt.day_description(n))
            for day, n in days
        ],
    )


def day_choose(turn: Turn, service: OfficeService, day: date, *, page: int = 0) -> None:
    slots = slots_available(service=service, day=day)
    reschedule = str(_meet(turn).get("resched", ""))
    if not slots:
        turn.reply(mt.day_full(day))
        service_choose(turn, service, reschedule=reschedule)
        return
    shown, more = page_slice(slots, page)
    rows = [
        (
            f"meet:slot:{service.pk}:{o.start.astimezone(WIB).strftime(_SLOT_FORMAT)}",
            mt.slot_title(o.start, o.end, o.free),
            "",
        )
        for o in shown
    ]
    if more:
        title, description = texts.more_row()
        rows.append(
            (f"meet:slotpage:{service.pk}:{day.isoformat()}:{page + 1}", title, description)
        )
    turn.go(
        State.MEET_SLOT,
        data={"meet": {"service": service.pk, "day": day.isoformat(), "resched": reschedule}},
    )
    turn.choices(mt.slots_prompt(service.name, day), button=mt.slots_button(), rows=rows)


def slot_choose(turn: Turn, service: OfficeService, start: datetime) -> None:
    """A slot tapped: the summary with *Ya* / *Batal* (nothing is booked yet)."""
    reschedule = str(_meet(turn).get("resched", ""))
    time = notices.time_range_label(start, slot_end(service, start))
    turn.go(
        State.MEET_CONFIRM,
        data={
            "meet": {
                "service": service.pk,
                "slot": start.strftime(_SLOT_FORMAT),
                "resched": reschedule,
            }
        },
    )
    if reschedule:
        text = mt.confirm_reschedule(code=reschedule, service=service.name, time=time)
    else:
        bring = [line.strip() for line in service.what_to_bring.splitlines() if line.strip()]
        text = mt.confirm(service=service.name, time=time, name=_name(turn), bring=bring)
    turn.buttons(text, mt.confirm_buttons(bool(reschedule)))


def _name(turn: Turn) -> str:
    return (turn.citizen.name or turn.conversation.profile_name or "").strip() or "Warga"


def _phone(turn: Turn) -> str:
    return turn.citizen.phone or (f"+{turn.conversation.wa_id}" if turn.conversation.wa_id else "")


def confirm(turn: Turn) -> None:
    """*Ya, pesan* / *Ya, pindahkan*: book (or move) through the services."""
    meet = _meet(turn)
    service = _service(meet.get("service", ""))
    start = _slot(str(meet.get("slot", "")))
    reschedule = str(meet.get("resched", ""))
    turn.go(State.IDLE, data={})
    if service is None or start is None:
        turn.reply(mt.expired_choice())
        meeting_start(turn)
        return
    try:
        if reschedule:
            booking_reschedule(
                code=reschedule, day=start.date(), slot_start=start, citizen=turn.citizen
            )
        else:
            booking_create(
                service_id=service.pk,
                day=start.date(),
                slot_start=start,
                name=_name(turn),
                phone=_phone(turn),
                channel=Channel.WHATSAPP,
                citizen=turn.citizen,
                submission_key=f"wa:{turn.message.wamid}",
                wa_bsuid=turn.conversation.bsuid or "",
            )
    except SlotFull as full:
        _alternatives(turn, service, full, reschedule=reschedule)
    except AlreadyBooked as exc:
        turn.buttons(str(exc), mt.already_booked_buttons(exc.existing.code))
    except DomainError as exc:
        turn.reply(texts.error(str(exc)))


def _alternatives(turn: Turn, service: OfficeService, full: SlotFull, *, reschedule: str) -> None:
    if not full.alternatives:
        turn.reply(mt.no_days(service.name))
        return
    turn.go(State.MEET_SLOT, data={"meet": {"service": service.pk, "resched": reschedule}})
    turn.choices(
        str(full),
        button=mt.alternatives_button(),
        rows=[
            (
                f"meet:slot:{service.pk}:{o.start.astimezone(WIB).strftime(_SLOT_FORMAT)}",
                mt.slot_title(o.start, o.end, o.free),
                mt.day_title(o.start.astimezone(WIB).date()),
            )
            for o in full.alternatives
        ],
    )


def reschedule_start(turn: Turn, code: str = "") -> None:
    """ "jadwal ulang [kode]" or the button: the days of the booking's service."""
    booking = meeting_own.reschedule_target(turn, code)
    if booking is not None:
        service_choose(turn, booking.service, reschedule=booking.code)


# --- Routing ------------------------------------------------------------------------------------


def meeting_command(turn: Turn) -> bool:
    """A typed temu cepat command (any state); False for anything else."""
    message = turn.message
    if message.kind != "text" or message.reply_id:
        return False
    words = normalize(message.text)
    if words in _MY_WORDS:
        meeting_own.my_bookings(turn)
        return True
    if words in _START_WORDS:
        meeting_start(turn)
        return True
    cancel = _CANCEL.match(words)
    if cancel:
        if cancel.group(1):
            meeting_own.cancel_do(turn, cancel.group(1))
        else:
            meeting_own.my_bookings(turn)
        return True
    move = _RESCHEDULE.match(words)
    if move:
        reschedule_start(turn, move.group(1) or "")
        return True
    return False


def meeting_reply(turn: Turn) -> bool:
    """A tapped temu cepat row or button ("meet:…", any state); False for anything else."""
    parts = (turn.message.reply_id or "").split(":")
    if len(parts) < 2 or parts[0] != "meet":
        return False
    action, args = parts[1], parts[2:]
    if action in ("svc", "day", "slot", "slotpage"):
        service = _service(args[0]) if args else None
        if service is None:
            turn.reply(mt.expired_choice())
            meeting_start(turn)
            return True
        reschedule = str(_meet(turn).get("resched", ""))
        if action == "svc":
            service_choose(turn, service, reschedule=reschedule)
        elif action in ("day", "slotpage") and len(args) > 1 and _day(args[1]):
            page = int(args[2]) if action == "slotpage" and args[2:] and args[2].isdigit() else 0
            day = _day(args[1])
            assert day is not None
            day_choose(turn, service, day, page=page)
        elif action == "slot" and len(args) > 1 and _slot(args[1]):
            start = _slot(args[1])
            assert start is not None
            slot_choose(turn, service, start)
        else:
            return False
        return True
    code = args[0] if args else ""
    handlers = {
        "ok": lambda: confirm(turn),
        "no": lambda: _drop(turn),
        "keep": lambda: meeting_own.keep(turn),
        "show": lambda: meeting_own.show_code(turn, code),
        "cancel": lambda: meeting_own.cancel_ask(turn, code),
        "cancelok": lambda: meeting_own.cancel_do(turn, code),
        "resched": lambda: reschedule_start(turn, code),
    }
    handler = handlers.get(action)
    if handler is None:
        return False
    handler()
    return True


def _drop(turn: Turn) -> None:
    turn.go(State.IDLE, data={})
    turn.reply(mt.dropped())


def meeting_answer(turn: Turn) -> bool:
    """A typed answer in a temu cepat state ("ya"/"tidak" to the summary or the cancel
    question); False when not understood."""
    message = turn.message
    if message.kind != "text" or message.reply_id:
        return False
    words = " ".join(re.sub(r"[^\w\s]", " ", normalize(message.text)).split())
    if turn.state == State.MEET_CONFIRM and words in _YES:
        confirm(turn)
        return True
    if turn.state == State.MEET_CANCEL and words in _YES | {"ya batalkan"}:
        meeting_own.cancel_do(turn, str(_meet(turn).get("code", "")))
        return True
    if turn.state in (State.MEET_CONFIRM, State.MEET_CANCEL) and words in _NO:
        if turn.state == State.MEET_CONFIRM:
            _drop(turn)
        else:
            meeting_own.keep(turn)
        return True
    return False


def meeting_prompt(turn: Turn) -> None:
    """Ask again what a temu cepat state waits for (after a misunderstood message)."""
    meet = _meet(turn)
    service = _service(meet.get("service", ""))
    reschedule = str(meet.get("resched", ""))
    if turn.state == State.MEET_CANCEL:
        meeting_own.cancel_ask(turn, str(meet.get("code", "")))
    elif service is None or turn.state == State.MEET_SERVICE:
        meeting_start(turn)
    elif turn.state == State.MEET_SLOT and _day(str(meet.get("day", ""))):
        day = _day(str(meet["day"]))
        assert day is not None
        day_choose(turn, service, day)
    elif turn.state == State.MEET_CONFIRM and _slot(str(meet.get("slot", ""))):
        start = _slot(str(meet["slot"]))
        assert start is not None
        slot_choose(turn, service, start)
    else:
        service_choose(turn, service, reschedule=reschedule)
