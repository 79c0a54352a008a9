"""Reads of the WhatsApp door for the WA Center operators, with access built in.

A `Conversation` is per resident and carries no kecamatan: the deployment's WhatsApp number
belongs to one kecamatan (`TELEPATI_DEFAULT_KECAMATAN`), so every conversation is that
kecamatan's desk's. Officers holding HANDLE_CONVERSATIONS through a unit of that kecamatan
(its operators and administrators) and superusers read them; an administrator of another
kecamatan reads none (`Forbidden` for the list, `NotFound` for one conversation).

The thread merges what the resident sent (`InboundMessage`) with every outbox row addressed
to them (`messaging.OutboundMessage`: bot replies, operators' answers, report notices), newest
page first, by a keyset cursor over (moment, kind, id). The moment is our clock on both
sides — when an inbound message arrived, when an outbox row was written — because WhatsApp's
own timestamps have whole seconds (and the resident's clock), which would put a bot's reply
before the message it answers.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from telepati.accounts.capabilities import Capability
from telepati.accounts.scope import OfficerScope
from telepati.accounts.selectors import AnyUser, officer_scope_get
from telepati.core.errors import Forbidden, NotFound
from telepati.core.phone import mask_phone
from telepati.messaging.models import OutboundMessage
from telepati.org.models import Kecamatan
from telepati.reports.models import Report
from telepati.reports.services.common import report_scope_q
from telepati.whatsapp.models import Conversation, InboundMessage

RECENT_PAGE_SIZE = 25
WAITING_LIMIT = 100
THREAD_PAGE_SIZE = 50
REPORTS_LIMIT = 20
INBOUND, OUTBOUND = 0, 1


def conversations_allowed(scope: OfficerScope) -> bool:
    """Whether the officer handles the deployment's WhatsApp line (one query for the id)."""
    if scope.is_superuser:
        return True
    if not scope.can(Capability.HANDLE_CONVERSATIONS):
        return False
    kecamatan_id = (
        Kecamatan.objects.filter(code=settings.TELEPATI_DEFAULT_KECAMATAN)
        .values_list("pk", flat=True)
        .first()
    )
    return kecamatan_id is not None and scope.can_in(
        Capability.HANDLE_CONVERSATIONS, kecamatan_id=kecamatan_id
    )


def resident_phone_masked(conversation: Conversation) -> str:
    """The resident's number as the list shows it ('+62 ••• •••• 7890'), or '' if withheld."""
    phone = conversation.citizen.phone or (f"+{conversation.wa_id}" if conversation.wa_id else "")
    return mask_phone(phone) if phone else ""


@dataclass(frozen=True)
class ConversationList:
    """Handed-over conversations (oldest handover first), then a page of the others."""

    waiting: list[Conversation]
    recent: list[Conversation]
    next_cursor: str | None


def _encode(*parts: object) -> str:
    return base64.urlsafe_b64encode("|".join(str(p) for p in parts).encode()).decode().rstrip("=")


def _decode(cursor: str, size: int) -> list[str] | None:
    if not cursor:
        return None
    try:
        parts = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().split("|")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return parts if len(parts) == size else None


def _moment(text: str) -> datetime | None:
    try:
        moment = parse_datetime(text)
    except ValueError:
        return None
    return moment if moment is not None and moment.tzinfo is not None else None


def _with_last_message(conversations: QuerySet[Conversation]) -> QuerySet[Conversation]:
    last = InboundMessage.objects.filter(conversation=OuterRef("pk")).order_by("-sent_at", "-id")
    return conversations.select_related("citizen", "handed_over_to").annotate(
        last_text=Subquery(last.values("text")[:1]),
        last_kind=Subquery(last.values("kind")[:1]),
    )


