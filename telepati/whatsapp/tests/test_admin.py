"""The WhatsApp admin: superusers read deliveries, conversations and messages; nobody edits."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from telepati.whatsapp.models import (
    Conversation,
    DeliveryStatus,
    InboundMessage,
    StatusEvent,
    WebhookDelivery,
)
from telepati.whatsapp.services import webhook_delivery_process

pytestmark = pytest.mark.django_db

PAYLOADS = Path(__file__).parent / "payloads"
MODELS = ["webhookdelivery", "conversation", "inboundmessage", "statusevent"]


@pytest.fixture
def deliveries() -> dict[str, WebhookDelivery]:
    made = {}
    for name in ["batch_malformed", "text", "status_failed"]:
        delivery = WebhookDelivery.objects.create(body=(PAYLOADS / f"{name}.json").read_text())
        made[name] = webhook_delivery_process(delivery_id=delivery.pk)
    made["waiting"] = WebhookDelivery.objects.create(body="{}")
    return made


def _listed(client, model: str, **params) -> list[int]:
    response = client.get(reverse(f"admin:whatsapp_{model}_changelist"), params)
    assert response.status_code == 200
    return sorted(row.pk for row in response.context["cl"].queryset)


def test_a_superuser_filters_deliveries_by_status(client, superuser, deliveries):
    client.force_login(superuser)

    assert len(_listed(client, "webhookdelivery")) == 4
    assert _listed(client, "webhookdelivery", status__exact=DeliveryStatus.RECEIVED) == [
        deliveries["waiting"].pk
    ]


def test_a_delivery_page_shows_its_problems_and_raw_body(client, superuser, deliveries):
    client.force_login(superuser)
    delivery = deliveries["batch_malformed"]

    page = client.get(reverse("admin:whatsapp_webhookdelivery_change", args=[delivery.pk]))

    assert page.status_code == 200
    content = page.content.decode()
    assert "entry[0].changes[0].value.messages[1]" in content
    assert "message without id" in content
    assert "Sesudah yang rusak" in content
    changelist = client.get(reverse("admin:whatsapp_webhookdelivery_changelist"))
    assert changelist.status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_every_whatsapp_page_opens_for_a_superuser(client, superuser, deliveries, model):
    client.force_login(superuser)
    row = {
        "webhookdelivery": WebhookDelivery.objects.first(),
        "conversation": Conversation.objects.first(),
        "inboundmessage": InboundMessage.objects.first(),
        "statusevent": StatusEvent.objects.first(),
    }[model]
    assert row is not None

    assert client.get(reverse(f"admin:whatsapp_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:whatsapp_{model}_change", args=[row.pk])).status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_nobody_adds_edits_or_deletes_whatsapp_rows(client, superuser, deliveries, model):
    client.force_login(superuser)
    row_id = {
        "webhookdelivery": deliveries["text"].pk,
        "conversation": Conversation.objects.get().pk,
        "inboundmessage": InboundMessage.objects.first().pk,  # type: ignore[union-attr]
        "statusevent": StatusEvent.objects.first().pk,  # type: ignore[union-attr]
    }[model]
    before = WebhookDelivery.objects.get(pk=deliveries["text"].pk).body

    add = client.get(reverse(f"admin:whatsapp_{model}_add"))
    delete = client.post(reverse(f"admin:whatsapp_{model}_delete", args=[row_id]), {"post": "yes"})
    change = client.post(reverse(f"admin:whatsapp_{model}_change", args=[row_id]), {"body": "x"})

    assert add.status_code == 403
    assert delete.status_code == 403
    assert change.status_code == 403
    assert WebhookDelivery.objects.get(pk=deliveries["text"].pk).body == before
    assert InboundMessage.objects.count() == 3
    assert Conversation.objects.count() == 1


@pytest.mark.parametrize(
    ("persona", "refused"),
    [("administrator", 403), ("outsider", 403), ("desk_operator", 302)],
)
def test_officers_without_superuser_see_no_whatsapp_data(
    client, request, deliveries, persona, refused
):
    client.force_login(request.getfixturevalue(persona))

    for model in MODELS:
        response = client.get(reverse(f"admin:whatsapp_{model}_changelist"))
        assert response.status_code == refused
    index = client.get(reverse("admin:index"))
    assert b"/admin/whatsapp/" not in index.content
