"""Delivery by a courier: assignment, departure, proof of hand-over, failed attempts."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from telepati.accounts.models import Role
from telepati.accounts.tests.factories import MembershipFactory, UserFactory
from telepati.core.errors import Forbidden, InvalidInput, InvalidTransition, NotFound
from telepati.documents.lifecycle import Action, Status
from telepati.documents.models import AttemptOutcome, EventKind
from telepati.documents.services.delivery import (
    delivery_assign,
    delivery_dispatch,
    delivery_record,
)
from telepati.documents.tests.handover_fixtures import *  # noqa: F403
from telepati.documents.tests.handover_fixtures import (
    MONDAY_MORNING,
    jpeg_bytes,
    snapshot,
)
from telepati.messaging.models import OutboundMessage

pytestmark = pytest.mark.usefixtures("monday")


@pytest.fixture
def unassigned(make_application):
    return make_application(Status.DELIVERY_SCHEDULED)


# --- Assignment ------------------------------------------------------------------------------


def test_staff_assign_a_courier_of_the_kecamatan(unassigned, desk_operator, courier):
    application = delivery_assign(
        actor=desk_operator, application_id=unassigned.pk, courier_id=courier.pk, expected_version=1
    )
    application.refresh_from_db()
    assert application.courier == courier
    assert (application.status, application.version) == (Status.DELIVERY_SCHEDULED, 2)
    event = application.events.get()
    assert (event.kind, event.is_public, event.data) == (
        EventKind.DELIVERY,
        False,
        {"courier_id": courier.pk},
    )
    assert OutboundMessage.objects.count() == 0


def test_assigning_the_same_courier_again_changes_nothing(unassigned, desk_operator, courier):
    delivery_assign(actor=desk_operator, application_id=unassigned.pk, courier_id=courier.pk)
    before = snapshot(unassigned)
    delivery_assign(actor=desk_operator, application_id=unassigned.pk, courier_id=courier.pk)
    assert snapshot(unassigned) == before


@pytest.mark.parametrize("who", ["section_staff", "outsider_courier", "inactive_courier"])
def test_only_a_courier_of_the_kecamatan_can_be_assigned(
    request, unassigned, desk_operator, johor_service, amplas_service, who
):
    if who == "outsider_courier":
        target = UserFactory.create(username="kurir.johor")
        MembershipFactory.create(user=target, unit=johor_service, role=Role.COURIER)
    elif who == "inactive_courier":
        target = UserFactory.create(username="kurir.lama")
        MembershipFactory.create(
            user=target, unit=amplas_service, role=Role.COURIER, is_active=False
        )
    else:
        target = request.getfixturevalue(who)
    before = snapshot(unassigned)
    with pytest.raises(InvalidInput) as refused:
        delivery_assign(actor=desk_operator, application_id=unassigned.pk, courier_id=target.pk)
    assert refused.value.field_errors == {
        "courier_id": ["Pilih kurir yang bertugas di kecamatan permohonan ini."]
    }
    assert snapshot(unassigned) == before


def test_a_courier_is_assigned_only_to_a_scheduled_delivery(issued, desk_operator, courier):
    before = snapshot(issued)
    with pytest.raises(InvalidTransition):
        delivery_assign(actor=desk_operator, application_id=issued.pk, courier_id=courier.pk)
    assert snapshot(issued) == before


@pytest.mark.parametrize(
    ("persona", "error"),
    [("camat", Forbidden), ("lurah", Forbidden), ("outsider", NotFound), ("courier", NotFound)],
)
def test_who_may_not_assign_a_courier(request, unassigned, courier, persona, error):
    actor = request.getfixturevalue(persona)
    before = snapshot(unassigned)
    with pytest.raises(error):
        delivery_assign(actor=actor, application_id=unassigned.pk, courier_id=courier.pk)
    assert snapshot(unassigned) == before


# --- Dispatch --------------------------------------------------------------------------------


def test_courier_leaves_and_the_resident_is_told(scheduled, courier):
    delivery_dispatch(courier=courier, application_id=scheduled.pk)
    scheduled.refresh_from_db()
    assert (scheduled.status, scheduled.version) == (Status.OUT_FOR_DELIVERY, 2)
    assert scheduled.events.get().action == Action.DISPATCH
    notice = OutboundMessage.objects.get()
    assert notice.text == (
        f"Kurir sedang menuju alamat Anda untuk mengantar dokumen KTP-el (kode {scheduled.code}): "
        "Jl. Garu II No. 12, Harjosari I. Siapkan KTP-el pemohon."
    )
    assert notice.template_params == [scheduled.code, "Dalam pengantaran"]


def test_a_document_not_yet_issued_cannot_go_out(make_application, courier):
    application = make_application(Status.PROCESSING, courier=courier)
    before = snapshot(application)
    with pytest.raises(InvalidTransition):
        delivery_dispatch(courier=courier, application_id=application.pk)
    assert snapshot(application) == before


def test_no_departure_while_the_resident_has_not_chosen_a_new_day(make_application, courier):
    application = make_application(Status.DELIVERY_SCHEDULED, courier=courier, delivery_date=None)
    before = snapshot(application)
    with pytest.raises(InvalidInput) as refused:
        delivery_dispatch(courier=courier, application_id=application.pk)
    assert str(refused.value) == (
        "Warga belum memilih hari antar yang baru; pengantaran belum bisa berangkat."
    )
    assert snapshot(application) == before


@pytest.mark.parametrize(
    ("persona", "error"),
    [
        ("other_courier", NotFound),
        ("desk_operator", Forbidden),
        ("camat", Forbidden),
        ("outsider", NotFound),
    ],
)
def test_only_the_assigned_courier_dispatches(request, scheduled, persona, error):
    actor = request.getfixturevalue(persona)
    before = snapshot(scheduled)
    with pytest.raises(error):
        delivery_dispatch(courier=actor, application_id=scheduled.pk)
    assert snapshot(scheduled) == before


def test_a_courier_assigned_elsewhere_in_their_own_area_is_forbidden(
    scheduled, other_courier, desk_operator, amplas_service
):
    # A courier who is also desk staff sees the application, but it is not their delivery.
    MembershipFactory.create(user=other_courier, unit=amplas_service, role=Role.OPERATOR)
    before = snapshot(scheduled)
    with pytest.raises(Forbidden) as refused:
        delivery_dispatch(courier=other_courier, application_id=scheduled.pk)
    assert str(refused.value) == "Pengantaran ini tidak ditugaskan kepada Anda."
    assert snapshot(scheduled) == before


# --- Proof of delivery -----------------------------------------------------------------------


def test_courier_records_the_hand_over_with_a_cleaned_photo(out_for_delivery, courier, proof_photo):
    attempt = delivery_record(
        courier=courier,
        application_id=out_for_delivery.pk,
        recipient_name="Siti Aminah",
        photo=proof_photo,
        latitude=Decimal("3.534100"),
        longitude=Decimal("98.706200"),
    )

    out_for_delivery.refresh_from_db()
    assert out_for_delivery.status == Status.HANDED_OVER
    assert out_for_delivery.handed_over_at == MONDAY_MORNING
    assert out_for_delivery.handed_over_by == courier
    assert out_for_delivery.received_by_name == "Siti Aminah"
    assert (attempt.outcome, attempt.recipient_name, attempt.courier) == (
        AttemptOutcome.DELIVERED,
        "Siti Aminah",
        courier,
    )
    assert (attempt.latitude, attempt.longitude) == (Decimal("3.534100"), Decimal("98.706200"))
    assert attempt.photo.name.startswith(f"documents/delivery/2026/11/{out_for_delivery.code}-")
    with attempt.photo.open("rb") as stored, Image.open(io.BytesIO(stored.read())) as image:
        assert image.format == "JPEG"
        assert image.size == (64, 48)
        assert not image.getexif()  # no camera make, no GPS
    assert OutboundMessage.objects.get().text == (
        f"Dokumen KTP-el (kode {out_for_delivery.code}) telah diserahkan kepada Siti Aminah "
        "pada 2 November 2026, 10.00 WIB. Terima kasih telah menggunakan layanan kami."
    )


def test_a_scheduled_delivery_can_be_recorded_without_a_dispatch(scheduled, courier, proof_photo):
    delivery_record(
        courier=courier,
        application_id=scheduled.pk,
        recipient_name="Budi Santoso",
        recipient_relation="suami",
        photo=proof_photo,
    )
    scheduled.refresh_from_db()
    assert (scheduled.status, scheduled.received_by_relation) == (Status.HANDED_OVER, "suami")


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"photo": None}, "photo", "Lampirkan foto serah terima dokumen."),
        (
            {"photo": SimpleUploadedFile("bukti.pdf", b"%PDF-1.4 test")},
            "photo",
            "Bukti serah terima harus berupa foto (JPG, PNG atau WebP).",
        ),
        (
            {"photo": SimpleUploadedFile("bukti.jpg", b"not an image")},
            "photo",
            "Berkas bukti.jpg tidak dapat diterima. Kirim foto JPG, PNG atau WebP, atau "
            "dokumen PDF.",
        ),
        ({"recipient_name": ""}, "recipient_name", "Tulis nama penerima dokumen."),
        (
            {"recipient_name": "Budi Santoso"},
            "recipient_relation",
            "Penerima bukan pemohon: tulis hubungannya dengan pemohon (mis. suami, anak, "
            "penerima kuasa).",
        ),
        (
            {"latitude": Decimal("3.5")},
            "latitude",
            "Lintang dan bujur harus diisi keduanya atau dikosongkan.",
        ),
    ],
)
def test_proof_needs_a_photo_and_the_recipient(
    out_for_delivery, courier, proof_photo, kwargs, field, message
):
    arguments = {"recipient_name": "Siti Aminah", "photo": proof_photo, **kwargs}
    before = snapshot(out_for_delivery)
    with pytest.raises(InvalidInput) as refused:
        delivery_record(courier=courier, application_id=out_for_delivery.pk, **arguments)
    assert refused.value.field_errors == {field: [message]}
    assert snapshot(out_for_delivery) == before


def test_a_bad_photo_from_the_wrong_courier_is_refused_for_access_first(
    out_for_delivery, other_courier
):
    with pytest.raises(NotFound):
        delivery_record(
            courier=other_courier,
            application_id=out_for_delivery.pk,
            recipient_name="Siti Aminah",
            photo=None,
        )


def test_a_document_not_yet_issued_cannot_be_delivered(make_application, courier, proof_photo):
    application = make_application(Status.SUBMITTED, courier=courier)
    before = snapshot(application)
    with pytest.raises(InvalidTransition):
        delivery_record(
            courier=courier,
            application_id=application.pk,
            recipient_name="Siti Aminah",
            photo=proof_photo,
        )
    assert snapshot(application) == before


@pytest.mark.parametrize(
    ("persona", "error"),
    [("other_courier", NotFound), ("lurah", Forbidden), ("outsider", NotFound)],
)
def test_only_the_assigned_courier_records_proof(
    request, out_for_delivery, proof_photo, persona, error
):
    actor = request.getfixturevalue(persona)
    before = snapshot(out_for_delivery)
    with pytest.raises(error):
        delivery_record(
            courier=actor,
            application_id=out_for_delivery.pk,
            recipient_name="Siti Aminah",
            photo=proof_photo,
        )
    assert snapshot(out_for_delivery) == before


def test_the_photo_is_read_from_the_start_even_if_read_before(out_for_delivery, courier):
    photo = SimpleUploadedFile("a.jpg", jpeg_bytes(with_gps=False))
    photo.read()
    attempt = delivery_record(
        courier=courier,
        application_id=out_for_delivery.pk,
        recipient_name="Siti Aminah",
        photo=photo,
    )
    assert attempt.photo.size > 0
