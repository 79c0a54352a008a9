"""Helpers of the bot tests: a resident's phone that posts signed webhooks to the real view.

`Phone.send(...)` builds a Meta-shaped payload for one message, signs it with the app
secret, POSTs it to /whatsapp/webhook/ with the Django test client and runs everything
queued on commit (the immediate task backend processes the delivery, the bot answers, the
photo task runs). It returns the bot's new replies as (text, interactive) pairs. Outbox
delivery itself is switched off here: these tests read the outbox rows, not a transport.
"""

from __future__ import annotations

import itertools
import json
from datetime import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from telepati.messaging.models import OutboundMessage
from telepati.reports.models import Category
from telepati.whatsapp.signature import signature_header

APP_SECRET = "rahasia-aplikasi-bot"
URL = "/whatsapp/webhook/"
_counter = itertools.count(1)

Reply = tuple[str, dict[str, Any] | None]


class _NoDelivery:
    @staticmethod
    def enqueue(**kwargs: Any) -> None:
        return None


@pytest.fixture
def bot_setup(settings, monkeypatch, territory):
    settings.WHATSAPP_APP_SECRET = APP_SECRET
    monkeypatch.setattr("telepati.messaging.tasks.deliver_message", _NoDelivery())


@pytest.fixture
def categories(territory, dlh, roads_agency) -> dict[str, Category]:
    rows = [
        ("kebersihan", "Kebersihan & sampah", "Sampah tidak diangkut, TPS liar", dlh, 10),
        ("banjir-drainase", "Banjir & drainase", "Parit tersumbat, genangan", roads_agency, 20),
        ("jalan", "Jalan rusak", "Jalan berlubang, trotoar rusak", roads_agency, 30),
    ]
    return {
        code: Category.objects.create(
            code=code, name=name, description=text, default_unit=unit, sort_order=order
        )
        for code, name, text, unit, order in rows
    }


def replies_since(pk: int) -> list[Reply]:
    rows = OutboundMessage.objects.filter(pk__gt=pk).order_by("pk")
    return [(row.text, row.interactive) for row in rows]


def last_outbox_pk() -> int:
    row = OutboundMessage.objects.order_by("-pk").first()
    return row.pk if row else 0


class Phone:
    """A resident writing to the business number through Meta's webhook."""

    def __init__(
        self,
        client: Client,
        capture: Any,
        *,
        wa_id: str = "6281234567890",
        name: str = "Siti Aminah",
        bsuid: str = "ID.1358962746384827362",
    ) -> None:
        self.client, self.capture = client, capture
        self.wa_id, self.name, self.bsuid = wa_id, name, bsuid
        self.last_wamid = ""

    def payload(self, message: dict[str, Any], *, at: datetime | None = None) -> bytes:
        moment = at or timezone.now()
        item = {
            "from": self.wa_id,
            "from_user_id": self.bsuid,
            "id": message.pop("id", None) or f"wamid.bot.{next(_counter)}",
            "timestamp": str(int(moment.timestamp())),
            **message,
        }
        self.last_wamid = item["id"]
        body = {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": "102290129340398",
                    "changes": [
                        {
                            "field": "messages",
                            "value": {
                                "messaging_product": "whatsapp",
                                "metadata": {
                                    "display_phone_number": "6281122334455",
                                    "phone_number_id": "106540352242922",
                                },
                                "contacts": [
                                    {
                                        "profile": {"name": self.name},
                                        "wa_id": self.wa_id,
                                        "user_id": self.bsuid,
                                    }
                                ],
                                "messages": [item],
                            },
                        }
                    ],
                }
            ],
        }
        return json.dumps(body).encode()

    def post(self, body: bytes) -> list[Reply]:
        before = last_outbox_pk()
        with self.capture(execute=True):
            response = self.client.post(
                URL,
                data=body,
                content_type="application/json",
                headers={"X-Hub-Signature-256": signature_header(body=body, app_secret=APP_SECRET)},
            )
        assert response.status_code == 200
        return replies_since(before)

    def send(self, message: dict[str, Any]) -> list[Reply]:
        return self.post(self.payload(message))

    def text(self, body: str, **extra: Any) -> list[Reply]:
        return self.send({"type": "text", "text": {"body": body}, **extra})

    def choose(self, reply_id: str, title: str = "") -> list[Reply]:
        """A tap on a list row (ids of lists) or a button (other ids)."""
        kind = "list_reply" if reply_id.split(":")[0] in _LIST_IDS else "button_reply"
        return self.send(
            {
                "type": "interactive",
                "interactive": {"type": kind, kind: {"id": reply_id, "title": title or reply_id}},
            }
        )

    def photo(self, media_id: str, caption: str = "") -> list[Reply]:
        image: dict[str, Any] = {"id": media_id, "mime_type": "image/jpeg", "sha256": "x"}
        if caption:
            image["caption"] = caption
        return self.send({"type": "image", "image": image})

    def location(self, **pin: Any) -> list[Reply]:
        return self.send({"type": "location", "location": pin})


_LIST_IDS = frozenset({"menu", "cat", "catpage", "kel", "kelpage", "edit"})
