"""Handover between the bot and the WA Center operators.

A conversation is the bot's until the resident asks for an officer (or the bot fails to
understand three times in a row): then `handed_over_at` is set and the bot stays silent. An
operator takes the conversation (`conversation_take`), answers the resident
(`conversation_reply`, an outbox row inside the 24-hour window), and gives it back to the bot
(`conversation_release`), which then greets the resident with the menu on their next message.
Only officers holding HANDLE_CONVERSATIONS act here, and only for the desk that owns the
line (`selectors.conversations_allowed`, the rule of the conversations pages): an operator
or administrator of another kecamatan gets `NotFound`, as on those pages, and nothing
changes.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from telepati.accounts.capabilities import Capability
from telepati.accounts.models import User
from telepati.accounts.selectors import officer_scope_get
from telepati.core.errors import Forbidden, InvalidInput, InvalidTransition, NotFound
from telepati.messaging.models import OutboundMessage
from telepati.messaging.services import Recipient, message_enqueue
from telepati.whatsapp.models import Conversation
from telepati.whatsapp.selectors import conversations_allowed

REPLY_MAX_LENGTH = 4096
# WhatsApp's customer-service window: free-form messages only this long after the last one.
WINDOW = timedelta(hours=24)


def _conversation_lock(*, user: User, conversation_id: int) -> Conversation:
    """Lock the conversation, then check the officer acts for the line's desk.

    A role without HANDLE_CONVERSATIONS is refused (Forbidden); an officer who holds it
    elsewhere than the line's kecamatan does not see the conversation at all (NotFound).
    """
    conversation = (
        Conversation.objects.select_for_update(of=("self",))
        .select_related("citizen")
        .filter(pk=conversation_id)
        .first()
    )
    if conversation is None:
        raise NotFound(_("Percakapan tidak ditemukan."))
    scope = officer_scope_get(user=user)
    if not scope.can(Capability.HANDLE_CONVERSATIONS):
        raise Forbidden(_("Peran Anda tidak berwenang menangani percakapan WhatsApp."))
    if not conversations_allowed(scope):
        raise NotFound(_("Percakapan tidak ditemukan."))
    return conversation


def conversation_take(*, user: User, conversation_id: int) -> Conversation:
    """An operator takes a conversation over: the bot goes silent for this resident."""
    with transaction.atomic():
        conversation = _conversation_lock(user=user, conversation_id=conversation_id)
        if conversation.handed_over_at is None:
            conversation.handed_over_at = timezone.now()
        conversation.handed_over_to = user
        conversation.bot_state = ""
        conversation.bot_data = {}
        conversation.bot_state_expires_at = None
        conversation.save(
            update_fields=[
                "handed_over_at",
                "handed_over_to",
                "bot_state",
                "bot_data",
                "bot_state_expires_at",
                "updated_at",
            ]
        )
    return conversation


def conversation_release(*, user: User, conversation_id: int) -> Conversation:
    """Give the conversation back to the bot."""
    with transaction.atomic():
        conversation = _conversation_lock(user=user, conversation_id=conversation_id)
        if conversation.handed_over_at is None:
            raise InvalidTransition(_("Percakapan ini sedang ditangani bot."))
        conversation.handed_over_at = None
        conversation.handed_over_to = None
        conversation.save(update_fields=["handed_over_at", "handed_over_to", "updated_at"])
    return conversation


def conversation_reply(
    *, user: User, conversation_id: int, text: str, client_key: str
) -> OutboundMessage:
    """An operator's free-form answer to the resident.

    Allowed only while the conversation is handed over (so the bot and a person never talk
    over each other) and inside WhatsApp's 24-hour window (after it, only approved templates
    may be sent: ask the resident to write again). `client_key` comes from the form, so a
    double submit sends one message.
    """
    body = (text or "").strip()
    if not body:
        message = _("Tulis balasan untuk warga.")
        raise InvalidInput(message, field_errors={"text": [message]})
    if len(body) > REPLY_MAX_LENGTH:
        message = _("Balasan terlalu panjang (maksimal %(n)d karakter).") % {"n": REPLY_MAX_LENGTH}
        raise InvalidInput(message, field_errors={"text": [message]})
    with transaction.atomic():
        conversation = _conversation_lock(user=user, conversation_id=conversation_id)
        if conversation.handed_over_at is None:
            raise InvalidTransition(_("Ambil alih percakapan dari bot sebelum membalas warga."))
        last = conversation.last_inbound_at
        if last is None or timezone.now() - last >= WINDOW:
            raise InvalidTransition(
                _(
                    "Jendela 24 jam WhatsApp sudah tertutup: pesan bebas tidak dapat dikirim. "
                    "Minta warga mengirim pesan lagi, atau kirim pemberitahuan bertemplat."
                )
            )
        sent = message_enqueue(
            recipient=Recipient(
                phone=conversation.citizen.phone or "", wa_bsuid=conversation.bsuid or ""
            ),
            text=body,
            dedupe_key=f"operator:{conversation.pk}:{client_key}"[:200],
            reference=f"conversation:{conversation.pk}",
        )
        if sent is None:
            raise InvalidInput(_("Warga ini tidak memiliki kontak WhatsApp."))
    return sent
