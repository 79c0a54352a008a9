"""Operators take a conversation from the bot, answer the resident, and give it back."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from telepati.core.errors import Forbidden, InvalidInput, InvalidTransition, NotFound
from telepati.messaging.models import OutboundMessage
from telepati.whatsapp.models import Conversation
from telepati.whatsapp.services_handover import (
    conversation_release,
    conversation_reply,
    conversation_take,
)
from telepati.whatsapp.tests.test_bot_support import (  # noqa: F401
    Phone,
    bot_setup,
    categories,
)

pytestmark = pytest.mark.usefixtures("bot_setup", "categories")


@pytest.fixture
def phone(client, django_capture_on_commit_callbacks) -> Phone:
    return Phone(client, django_capture_on_commit_callbacks)


@pytest.fixture
def conversation(phone) -> Conversation:
    phone.text("halo")
    return Conversation.objects.get()


def test_an_operator_takes_over_answers_and_gives_back(phone, conversation, desk_operator):
    taken = conversation_take(user=desk_operator, conversation_id=conversation.pk)
    assert (taken.handed_over_to, taken.bot_state) == (desk_operator, "")
    assert phone.text("halo, saya mau tanya") == []  # the bot is silent now

    reply = conversation_reply(
        user=desk_operator,
        conversation_id=conversation.pk,
        text="Selamat siang Bu Siti, ada yang bisa kami bantu?",
        client_key="form-1",
    )
    again = conversation_reply(
        user=desk_operator,
        conversation_id=conversation.pk,
        text="Selamat siang Bu Siti, ada yang bisa kami bantu?",
        client_key="form-1",
    )

    assert again.pk == reply.pk
    assert (reply.recipient_phone, reply.reference) == (
        "+6281234567890",
        f"conversation:{conversation.pk}",
    )
    released = conversation_release(user=desk_operator, conversation_id=conversation.pk)
    assert (released.handed_over_at, released.handed_over_to) == (None, None)
    assert phone.text("menu") != []  # the bot answers again


@pytest.mark.parametrize("persona", ["agency_liaison", "section_staff", "courier", "lurah"])
def test_officers_without_the_wa_center_role_cannot_take_over(request, conversation, persona):
    with pytest.raises(Forbidden):
        conversation_take(user=request.getfixturevalue(persona), conversation_id=conversation.pk)

    conversation.refresh_from_db()
    assert conversation.handed_over_at is None


def test_an_unknown_conversation_is_not_found(desk_operator, db):
    with pytest.raises(NotFound):
        conversation_take(user=desk_operator, conversation_id=999999)


def test_replying_needs_the_conversation_taken_over_first(conversation, desk_operator):
    count = OutboundMessage.objects.count()

    with pytest.raises(InvalidTransition):
        conversation_reply(
            user=desk_operator, conversation_id=conversation.pk, text="Halo", client_key="k"
        )
    assert OutboundMessage.objects.count() == count


def test_replying_outside_the_24_hour_window_is_refused(conversation, desk_operator):
    conversation_take(user=desk_operator, conversation_id=conversation.pk)
    Conversation.objects.filter(pk=conversation.pk).update(
        last_inbound_at=timezone.now() - timedelta(hours=24, minutes=1)
    )
    count = OutboundMessage.objects.count()

    with pytest.raises(InvalidTransition) as excinfo:
        conversation_reply(
            user=desk_operator, conversation_id=conversation.pk, text="Halo", client_key="k"
        )
    assert "24 jam" in str(excinfo.value)
    assert OutboundMessage.objects.count() == count


def test_an_empty_reply_is_a_field_error(conversation, desk_operator):
    conversation_take(user=desk_operator, conversation_id=conversation.pk)

    with pytest.raises(InvalidInput) as excinfo:
        conversation_reply(
            user=desk_operator, conversation_id=conversation.pk, text="  ", client_key="k"
        )
    assert excinfo.value.field_errors == {"text": ["Tulis balasan untuk warga."]}


def test_releasing_a_conversation_the_bot_holds_is_refused(conversation, desk_operator):
    with pytest.raises(InvalidTransition):
        conversation_release(user=desk_operator, conversation_id=conversation.pk)


def test_the_admin_actions_call_the_handover_services(client, superuser, conversation):
    client.force_login(superuser)
    url = reverse("admin:whatsapp_conversation_changelist")

    client.post(url, {"action": "take_over", "_selected_action": [conversation.pk]})
    conversation.refresh_from_db()
    assert conversation.handed_over_to == superuser

    response = client.post(
        url, {"action": "give_back_to_bot", "_selected_action": [conversation.pk]}, follow=True
    )
    conversation.refresh_from_db()
    assert conversation.handed_over_at is None
    assert [str(m) for m in response.context["messages"]] == [
        "Diambil alih: 1 percakapan.",
        "Dikembalikan ke bot: 1 percakapan.",
    ]
