"""Hand-over belongs to the desk that owns the WhatsApp line, not to any operator anywhere.

The line is the deployment kecamatan's (settings.TELEPATI_DEFAULT_KECAMATAN, Medan Amplas in
the tests): an operator or administrator of Medan Johor holds HANDLE_CONVERSATIONS too, but
for their own kecamatan, so take, reply and release answer NotFound and change nothing.
"""

from __future__ import annotations

from typing import Any

import pytest

from telepati.accounts.models import Role, User
from telepati.accounts.tests.factories import MembershipFactory, UserFactory
from telepati.core.errors import NotFound
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

OUTSIDERS = ["johor_operator", "outsider"]


@pytest.fixture
def johor_operator(territory, johor_service) -> User:
    """The WA Center operator of the neighbouring kecamatan."""
    user = UserFactory.create(username="operator.johor")
    MembershipFactory.create(user=user, unit=johor_service, role=Role.OPERATOR)
    return user


@pytest.fixture
def conversation(client, django_capture_on_commit_callbacks) -> Conversation:
    Phone(client, django_capture_on_commit_callbacks).text("halo")
    return Conversation.objects.get()


@pytest.fixture
def taken(conversation, desk_operator) -> Conversation:
    return conversation_take(user=desk_operator, conversation_id=conversation.pk)


def state(conversation: Conversation) -> tuple[Any, ...]:
    row = Conversation.objects.get(pk=conversation.pk)
    return (
        row.handed_over_at,
        row.handed_over_to_id,
        row.bot_state,
        row.bot_data,
        row.bot_state_expires_at,
        row.updated_at,
        OutboundMessage.objects.count(),
    )


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_an_officer_of_another_kecamatan_cannot_take_a_conversation(request, conversation, persona):
    before = state(conversation)

    with pytest.raises(NotFound) as refused:
        conversation_take(user=request.getfixturevalue(persona), conversation_id=conversation.pk)

    assert str(refused.value) == "Percakapan tidak ditemukan."
    assert state(conversation) == before


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_an_officer_of_another_kecamatan_cannot_answer_the_resident(request, taken, persona):
    before = state(taken)

    with pytest.raises(NotFound):
        conversation_reply(
            user=request.getfixturevalue(persona),
            conversation_id=taken.pk,
            text="Halo dari Johor.",
            client_key="form-johor",
        )

    assert state(taken) == before
    assert not OutboundMessage.objects.filter(text="Halo dari Johor.").exists()


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_an_officer_of_another_kecamatan_cannot_give_the_conversation_back(
    request, taken, desk_operator, persona
):
    before = state(taken)

    with pytest.raises(NotFound):
        conversation_release(user=request.getfixturevalue(persona), conversation_id=taken.pk)

    assert state(taken) == before
    assert Conversation.objects.get(pk=taken.pk).handed_over_to == desk_operator


@pytest.mark.parametrize("persona", ["desk_operator", "administrator", "superuser"])
def test_the_lines_desk_and_a_superuser_take_answer_and_release(request, conversation, persona):
    user = request.getfixturevalue(persona)

    assert conversation_take(user=user, conversation_id=conversation.pk).handed_over_to == user
    reply = conversation_reply(
        user=user, conversation_id=conversation.pk, text="Ada yang bisa dibantu?", client_key="k"
    )
    released = conversation_release(user=user, conversation_id=conversation.pk)

    assert reply.reference == f"conversation:{conversation.pk}"
    assert released.handed_over_at is None


def test_the_line_follows_the_deployment_setting(settings, conversation, johor_operator, johor):
    settings.TELEPATI_DEFAULT_KECAMATAN = johor.code

    taken = conversation_take(user=johor_operator, conversation_id=conversation.pk)

    assert taken.handed_over_to == johor_operator


def test_the_amplas_operator_is_outside_a_line_that_belongs_to_johor(
    settings, conversation, desk_operator, johor
):
    settings.TELEPATI_DEFAULT_KECAMATAN = johor.code
    before = state(conversation)

    with pytest.raises(NotFound):
        conversation_take(user=desk_operator, conversation_id=conversation.pk)

    assert state(conversation) == before
