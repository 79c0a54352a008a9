"""The media door and a photo a resident sent on WhatsApp, as the bot stored it: only the desk
that owns the line reads it (the rule of the conversations pages)."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from django.urls import reverse
from PIL import Image

from telepati.accounts.models import Role
from telepati.accounts.tests.factories import MembershipFactory, UserFactory
from telepati.web.tests.test_media_support import NOT_FOUND, PERSONAS, body, fetch, stored_bytes
from telepati.whatsapp.models import InboundMessage, MediaStatus
from telepati.whatsapp.testing import GraphStandIn
from telepati.whatsapp.tests.test_bot_support import (  # noqa: F401
    Phone,
    bot_setup,
    categories,
)

pytestmark = pytest.mark.usefixtures("bot_setup", "categories")

HANDLE_THE_LINE = {"desk_operator", "administrator", "superuser"}


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "green").save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.fixture
def graph(settings) -> Iterator[GraphStandIn]:
    """The loopback Graph API (127.0.0.1) the bot downloads the photo from."""
    with GraphStandIn() as stand_in:
        settings.WHATSAPP_GRAPH_URL = stand_in.base_url
        settings.WHATSAPP_API_VERSION = stand_in.api_version
        settings.WHATSAPP_PHONE_NUMBER_ID = stand_in.phone_number_id
        settings.WHATSAPP_ACCESS_TOKEN = stand_in.access_token
        yield stand_in


@pytest.fixture
def stored_photo(client, django_capture_on_commit_callbacks, graph) -> InboundMessage:
    """A resident files a complaint with a photo; the bot downloads and keeps it."""
    graph.media_add("2001", _jpeg())
    phone = Phone(client, django_capture_on_commit_callbacks)
    phone.choose("menu:report")
    phone.choose("cat:kebersihan")
    phone.text("Sampah menumpuk di depan gang Mawar sudah tiga hari.")
    phone.photo("2001")
    phone.choose("photos:done")
    phone.location(latitude=3.53, longitude=98.71)
    phone.choose("confirm:send")
    message = InboundMessage.objects.get(media_id="2001")
    assert message.media_status == MediaStatus.STORED
    return message


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_residents_photo_is_for_the_desk_that_owns_the_line(
    client, request, stored_photo, persona
):
    allowed = persona in HANDLE_THE_LINE

    response = fetch(client, stored_photo.media_file.url, request.getfixturevalue(persona))

    assert response.status_code == (200 if allowed else NOT_FOUND)
    if allowed:
        assert body(response) == stored_bytes(stored_photo.media_file.name)
        assert response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"] == "private, max-age=3600"


def test_an_operator_of_another_kecamatan_gets_not_found(client, stored_photo, johor_service):
    operator = UserFactory.create(username="operator.johor")
    MembershipFactory.create(user=operator, unit=johor_service, role=Role.OPERATOR)

    assert fetch(client, stored_photo.media_file.url, operator).status_code == NOT_FOUND


def test_an_anonymous_visitor_gets_not_found(client, stored_photo):
    assert fetch(client, stored_photo.media_file.url).status_code == NOT_FOUND


def test_a_type_the_browser_must_not_run_is_sent_as_a_download(client, stored_photo, desk_operator):
    InboundMessage.objects.filter(pk=stored_photo.pk).update(media_mime="text/html")

    response = fetch(client, stored_photo.media_file.url, desk_operator)

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == "attachment"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_thread_shows_the_photo_and_the_operator_opens_it(client, stored_photo, desk_operator):
    client.force_login(desk_operator)
    url = reverse(
        "backoffice:conversation_detail", kwargs={"conversation_id": stored_photo.conversation_id}
    )

    page = client.get(url).content.decode()

    assert f'<img src="{stored_photo.media_file.url}"' in page
    assert client.get(stored_photo.media_file.url).status_code == 200


def test_a_whatsapp_media_request_costs_a_bounded_number_of_queries(
    client, stored_photo, desk_operator, django_assert_num_queries
):
    client.force_login(desk_operator)
    client.get(reverse("backoffice:home"))

    # session, user, the officer's scope, the line's kecamatan, the message's type
    with django_assert_num_queries(5):
        assert client.get(stored_photo.media_file.url).status_code == 200
