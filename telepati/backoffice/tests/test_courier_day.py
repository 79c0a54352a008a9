"""The courier's round at /kantor/dokumen/antar/: only their stops, and the three actions."""

# Fixtures imported from the documents domain's tests are pytest fixtures: their names come
# back as test arguments (F811 is the intended use here).
# ruff: noqa: F811

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from telepati.accounts.models import Role
from telepati.accounts.tests.factories import MembershipFactory, UserFactory
from telepati.documents.lifecycle import Status
from telepati.documents.models import Application, AttemptOutcome
from telepati.documents.tests.handover_fixtures import (  # noqa: F401
    TUESDAY,
    WEDNESDAY,
    applicant,
    ktp,
    make_application,
    monday,
    proof_photo,
    snapshot,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday")]

ROUND = reverse("backoffice:courier_day")
MONDAY = date(2026, 11, 2)


def action_url(application: Application, key: str) -> str:
    return reverse("backoffice:courier_action", kwargs={"code": application.code, "key": key})


@pytest.fixture
def other_courier(territory, amplas_service):
    user = UserFactory.create(username="kurir.dua")
    MembershipFactory.create(user=user, unit=amplas_service, role=Role.COURIER)
    return user


@pytest.fixture
def todays_stop(make_application, courier) -> Application:
    return make_application(Status.DELIVERY_SCHEDULED, courier=courier, delivery_date=MONDAY)


def test_the_round_lists_todays_stops_by_kelurahan_with_map_links(
    client, courier, other_courier, make_application, sitirejo_ii
):
    mine = make_application(Status.DELIVERY_SCHEDULED, courier=courier, delivery_date=MONDAY)
    there = make_application(
        Status.OUT_FOR_DELIVERY,
        courier=courier,
        delivery_date=MONDAY,
        kelurahan=sitirejo_ii,
        applicant_name="Budi Santoso",
    )
    tomorrow = make_application(Status.DELIVERY_SCHEDULED, courier=courier)  # Tuesday
    theirs = make_application(
        Status.DELIVERY_SCHEDULED, courier=other_courier, delivery_date=MONDAY
    )
    client.force_login(courier)

    html = client.get(ROUND).content.decode()

    assert html.index("Kelurahan Harjosari I") < html.index(mine.code)
    assert html.index(mine.code) < html.index("Kelurahan Sitirejo II") < html.index(there.code)
    assert tomorrow.code not in html
    assert theirs.code not in html
    assert "https://www.google.com/maps/search/?api=1&amp;query=" in html
    assert "1 belum" not in html
    assert "2 belum, 0 selesai" in html
    # Phone-friendly proof photo input, posted as multipart.
    assert 'accept="image/*"' in html
    assert 'capture="environment"' in html
    assert 'enctype="multipart/form-data"' in html


def test_dispatch_then_deliver_with_a_photo_hands_the_document_over(
    client, courier, todays_stop, proof_photo
):
    client.force_login(courier)

    response = client.post(action_url(todays_stop, "dispatch"))
    assert response.status_code == 302
    todays_stop.refresh_from_db()
    assert todays_stop.status == Status.OUT_FOR_DELIVERY

    response = client.post(
        action_url(todays_stop, "deliver"),
        {
            "recipient_name": todays_stop.applicant_name,
            "recipient_relation": "",
            "photo": proof_photo,
        },
    )

    assert response.status_code == 302
    assert response["Location"] == f"{ROUND}#stop-{todays_stop.code}"
    todays_stop.refresh_from_db()
    attempt = todays_stop.delivery_attempts.get()
    assert todays_stop.status == Status.HANDED_OVER
    assert (attempt.outcome, attempt.recipient_name) == (
        AttemptOutcome.DELIVERED,
        todays_stop.applicant_name,
    )
    assert attempt.photo.name
    page = client.get(response["Location"]).content.decode()
    assert f"Dokumen {todays_stop.code} tercatat diserahkan kepada Siti Aminah." in page
    assert "0 belum, 1 selesai" in page


def test_a_delivery_without_a_photo_keeps_the_recipient_and_changes_nothing(
    client, courier, todays_stop
):
    client.force_login(courier)
    before = snapshot(todays_stop)

    response = client.post(
        action_url(todays_stop, "deliver"),
        {"recipient_name": "Ahmad Fauzi", "recipient_relation": "suami"},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "Lampirkan foto serah terima dokumen." in html
    assert 'value="Ahmad Fauzi"' in html
    assert 'value="suami"' in html
    assert snapshot(todays_stop) == before


def test_a_failed_visit_moves_the_delivery_to_the_chosen_day(client, courier, todays_stop):
    client.force_login(courier)

    response = client.post(
        action_url(todays_stop, "delivery_fail"),
        {"reason": "Rumah kosong, tetangga tidak tahu.", "reschedule_to": WEDNESDAY.isoformat()},
    )

    assert response.status_code == 302
    todays_stop.refresh_from_db()
    attempt = todays_stop.delivery_attempts.get()
    assert (todays_stop.status, todays_stop.delivery_date) == (
        Status.DELIVERY_SCHEDULED,
        WEDNESDAY,
    )
    assert (attempt.outcome, attempt.rescheduled_to) == (AttemptOutcome.FAILED, WEDNESDAY)


def test_a_failed_visit_needs_a_reason(client, courier, todays_stop):
    client.force_login(courier)
    before = snapshot(todays_stop)

    response = client.post(
        action_url(todays_stop, "delivery_fail"), {"reason": "", "reschedule_to": TUESDAY}
    )

    assert response.status_code == 400
    assert "Tulis alasan pengantaran gagal." in response.content.decode()
    assert snapshot(todays_stop) == before


def test_another_couriers_stop_is_a_404_and_nothing_changes(
    client, other_courier, todays_stop, proof_photo
):
    client.force_login(other_courier)
    before = snapshot(todays_stop)

    for key in ("dispatch", "deliver", "delivery_fail"):
        response = client.post(
            action_url(todays_stop, key), {"recipient_name": "X", "photo": proof_photo}
        )
        assert response.status_code == 404, key
    assert todays_stop.code not in client.get(ROUND).content.decode()
    assert snapshot(todays_stop) == before


def test_desk_staff_cannot_act_as_couriers(client, desk_operator, todays_stop):
    client.force_login(desk_operator)
    before = snapshot(todays_stop)

    assert client.post(action_url(todays_stop, "dispatch")).status_code == 403
    assert snapshot(todays_stop) == before


def test_the_round_shows_no_nik(client, courier, make_application):
    make_application(
        Status.DELIVERY_SCHEDULED, courier=courier, delivery_date=MONDAY, nik="1271094508900002"
    )
    client.force_login(courier)

    html = client.get(ROUND).content.decode()

    assert "1271094508900002" not in html
    assert "••••" not in html
