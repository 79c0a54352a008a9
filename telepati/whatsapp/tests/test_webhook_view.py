"""The webhook door: handshake, signature, raw storage, fast answer, 503 and 413."""

from __future__ import annotations

import json
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from telepati.whatsapp.models import DeliveryStatus, InboundMessage, WebhookDelivery
from telepati.whatsapp.signature import signature_header
from telepati.whatsapp.views import MAX_BODY_BYTES

PAYLOADS = Path(__file__).parent / "payloads"
APP_SECRET = "rahasia-aplikasi-uji"
VERIFY_TOKEN = "token-verifikasi-uji"
URL = "/whatsapp/webhook/"


@pytest.fixture(autouse=True)
def _whatsapp_secrets(settings):
    settings.WHATSAPP_APP_SECRET = APP_SECRET
    settings.WHATSAPP_VERIFY_TOKEN = VERIFY_TOKEN


def _post(client: Client, body: bytes, signature: str | None):
    headers = {"X-Hub-Signature-256": signature} if signature is not None else {}
    return client.post(URL, data=body, content_type="application/json", headers=headers)


def _signed(client: Client, body: bytes):
    return _post(client, body, signature_header(body=body, app_secret=APP_SECRET))


def test_webhook_url_is_mounted_under_whatsapp():
    assert reverse("whatsapp:webhook") == URL


# --- GET handshake ------------------------------------------------------------------------


def test_handshake_with_our_token_echoes_the_challenge_as_plain_text(client, db):
    response = client.get(
        URL,
        {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"},
    )
    assert response.status_code == 200
    assert response.content == b"1158201444"
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize(
    "params",
    [
        {"hub.mode": "subscribe", "hub.verify_token": "salah", "hub.challenge": "1"},
        {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1"},
        {"hub.mode": "subscribe", "hub.challenge": "1"},
        {},
    ],
)
def test_handshake_without_mode_and_token_is_refused(client, db, params):
    response = client.get(URL, params)
    assert response.status_code == 403
    assert response.content == b""


def test_other_methods_are_not_allowed(client, db):
    assert client.put(URL, data=b"{}").status_code == 405


# --- POST signature -----------------------------------------------------------------------


def test_valid_post_is_stored_verbatim_and_answered_200(
    client, db, django_capture_on_commit_callbacks
):
    raw = (PAYLOADS / "text.json").read_bytes()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _signed(client, raw)
    assert response.status_code == 200
    delivery = WebhookDelivery.objects.get()
    assert delivery.body.encode() == raw
    assert delivery.status == DeliveryStatus.RECEIVED
    assert delivery.headers["X-Hub-Signature-256"] == signature_header(
        body=raw, app_secret=APP_SECRET
    )
    assert delivery.headers["Content-Type"] == "application/json"
    # Nothing is parsed in the request: processing is queued for after the commit.
    assert InboundMessage.objects.count() == 0
    assert len(callbacks) == 1


def test_valid_post_is_processed_after_commit(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _signed(client, (PAYLOADS / "text.json").read_bytes())
    assert response.status_code == 200
    assert WebhookDelivery.objects.get().status == DeliveryStatus.PROCESSED
    assert InboundMessage.objects.count() == 1


@pytest.mark.parametrize(
    "signature",
    [
        None,
        "",
        "sha256=",
        "sha256=" + "0" * 64,
        "sha1=" + "0" * 40,
        signature_header(body=b"{}", app_secret=APP_SECRET),
        signature_header(body=(PAYLOADS / "text.json").read_bytes(), app_secret="rahasia-lain"),
    ],
    ids=["missing", "empty", "no-digest", "zeros", "sha1", "other-body", "other-secret"],
)
def test_missing_or_wrong_signature_is_refused_and_nothing_stored(
    client, db, django_capture_on_commit_callbacks, signature
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = _post(client, (PAYLOADS / "text.json").read_bytes(), signature)
    assert response.status_code == 403
    assert WebhookDelivery.objects.count() == 0
    assert InboundMessage.objects.count() == 0
    assert callbacks == []


def test_signature_over_a_reserialised_body_is_refused(client, db):
    raw = (PAYLOADS / "text.json").read_bytes()
    # Same JSON, different bytes: a verifier that parsed and re-dumped the body would pass it.
    reserialised = json.dumps(json.loads(raw), separators=(",", ":")).encode()
    assert reserialised != raw
    response = _post(client, raw, signature_header(body=reserialised, app_secret=APP_SECRET))
    assert response.status_code == 403
    assert WebhookDelivery.objects.count() == 0


def test_no_app_secret_configured_refuses_every_post(client, db, settings):
    settings.WHATSAPP_APP_SECRET = ""
    body = (PAYLOADS / "text.json").read_bytes()
    response = _post(client, body, signature_header(body=body, app_secret=""))
    assert response.status_code == 403
    assert WebhookDelivery.objects.count() == 0


# --- Failure modes ------------------------------------------------------------------------


def test_database_down_while_storing_answers_503_so_meta_retries(client, db):
    with mock.patch(
        "telepati.whatsapp.views.webhook_delivery_store",
        side_effect=OperationalError("connection refused"),
    ):
        response = _signed(client, (PAYLOADS / "text.json").read_bytes())
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert WebhookDelivery.objects.count() == 0


def test_body_over_the_limit_is_refused_with_413_and_not_stored(client, db):
    body = b'{"object":"whatsapp_business_account","entry":[],"pad":"' + b"x" * MAX_BODY_BYTES
    body += b'"}'
    response = _signed(client, body)
    assert response.status_code == 413
    assert WebhookDelivery.objects.count() == 0


def test_body_of_three_megabytes_is_accepted(client, db, django_capture_on_commit_callbacks):
    body = b'{"object":"whatsapp_business_account","entry":[],"pad":"'
    body += b"x" * (3 * 1024 * 1024 - len(body) - 2) + b'"}'
    assert len(body) == 3 * 1024 * 1024
    with django_capture_on_commit_callbacks(execute=False):
        response = _signed(client, body)
    assert response.status_code == 200
    assert len(WebhookDelivery.objects.get().body) == 3 * 1024 * 1024


# --- Speed --------------------------------------------------------------------------------


def test_storing_a_delivery_is_one_insert(
    client, db, django_assert_num_queries, django_capture_on_commit_callbacks
):
    raw = (PAYLOADS / "batch_2x2.json").read_bytes()
    # SAVEPOINT + INSERT + RELEASE: the transaction around the one INSERT (inside the
    # test's own transaction it is a savepoint; in production BEGIN/INSERT/COMMIT).
    with (
        django_capture_on_commit_callbacks(execute=False),
        django_assert_num_queries(3) as captured,
    ):
        response = _signed(client, raw)
    assert response.status_code == 200
    inserts = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 1
    assert "whatsapp_webhookdelivery" in inserts[0]


def test_refused_post_touches_no_table(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = _post(client, (PAYLOADS / "text.json").read_bytes(), "sha256=" + "0" * 64)
    assert response.status_code == 403
