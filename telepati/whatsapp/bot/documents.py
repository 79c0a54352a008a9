"""Population documents on WhatsApp: checking an application, and choosing pick-up or
delivery once a document is issued (the catalogue and pre-applying: `documents_apply`).

A resident sees only their own applications (`application_get_for_citizen`: their number or
their citizen record); any other code gets the same "not found" answer as an unknown one.
Failed look-ups are counted per WhatsApp user (`rate_limited`, group "doc-check-wa", 5 an
hour); over the limit the bot refuses politely and looks nothing up, so codes cannot be
probed. The buttons under the "terbit" notice ("doc:pickup:<code>", "doc:delivery:<code>",
from interactive buttons or template quick replies alike) work in any state; delivery asks
to confirm or change the address on file, then offers the days of
`delivery_days_available`. The hand-over services send their own notices; a domain error
becomes a friendly reply and changes nothing.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format

from telepati.core.errors import DomainError, InvalidTransition, NotFound
from telepati.core.formatting import day_format, moment_format
from telepati.core.ratelimit import rate_limited
from telepati.core.workdays import WIB
from telepati.documents.lifecycle import TERMINAL_STATES, Action, Status, transition_target
from telepati.documents.models import Application
from telepati.documents.selectors import application_get_for_citizen
from telepati.documents.services.handover import (
    application_choose_delivery,
    application_choose_pickup,
    delivery_days_available,
)
from telepati.whatsapp.bot import documents_apply, texts
from telepati.whatsapp.bot import documents_texts as dt
from telepati.whatsapp.bot.states import (
    ADDRESS_MIN_LENGTH,
    LIST_MAX_ROWS,
    DocReply,
    State,
    doc_reply_parse,
    normalize,
)
from telepati.whatsapp.bot.turn import Turn

RATE_GROUP = "doc-check-wa"
RATE = "5/h"
_ADDRESS_OK_WORDS = frozenset(
    {"ya", "benar", "betul", "ya benar", "ya betul", "alamat benar", "sudah benar"}
)
_ADDRESS_EDIT_WORDS = frozenset({"ubah", "ubah alamat", "ganti", "ganti alamat"})


# --- Looking up one's own application ------------------------------------------------------


def _rate_key(turn: Turn) -> str:
    conversation = turn.conversation
    return conversation.wa_id or conversation.bsuid or f"conversation:{conversation.pk}"


def application_own(turn: Turn, code: str) -> Application | None:
    """The resident's own application with `code`, or None after answering why not."""
    key = _rate_key(turn)
    if rate_limited(group=RATE_GROUP, key=key, rate=RATE, increment=False):
        turn.reply(dt.too_many_attempts())
        return None
    try:
        return application_get_for_citizen(code=code, citizen=turn.citizen)
    except NotFound:
        rate_limited(group=RATE_GROUP, key=key, rate=RATE)
        turn.reply(dt.not_found(code))
        return None


def _open_applications(turn: Turn) -> list[Application]:
    """The resident's applications not yet finished, newest first (at most one list)."""
    citizen = turn.citizen
    own = Q(applicant=citizen)
    if citizen.phone:
        own |= Q(phone=citizen.phone)
    return list(
        Application.objects.filter(own)
        .exclude(status__in=[s.value for s in TERMINAL_STATES])
        .select_related("document_type")
        .order_by("-applied_at", "-pk")[:LIST_MAX_ROWS]
    )


def check(turn: Turn, code: str = "") -> None:
    """ "cek dok [kode]" and the menu row: one application's status (a draft in progress is
    kept, as with "cek <nomor laporan>"), or the open ones."""
    if code:
        application = application_own(turn, code)
        if application is not None:
            status_show(turn, application)
        return
    turn.go(State.IDLE, data={})
    applications = _open_applications(turn)
    if not applications:
        turn.go(State.DOC_CHECK_CODE, data={})
        turn.reply(dt.check_prompt())
        return
    rows = [
        (
            f"doc:status:{a.code}",
            a.code,
            dt.open_row_description(a.document_type.name, a.get_status_display()),
        )
        for a in applications
    ]
    turn.choices(dt.open_list(len(applications)), button=dt.open_list_button(), rows=rows)


def check_menu(turn: Turn) -> None:
    check(turn)


def _code_answer(turn: Turn) -> bool:
    message = turn.message
    code = message.text.strip().lstrip("#").upper()
    if message.kind != "text" or message.reply_id or not code or " " in code or len(code) > 40:
        return False
    turn.go(State.IDLE, data={})
    check(turn, code)
    return True


def _local_day(moment: datetime | None) -> str:
    return day_format(timezone.localtime(moment, WIB).date()) if moment else "-"


