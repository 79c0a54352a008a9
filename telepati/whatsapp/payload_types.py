"""What the webhook parser returns: typed, frozen views of Meta's payload parts.

Every identity field is optional (WhatsApp may withhold a number behind a username, see the
business-scoped user id notes in the WhatsApp facts); timestamps are aware UTC datetimes and
coordinates Decimals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any


@dataclass(frozen=True, slots=True)
class WaError:
    """One error object of a message, a status or a webhook value."""

    code: int | None
    title: str
    message: str
    details: str


@dataclass(frozen=True, slots=True)
class WaContact:
    """The sender's profile as `value.contacts[]` gives it."""

    wa_id: str | None
    bsuid: str | None
    name: str
    username: str


@dataclass(frozen=True, slots=True)
class WaMedia:
    """A media object of an inbound message; `media_id` can be downloaded for 7 days."""

    media_id: str
    mime_type: str
    sha256: str
    caption: str
    filename: str
    url: str
    voice: bool
    animated: bool


@dataclass(frozen=True, slots=True)
class WaLocation:
    """A shared location; a *current location* share has no name and address."""

    latitude: Decimal
    longitude: Decimal
    name: str
    address: str
    url: str


@dataclass(frozen=True, slots=True)
class WaInbound:
    """One inbound message, identified by its wamid."""

    wamid: str
    phone_number_id: str
    from_wa_id: str | None
    from_bsuid: str | None
    contact: WaContact | None
    timestamp: datetime
    kind: str
    text: str
    reply_id: str
    media: WaMedia | None
    location: WaLocation | None
    shared_contacts: tuple[dict[str, Any], ...]
    reaction_to: str | None
    reaction_emoji: str | None
    context_id: str | None
    forwarded: bool
    system_type: str
    system_new_wa_id: str | None
    system_new_bsuid: str | None
    errors: tuple[WaError, ...]
    raw: dict[str, Any]


@dataclass(frozen=True, slots=True)
class WaStatus:
    """A delivery status of one of our outbound messages."""

    wamid: str
    status: str
    timestamp: datetime
    recipient_wa_id: str | None
    recipient_bsuid: str | None
    errors: tuple[WaError, ...]
    pricing_category: str
    callback_data: str
    raw: dict[str, Any]


@dataclass(frozen=True, slots=True)
class WaProblem:
    """A part of the payload that was skipped, where it was, and why."""

    path: str
    reason: str
    raw: Any


@dataclass(frozen=True, slots=True)
class WebhookBatch:
    """Everything one webhook POST carried."""

    messages: tuple[WaInbound, ...] = ()
    statuses: tuple[WaStatus, ...] = ()
    value_errors: tuple[WaError, ...] = ()
    problems: tuple[WaProblem, ...] = ()
