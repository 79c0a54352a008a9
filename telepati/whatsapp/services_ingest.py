"""Inbound messages: from a parsed webhook message to a stored, handled `InboundMessage`.

For each message, in one short transaction: find or create the resident's `Conversation`
(by WhatsApp number, else by business-scoped user id when the number is withheld; the
`Citizen` comes from `citizens.services.citizen_get_or_create`), insert the message — the
unique wamid makes a redelivered message a no-op that is never handled again — apply a
number change (system message), refresh the 24-hour window and hand the NEW message to
`dispatch.inbound_dispatch`. A failure rolls the whole message back, so running the same
delivery again later stores and handles it exactly once.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet

from telepati.citizens.models import Citizen
from telepati.citizens.services import citizen_get_or_create
from telepati.core.phone import PhoneNumber, phone_from_wa_id
from telepati.whatsapp.dispatch import inbound_dispatch
from telepati.whatsapp.models import Conversation, InboundMessage, MediaStatus, WebhookDelivery
from telepati.whatsapp.parser import WaInbound
from telepati.whatsapp.services_status import errors_as_json

# System messages that move a resident to a new number and/or a new business-scoped id.
IDENTITY_CHANGES = frozenset(
    {"user_changed_number", "customer_changed_number", "user_changed_user_id"}
)
WAMID_MAX_LENGTH = 200


class InboundSkipped(Exception):
    """A message that cannot be stored (no usable sender, oversized id); recorded, not retried."""


def inbound_ingest(
    *, inbound: WaInbound, delivery: WebhookDelivery | None = None
) -> InboundMessage | None:
    """Store one inbound message and dispatch it; None when it was stored before (a repeat)."""
    if len(inbound.wamid) > WAMID_MAX_LENGTH:
        raise InboundSkipped(f"wamid longer than {WAMID_MAX_LENGTH} characters")
    with transaction.atomic():
        conversation = conversation_for_inbound(inbound=inbound)
        message = _message_insert(inbound=inbound, conversation=conversation, delivery=delivery)
        if message is None:
            return None
        if inbound.kind == "system" and inbound.system_type in IDENTITY_CHANGES:
            _identity_change(conversation, inbound)
        _conversation_touch(conversation, inbound)
        inbound_dispatch(message=message)
    return message


def conversation_for_inbound(*, inbound: WaInbound) -> Conversation:
    """The sender's conversation, created with its Citizen on first contact."""
    wa_id, bsuid, name = _sender(inbound)
    if wa_id is None and bsuid is None:
        raise InboundSkipped("message without sender (no from, from_user_id or contact)")
    conversation = _conversation_find(wa_id=wa_id, bsuid=bsuid)
    if conversation is None:
        conversation = _conversation_create(wa_id=wa_id, bsuid=bsuid, name=name)
    _identities_fill(conversation, wa_id=wa_id, bsuid=bsuid)
    return conversation


def _sender(inbound: WaInbound) -> tuple[str | None, str | None, str]:
    contact = inbound.contact
    wa_id = inbound.from_wa_id or (contact.wa_id if contact else None)
    bsuid = inbound.from_bsuid or (contact.bsuid if contact else None)
    name = contact.name.strip() if contact else ""
    return (wa_id or None), (bsuid or None), name


def _conversation_find(*, wa_id: str | None, bsuid: str | None) -> Conversation | None:
    """By number first (it is what the resident gave us), else by business-scoped id."""
    lookup = Q(wa_id=wa_id) if wa_id else Q(pk__in=[])
    if bsuid:
        lookup |= Q(bsuid=bsuid)
    found = list(Conversation.objects.select_related("citizen").filter(lookup)[:2])
    for conversation in found:
        if wa_id and conversation.wa_id == wa_id:
            return conversation
    return found[0] if found else None


def _phone(wa_id: str | None) -> PhoneNumber | None:
    if not wa_id:
        return None
    try:
        return phone_from_wa_id(wa_id)
    except ValidationError:
        return None


def _conversation_create(*, wa_id: str | None, bsuid: str | None, name: str) -> Conversation:
    phone = _phone(wa_id)
    if phone is None and not bsuid:
        raise InboundSkipped(f"sender {wa_id!r} is not a valid number and has no user id")
    citizen = citizen_get_or_create(phone=phone, wa_bsuid=bsuid or "", name=name)
    existing = Conversation.objects.select_related("citizen").filter(citizen=citizen).first()
    if existing is not None:
        return existing  # Known by the other identifier; _identities_fill adds this one.
    try:
        with transaction.atomic():
            return Conversation.objects.create(
                citizen=citizen,
                wa_id=wa_id if phone is not None else None,
                bsuid=bsuid,
                profile_name=name[:120],
            )
    except IntegrityError:
        # Another worker created it a moment ago (same person, concurrent deliveries).
        conversation = _conversation_find(wa_id=wa_id, bsuid=bsuid)
        if conversation is None:
            raise
        return conversation


