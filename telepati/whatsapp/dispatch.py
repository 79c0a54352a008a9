"""Where a new inbound message goes once it is stored: the bot, or today's minimal answers.

`inbound_dispatch` runs once per message (only for messages the ingest stored for the first
time), inside the transaction that stored it, so a reply is an outbox row committed together
with the message. When `telepati.whatsapp.bot` exists, its `bot_handle(message_id=…)` takes
over; until then residents get:

- "cek <nomor laporan>" → the public status of their own report;
- a message type we cannot read (unsupported, unknown, new types) → a request to send it
  as a normal message;
- anything else → an acknowledgement that an officer will reply, at most once per 24 hours
  per conversation (not while an officer has taken the conversation over).

Replies go through `messaging.services.message_enqueue` with the key `wa-reply:<wamid>`.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import re
from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from telepati.core.errors import NotFound
from telepati.messaging.services import Recipient, message_enqueue
from telepati.reports.lifecycle import Status
from telepati.reports.models import Report
from telepati.reports.selectors import report_get_for_citizen
from telepati.reports.services.common import moment_format, resident_language
from telepati.whatsapp.models import Conversation, InboundMessage

BOT_MODULE = "telepati.whatsapp.bot"
ACK_INTERVAL = timedelta(hours=24)
# Kinds that need no answer: a number change, a reaction to one of our messages.
SILENT_KINDS = frozenset({"system", "reaction"})
# Kinds a person can act on; anything else ("unsupported", "unknown", new types such as
# polls) gets a request to send it as a normal message.
READABLE_KINDS = frozenset(
    {"text", "image", "video", "document", "audio", "sticker", "location", "contacts"}
    | {"interactive", "button", "order"}
)
# "cek L2611-0042", "Cek  #l2611-0042 ", "CEK L2611-0042" — one token after "cek".
_CHECK_COMMAND = re.compile(r"^\s*cek\s+#?([a-z0-9][a-z0-9-]{0,29})\s*$", re.IGNORECASE)

BotHandler = Callable[..., object]


def inbound_dispatch(*, message: InboundMessage) -> None:
    """Hand one newly stored message to the bot (or the minimal answers) and mark it handled."""
    handler = bot_handler()
    if handler is not None:
        handler(message_id=message.pk)
    else:
        _minimal_reply(message)
    message.handled_at = timezone.now()
    InboundMessage.objects.filter(pk=message.pk, handled_at__isnull=True).update(
        handled_at=message.handled_at
    )


@functools.cache
def bot_handler() -> BotHandler | None:
    """`telepati.whatsapp.bot.bot_handle` if the bot module exists, else None."""
    if importlib.util.find_spec(BOT_MODULE) is None:
        return None
    handler: BotHandler | None = getattr(importlib.import_module(BOT_MODULE), "bot_handle", None)
    return handler


def check_command_number(text: str) -> str | None:
    """The tracking number in a "cek <nomor>" command, upper-cased; None for anything else."""
    match = _CHECK_COMMAND.match(text or "")
    return match.group(1).upper() if match else None


def _minimal_reply(message: InboundMessage) -> None:
    conversation = message.conversation
    if conversation.handed_over_at is not None or message.kind in SILENT_KINDS:
        return
    number = check_command_number(message.text) if message.kind == "text" else None
    with resident_language():
        if number is not None:
            _reply(message, _report_status_text(conversation, number), reference=number)
        elif message.kind not in READABLE_KINDS:
            _reply(
                message,
                _(
                    "Maaf, jenis pesan ini belum dapat kami baca. Silakan kirim sebagai teks "
                    "biasa, foto, atau lokasi."
                ),
            )
        else:
            _acknowledge(message, conversation)


def _acknowledge(message: InboundMessage, conversation: Conversation) -> None:
    moment = timezone.now()
    last = conversation.acknowledged_at
    if last is not None and moment - last < ACK_INTERVAL:
        return
    _reply(
        message,
        _(
            "Terima kasih, pesan Anda sudah kami terima. Petugas WA Center Kecamatan akan "
            "membalas pada jam kerja. Untuk melihat status laporan, ketik: cek <nomor laporan>."
        ),
    )
    conversation.acknowledged_at = moment
    Conversation.objects.filter(pk=conversation.pk).update(acknowledged_at=moment)


def _report_status_text(conversation: Conversation, number: str) -> str:
    try:
        report = report_get_for_citizen(tracking_number=number, citizen=conversation.citizen)
    except NotFound:
        return _(
            "Laporan %(number)s tidak kami temukan di antara laporan Anda. Periksa kembali "
            "nomornya, lalu ketik: cek <nomor laporan>."
        ) % {"number": number}
    lines = [
        _("Laporan %(number)s") % {"number": report.tracking_number},
        _("Kategori: %(category)s") % {"category": report.category.name},
        _("Status: %(status)s") % {"status": report.get_status_display()},
        _("Diterima: %(moment)s") % {"moment": moment_format(report.submitted_at)},
    ]
    lines += _status_details(report)
    return "\n".join(lines)


def _status_details(report: Report) -> list[str]:
    if report.status == Status.ON_HOLD and report.hold_reason:
        return [_("Mohon lengkapi: %(reason)s") % {"reason": report.hold_reason}]
    if report.status == Status.REJECTED:
        return [_("Alasan: %(reason)s") % {"reason": report.rejection_reason}]
    if report.status == Status.MERGED and report.merged_into is not None:
        return [
            _("Laporan ini digabung dengan laporan %(number)s; ikuti perkembangannya di sana.")
            % {"number": report.merged_into.tracking_number}
        ]
    return []


def _reply(message: InboundMessage, text: str, *, reference: str = "") -> None:
    conversation = message.conversation
    citizen = conversation.citizen
    phone = citizen.phone or (f"+{conversation.wa_id}" if conversation.wa_id else "")
    recipient = Recipient(phone=phone, wa_bsuid=conversation.bsuid or citizen.wa_bsuid or "")
    message_enqueue(
        recipient=recipient,
        text=text,
        dedupe_key=f"wa-reply:{message.wamid}",
        reference=f"report:{reference}" if reference else f"wa:{conversation.pk}",
    )
