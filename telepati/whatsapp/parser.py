"""Tolerant parser of WhatsApp Cloud API webhook payloads. It never raises.

It walks every entry × change × contacts/messages/statuses/errors (Meta batches up to 1000
updates in one POST). Anything malformed or unknown becomes a `WaProblem` with its path and
is skipped; the rest of the batch survives. Identity fields are all optional: since 2026 a
user with a username may arrive with a business-scoped user id (BSUID) and no phone number.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from telepati.whatsapp.payload_types import (
    WaContact,
    WaError,
    WaInbound,
    WaLocation,
    WaMedia,
    WaProblem,
    WaStatus,
    WebhookBatch,
)

__all__ = [
    "WaContact",
    "WaError",
    "WaInbound",
    "WaLocation",
    "WaMedia",
    "WaProblem",
    "WaStatus",
    "WebhookBatch",
    "webhook_parse",
]

STATUSES = frozenset({"sent", "delivered", "read", "failed", "played"})
MEDIA_KINDS = frozenset({"image", "video", "document", "audio", "sticker"})


class _Malformed(Exception):
    """Raised inside the parser for a part that must be skipped; never leaves this module."""


@dataclass
class _Collector:
    messages: list[WaInbound] = field(default_factory=list)
    statuses: list[WaStatus] = field(default_factory=list)
    value_errors: list[WaError] = field(default_factory=list)
    problems: list[WaProblem] = field(default_factory=list)

    def problem(self, path: str, reason: str, raw: Any) -> None:
        self.problems.append(WaProblem(path=path, reason=reason, raw=raw))

    def batch(self) -> WebhookBatch:
        return WebhookBatch(
            messages=tuple(self.messages),
            statuses=tuple(self.statuses),
            value_errors=tuple(self.value_errors),
            problems=tuple(self.problems),
        )


# --- Small readers ----------------------------------------------------------------------


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _opt_str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _timestamp(value: Any) -> datetime:
    seconds = _int(value)
    if seconds is None:
        raise _Malformed(f"timestamp is not Unix seconds: {value!r}")
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise _Malformed(f"timestamp out of range: {value!r}") from exc


def _decimal(value: Any, name: str, limit: int) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _Malformed(f"{name} is not a number: {value!r}")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise _Malformed(f"{name} is not a number: {value!r}") from exc
    if not number.is_finite() or abs(number) > limit:
        raise _Malformed(f"{name} out of range: {value!r}")
    return number


def _errors(value: Any) -> tuple[WaError, ...]:
    found = []
    for item in _list(value):
        if isinstance(item, dict):
            found.append(
                WaError(
                    code=_int(item.get("code")),
                    title=_str(item.get("title")),
                    message=_str(item.get("message")),
                    details=_str(_dict(item.get("error_data")).get("details")),
                )
            )
    return tuple(found)


def _contact(raw: Any) -> WaContact:
    if not isinstance(raw, dict):
        raise _Malformed("contact is not an object")
    wa_id, bsuid = _opt_str(raw.get("wa_id")), _opt_str(raw.get("user_id"))
    if wa_id is None and bsuid is None:
        raise _Malformed("contact has neither wa_id nor user_id")
    profile = _dict(raw.get("profile"))
    return WaContact(
        wa_id=wa_id,
        bsuid=bsuid,
        name=_str(profile.get("name")),
        username=_str(profile.get("username")),
    )


# --- Messages ---------------------------------------------------------------------------


def _media(kind: str, raw: dict[str, Any]) -> WaMedia:
    body = raw.get(kind)
    if not isinstance(body, dict) or not _opt_str(body.get("id")):
        raise _Malformed(f"{kind} message without {kind}.id")
    return WaMedia(
        media_id=body["id"],
        mime_type=_str(body.get("mime_type")),
        sha256=_str(body.get("sha256")),
        caption=_str(body.get("caption")),
        filename=_str(body.get("filename")),
        url=_str(body.get("url")),
        voice=body.get("voice") is True,
        animated=body.get("animated") is True,
    )


def _location(raw: dict[str, Any]) -> WaLocation:
    body = raw.get("location")
    if not isinstance(body, dict):
        raise _Malformed("location message without location")
    return WaLocation(
        latitude=_decimal(body.get("latitude"), "latitude", 90),
        longitude=_decimal(body.get("longitude"), "longitude", 180),
        name=_str(body.get("name")),
        address=_str(body.get("address")),
        url=_str(body.get("url")),
    )


def _match_contact(
    contacts: list[WaContact], wa_id: str | None, bsuid: str | None, alone: bool
) -> WaContact | None:
    for contact in contacts:
        if (wa_id and contact.wa_id == wa_id) or (bsuid and contact.bsuid == bsuid):
            return contact
    if wa_id is None and bsuid is None and alone and len(contacts) == 1:
        # One message and one contact in a value: Meta's pairing, even without a "from".
        return contacts[0]
    return None


def _message(
    raw: Any, *, phone_number_id: str, contacts: list[WaContact], alone: bool
) -> WaInbound:
    if not isinstance(raw, dict):
        raise _Malformed("message is not an object")
    wamid = _opt_str(raw.get("id"))
    if wamid is None:
        raise _Malformed("message without id")
    kind = _opt_str(raw.get("type"))
    if kind is None:
        raise _Malformed("message without type")
    timestamp = _timestamp(raw.get("timestamp"))
    from_wa_id, from_bsuid = _opt_str(raw.get("from")), _opt_str(raw.get("from_user_id"))
    contact = _match_contact(contacts, from_wa_id, from_bsuid, alone)
    if contact is not None:
        from_wa_id = from_wa_id or contact.wa_id
        from_bsuid = from_bsuid or contact.bsuid

    fields: dict[str, Any] = {"text": "", "reply_id": ""}
    if kind == "text":
        body = _dict(raw.get("text")).get("body")
        if not isinstance(body, str):
            raise _Malformed("text message without text.body")
        fields["text"] = body
    elif kind in MEDIA_KINDS:
        media = _media(kind, raw)
        fields.update(media=media, text=media.caption)
    elif kind == "location":
        fields["location"] = _location(raw)
    elif kind == "contacts":
        shared = tuple(item for item in _list(raw.get("contacts")) if isinstance(item, dict))
        fields["shared_contacts"] = shared
    elif kind == "interactive":
        interactive = _dict(raw.get("interactive"))
        reply = _dict(interactive.get(_str(interactive.get("type"))))
        if interactive.get("type") in ("button_reply", "list_reply"):
            fields.update(text=_str(reply.get("title")), reply_id=_str(reply.get("id")))
    elif kind == "button":
        button = _dict(raw.get("button"))
        fields.update(text=_str(button.get("text")), reply_id=_str(button.get("payload")))
    elif kind == "reaction":
        reaction = _dict(raw.get("reaction"))
        reaction_to = _opt_str(reaction.get("message_id"))
        if reaction_to is None:
            raise _Malformed("reaction without reaction.message_id")
        fields.update(reaction_to=reaction_to, reaction_emoji=_opt_str(reaction.get("emoji")))
    elif kind == "system":
        system = _dict(raw.get("system"))
        fields.update(
            text=_str(system.get("body")),
            system_type=_str(system.get("type")),
            system_new_wa_id=_opt_str(system.get("wa_id")),
            system_new_bsuid=_opt_str(system.get("user_id")),
        )
    elif kind == "order":
        fields["text"] = _str(_dict(raw.get("order")).get("text"))

    context = _dict(raw.get("context"))
    return WaInbound(
        wamid=wamid,
        phone_number_id=phone_number_id,
        from_wa_id=from_wa_id,
        from_bsuid=from_bsuid,
        contact=contact,
        timestamp=timestamp,
        kind=kind,
        text=fields["text"],
        reply_id=fields["reply_id"],
        media=fields.get("media"),
        location=fields.get("location"),
        shared_contacts=fields.get("shared_contacts", ()),
        reaction_to=fields.get("reaction_to"),
        reaction_emoji=fields.get("reaction_emoji"),
        context_id=_opt_str(context.get("id")),
        forwarded=context.get("forwarded") is True or context.get("frequently_forwarded") is True,
        system_type=fields.get("system_type", ""),
        system_new_wa_id=fields.get("system_new_wa_id"),
        system_new_bsuid=fields.get("system_new_bsuid"),
        errors=_errors(raw.get("errors")),
        raw=raw,
    )


def _status(raw: Any) -> WaStatus:
    if not isinstance(raw, dict):
        raise _Malformed("status is not an object")
    wamid = _opt_str(raw.get("id"))
    if wamid is None:
        raise _Malformed("status without id")
    status = raw.get("status")
    if status not in STATUSES:
        raise _Malformed(f"unknown status {status!r}")
    return WaStatus(
        wamid=wamid,
        status=status,
        timestamp=_timestamp(raw.get("timestamp")),
        recipient_wa_id=_opt_str(raw.get("recipient_id")),
        recipient_bsuid=_opt_str(raw.get("recipient_user_id")),
        errors=_errors(raw.get("errors")),
        pricing_category=_str(_dict(raw.get("pricing")).get("category")),
        callback_data=_str(raw.get("biz_opaque_callback_data")),
        raw=raw,
    )


# --- The walk ---------------------------------------------------------------------------


def _each(
    out: _Collector, items: Any, path: str, parse: Callable[[Any], Any], sink: list[Any]
) -> None:
    if items is None:
        return
    if not isinstance(items, list):
        out.problem(path, "not a list", items)
        return
    for index, item in enumerate(items):
        try:
            sink.append(parse(item))
        except _Malformed as exc:
            out.problem(f"{path}[{index}]", str(exc), item)
        except Exception as exc:  # a bug must not cost the rest of the batch
            out.problem(f"{path}[{index}]", f"unexpected {type(exc).__name__}: {exc}", item)


def _value(out: _Collector, value: Any, path: str) -> None:
    if not isinstance(value, dict):
        out.problem(path, "value is not an object", value)
        return
    phone_number_id = _str(_dict(value.get("metadata")).get("phone_number_id"))
    contacts: list[WaContact] = []
    _each(out, value.get("contacts"), f"{path}.contacts", _contact, contacts)
    out.value_errors.extend(_errors(value.get("errors")))
    messages = value.get("messages")
    alone = isinstance(messages, list) and len(messages) == 1

    def message(raw: Any) -> WaInbound:
        return _message(raw, phone_number_id=phone_number_id, contacts=contacts, alone=alone)

    _each(out, messages, f"{path}.messages", message, out.messages)
    _each(out, value.get("statuses"), f"{path}.statuses", _status, out.statuses)


def _walk(out: _Collector, payload: Any) -> None:
    if isinstance(payload, bytes | str):
        try:
            payload = json.loads(payload)
        except ValueError as exc:
            out.problem("", f"not JSON: {exc}", None)
            return
    if not isinstance(payload, Mapping):
        out.problem("", "payload is not an object", payload)
        return
    kind = payload.get("object")
    if kind is not None and kind != "whatsapp_business_account":
        out.problem("object", f"not a WhatsApp Business Account webhook: {kind!r}", kind)
        return
    entries = payload.get("entry")
    if not isinstance(entries, list):
        out.problem("entry", "entry is not a list", entries)
        return
    for i, entry in enumerate(entries):
        changes = entry.get("changes") if isinstance(entry, dict) else None
        if not isinstance(changes, list):
            out.problem(f"entry[{i}]", "entry without a list of changes", entry)
            continue
        for j, change in enumerate(changes):
            path = f"entry[{i}].changes[{j}]"
            if not isinstance(change, dict):
                out.problem(path, "change is not an object", change)
            elif change.get("field") != "messages":
                out.problem(path, f"unsupported field {change.get('field')!r}", change)
            else:
                _value(out, change.get("value"), f"{path}.value")


def webhook_parse(payload: Any) -> WebhookBatch:
    """Everything usable in a webhook payload (parsed JSON, or its raw text/bytes)."""
    out = _Collector()
    try:
        _walk(out, payload)
    except Exception as exc:  # never raise: the delivery is stored and must be processed
        out.problem("", f"unexpected {type(exc).__name__}: {exc}", None)
    return out.batch()
