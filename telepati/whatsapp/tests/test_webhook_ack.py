"""The acknowledgement path with the database task queue (production's default): the
delivery and its processing job are written in one transaction, one commit."""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from telepati.whatsapp.models import DeliveryStatus, WebhookDelivery
from telepati.whatsapp.signature import signature_header

PAYLOADS = Path(__file__).resolve().parent / "payloads"
APP_SECRET = "rahasia-aplikasi-uji"


@pytest.fixture(autouse=True)
def _database_queue(settings):
    settings.WHATSAPP_APP_SECRET = APP_SECRET
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _signed(client, body: bytes):
    return client.post(
        reverse("whatsapp:webhook"),
        data=body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": signature_header(body=body, app_secret=APP_SECRET)},
    )


def test_the_delivery_and_its_job_are_written_in_one_transaction(
    client, db, django_assert_num_queries, django_capture_on_commit_callbacks
):
    raw = (PAYLOADS / "text.json").read_bytes()
    # SAVEPOINT + two INSERTs + RELEASE (in production BEGIN, two INSERTs, one COMMIT).
    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        django_assert_num_queries(4) as captured,
    ):
        response = _signed(client, raw)
    assert response.status_code == 200
    inserts = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 2
    assert "whatsapp_webhookdelivery" in inserts[0]
    assert "django_tasks_database" in inserts[1]
    assert callbacks == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.RECEIVED
    job = DBTaskResult.objects.get()
    assert job.task_path == "telepati.whatsapp.tasks.webhook_process_many"
    assert job.args_kwargs == {"args": [], "kwargs": {"delivery_ids": [delivery.pk]}}


def test_a_job_that_cannot_be_written_keeps_nothing_and_asks_meta_to_retry(client, db):
    with mock.patch(
        "django_tasks_db.backend.DatabaseBackend.enqueue",
        side_effect=OperationalError("disk full"),
    ):
        response = _signed(client, (PAYLOADS / "text.json").read_bytes())
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert WebhookDelivery.objects.count() == 0
    assert DBTaskResult.objects.count() == 0
