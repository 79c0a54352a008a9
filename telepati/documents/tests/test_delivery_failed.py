"""Failed delivery attempts: a reason, a new day or the resident chooses again."""

from __future__ import annotations

from datetime import date

import pytest

from telepati.core.errors import Forbidden, InvalidInput, InvalidTransition, NotFound
from telepati.documents.lifecycle import Status
from telepati.documents.models import AttemptOutcome
from telepati.documents.services.delivery import (
    delivery_fail,
)
from telepati.documents.tests.handover_fixtures import *  # noqa: F403
from telepati.documents.tests.handover_fixtures import (
    TUESDAY,
    WEDNESDAY,
    snapshot,
)
from telepati.messaging.models import OutboundMessage

pytestmark = pytest.mark.usefixtures("monday")


def test_a_failed_attempt_is_rescheduled_to_a_new_day(out_for_delivery, courier):
    attempt = delivery_fail(
        courier=courier,
        application_id=out_for_delivery.pk,
        reason="Rumah kosong, tetangga tidak tahu.",
        reschedule_to=WEDNESDAY,
    )

    out_for_delivery.refresh_from_db()
    assert out_for_delivery.status == Status.DELIVERY_SCHEDULED
    assert out_for_delivery.delivery_date == WEDNESDAY
    assert out_for_delivery.courier == courier
    assert (attempt.outcome, attempt.reason, attempt.rescheduled_to) == (
        AttemptOutcome.FAILED,
        "Rumah kosong, tetangga tidak tahu.",
        WEDNESDAY,
    )
    notice = OutboundMessage.objects.get()
    assert notice.text == (
        f"Kurir belum berhasil mengantar dokumen KTP-el (kode {out_for_delivery.code}): "
        "Rumah kosong, tetangga tidak tahu.\n\n"
        "Pengantaran dijadwalkan ulang pada Rabu, 4 November 2026."
    )
    assert notice.interactive is None
    assert notice.dedupe_key == f"application:{out_for_delivery.pk}:attempt:{attempt.pk}"


def test_a_failed_attempt_without_a_day_asks_the_resident_to_choose(out_for_delivery, courier):
    delivery_fail(
        courier=courier, application_id=out_for_delivery.pk, reason="Alamat tidak ditemukan."
    )

    out_for_delivery.refresh_from_db()
    assert (out_for_delivery.status, out_for_delivery.delivery_date) == (
        Status.DELIVERY_SCHEDULED,
        None,
    )
    notice = OutboundMessage.objects.get()
    assert notice.text == (
        f"Kurir belum berhasil mengantar dokumen KTP-el (kode {out_for_delivery.code}): "
        "Alamat tidak ditemukan.\n\n"
        "Silakan pilih hari antar yang baru, atau ambil dokumen di kantor."
    )
    assert notice.interactive == {
        "type": "buttons",
        "buttons": [
            [f"doc:delivery:{out_for_delivery.code}", "Pilih hari antar"],
            [f"doc:pickup:{out_for_delivery.code}", "Ambil di kantor"],
        ],
    }


def test_two_failed_attempts_send_two_notices(scheduled, courier):
    delivery_fail(courier=courier, application_id=scheduled.pk, reason="Tidak ada orang.")
    delivery_fail(courier=courier, application_id=scheduled.pk, reason="Masih tidak ada orang.")
    assert scheduled.delivery_attempts.count() == 2
    assert OutboundMessage.objects.count() == 2


@pytest.mark.parametrize(
    ("reason", "day", "field"),
    [("  ", None, "reason"), ("Tidak ada orang.", date(2026, 11, 2), "reschedule_to")],
)
def test_a_failed_attempt_needs_a_reason_and_an_offered_day(
    out_for_delivery, courier, reason, day, field
):
    before = snapshot(out_for_delivery)
    with pytest.raises(InvalidInput) as refused:
        delivery_fail(
            courier=courier, application_id=out_for_delivery.pk, reason=reason, reschedule_to=day
        )
    assert list(refused.value.field_errors) == [field]
    assert snapshot(out_for_delivery) == before


def test_a_handed_over_document_cannot_fail(make_application, courier):
    application = make_application(Status.HANDED_OVER, courier=courier)
    before = snapshot(application)
    with pytest.raises(InvalidTransition):
        delivery_fail(courier=courier, application_id=application.pk, reason="Tidak ada orang.")
    assert snapshot(application) == before


@pytest.mark.parametrize(
    ("persona", "error"),
    [("other_courier", NotFound), ("camat", Forbidden), ("outsider", NotFound)],
)
def test_only_the_assigned_courier_records_a_failure(request, out_for_delivery, persona, error):
    actor = request.getfixturevalue(persona)
    before = snapshot(out_for_delivery)
    with pytest.raises(error):
        delivery_fail(courier=actor, application_id=out_for_delivery.pk, reason="Tidak ada orang.")
    assert snapshot(out_for_delivery) == before


def test_after_a_failure_the_resident_picks_a_new_day(out_for_delivery, courier, applicant):
    from telepati.documents.services.handover import application_choose_delivery

    delivery_fail(courier=courier, application_id=out_for_delivery.pk, reason="Tidak ada orang.")
    application_choose_delivery(
        application_id=out_for_delivery.pk,
        citizen=applicant,
        address="Jl. Garu II No. 12, Harjosari I",
        day=TUESDAY,
    )
    out_for_delivery.refresh_from_db()
    assert (out_for_delivery.status, out_for_delivery.delivery_date) == (
        Status.DELIVERY_SCHEDULED,
        TUESDAY,
    )
    assert out_for_delivery.courier == courier
