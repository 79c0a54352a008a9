"""The office's work on a file: process, ask for a fix, submit, issue, reject, cancel."""

from __future__ import annotations

from datetime import datetime

import pytest
from freezegun import freeze_time

from telepati.citizens.models import Citizen
from telepati.core.errors import Conflict, InvalidInput, InvalidTransition, NotFound
from telepati.core.workdays import WIB
from telepati.documents.lifecycle import Action, Status
from telepati.documents.models import Application, ApplicationEvent, EventKind
from telepati.documents.services.pipeline import (
    application_cancel,
    application_fixed,
    application_issue,
    application_process,
    application_reject,
    application_request_fix,
    application_submit,
)
from telepati.messaging.models import OutboundMessage

pytestmark = pytest.mark.django_db

TUESDAY_MORNING = datetime(2026, 11, 3, 9, 0, tzinfo=WIB)


def snapshot(application: Application) -> tuple[str, int, int, int]:
    application.refresh_from_db()
    return (
        application.status,
        application.version,
        ApplicationEvent.objects.filter(application=application).count(),
        OutboundMessage.objects.count(),
    )


def last_event(application: Application) -> ApplicationEvent:
    return ApplicationEvent.objects.filter(application=application).latest("id")


def test_processing_a_received_file(application, document_staff):
    done = application_process(
        actor=document_staff, application_id=application.pk, expected_version=1
    )

    assert (done.status, done.version) == (Status.PROCESSING, 2)
    event = last_event(application)
    assert (event.kind, event.action, event.from_status, event.to_status, event.actor) == (
        EventKind.TRANSITION,
        Action.PROCESS,
        Status.RECEIVED,
        Status.PROCESSING,
        document_staff,
    )
    assert event.is_public is True


def test_asking_for_a_fix_tells_the_applicant_what_to_fix(application_at, document_staff):
    application = application_at(Status.PROCESSING)

    done = application_request_fix(
        actor=document_staff,
        application_id=application.pk,
        fix_note="  Fotokopi akta kelahiran belum dilampirkan.  ",
    )

    assert done.status == Status.NEEDS_FIX
    assert done.fix_note == "Fotokopi akta kelahiran belum dilampirkan."
    message = OutboundMessage.objects.get(dedupe_key__endswith=f":needs_fix:{done.version}")
    assert message.template_params == [done.code, "Perlu perbaikan"]
    assert message.text == (
        f"Permohonan KTP elektronik (KTP-el) (kode {done.code}) perlu dilengkapi: Fotokopi "
        "akta kelahiran belum dilampirkan.\nSilakan bawa perbaikannya ke loket Seksi "
        "Pemerintahan. Setelah itu berkas Anda kami proses lagi."
    )


def test_asking_for_a_fix_needs_a_note_and_changes_nothing_without_one(
    application_at, document_staff
):
    application = application_at(Status.PROCESSING)
    before = snapshot(application)

    with pytest.raises(InvalidInput) as caught:
        application_request_fix(actor=document_staff, application_id=application.pk, fix_note=" ")

    assert caught.value.field_errors == {
        "fix_note": ["Tuliskan apa yang perlu diperbaiki atau dilengkapi pemohon."]
    }
    assert snapshot(application) == before


def test_a_second_fix_request_sends_a_second_notice(application_at, document_staff):
    application = application_at(Status.NEEDS_FIX)
    application_fixed(actor=document_staff, application_id=application.pk)

    application_request_fix(
        actor=document_staff, application_id=application.pk, fix_note="Tanda tangan kurang."
    )

    assert OutboundMessage.objects.filter(dedupe_key__contains=":needs_fix:").count() == 2


def test_a_fixed_file_goes_back_to_processing_and_the_note_is_cleared(
    application_at, document_staff
):
    application = application_at(Status.NEEDS_FIX)

    done = application_fixed(actor=document_staff, application_id=application.pk)

    assert (done.status, done.fix_note) == (Status.PROCESSING, "")


def test_submitting_to_disdukcapil(application_at, document_staff):
    application = application_at(Status.PROCESSING)

    with freeze_time(TUESDAY_MORNING):
        done = application_submit(actor=document_staff, application_id=application.pk)

    assert (done.status, done.submitted_at) == (Status.SUBMITTED, TUESDAY_MORNING)
    message = OutboundMessage.objects.get(dedupe_key__contains=":submitted:")
    assert message.text == (
        f"Permohonan KTP elektronik (KTP-el) (kode {done.code}) sudah kami ajukan ke "
        "Disdukcapil Kota Medan. Kami kabari begitu dokumen terbit."
    )


def test_a_letter_signed_here_is_not_submitted_to_disdukcapil(
    application_at, letter_type, desk_operator
):
    application = application_at(Status.PROCESSING, document_type=letter_type)
    before = snapshot(application)

    with pytest.raises(InvalidTransition):
        application_submit(actor=desk_operator, application_id=application.pk)

    assert snapshot(application) == before


