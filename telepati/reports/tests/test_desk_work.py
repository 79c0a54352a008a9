"""Assigning a report to an officer, notes and public updates, ready-made replies."""

from __future__ import annotations

import pytest

from telepati.core.errors import Forbidden, InvalidInput, NotFound
from telepati.messaging.models import OutboundMessage
from telepati.reports.lifecycle import Status
from telepati.reports.models import (
    Attachment,
    CannedResponse,
    EventKind,
    Report,
    ReportEvent,
)
from telepati.reports.services.media import upload_prepare
from telepati.reports.services.merge import report_merge
from telepati.reports.services.notes import canned_response_list, report_assign, report_note_add

NEIGHBOUR_PHONE = "+6281299990000"


def snapshot(report: Report) -> tuple[object, ...]:
    row = Report.objects.get(pk=report.pk)
    return (
        row.version,
        row.assigned_to_id,
        ReportEvent.objects.filter(report=row).count(),
        OutboundMessage.objects.count(),
        Attachment.objects.count(),
    )


# --- Assign --------------------------------------------------------------------------------


def test_the_desk_assigns_a_report_to_an_officer_who_can_see_it(
    new_report, desk_operator, kelurahan_staff
):
    kelurahan_staff.phone = "+6281211110000"
    kelurahan_staff.save()

    report = report_assign(
        user=desk_operator, report_id=new_report.pk, assignee_id=kelurahan_staff.pk
    )

    report.refresh_from_db()
    assert (report.assigned_to, report.version, report.status) == (
        kelurahan_staff,
        2,
        Status.NEW,
    )
    event = ReportEvent.objects.filter(report=report).latest("pk")
    assert (event.kind, event.is_public, event.actor) == (EventKind.EDIT, False, desk_operator)
    notice = OutboundMessage.objects.get(recipient_phone="+6281211110000")
    assert notice.text == "Laporan L2611-0001 ditugaskan kepada Anda."


def test_assigning_the_same_officer_again_changes_nothing(
    new_report, desk_operator, kelurahan_staff
):
    report_assign(user=desk_operator, report_id=new_report.pk, assignee_id=kelurahan_staff.pk)
    before = snapshot(new_report)

    report_assign(user=desk_operator, report_id=new_report.pk, assignee_id=kelurahan_staff.pk)

    assert snapshot(new_report) == before


def test_the_desk_clears_an_assignment(new_report, desk_operator, kelurahan_staff):
    report_assign(user=desk_operator, report_id=new_report.pk, assignee_id=kelurahan_staff.pk)

    report = report_assign(user=desk_operator, report_id=new_report.pk, assignee_id=None)

    assert report.assigned_to is None
    assert ReportEvent.objects.filter(report=report).latest("pk").message == "Penugasan dilepas."


@pytest.mark.parametrize("persona", ["agency_liaison", "courier", "outsider"])
def test_an_officer_who_cannot_see_the_report_cannot_be_assigned(
    new_report, desk_operator, persona, request
):
    assignee = request.getfixturevalue(persona)
    before = snapshot(new_report)

    with pytest.raises(InvalidInput) as excinfo:
        report_assign(user=desk_operator, report_id=new_report.pk, assignee_id=assignee.pk)

    assert excinfo.value.field_errors == {
        "assignee": ["Petugas ini tidak dapat menangani laporan ini."]
    }
    assert snapshot(new_report) == before


def test_an_inactive_officer_cannot_be_assigned(new_report, desk_operator, kelurahan_staff):
    kelurahan_staff.is_active = False
    kelurahan_staff.save()

    with pytest.raises(InvalidInput):
        report_assign(user=desk_operator, report_id=new_report.pk, assignee_id=kelurahan_staff.pk)


@pytest.mark.parametrize(("persona", "error"), [("camat", Forbidden), ("outsider", NotFound)])
def test_only_the_desk_assigns(new_report, kelurahan_staff, persona, error, request):
    before = snapshot(new_report)

    with pytest.raises(error):
        report_assign(
            user=request.getfixturevalue(persona),
            report_id=new_report.pk,
            assignee_id=kelurahan_staff.pk,
        )

    assert snapshot(new_report) == before