def _identities_fill(conversation: Conversation, *, wa_id: str | None, bsuid: str | None) -> None:
    """Add a number or user id the conversation lacked, unless another conversation has it."""
    others = Conversation.objects.all()
    changed: list[str] = []
    if wa_id and not conversation.wa_id and _phone(wa_id) and _free(others, wa_id=wa_id):
        conversation.wa_id = wa_id
        changed.append("wa_id")
    if bsuid and not conversation.bsuid and _free(others, bsuid=bsuid):
        conversation.bsuid = bsuid
        changed.append("bsuid")
    if changed:
        conversation.save(update_fields=[*changed, "updated_at"])


def _free(others: QuerySet[Any], **lookup: str) -> bool:
    """Whether no row among `others` holds this identifier yet."""
    return not others.filter(**lookup).exists()


def _message_insert(
    *, inbound: WaInbound, conversation: Conversation, delivery: WebhookDelivery | None
) -> InboundMessage | None:
    media = inbound.media
    try:
        with transaction.atomic():
            return InboundMessage.objects.create(
                wamid=inbound.wamid,
                conversation=conversation,
                delivery=delivery,
                kind=inbound.kind[:30],
                text=inbound.text,
                reply_id=inbound.reply_id[:256],
                context_id=(inbound.context_id or "")[:200],
                payload=inbound.raw,
                errors=errors_as_json(inbound.errors),
                sent_at=inbound.timestamp,
                media_id=media.media_id[:200] if media else "",
                media_mime=media.mime_type[:100] if media else "",
                media_status=MediaStatus.PENDING if media else MediaStatus.NONE,
            )
    except IntegrityError:
        if InboundMessage.objects.filter(wamid=inbound.wamid).exists():
            return None  # Stored by a concurrent run of a redelivery: handled there.
        raise


def _conversation_touch(conversation: Conversation, inbound: WaInbound) -> None:
    """Keep the profile name and the 24-hour window (opened by a resident's message) current.

    Only the newest message counts: one that arrives late (Meta's retries) changes neither.
    """
    last = conversation.last_inbound_at
    if last is not None and inbound.timestamp < last:
        return
    changed: list[str] = []
    name = inbound.contact.name.strip()[:120] if inbound.contact else ""
    if name and name != conversation.profile_name:
        conversation.profile_name = name
        changed.append("profile_name")
    if inbound.kind != "system" and inbound.timestamp != last:
        conversation.last_inbound_at = inbound.timestamp
        changed.append("last_inbound_at")
    if changed:
        conversation.save(update_fields=[*changed, "updated_at"])


def _identity_change(conversation: Conversation, inbound: WaInbound) -> None:
    """A resident changed number: the conversation and their Citizen follow the new one.

    An identifier that already belongs to someone else (the resident wrote from the new
    number before Meta told us) is left where it is rather than merging two residents.
    """
    new_wa_id, new_bsuid = inbound.system_new_wa_id, inbound.system_new_bsuid
    new_phone = _phone(new_wa_id)
    others = Conversation.objects.exclude(pk=conversation.pk)
    changed: list[str] = []
    if (
        new_wa_id
        and new_phone
        and new_wa_id != conversation.wa_id
        and _free(others, wa_id=new_wa_id)
    ):
        conversation.wa_id = new_wa_id
        changed.append("wa_id")
    if new_bsuid and new_bsuid != conversation.bsuid and _free(others, bsuid=new_bsuid):
        conversation.bsuid = new_bsuid
        changed.append("bsuid")
    if changed:
        conversation.save(update_fields=[*changed, "updated_at"])
    _citizen_follow(conversation.citizen, phone=new_phone, bsuid=new_bsuid)


def _citizen_follow(citizen: Citizen, *, phone: PhoneNumber | None, bsuid: str | None) -> None:
    # citizens.services has no "change contact" service yet; this is the only caller.
    others = Citizen.objects.exclude(pk=citizen.pk)
    changed: list[str] = []
    if phone and phone.e164 != citizen.phone and _free(others, phone=phone.e164):
        citizen.phone = phone.e164
        changed.append("phone")
    if bsuid and bsuid != citizen.wa_bsuid and _free(others, wa_bsuid=bsuid):
        citizen.wa_bsuid = bsuid
        changed.append("wa_bsuid")
    if changed:
        citizen.save(update_fields=[*changed, "updated_at"])