def status_show(turn: Turn, application: Application) -> None:
    """Where the application stands: never the NIK, only what the resident needs next."""
    status = Status(application.status)
    document_type = application.document_type
    lines = dt.status_head(
        code=application.code,
        document=document_type.name,
        status=application.get_status_display(),
        applied=moment_format(application.applied_at),
    )
    buttons: list[tuple[str, str]] = []
    if status == Status.PRE_REGISTERED:
        items = [str(item).strip() for item in document_type.requirements if str(item).strip()]
        if items:
            lines.append(dt.status_bring("\n".join(f"• {item}" for item in items)))
    if status in (Status.RECEIVED, Status.PROCESSING, Status.NEEDS_FIX, Status.SUBMITTED):
        lines.append(dt.status_due(_local_day(application.due_at)))
    if status == Status.NEEDS_FIX and application.fix_note:
        lines.append(dt.status_fix(application.fix_note))
    if status == Status.SUBMITTED and application.submitted_at:
        lines.append(dt.status_submitted(moment_format(application.submitted_at)))
    if application.issued_at and status not in (Status.REJECTED, Status.CANCELLED):
        lines.append(dt.status_issued(moment_format(application.issued_at)))
    if status == Status.ISSUED:
        lines.append(dt.status_choose(document_type.delivery_available))
        buttons.append((f"doc:pickup:{application.code}", dt.pickup_button()))
        if document_type.delivery_available:
            buttons.append((f"doc:delivery:{application.code}", dt.delivery_button()))
    elif status == Status.READY_FOR_PICKUP:
        lines.append(dt.status_pickup(_office_hours()))
    elif status == Status.DELIVERY_SCHEDULED:
        lines.append(
            dt.status_delivery(
                day=day_format(application.delivery_date), address=application.delivery_address
            )
        )
    elif status == Status.OUT_FOR_DELIVERY:
        lines.append(dt.status_out_for_delivery(application.delivery_address))
    elif status == Status.HANDED_OVER:
        lines.append(dt.status_handed_over(moment_format(application.handed_over_at)))
    elif status == Status.REJECTED and application.rejection_reason:
        lines.append(dt.status_rejected(application.rejection_reason))
    elif status == Status.CANCELLED and application.cancel_reason:
        lines.append(dt.status_cancelled(application.cancel_reason))
    if buttons:
        turn.buttons("\n".join(lines), buttons, application=application.code)
    else:
        turn.reply("\n".join(lines), application=application.code)


def _office_hours() -> str:
    return str(settings.TELEPATI_OFFICE_HOURS).replace(":", ".").replace("-", "–")


# --- Pick-up or delivery ---------------------------------------------------------------------


def pickup(turn: Turn, code: str) -> None:
    turn.go(State.IDLE, data={})
    application = application_own(turn, code)
    if application is None:
        return
    try:
        chosen = application_choose_pickup(application_id=application.pk, citizen=turn.citizen)
    except DomainError as exc:
        turn.reply(texts.error(str(exc)))
        return
    if chosen.version == application.version:  # chosen before: the service sent nothing
        turn.reply(dt.choice_kept_pickup(), application=code)


def delivery(turn: Turn, code: str) -> None:
    """ "Antar ke rumah": confirm the address on file (or ask for one), then the days."""
    turn.go(State.IDLE, data={})
    application = application_own(turn, code)
    if application is None or not _delivery_possible(turn, application):
        return
    address = application.delivery_address or application.address
    if not address:
        _address_ask(turn, application.code)
        return
    turn.go(State.DOC_DELIVERY_ADDRESS, data={"code": application.code, "address": address})
    turn.buttons(
        dt.address_confirm(
            document=application.document_type.name, code=application.code, address=address
        ),
        dt.address_buttons(application.code),
        application=application.code,
    )


def _delivery_possible(turn: Turn, application: Application) -> bool:
    """Checked before asking anything: the document can be delivered, from this status."""
    try:
        transition_target(Action.CHOOSE_DELIVERY, Status(application.status))
    except InvalidTransition as exc:
        turn.reply(texts.error(str(exc)))
        return False
    if not application.document_type.delivery_available:
        turn.buttons(
            dt.delivery_not_offered(application.document_type.name),
            [(f"doc:pickup:{application.code}", dt.pickup_button())],
            application=application.code,
        )
        return False
    return True


def _address_ask(turn: Turn, code: str) -> None:
    turn.go(State.DOC_DELIVERY_ADDRESS_TEXT, data={"code": code})
    turn.reply(dt.delivery_address_prompt(), application=code)


def _remembered_address(turn: Turn, application: Application) -> str:
    """The address this conversation settled on for `application`, else the one on file."""
    if turn.data.get("code") == application.code and turn.data.get("address"):
        return str(turn.data["address"])
    return application.delivery_address or application.address


