"""The WhatsApp conversation bot: menus, filing a complaint, documents, commands, handover.

`bot_handle(message_id=…)` is called by `dispatch.inbound_dispatch` once per newly stored
inbound message, inside the transaction that stored it: it reads the conversation's state
(locked), answers with outbox rows and stores the next state — never any network I/O.
Order of reading a message: a handed-over conversation is left to the officer (silence);
a timed-out state is dropped with a gentle note; "menu", "batal", "petugas", "cek …",
"cek dok …", "daftar dokumen", "sanggah …" (and temu cepat's "janji", "batal janji …",
"jadwal ulang": `meeting`) work in any state; then menu choices and the document and
temu cepat buttons (pick-up, delivery, info, …: `documents`; "meet:…": `meeting`); then the
answer the state waits for;
otherwise (idle) greetings, a rating digit, or a free-form message offered as a report.
Three misunderstood messages in a row hand the conversation to an officer.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from telepati.reports.services.common import resident_language
from telepati.whatsapp.bot import (
    commands,
    documents,
    documents_apply,
    filing,
    meeting,
    subscriptions,
    texts,
)
from telepati.whatsapp.bot.states import (
    DESCRIPTION_MIN_LENGTH,
    DOC_APPLY_STATES,
    DOC_STATES,
    FILING_STATES,
    MEET_STATES,
    MISUNDERSTOOD_LIMIT,
    SUB_STATES,
    State,
    command_parse,
    is_greeting,
)
from telepati.whatsapp.bot.turn import Turn, turn_expired, turn_save, turn_start
from telepati.whatsapp.models import Conversation, InboundMessage

__all__ = ["bot_handle"]

# Kinds that need no answer: a number change, a reaction to one of our messages.
SILENT_KINDS = frozenset({"system", "reaction"})
READABLE_KINDS = frozenset(
    {"text", "image", "video", "document", "audio", "sticker", "location", "contacts"}
    | {"interactive", "button", "order"}
)


def bot_handle(*, message_id: int) -> None:
    """Answer one new inbound message and move the conversation's state."""
    message = InboundMessage.objects.get(pk=message_id)
    conversation = (
        Conversation.objects.select_for_update(of=("self",))
        .select_related("citizen")
        .get(pk=message.conversation_id)
    )
    if conversation.handed_over_at is not None or message.kind in SILENT_KINDS:
        return
    turn = turn_start(message=message, conversation=conversation, moment=timezone.now())
    with resident_language():
        _route(turn)
    turn_save(turn)


def _route(turn: Turn) -> None:
    if turn_expired(turn):
        turn.go(State.IDLE, data={})
        turn.reply(texts.session_expired())
    message = turn.message
    if message.kind not in READABLE_KINDS:
        turn.reply(texts.unreadable())
        return
    # Subscriptions first: "stop" means berhenti (Meta's opt-out word), not batal.
    if (
        subscriptions.subscriptions_command(turn)
        or _command(turn)
        or meeting.meeting_command(turn)
        or _menu_choice(turn)
        or documents.documents_reply(turn)
        or meeting.meeting_reply(turn)
    ):
        return
    if turn.state in FILING_STATES:
        understood = filing.filing_answer(turn)
    elif turn.state in DOC_APPLY_STATES:
        understood = documents_apply.apply_answer(turn)
    elif turn.state in DOC_STATES:
        understood = documents.documents_answer(turn)
    elif turn.state in MEET_STATES:
        understood = meeting.meeting_answer(turn)
    elif turn.state in SUB_STATES:
        understood = subscriptions.subscriptions_answer(turn)
    elif turn.state == State.CHECK_NUMBER:
        understood = commands.check_answer(turn)
    elif turn.state == State.DISPUTE_REASON:
        understood = commands.dispute_reason(turn)
    else:
        understood = _idle(turn)
    if not understood:
        _misunderstood(turn)


def _command(turn: Turn) -> bool:
    message = turn.message
    command = command_parse(message.text) if message.kind == "text" else None
    if command is None:
        return False
    if command.name == "menu":
        commands.menu_show(turn)
    elif command.name == "cancel":
        turn.go(State.IDLE, data={})
        turn.reply(texts.cancelled())
    elif command.name == "handover":
        commands.handover(turn)
    elif command.name == "check":
        commands.report_status(turn, command.arg)
    elif command.name == "check_doc":
        documents.check(turn, command.arg)
    elif command.name == "apply_doc":
        documents_apply.apply_start(turn)
    elif command.name == "dispute":
        commands.dispute(turn, number=command.arg, reason=command.rest)
    elif command.name == "rate" and turn.state == State.IDLE:
        commands.rate(turn, int(command.arg))
    else:
        return False
    return True


_MENU: dict[str, Callable[[Turn], None]] = {
    "menu:report": filing.filing_start,
    "menu:check": commands.check_prompt,
    "menu:document": documents.check_menu,
    "menu:apply": documents_apply.apply_start,
    "menu:info": documents_apply.info_show,
    "menu:meeting": meeting.meeting_start,
    "menu:officer": commands.handover,
    "proposal:menu": commands.menu_show,
}


def _menu_choice(turn: Turn) -> bool:
    handler = _MENU.get(turn.message.reply_id)
    if handler is None:
        return False
    handler(turn)
    return True


def _idle(turn: Turn) -> bool:
    message = turn.message
    if message.kind == "text" and is_greeting(message.text):
        commands.menu_show(turn)
        return True
    free_form = message.kind == "image" or (
        message.kind == "text" and len(message.text.strip()) >= DESCRIPTION_MIN_LENGTH
    )
    if free_form:
        filing.free_form_offer(turn)
        return True
    return False


def _misunderstood(turn: Turn) -> None:
    count = int(turn.data.get("misunderstood", 0)) + 1
    turn.understood = False
    if count >= MISUNDERSTOOD_LIMIT:
        commands.handover(turn, misunderstood=True)
        return
    turn.data["misunderstood"] = count
    turn.reply(texts.misunderstood())
    if turn.state in FILING_STATES:
        filing.prompt(turn, turn.state)
    elif turn.state in DOC_APPLY_STATES:
        documents_apply.apply_prompt(turn, turn.state)
    elif turn.state in DOC_STATES:
        documents.documents_prompt(turn)
    elif turn.state in MEET_STATES:
        meeting.meeting_prompt(turn)
    elif turn.state in SUB_STATES:
        subscriptions.subscriptions_prompt(turn)
    elif turn.state == State.IDLE:
        commands.menu_show(turn)
        turn.data["misunderstood"] = count
