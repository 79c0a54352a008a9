"""The application page's actions: exactly the ones the rules allow, each succeeding through
the page, refusals keeping what was typed and changing nothing."""

# Fixtures imported from the documents domain's tests are pytest fixtures: their names come
# back as test arguments (F811 is the intended use here).
# ruff: noqa: F811

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from freezegun import freeze_time

from telepati.documents.lifecycle import Status
from telepati.documents.models import Application
from telepati.documents.services.handover import delivery_days_available
from telepati.documents.tests.conftest import (  # noqa: F401
    MONDAY_MORNING,
    amplas_government,
    application,
    application_at,
    document_staff,
    ktp_type,
    letter_type,
    preregister,
    register,
)
from telepati.messaging.models import OutboundMessage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _monday():
    with freeze_time(MONDAY_MORNING):
        yield


def detail_url(application: Application) -> str:
    return reverse("backoffice:document_detail", kwargs={"code": application.code})


def action_url(application: Application, key: str) -> str:
    return reverse("backoffice:document_action", kwargs={"code": application.code, "key": key})


def offered(client, application: Application) -> list[str]:
    html = client.get(detail_url(application)).content.decode()
    return re.findall(rf'action="/kantor/dokumen/{application.code}/tindakan/([a-z_]+)/"', html)


def snapshot(application: Application) -> tuple[str, int, int, int]:
    application.refresh_from_db()
    return (
        application.status,
        application.version,
        application.events.count(),
        OutboundMessage.objects.count(),
    )


def valid_data(application: Application, key: str, courier_id: int) -> dict[str, Any]:
    data: dict[str, Any] = {"expected_version": application.version}
    if key == "request_fix":
        data["fix_note"] = "Fotokopi Kartu Keluarga belum dilampirkan."
    elif key == "issue":
        data["document_number"] = "1271-KTP-0001"
    elif key in ("reject", "cancel"):
        data["reason"] = "Pemohon bukan warga Kecamatan Medan Amplas."
    elif key == "hand_over":
        data |= {"received_by_name": application.applicant_name, "identity_checked": "on"}
    elif key == "choose_delivery":
        day = delivery_days_available(application=application)[1]
        data |= {"address": "Jl. Garu II No. 12", "day": day.isoformat()}
    elif key == "assign":
        data["courier_id"] = courier_id
    return data


EXPECTED_TARGET = {
    "accept": Status.RECEIVED,
    "process": Status.PROCESSING,
    "fixed": Status.PROCESSING,
    "submit": Status.SUBMITTED,
    "issue": Status.ISSUED,
    "request_fix": Status.NEEDS_FIX,
    "hand_over": Status.HANDED_OVER,
    "choose_pickup": Status.READY_FOR_PICKUP,
    "choose_delivery": Status.DELIVERY_SCHEDULED,
    "assign": Status.DELIVERY_SCHEDULED,
    "reject": Status.REJECTED,
    "cancel": Status.CANCELLED,
}

# What the desk sees offered, per state, for a KTP-el (submitted to Disdukcapil, deliverable).
OFFERED_KTP = {
    Status.PRE_REGISTERED: ["accept", "reject", "cancel"],
    Status.RECEIVED: ["process", "request_fix", "reject", "cancel"],
    Status.PROCESSING: ["submit", "request_fix", "reject", "cancel"],
    Status.NEEDS_FIX: ["fixed", "reject", "cancel"],
    Status.SUBMITTED: ["issue", "request_fix", "reject"],
    Status.ISSUED: ["hand_over", "choose_pickup", "choose_delivery"],
    Status.READY_FOR_PICKUP: ["hand_over", "choose_delivery"],
    Status.DELIVERY_SCHEDULED: ["choose_pickup", "choose_delivery", "assign"],
    Status.OUT_FOR_DELIVERY: [],
    Status.HANDED_OVER: [],
    Status.REJECTED: [],
    Status.CANCELLED: [],
}


@pytest.mark.parametrize("status", list(OFFERED_KTP))
def test_the_page_offers_exactly_the_allowed_actions_and_each_one_succeeds(
    client, desk_operator, courier, application_at, status
):
    client.force_login(desk_operator)
    keys = offered(client, application_at(status))
    assert keys == OFFERED_KTP[status]

    for key in keys:
        application = application_at(status)
        response = client.post(
            action_url(application, key), valid_data(application, key, courier.pk)
        )
        assert response.status_code == 302, (key, response.content.decode()[:2000])
        assert response["Location"] == detail_url(application)
        application.refresh_from_db()
        assert application.status == EXPECTED_TARGET[key], key
        page = client.get(response["Location"]).content.decode()
        assert 'class="success"' in page, key