def address_ok(turn: Turn, code: str) -> None:
    application = application_own(turn, code)
    if application is None or not _delivery_possible(turn, application):
        return
    address = _remembered_address(turn, application)
    if not address:
        _address_ask(turn, application.code)
        return
    _days_offer(turn, application, address)


def address_edit(turn: Turn, code: str) -> None:
    application = application_own(turn, code)
    if application is not None and _delivery_possible(turn, application):
        _address_ask(turn, application.code)


def _days_offer(turn: Turn, application: Application, address: str) -> None:
    days = delivery_days_available(application=application)
    if not days:
        turn.go(State.IDLE, data={})
        turn.reply(dt.no_days(), application=application.code)
        return
    code = application.code
    turn.go(State.DOC_DELIVERY_DAY, data={"code": code, "address": address})
    turn.choices(
        dt.day_prompt(address),
        button=dt.day_button(),
        rows=[
            (f"doc:day:{code}:{day.isoformat()}", date_format(day, "l, j F"), "") for day in days
        ],
    )


def day_choose(turn: Turn, code: str, day: date) -> None:
    application = application_own(turn, code)
    if application is None:
        return
    address = _remembered_address(turn, application)
    if not address:
        _address_ask(turn, application.code)
        return
    turn.go(State.IDLE, data={})
    try:
        chosen = application_choose_delivery(
            application_id=application.pk, address=address, day=day, citizen=turn.citizen
        )
    except DomainError as exc:
        turn.reply(texts.error(str(exc)))
        return
    if chosen.version == application.version:  # the same day and address again
        turn.reply(dt.choice_kept_delivery(day_format(day)), application=code)


# --- Routing ---------------------------------------------------------------------------------


def _dispatch(turn: Turn, reply: DocReply) -> bool:
    if reply.action == "status" and reply.arg:
        check(turn, reply.arg)
    elif reply.action == "pickup" and reply.arg:
        pickup(turn, reply.arg)
    elif reply.action == "delivery" and reply.arg:
        delivery(turn, reply.arg)
    elif reply.action == "addrok" and reply.arg:
        address_ok(turn, reply.arg)
    elif reply.action == "addredit" and reply.arg:
        address_edit(turn, reply.arg)
    elif reply.action == "day" and reply.arg and reply.day is not None:
        day_choose(turn, reply.arg, reply.day)
    elif reply.action == "info":
        documents_apply.info_type(turn, reply.arg)
    elif reply.action == "infopage":
        documents_apply.info_show(turn, int(reply.arg) if reply.arg.isdigit() else 0)
    elif reply.action == "apply":
        documents_apply.apply_start(turn, reply.arg)
    else:
        return False  # a step of the pre-application: its state reads it
    return True


def documents_reply(turn: Turn) -> bool:
    """A tapped document button that works in any state; False for anything else."""
    reply = doc_reply_parse(turn.message.reply_id)
    return reply is not None and _dispatch(turn, reply)


def documents_answer(turn: Turn) -> bool:
    """Handle an answer in a check or hand-over state; False when not understood."""
    message = turn.message
    if turn.state == State.DOC_CHECK_CODE:
        return _code_answer(turn)
    code = str(turn.data.get("code", ""))
    typed = normalize(message.text) if message.kind == "text" and not message.reply_id else None
    if typed is not None:
        typed = " ".join(re.sub(r"[^\w\s]", " ", typed).split())  # "ya, benar!" → "ya benar"
    if turn.state == State.DOC_DELIVERY_ADDRESS and typed is not None:
        if typed in _ADDRESS_OK_WORDS:
            address_ok(turn, code)
            return True
        if typed in _ADDRESS_EDIT_WORDS:
            address_edit(turn, code)
            return True
    if turn.state == State.DOC_DELIVERY_ADDRESS_TEXT and typed is not None:
        address = " ".join(message.text.split())
        if len(address) < ADDRESS_MIN_LENGTH:
            turn.reply(dt.address_short())
            return True
        application = application_own(turn, code)
        if application is not None:
            _days_offer(turn, application, address[:255])
        return True
    return False


def documents_prompt(turn: Turn) -> None:
    """Ask again what a check or hand-over state waits for (after a misunderstood message)."""
    code = str(turn.data.get("code", ""))
    if turn.state == State.DOC_CHECK_CODE:
        turn.reply(dt.check_prompt())
    elif turn.state == State.DOC_DELIVERY_ADDRESS:
        turn.buttons(dt.address_question(), dt.address_buttons(code), application=code)
    elif turn.state == State.DOC_DELIVERY_ADDRESS_TEXT:
        turn.reply(dt.delivery_address_prompt(), application=code)
    elif turn.state == State.DOC_DELIVERY_DAY:
        application = application_own(turn, code)
        if application is not None:
            _days_offer(turn, application, str(turn.data.get("address", "")))
