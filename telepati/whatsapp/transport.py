"""The WhatsApp Cloud API transport of the outbox (selected by TELEPATI_MESSAGE_TRANSPORT).

Which request one outbox row becomes depends on the 24-hour customer-service window, opened
by the resident's last inbound message (`Conversation.last_inbound_at`, Meta's timestamp):

- window open: free-form — interactive buttons or a list when the row has `interactive`,
  otherwise a text;
- window closed: the row's approved template (`template_name` + `template_params`, language
  WHATSAPP_TEMPLATE_LANGUAGE); when the row also has buttons, their ids travel as the
  template's quick-reply payloads, in order, so a tap arrives as the same reply id as a tap
  on the interactive button would. A row without a template fails permanently as
  "outside_window", because Meta would refuse it (131047) every time.

A row addressed by phone goes out as `to` (wa_id digits), one known only by its
business-scoped user id as `recipient`. Errors are the adapter's typed errors, with
`permanent` deciding retries. The Graph client is built on first use per thread and reused
while the settings stay the same; nothing happens at import time.

Delivery works in batches: `prepare_many` looks up the window of the whole batch in one
query and takes the client of the delivering thread, which the send threads then share
(httpx.Client and its connection pool are thread-safe); `send` does no database work.
`sent_many` catches up on early status webhooks with one query for the batch.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from telepati.messaging.models import OutboundMessage
from telepati.messaging.transports import SendResult
from telepati.whatsapp.client import GraphClient, graph_client_from_settings
from telepati.whatsapp.errors import WhatsAppPermanentError
from telepati.whatsapp.models import Conversation
from telepati.whatsapp.services_status import outbound_status_sync, outbound_statuses_sync

WINDOW = timedelta(hours=24)
# Leave a minute of the window unused: our clock and Meta's may differ slightly.
WINDOW_MARGIN = timedelta(minutes=1)

_local = threading.local()


def _client() -> GraphClient:
    """The Graph client of this thread for the current settings."""
    key = (
        settings.WHATSAPP_GRAPH_URL,
        settings.WHATSAPP_API_VERSION,
        settings.WHATSAPP_PHONE_NUMBER_ID,
        settings.WHATSAPP_ACCESS_TOKEN,
        settings.WHATSAPP_TIMEOUT_SECONDS,
    )
    cached: tuple[tuple[Any, ...], GraphClient] | None = getattr(_local, "client", None)
    if cached is not None and cached[0] == key:
        return cached[1]
    if cached is not None:
        cached[1].close()
    client = graph_client_from_settings()
    _local.client = (key, client)
    return client


def window_open(message: OutboundMessage, *, now: Any = None) -> bool:
    """Whether the resident wrote to us within the last 24 hours (free-form allowed)."""
    identity = Q()
    if message.recipient_phone:
        identity |= Q(wa_id=message.recipient_phone.removeprefix("+"))
    if message.recipient_wa_bsuid:
        identity |= Q(bsuid=message.recipient_wa_bsuid)
    since = (now or timezone.now()) - WINDOW + WINDOW_MARGIN
    return Conversation.objects.filter(identity, last_inbound_at__gt=since).exists()


def windows_open(messages: Sequence[OutboundMessage], *, now: Any = None) -> dict[int, bool]:
    """`window_open` for a batch, in one query: message id → window open."""
    phones = {m.recipient_phone.removeprefix("+") for m in messages if m.recipient_phone}
    bsuids = {m.recipient_wa_bsuid for m in messages if m.recipient_wa_bsuid}
    if not phones and not bsuids:
        return {message.pk: False for message in messages}
    since = (now or timezone.now()) - WINDOW + WINDOW_MARGIN
    open_phones: set[str] = set()
    open_bsuids: set[str] = set()
    rows = Conversation.objects.filter(
        Q(wa_id__in=phones) | Q(bsuid__in=bsuids), last_inbound_at__gt=since
    ).values_list("wa_id", "bsuid")
    for wa_id, bsuid in rows:
        if wa_id:
            open_phones.add(wa_id)
        if bsuid:
            open_bsuids.add(bsuid)
    return {
        m.pk: (bool(m.recipient_phone) and m.recipient_phone.removeprefix("+") in open_phones)
        or (bool(m.recipient_wa_bsuid) and m.recipient_wa_bsuid in open_bsuids)
        for m in messages
    }


def _button_ids(interactive: Any) -> list[str]:
    """The ids of the row's reply buttons (template quick-reply payloads); [] for others."""
    if not isinstance(interactive, dict) or interactive.get("type") != "buttons":
        return []
    buttons = interactive.get("buttons") or []
    return [str(button[0]) for button in buttons if isinstance(button, list | tuple) and button]