def test_issuing_offers_pickup_or_delivery_and_starts_the_reminders(application_at, document_staff):
    application = application_at(Status.SUBMITTED)

    with freeze_time(TUESDAY_MORNING):
        done = application_issue(
            actor=document_staff, application_id=application.pk, document_number="1271094508900002"
        )

    assert done.status == Status.ISSUED
    assert done.issued_at == TUESDAY_MORNING
    assert done.document_number == "1271094508900002"
    # Three working days later (the default TELEPATI_DOCUMENT_REMINDER_DAYS).
    assert done.reminder_due_at == datetime(2026, 11, 6, 9, 0, tzinfo=WIB)
    assert done.reminders_sent == 0
    message = OutboundMessage.objects.get(dedupe_key=f"application:{done.pk}:issued")
    assert message.template_name == "dokumen_terbit"
    assert message.template_params == ["Siti Aminah", "KTP elektronik (KTP-el)", done.code]
    assert message.interactive == {
        "type": "buttons",
        "buttons": [
            [f"doc:pickup:{done.code}", "Ambil di kantor"],
            [f"doc:delivery:{done.code}", "Antar ke rumah"],
        ],
    }
    assert message.text == (
        f"Kabar baik, Siti Aminah! KTP elektronik (KTP-el) Anda (kode {done.code}) sudah "
        "terbit. Pilih cara menerimanya: ambil sendiri di Seksi Pemerintahan, atau kami antar "
        "ke rumah tanpa biaya."
    )


def test_issuing_a_letter_without_delivery_offers_only_pickup(
    application_at, letter_type, desk_operator
):
    application = application_at(Status.PROCESSING, document_type=letter_type)

    done = application_issue(actor=desk_operator, application_id=application.pk)

    message = OutboundMessage.objects.get(dedupe_key=f"application:{done.pk}:issued")
    assert message.interactive == {
        "type": "buttons",
        "buttons": [[f"doc:pickup:{done.code}", "Ambil di kantor"]],
    }


def test_issuing_from_an_import_row_records_the_row(application_at, desk_operator):
    application = application_at(Status.SUBMITTED)

    application_issue(actor=desk_operator, application_id=application.pk, import_row_id=42)

    event = last_event(application)
    assert (event.to_status, event.data, event.message) == (
        Status.ISSUED,
        {"import_row_id": 42},
        "Dokumen terbit (data impor Disdukcapil).",
    )


def test_issuing_twice_is_an_invalid_transition_and_sends_nothing_more(
    application_at, desk_operator
):
    application = application_at(Status.ISSUED)
    before = snapshot(application)

    with pytest.raises(InvalidTransition):
        application_issue(actor=desk_operator, application_id=application.pk)

    assert snapshot(application) == before


def test_issuing_takes_a_constant_number_of_queries(
    application_at, desk_operator, django_assert_num_queries
):
    application = application_at(Status.SUBMITTED)

    with django_assert_num_queries(12):
        application_issue(actor=desk_operator, application_id=application.pk)


def test_rejecting_sends_the_reason(application_at, document_staff):
    application = application_at(Status.PROCESSING)

    with freeze_time(TUESDAY_MORNING):
        done = application_reject(
            actor=document_staff,
            application_id=application.pk,
            reason="Pemohon berdomisili di Kecamatan Medan Johor.",
        )

    assert (done.status, done.closed_at) == (Status.REJECTED, TUESDAY_MORNING)
    assert done.rejection_reason == "Pemohon berdomisili di Kecamatan Medan Johor."
    message = OutboundMessage.objects.get(dedupe_key=f"application:{done.pk}:rejected")
    assert message.text == (
        f"Mohon maaf, permohonan KTP elektronik (KTP-el) (kode {done.code}) tidak dapat "
        "dilanjutkan. Alasan: Pemohon berdomisili di Kecamatan Medan Johor.\nBila ada "
        "pertanyaan, silakan datang ke loket Seksi Pemerintahan atau balas pesan ini."
    )


def test_rejecting_needs_a_reason(application, document_staff):
    before = snapshot(application)

    with pytest.raises(InvalidInput) as caught:
        application_reject(actor=document_staff, application_id=application.pk, reason="")

    assert caught.value.field_errors == {"reason": ["Tuliskan alasan penolakan untuk pemohon."]}
    assert snapshot(application) == before


def test_an_officer_cancels_with_a_reason(application, desk_operator):
    done = application_cancel(
        actor=desk_operator, application_id=application.pk, reason="Permintaan pemohon."
    )

    assert (done.status, done.cancel_reason) == (Status.CANCELLED, "Permintaan pemohon.")
    assert last_event(application).message == "Dibatalkan petugas: Permintaan pemohon."
    message = OutboundMessage.objects.get(dedupe_key=f"application:{done.pk}:cancelled")
    assert message.text == (
        f"Permohonan KTP elektronik (KTP-el) (kode {done.code}) sudah dibatalkan. Alasan: "
        "Permintaan pemohon.\nAnda dapat mengajukan permohonan baru kapan saja."
    )


def test_the_applicant_cancels_their_own_application(preregister):
    application = preregister()
    citizen = application.applicant

    done = application_cancel(
        citizen=citizen, application_id=application.pk, reason="Sudah diurus sendiri."
    )

    assert done.status == Status.CANCELLED
    event = last_event(application)
    assert (event.actor, event.actor_citizen) == (None, citizen)


def test_another_resident_cannot_cancel(preregister):
    application = preregister()
    stranger = Citizen.objects.create(phone="+6281399998888", name="Orang lain")
    before = snapshot(application)

    with pytest.raises(NotFound):
        application_cancel(citizen=stranger, application_id=application.pk, reason="Iseng.")

    assert snapshot(application) == before


def test_a_stale_version_is_a_conflict_and_changes_nothing(application, document_staff):
    application_process(actor=document_staff, application_id=application.pk)
    before = snapshot(application)

    with pytest.raises(Conflict):
        application_request_fix(
            actor=document_staff,
            application_id=application.pk,
            fix_note="Foto buram.",
            expected_version=1,
        )

    assert snapshot(application) == before


def test_an_unknown_application_is_not_found(document_staff):
    with pytest.raises(NotFound):
        application_process(actor=document_staff, application_id=999_999)