def conversation_list_for_officer(
    *,
    user: AnyUser,
    cursor: str = "",
    limit: int = RECENT_PAGE_SIZE,
    scope: OfficerScope | None = None,
) -> ConversationList:
    """The operators' inbox in a fixed number of queries; Forbidden off the line's desk.

    `cursor` pages the recent (not handed-over) conversations by their last inbound message;
    a malformed cursor starts from the first page.
    """
    scope = scope if scope is not None else officer_scope_get(user=user)
    if not conversations_allowed(scope):
        raise Forbidden(_("Percakapan WhatsApp dilayani oleh meja kecamatan pemilik nomor ini."))
    waiting = list(
        _with_last_message(Conversation.objects.filter(handed_over_at__isnull=False)).order_by(
            "handed_over_at", "pk"
        )[:WAITING_LIMIT]
    )
    recent = Conversation.objects.filter(handed_over_at__isnull=True, last_inbound_at__isnull=False)
    parts = _decode(cursor, 2)
    if parts is not None and (moment := _moment(parts[0])) is not None and parts[1].isdigit():
        recent = recent.filter(
            Q(last_inbound_at__lt=moment) | Q(last_inbound_at=moment, pk__lt=int(parts[1]))
        )
    rows = list(_with_last_message(recent).order_by("-last_inbound_at", "-pk")[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        assert last.last_inbound_at is not None
        next_cursor = _encode(last.last_inbound_at.isoformat(), last.pk)
    return ConversationList(waiting=waiting, recent=rows[:limit], next_cursor=next_cursor)


def conversation_get_for_officer(
    *, user: AnyUser, conversation_id: int, scope: OfficerScope | None = None
) -> Conversation:
    """One conversation with its resident and operator; NotFound off the line's desk."""
    scope = scope if scope is not None else officer_scope_get(user=user)
    if not conversations_allowed(scope):
        raise NotFound(_("Percakapan tidak ditemukan."))
    try:
        return Conversation.objects.select_related("citizen", "handed_over_to").get(
            pk=conversation_id
        )
    except Conversation.DoesNotExist:
        raise NotFound(_("Percakapan tidak ditemukan.")) from None


@dataclass(frozen=True)
class ThreadItem:
    """One line of the thread: a resident's message or one of ours."""

    at: datetime
    kind: int
    inbound: InboundMessage | None = None
    outbound: OutboundMessage | None = None

    @property
    def is_inbound(self) -> bool:
        return self.kind == INBOUND

    @property
    def is_operator(self) -> bool:
        """An operator's answer (the bot and report notices are the system)."""
        return self.outbound is not None and self.outbound.reference.startswith("conversation:")

    @property
    def is_image(self) -> bool:
        message = self.inbound
        return (
            message is not None
            and message.media_status == "stored"
            and bool(message.media_file)
            and message.media_mime.startswith("image/")
        )

    def key(self) -> tuple[datetime, int, int]:
        row = self.inbound if self.inbound is not None else self.outbound
        assert row is not None
        return (self.at, self.kind, row.pk)


@dataclass(frozen=True)
class ThreadPage:
    """Messages oldest first, and the cursor of the older page (None at the start)."""

    items: list[ThreadItem]
    older_cursor: str | None


def _outbound_to(conversation: Conversation) -> QuerySet[OutboundMessage]:
    citizen = conversation.citizen
    bsuid = conversation.bsuid or citizen.wa_bsuid
    match = Q(pk__in=[])
    if citizen.phone:
        match |= Q(recipient_phone=citizen.phone)
    if bsuid:
        match |= Q(recipient_wa_bsuid=bsuid)
    return OutboundMessage.objects.filter(match)


def _before(field: str, kind: int, cursor: tuple[datetime, int, int] | None) -> Q:
    """Rows of `kind` that sort before the cursor on (moment, kind, id)."""
    if cursor is None:
        return Q()
    moment, cursor_kind, pk = cursor
    earlier = Q(**{f"{field}__lt": moment})
    if kind < cursor_kind:
        return earlier | Q(**{field: moment})
    if kind == cursor_kind:
        return earlier | Q(**{field: moment, "pk__lt": pk})
    return earlier


def conversation_thread(
    *, conversation: Conversation, cursor: str = "", limit: int = THREAD_PAGE_SIZE
) -> ThreadPage:
    """The latest `limit` messages before `cursor`, oldest first, in two queries.

    `conversation` must come from `conversation_get_for_officer`.
    """
    parts = _decode(cursor, 3)
    position = None
    if (
        parts is not None
        and (moment := _moment(parts[0])) is not None
        and parts[1].isdigit()
        and parts[2].isdigit()
    ):
        position = (moment, int(parts[1]), int(parts[2]))
    inbound = InboundMessage.objects.filter(
        _before("received_at", INBOUND, position), conversation=conversation
    ).order_by("-received_at", "-pk")[: limit + 1]
    outbound = (
        _outbound_to(conversation)
        .filter(_before("created_at", OUTBOUND, position))
        .order_by("-created_at", "-pk")[: limit + 1]
    )
    items = [ThreadItem(at=m.received_at, kind=INBOUND, inbound=m) for m in inbound]
    items += [ThreadItem(at=m.created_at, kind=OUTBOUND, outbound=m) for m in outbound]
    items.sort(key=ThreadItem.key, reverse=True)
    page = items[:limit]
    older = None
    if len(items) > limit:
        at, kind, pk = page[-1].key()
        older = _encode(at.isoformat(), kind, pk)
    return ThreadPage(items=list(reversed(page)), older_cursor=older)


def conversation_reports(
    *, conversation: Conversation, scope: OfficerScope, limit: int = REPORTS_LIMIT
) -> list[Report]:
    """The resident's reports the officer may see, newest first (one query)."""
    visible = Report.objects.filter(report_scope_q(scope), reporter_id=conversation.citizen_id)
    return list(
        Report.objects.filter(pk__in=visible.values("pk"))
        .select_related("category")
        .order_by("-submitted_at", "-pk")[:limit]
    )