# --- Notes and public updates -------------------------------------------------------------


def test_an_internal_note_reaches_nobody_and_keeps_the_version(new_report, kelurahan_staff):
    report_note_add(user=kelurahan_staff, report_id=new_report.pk, message="Sudah dicek ke lokasi.")

    report = Report.objects.get(pk=new_report.pk)
    assert report.version == 1
    note = ReportEvent.objects.filter(report=report).latest("pk")
    assert (note.kind, note.is_public, note.actor, note.message) == (
        EventKind.NOTE,
        False,
        kelurahan_staff,
        "Sudah dicek ke lokasi.",
    )
    assert OutboundMessage.objects.count() == 1  # the intake acknowledgement only


def test_a_public_update_reaches_the_reporter_and_followers_with_its_photo(
    submit, desk_operator, resident
):
    report = submit()
    duplicate = submit(reporter_phone=NEIGHBOUR_PHONE)
    report_merge(user=desk_operator, report_id=duplicate.pk, into_report_id=report.pk)
    upload = upload_prepare(name="lokasi.pdf", content=b"%PDF-1.4 denah lokasi")

    report_note_add(
        user=desk_operator,
        report_id=report.pk,
        message="Petugas kebersihan dijadwalkan datang besok pagi.",
        is_public=True,
        uploads=[upload],
    )

    update = ReportEvent.objects.filter(report=report).latest("pk")
    assert (update.kind, update.is_public) == (EventKind.UPDATE, True)
    attachment = Attachment.objects.get()
    assert (attachment.event, attachment.is_public, attachment.uploaded_by) == (
        update,
        True,
        desk_operator,
    )
    notices = OutboundMessage.objects.filter(dedupe_key__contains=f":note:{update.pk}:")
    assert sorted(notices.values_list("recipient_phone", flat=True)) == sorted(
        [resident.phone, NEIGHBOUR_PHONE]
    )
    assert notices.values_list("text", flat=True)[0] == (
        "Kabar terbaru laporan L2611-0001: Petugas kebersihan dijadwalkan datang besok pagi."
    )


def test_internal_attachments_stay_internal(new_report, desk_operator):
    upload = upload_prepare(name="ktp.pdf", content=b"%PDF-1.4 salinan")

    report_note_add(
        user=desk_operator, report_id=new_report.pk, message="Salinan KTP.", uploads=[upload]
    )

    assert Attachment.objects.get().is_public is False


@pytest.mark.parametrize(
    ("persona", "error"),
    [
        ("camat", Forbidden),  # leaders read; they do not write the follow-up
        ("agency_liaison", NotFound),
        ("courier", NotFound),
        ("outsider", NotFound),
    ],
)
def test_who_cannot_add_notes(new_report, persona, error, request):
    before = snapshot(new_report)

    with pytest.raises(error):
        report_note_add(
            user=request.getfixturevalue(persona), report_id=new_report.pk, message="Catatan."
        )

    assert snapshot(new_report) == before


def test_a_note_needs_text(new_report, desk_operator):
    with pytest.raises(InvalidInput) as excinfo:
        report_note_add(user=desk_operator, report_id=new_report.pk, message=" ")

    assert excinfo.value.field_errors == {"message": ["Tulis isi catatan."]}


# --- Canned responses ---------------------------------------------------------------------


def test_canned_responses_match_category_and_state_or_all(sanitation, drainage):
    def canned(title: str, **fields: object) -> CannedResponse:
        return CannedResponse.objects.create(title=title, body=title, **fields)

    exact = canned("Sampah: diverifikasi", category=sanitation, status=Status.VERIFIED)
    any_state = canned("Sampah: umum", category=sanitation)
    any_category = canned("Semua: diverifikasi", status=Status.VERIFIED)
    general = canned("Salam penutup")
    canned("Drainase", category=drainage)
    canned("Sampah: selesai", category=sanitation, status=Status.RESOLVED)
    canned("Lama", category=sanitation, is_active=False)

    rows = canned_response_list(category_id=sanitation.pk, status=Status.VERIFIED)

    assert rows == [exact, any_state, any_category, general]
