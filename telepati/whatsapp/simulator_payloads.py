"""Webhook payloads shaped exactly as Meta's Cloud API sends them, for the simulator.

Each builder returns the whole envelope (`object` → `entry[]` → `changes[]` → `value` with
`metadata`, `contacts` and `messages` or `statuses`) for one event, with a fresh wamid and a
Unix timestamp as a string. `payload_body` turns it into the exact bytes that are signed and
posted. The shapes follow /work/shared/context/whatsapp-cloud-api.md §1.4–1.6 and the
fixtures in tests/payloads/: the simulated resident is known by phone (`wa_id`) and by a
business-scoped user id derived from it, as every 2026 webhook carries one.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone

# The WhatsApp Business Account and number the simulator pretends to be, when no real
# phone number id is configured (development runs without one).
SIM_WABA_ID = "100000000000001"
SIM_PHONE_NUMBER_ID = "100000000000002"
SIM_DISPLAY_PHONE_NUMBER = "6281100000000"


@dataclass(frozen=True, slots=True)
class SimResident:
    """The person holding the simulated phone: WhatsApp number (digits) and profile name."""

    wa_id: str
    name: str

    @property
    def bsuid(self) -> str:
        """A stable business-scoped user id for this number ("ID." + 19 digits)."""
        digest = hashlib.sha256(f"telepati-sim:{self.wa_id}".encode()).hexdigest()
        return "ID." + str(int(digest[:16], 16)).zfill(20)[:19]


def phone_number_id() -> str:
    return settings.WHATSAPP_PHONE_NUMBER_ID or SIM_PHONE_NUMBER_ID


def wamid_new(wa_id: str) -> str:
    """A fresh message id in Meta's style: "wamid." + base64 of opaque bytes."""
    raw = (
        b"\x15\x02\x00\x12\x18" + wa_id.encode() + b"\x15" + secrets.token_hex(10).upper().encode()
    )
    return "wamid." + base64.b64encode(raw).decode()


def media_id_new() -> str:
    """A fresh media id: Meta's are 15–16 digit numbers."""
    return str(1_000_000_000_000_000 + secrets.randbelow(9_000_000_000_000_000))


def _timestamp(at: datetime | None) -> str:
    return str(int((at or timezone.now()).timestamp()))


def _envelope(value: dict[str, Any]) -> dict[str, Any]:
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": SIM_WABA_ID,
                "changes": [{"value": value, "field": "messages"}],
            }
        ],
    }


def _value(**parts: Any) -> dict[str, Any]:
    return {
        "messaging_product": "whatsapp",
        "metadata": {
            "display_phone_number": SIM_DISPLAY_PHONE_NUMBER,
            "phone_number_id": phone_number_id(),
        },
        **parts,
    }


def _contact(resident: SimResident) -> dict[str, Any]:
    return {"profile": {"name": resident.name}, "wa_id": resident.wa_id, "user_id": resident.bsuid}


def message_payload(
    *,
    resident: SimResident,
    kind: str,
    content: dict[str, Any],
    context_id: str | None = None,
    wamid: str | None = None,
    at: datetime | None = None,
) -> dict[str, Any]:
    """One inbound message of type `kind` whose `kind` object is `content`."""
    message: dict[str, Any] = {
        "from": resident.wa_id,
        "from_user_id": resident.bsuid,
        "id": wamid or wamid_new(resident.wa_id),
        "timestamp": _timestamp(at),
        "type": kind,
        kind: content,
    }
    if context_id:
        # A tap on a button or list row quotes the business message that carried it.
        message["context"] = {"from": SIM_DISPLAY_PHONE_NUMBER, "id": context_id}
    return _envelope(_value(contacts=[_contact(resident)], messages=[message]))


def text_payload(*, resident: SimResident, body: str, **kw: Any) -> dict[str, Any]:
    return message_payload(resident=resident, kind="text", content={"body": body}, **kw)


def button_reply_payload(
    *, resident: SimResident, reply_id: str, title: str, context_id: str | None, **kw: Any
) -> dict[str, Any]:
    content = {"type": "button_reply", "button_reply": {"id": reply_id, "title": title}}
    return message_payload(
        resident=resident, kind="interactive", content=content, context_id=context_id, **kw
    )


def list_reply_payload(
    *,
    resident: SimResident,
    reply_id: str,
    title: str,
    description: str = "",
    context_id: str | None,
    **kw: Any,
) -> dict[str, Any]:
    row = {"id": reply_id, "title": title}
    if description:
        row["description"] = description
    content = {"type": "list_reply", "list_reply": row}
    return message_payload(
        resident=resident, kind="interactive", content=content, context_id=context_id, **kw
    )


def location_payload(
    *,
    resident: SimResident,
    latitude: Decimal,
    longitude: Decimal,
    name: str = "",
    address: str = "",
    **kw: Any,
) -> dict[str, Any]:
    """A shared pin; a "current location" share carries no name or address."""
    content: dict[str, Any] = {"latitude": float(latitude), "longitude": float(longitude)}
    if address:
        content["address"] = address
    if name:
        content["name"] = name
    if name or address:
        content["url"] = f"https://maps.google.com/?q={latitude},{longitude}"
    return message_payload(resident=resident, kind="location", content=content, **kw)


def image_payload(
    *,
    resident: SimResident,
    media_id: str,
    mime_type: str,
    sha256: str,
    caption: str = "",
    **kw: Any,
) -> dict[str, Any]:
    """A photo known by media id only (no `url`): the app looks it up as in Meta's §2.6."""
    content = {"mime_type": mime_type, "sha256": sha256, "id": media_id}
    if caption:
        content = {"caption": caption, **content}
    return message_payload(resident=resident, kind="image", content=content, **kw)


def status_payload(
    *, resident: SimResident, wamids: list[str], status: str, at: datetime | None = None
) -> dict[str, Any]:
    """Status callbacks (delivered/read) for our messages to this resident, one per wamid."""
    statuses = [
        {
            "id": wamid,
            "status": status,
            "timestamp": _timestamp(at),
            "recipient_id": resident.wa_id,
            "recipient_user_id": resident.bsuid,
        }
        for wamid in wamids
    ]
    return _envelope(_value(contacts=[_contact(resident)], statuses=statuses))


def media_sha256(content: bytes) -> str:
    """Meta's `sha256` field: base64 of the SHA-256 digest (44 characters)."""
    return base64.b64encode(hashlib.sha256(content).digest()).decode()


def payload_body(payload: dict[str, Any]) -> bytes:
    """The exact bytes posted (and signed): compact JSON, non-ASCII escaped as Meta does."""
    return json.dumps(payload, separators=(",", ":")).encode()
