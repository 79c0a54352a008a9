"""The media door and a delivery's proof photo: only officers who see the application."""

from __future__ import annotations

import pytest
from django.urls import reverse

from telepati.documents.models import DeliveryAttempt
from telepati.documents.services.delivery import delivery_record
from telepati.documents.tests.handover_fixtures import *  # noqa: F403
from telepati.web.tests.test_media_support import NOT_FOUND, PERSONAS, body, fetch, stored_bytes

pytestmark = pytest.mark.usefixtures("monday")

# The application is handled by Seksi Pelayanan Umum of Medan Amplas, located in Harjosari I,
# and assigned to `courier`.
SEE_THE_APPLICATION = {
    "desk_operator",
    "administrator",
    "camat",
    "lurah",
    "kelurahan_staff",
    "courier",
    "superuser",
}


@pytest.fixture
def delivered(out_for_delivery, courier, proof_photo) -> DeliveryAttempt:
    return delivery_record(
        courier=courier,
        application_id=out_for_delivery.pk,
        recipient_name="Siti Aminah",
        photo=proof_photo,
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_proof_photo_is_for_the_officers_who_see_the_application(
    client, request, delivered, persona
):
    allowed = persona in SEE_THE_APPLICATION

    response = fetch(client, delivered.photo.url, request.getfixturevalue(persona))

    assert response.status_code == (200 if allowed else NOT_FOUND)
    if allowed:
        assert body(response) == stored_bytes(delivered.photo.name)
        assert response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"] == "private, max-age=3600"
        assert response["Content-Disposition"] == "inline"


def test_a_courier_the_delivery_was_not_assigned_to_gets_not_found(
    client, delivered, other_courier
):
    assert fetch(client, delivered.photo.url, other_courier).status_code == NOT_FOUND


def test_an_anonymous_visitor_never_sees_a_proof_photo(client, delivered):
    response = fetch(client, delivered.photo.url)

    assert response.status_code == NOT_FOUND
    assert stored_bytes(delivered.photo.name) not in response.content


def test_the_document_desk_officer_opens_the_application_and_its_proof(
    client, delivered, desk_operator
):
    client.force_login(desk_operator)
    code = delivered.application.code

    page = client.get(reverse("backoffice:document_detail", kwargs={"code": code}))

    assert page.status_code == 200
    assert f'src="{delivered.photo.url}"' in page.content.decode()
    assert client.get(delivered.photo.url).status_code == 200


def test_a_proof_photo_request_costs_a_bounded_number_of_queries(
    client, delivered, desk_operator, django_assert_num_queries
):
    client.force_login(desk_operator)
    client.get(reverse("backoffice:home"))

    # session, user, the officer's scope, one visibility check through the attempts
    with django_assert_num_queries(4):
        assert client.get(delivered.photo.url).status_code == 200
