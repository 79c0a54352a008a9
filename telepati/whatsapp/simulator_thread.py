"""What the simulated phone shows: one resident's conversation with the WA Center.

Read-only selector for the simulator page. The resident's side comes from `InboundMessage`
rows of their conversation, plus deliveries the worker has not processed yet (parsed from
the stored body and shown as pending); the office's side is every outbox row addressed to
the resident's number (or business-scoped id), with its delivery status. Nothing of any
other number is ever read.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Q

from telepati.messaging.models import OutboundMessage
from telepati.whatsapp.models import DeliveryStatus, InboundMessage, WebhookDelivery
from telepati.whatsapp.parser import WaInbound, webhook_parse

THREAD_LIMIT = 60
PENDING_SCAN = 20


@dataclass(frozen=True, slots=True)
class Choice:
    """A tappable button or list row the office sent."""

    id: str
    title: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    rows: tuple[Choice, ...]


@dataclass(frozen=True, slots=True)
class Bubble:
    """One message on the phone screen; `outgoing` is the resident's own side."""

    key: str
    outgoing: bool
    at: datetime
    kind: str
    text: str
    status: str = ""  # pending/received for the resident; the outbox status for the office
    wamid: str = ""
    header: str = ""
    footer: str = ""
    buttons: tuple[Choice, ...] = ()
    list_button: str = ""
    sections: tuple[Section, ...] = ()
    media_id: str = ""
    latitude: str = ""
    longitude: str = ""
    place: str = ""
    error: str = ""


@dataclass(frozen=True, slots=True)
class Thread:
    bubbles: tuple[Bubble, ...]
    version: str = field(default="")


def _str(value: Any, limit: int = 200) -> str:
    return str(value)[:limit] if isinstance(value, str | int | float) else ""


def interactive_read(data: Any) -> dict[str, Any]:
    """The `interactive` JSON of an outbox row as bubble fields; malformed parts are dropped."""
    if not isinstance(data, dict):
        return {}
    fields: dict[str, Any] = {
        "header": _str(data.get("header")),
        "footer": _str(data.get("footer")),
    }
    if data.get("type") == "buttons":
        fields["buttons"] = tuple(
            Choice(id=_str(b[0]), title=_str(b[1]))
            for b in data.get("buttons") or ()
            if isinstance(b, list | tuple) and len(b) >= 2
        )
    elif data.get("type") == "list":
        sections = []
        for section in data.get("sections") or ():
            if not isinstance(section, list | tuple) or len(section) < 2:
                continue
            rows = tuple(
                Choice(
                    id=_str(r[0]), title=_str(r[1]), description=_str(r[2]) if len(r) > 2 else ""
                )
                for r in section[1] or ()
                if isinstance(r, list | tuple) and len(r) >= 2
            )
            sections.append(Section(title=_str(section[0]), rows=rows))
        fields["sections"] = tuple(sections)
        fields["list_button"] = _str(data.get("button")) or "Menu"
    return fields


def _inbound_bubble(message: WaInbound | InboundMessage, *, pending: bool) -> Bubble:
    if isinstance(message, InboundMessage):
        raw = message.payload if isinstance(message.payload, dict) else {}
        wamid, kind, text, at = message.wamid, message.kind, message.text, message.sent_at
    else:
        raw = message.raw
        wamid, kind, text, at = message.wamid, message.kind, message.text, message.timestamp
    extra: dict[str, Any] = {}
    content = raw.get(raw.get("type", ""), {}) if isinstance(raw, dict) else {}
    if not isinstance(content, dict):
        content = {}
    if kind == "location":
        extra = {
            "latitude": _str(content.get("latitude")),
            "longitude": _str(content.get("longitude")),
            "place": " · ".join(
                _str(content.get(k)) for k in ("name", "address") if content.get(k)
            ),
        }
    elif kind in ("image", "video", "document", "sticker"):
        extra = {"media_id": _str(content.get("id"))}
    return Bubble(
        key=wamid,
        outgoing=True,
        at=at,
        kind=kind,
        text=text,
        status="pending" if pending else "received",
        wamid=wamid,
        **extra,
    )


def _outbound_bubble(message: OutboundMessage) -> Bubble:
    return Bubble(
        key=f"out-{message.pk}",
        outgoing=False,
        at=message.created_at,
        kind="template" if message.template_name and not message.interactive else "text",
        text=message.text,
        status=message.status,
        wamid=message.provider_message_id or "",
        error=" ".join(filter(None, (message.last_error_code, message.last_error)))[:200],
        **interactive_read(message.interactive),
    )


def _pending(wa_id: str, known: set[str]) -> list[Bubble]:
    """Messages of this resident still waiting in unprocessed deliveries."""
    bubbles = []
    deliveries = WebhookDelivery.objects.filter(
        status__in=[DeliveryStatus.RECEIVED, DeliveryStatus.FAILED]
    ).order_by("-received_at", "-id")[:PENDING_SCAN]
    for delivery in deliveries:
        try:
            payload = json.loads(delivery.body)
        except ValueError:
            continue
        for message in webhook_parse(payload).messages:
            if message.from_wa_id == wa_id and message.wamid not in known:
                known.add(message.wamid)
                bubbles.append(_inbound_bubble(message, pending=True))
    return bubbles


def thread_build(*, wa_id: str, bsuid: str) -> Thread:
    """The last messages between the WA Center and this resident, oldest first."""
    inbound = list(
        InboundMessage.objects.filter(
            Q(conversation__wa_id=wa_id) | Q(conversation__bsuid=bsuid)
        ).order_by("-sent_at", "-id")[:THREAD_LIMIT]
    )
    bubbles = [_inbound_bubble(m, pending=False) for m in inbound]
    bubbles += _pending(wa_id, {m.wamid for m in inbound})
    outbound = OutboundMessage.objects.filter(
        Q(recipient_phone="+" + wa_id) | Q(recipient_wa_bsuid=bsuid)
    ).order_by("-created_at", "-id")[:THREAD_LIMIT]
    bubbles += [_outbound_bubble(m) for m in outbound]
    bubbles.sort(key=lambda b: (b.at, not b.outgoing, b.key))
    bubbles = bubbles[-THREAD_LIMIT:]
    fingerprint = "|".join(f"{b.key}:{b.status}" for b in bubbles)
    return Thread(
        bubbles=tuple(bubbles), version=hashlib.sha256(fingerprint.encode()).hexdigest()[:16]
    )