class WhatsAppTransport:
    """Sends outbox rows through the Graph API for the configured business number."""

    def __init__(self) -> None:
        self.pacing_key: str | None = f"sender:{settings.WHATSAPP_PHONE_NUMBER_ID}"
        self.rate_per_second = float(settings.WHATSAPP_RATE_PER_SECOND)
        self._window_open: dict[int, bool] = {}
        self._graph: GraphClient | None = None

    def prepare(self, message: OutboundMessage) -> None:
        """Look up the 24-hour window and build the client before the pacing slot."""
        self._window_open[message.pk] = window_open(message)
        self._graph = _client()

    def prepare_many(self, messages: Sequence[OutboundMessage]) -> None:
        """`prepare` for a batch: one window query; the send threads share this client."""
        self._window_open.update(windows_open(messages))
        self._graph = _client()

    def _http(self) -> GraphClient:
        return self._graph or _client()

    def send(self, message: OutboundMessage) -> SendResult:
        to = message.recipient_phone.removeprefix("+") or None
        recipient = message.recipient_wa_bsuid or None
        is_open = self._window_open.pop(message.pk, None)
        if is_open is None:
            is_open = window_open(message)
        if is_open:
            wamid = self._free_form(message, to=to, recipient=recipient)
        elif message.template_name:
            wamid = self._http().send_template(
                to=to,
                recipient=recipient,
                name=settings.WHATSAPP_TEMPLATE_NAMES.get(
                    message.template_name, message.template_name
                ),
                language=settings.WHATSAPP_TEMPLATE_LANGUAGE,
                params=[str(p) for p in message.template_params or []],
                buttons_payloads=_button_ids(message.interactive),
            )
        else:
            raise WhatsAppPermanentError(
                _(
                    "Jendela layanan 24 jam sudah tertutup dan pesan ini tidak punya templat "
                    "yang disetujui, sehingga WhatsApp tidak mengizinkan pengirimannya."
                ),
                title="outside_window",
            )
        return SendResult(provider_message_id=wamid)

    def _free_form(self, message: OutboundMessage, *, to: str | None, recipient: str | None) -> str:
        client = self._http()
        interactive = message.interactive or {}
        kind = interactive.get("type")
        header = str(interactive.get("header") or "")
        footer = str(interactive.get("footer") or "")
        try:
            if kind == "buttons":
                return client.send_buttons(
                    to=to,
                    recipient=recipient,
                    body=message.text,
                    buttons=[(str(id_), str(title)) for id_, title in interactive["buttons"]],
                    header=header,
                    footer=footer,
                )
            if kind == "list":
                return client.send_list(
                    to=to,
                    recipient=recipient,
                    body=message.text,
                    button=str(interactive["button"]),
                    sections=[
                        (str(title), [(str(i), str(t), str(d)) for i, t, d in rows])
                        for title, rows in interactive["sections"]
                    ],
                    header=header,
                    footer=footer,
                )
        except (KeyError, TypeError, ValueError) as exc:
            # Checked before any request: the row itself is wrong, resending cannot help.
            raise WhatsAppPermanentError(str(exc), title="invalid_message") from exc
        return client.send_text(to=to, recipient=recipient, body=message.text)

    def sent(self, *, provider_message_id: str) -> None:
        """Apply status webhooks that arrived before the wamid was stored."""
        outbound_status_sync(wamid=provider_message_id)

    def sent_many(self, *, provider_message_ids: Sequence[str]) -> None:
        """`sent` for a batch: one query finds the few wamids that have early statuses."""
        outbound_statuses_sync(wamids=provider_message_ids)