def test_a_letter_signed_at_the_office_is_issued_without_submission(
    client, desk_operator, application_at, letter_type
):
    client.force_login(desk_operator)
    letter = application_at(Status.PROCESSING, document_type=letter_type)

    assert offered(client, letter) == ["issue", "request_fix", "reject", "cancel"]
    client.post(action_url(letter, "issue"), {"expected_version": letter.version})
    letter.refresh_from_db()
    assert letter.status == Status.ISSUED
    # Letters are collected at the office only: no delivery offered.
    assert offered(client, letter) == ["hand_over", "choose_pickup"]


def test_success_messages_name_the_application(client, desk_operator, application_at):
    client.force_login(desk_operator)
    application = application_at(Status.SUBMITTED)

    response = client.post(
        action_url(application, "issue"),
        {"expected_version": application.version, "document_number": "1271-KTP-0001"},
        follow=True,
    )

    assert f"Dokumen {application.code} ditandai terbit; pemohon diberi tahu." in (
        response.content.decode()
    )
    application.refresh_from_db()
    assert application.document_number == "1271-KTP-0001"


def test_a_fix_request_without_a_note_keeps_the_form_and_changes_nothing(
    client, desk_operator, application_at
):
    client.force_login(desk_operator)
    application = application_at(Status.PROCESSING)
    before = snapshot(application)

    response = client.post(
        action_url(application, "request_fix"),
        {"expected_version": application.version, "fix_note": "   "},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "Tuliskan apa yang perlu diperbaiki atau dilengkapi pemohon." in html
    assert snapshot(application) == before


def test_a_hand_over_without_the_id_check_keeps_the_typed_names(
    client, desk_operator, application_at
):
    client.force_login(desk_operator)
    application = application_at(Status.READY_FOR_PICKUP)
    before = snapshot(application)

    response = client.post(
        action_url(application, "hand_over"),
        {
            "expected_version": application.version,
            "received_by_name": "Ahmad Fauzi",
            "received_by_relation": "suami",
        },
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "Periksa KTP-el/identitas penerima terlebih dahulu." in html
    assert 'value="Ahmad Fauzi"' in html
    assert 'value="suami"' in html
    assert snapshot(application) == before


def test_a_decision_on_a_stale_page_is_a_409_and_changes_nothing(
    client, desk_operator, application_at
):
    client.force_login(desk_operator)
    application = application_at(Status.RECEIVED)
    stale = application.version
    client.post(action_url(application, "process"), {"expected_version": stale})
    before = snapshot(application)

    response = client.post(
        action_url(application, "reject"), {"expected_version": stale, "reason": "Ganda."}
    )

    assert response.status_code == 409
    assert "baru saja diubah oleh petugas lain" in response.content.decode()
    assert snapshot(application) == before


def test_an_action_the_page_does_not_offer_is_refused_by_the_service(
    client, desk_operator, application_at
):
    client.force_login(desk_operator)
    application = application_at(Status.RECEIVED)
    before = snapshot(application)

    response = client.post(action_url(application, "issue"), {"document_number": "X"})

    assert response.status_code == 400
    assert "tidak berlaku untuk permohonan berstatus Berkas diterima" in response.content.decode()
    assert snapshot(application) == before
    assert client.post(action_url(application, "bogus"), {}).status_code == 404


def test_outsiders_and_leaders_cannot_act_and_nothing_changes(
    client, outsider, lurah, application_at
):
    application = application_at(Status.RECEIVED)
    before = snapshot(application)

    client.force_login(outsider)
    assert client.post(action_url(application, "process"), {}).status_code == 404
    client.force_login(lurah)
    assert client.post(action_url(application, "process"), {}).status_code == 403
    assert snapshot(application) == before


def test_the_page_shows_the_timeline_with_internal_lines(
    client, desk_operator, courier, application_at
):
    client.force_login(desk_operator)
    application = application_at(Status.DELIVERY_SCHEDULED)
    client.post(
        action_url(application, "assign"),
        {"expected_version": application.version, "courier_id": courier.pk},
    )

    html = client.get(detail_url(application)).content.decode()
    timeline = html[html.index("Riwayat") :]
    assert "Berkas diterima di loket." in timeline
    assert "Dokumen terbit." in timeline
    assert "Kurir ditetapkan" in timeline
    assert "internal" in timeline
