"""The outbox admin: superusers read what was sent and how delivery went; nobody edits."""

from __future__ import annotations

import pytest
from django.urls import reverse

from telepati.messaging.models import MessageStatus, OutboundMessage
from telepati.messaging.services import Recipient, message_enqueue

pytestmark = pytest.mark.django_db


@pytest.fixture
def messages(db) -> list[OutboundMessage]:
    sent = message_enqueue(
        recipient=Recipient(phone="+6281234567890"),
        text="Laporan L2611-0001 diterima.",
        dedupe_key="report:1:submitted:1",
        reference="L2611-0001",
    )
    failed = message_enqueue(
        recipient=Recipient(wa_bsuid="ID.1234567890123456"),
        text="Laporan L2611-0002 diterima.",
        dedupe_key="report:2:submitted:2",
        reference="L2611-0002",
    )
    assert sent is not None
    assert failed is not None
    OutboundMessage.objects.filter(pk=sent.pk).update(status=MessageStatus.SENT)
    OutboundMessage.objects.filter(pk=failed.pk).update(
        status=MessageStatus.FAILED, last_error_code="131026"
    )
    return [sent, failed]


def _listed(client, **params) -> list[str]:
    response = client.get(reverse("admin:messaging_outboundmessage_changelist"), params)
    assert response.status_code == 200
    return sorted(m.reference for m in response.context["cl"].queryset)


def test_a_superuser_filters_the_outbox_by_status(client, superuser, messages):
    client.force_login(superuser)

    assert _listed(client) == ["L2611-0001", "L2611-0002"]
    assert _listed(client, status__exact="failed") == ["L2611-0002"]
    assert _listed(client, q="+6281234567890") == ["L2611-0001"]


def test_a_message_page_is_read_only(client, superuser, messages):
    client.force_login(superuser)
    message = messages[0]

    page = client.get(reverse("admin:messaging_outboundmessage_change", args=[message.pk]))
    post = client.post(
        reverse("admin:messaging_outboundmessage_change", args=[message.pk]),
        {"text": "Diubah", "status": "queued"},
    )
    delete = client.get(reverse("admin:messaging_outboundmessage_delete", args=[message.pk]))
    add = client.get(reverse("admin:messaging_outboundmessage_add"))

    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert "Laporan L2611-0001 diterima." in page.content.decode()
    assert (post.status_code, delete.status_code, add.status_code) == (403, 403, 403)
    message.refresh_from_db()
    assert (message.text, message.status) == ("Laporan L2611-0001 diterima.", MessageStatus.SENT)


@pytest.mark.parametrize(("persona", "status_code"), [("administrator", 403), ("courier", 302)])
def test_officers_do_not_see_the_outbox(client, request, messages, persona, status_code):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("admin:messaging_outboundmessage_changelist"))

    assert response.status_code == status_code


def test_the_requeue_action_queues_failed_rows_again_and_leaves_the_others(
    client, superuser, messages
):
    sent, failed = messages
    client.force_login(superuser)

    response = client.post(
        reverse("admin:messaging_outboundmessage_changelist"),
        {"action": "requeue_failed", "_selected_action": [sent.pk, failed.pk]},
        follow=True,
    )

    assert response.status_code == 200
    texts = [str(m) for m in response.context["messages"]]
    assert texts == [
        f"#{sent.pk}: Hanya pesan yang gagal yang dapat diantrekan ulang.",
        "1 pesan diantrekan ulang.",
    ]
    sent.refresh_from_db()
    failed.refresh_from_db()
    assert sent.status == MessageStatus.SENT
    assert (failed.status, failed.attempts, failed.requeued_by) == (
        MessageStatus.QUEUED,
        0,
        superuser,
    )
