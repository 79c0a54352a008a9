"""Item 4: the database is unavailable while a signed webhook arrives.

Not a mocked service: the real connection is pointed at a database that cannot be reached
(SQLite: a file in a directory that does not exist; PostgreSQL: a port nobody listens on),
the whole request runs through the middleware and the view, and the answer must be a
non-200 (503 with Retry-After) so that Meta delivers the same webhook again later. When the
database is back, the redelivery is stored and processed once, and nothing from the failed
attempt is there.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection

from telepati.messaging.models import OutboundMessage
from telepati.whatsapp.models import Conversation, InboundMessage, WebhookDelivery
from telepati.whatsapp.signature import signature_header

pytestmark = pytest.mark.django_db(transaction=True)

PAYLOADS = Path(__file__).resolve().parents[2] / "telepati/whatsapp/tests/payloads"
APP_SECRET = "rahasia-aplikasi-uji"


def _dead_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again: nothing listens there


@contextmanager
def database_down(tmp_path: Path) -> Iterator[None]:
    """Point the default connection at a database that cannot be reached, then restore it."""
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = str(tmp_path / "gone" / "telepati.sqlite3")
    else:
        connection.settings_dict.update(HOST="127.0.0.1", PORT=str(_dead_port()))
        connection.settings_dict.setdefault("OPTIONS", {})
        connection.settings_dict["OPTIONS"] = {
            **connection.settings_dict["OPTIONS"],
            "connect_timeout": 2,
        }
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


def _post(client, body: bytes):
    return client.post(
        "/whatsapp/webhook/",
        data=body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": signature_header(body=body, app_secret=APP_SECRET)},
    )


def test_a_webhook_arriving_while_the_database_is_down_gets_503_and_its_retry_counts_once(
    client, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.WHATSAPP_APP_SECRET = APP_SECRET
    body = (PAYLOADS / "text.json").read_bytes()

    with database_down(tmp_path):
        with pytest.raises(Exception):  # noqa: B017, PT011 (any driver error)
            connection.ensure_connection()  # the outage is real
        response = _post(client, body)

    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert WebhookDelivery.objects.count() == 0
    assert InboundMessage.objects.count() == 0
    assert OutboundMessage.objects.count() == 0

    # Meta retries once the database is back: stored and handled once.
    with django_capture_on_commit_callbacks(execute=True):
        retry = _post(client, body)
    assert retry.status_code == 200
    assert list(WebhookDelivery.objects.values_list("status", flat=True)) == ["processed"]
    assert InboundMessage.objects.count() == 1
    assert Conversation.objects.count() == 1
    assert OutboundMessage.objects.count() == 1  # the acknowledgement, once
