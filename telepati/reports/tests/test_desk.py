"""The desk's verification decisions: verify, hold, clarify, reject (merge and notes: see
test_desk_merge.py and test_desk_work.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from freezegun import freeze_time

from telepati.core.errors import Conflict, Forbidden, InvalidInput, InvalidTransition, NotFound
from telepati.core.workdays import WIB
from telepati.messaging.models import OutboundMessage
from telepati.reports.lifecycle import Action, Status
from telepati.reports.models import EventKind, Priority, Report, ReportEvent
from telepati.reports.services.desk import report_clarify, report_hold, report_reject, report_verify
from telepati.reports.services.notes import report_assign

TUESDAY_MORNING = datetime(2026, 11, 3, 9, 0, tzinfo=WIB)


def snapshot(report: Report) -> tuple[Any, ...]:
    """What a refused action must leave as it was."""
    row = Report.objects.get(pk=report.pk)
    return (
        row.status,
        row.version,
        row.category_id,
        row.kelurahan_id,
        row.title,
        row.verified_at,
        row.resolution_due_at,
        row.verification_due_at,
        row.hold_reason,
        row.rejection_reason,
        ReportEvent.objects.filter(report=row).count(),
        OutboundMessage.objects.count(),
    )


def events(report: Report) -> list[tuple[str, str, str, bool]]:
    return list(
        ReportEvent.objects.filter(report=report).values_list(
            "kind", "action", "to_status", "is_public"
        )
    )


def last_message_text() -> str:
    return OutboundMessage.objects.order_by("-pk").values_list("text", flat=True)[0]


# --- Verify -------------------------------------------------------------------------------


@freeze_time(TUESDAY_MORNING)
def test_the_desk_verifies_a_new_report_and_starts_the_resolution_clock(
    new_report, desk_operator, resident
):
    report = report_verify(user=desk_operator, report_id=new_report.pk, expected_version=1)

    report.refresh_from_db()
    assert report.status == Status.VERIFIED
    assert report.version == 2
    assert report.verified_at == TUESDAY_MORNING
    # 14 working days of office time from Tuesday 09:00: Monday 23 November, 09:00.
    assert report.resolution_due_at == datetime(2026, 11, 23, 9, 0, tzinfo=WIB)
    assert events(report) == [
        (EventKind.SUBMITTED, "", Status.NEW, True),
        (EventKind.TRANSITION, Action.VERIFY, Status.VERIFIED, True),
    ]
    verified = ReportEvent.objects.get(report=report, action=Action.VERIFY)
    assert (verified.actor, verified.from_status, verified.created_at) == (
        desk_operator,
        Status.NEW,
        TUESDAY_MORNING,
    )
    message = OutboundMessage.objects.get(
        dedupe_key=f"report:{report.pk}:verified:2:{report.reporter_id}"
    )
    assert message.recipient_phone == resident.phone
    assert message.text == (
        "Laporan Anda L2611-0001 sudah diverifikasi dan akan diteruskan kepada unit yang "
        "berwenang. Target penyelesaian: 23 November 2026, 09.00 WIB."
    )


@freeze_time(TUESDAY_MORNING)
def test_the_desk_corrects_category_kelurahan_title_and_priority_while_verifying(
    submit, desk_operator, drainage, sitirejo_ii
):
    report = submit(title="tolong pak sampah", lingkungan_id=None)

    report_verify(
        user=desk_operator,
        report_id=report.pk,
        category_code=drainage.code,
        kelurahan_id=sitirejo_ii.pk,
        title="  Parit   tersumbat sampah di gang Mawar ",
        priority=Priority.HIGH,
    )

    report.refresh_from_db()
    assert (report.category, report.kelurahan, report.title, report.priority) == (
        drainage,
        sitirejo_ii,
        "Parit tersumbat sampah di gang Mawar",
        Priority.HIGH,
    )
    # The corrected category's target (30 working days) is the one that counts.
    assert report.resolution_due_at == datetime(2026, 12, 15, 9, 0, tzinfo=WIB)
    edit = ReportEvent.objects.get(report=report, kind=EventKind.EDIT)
    assert edit.is_public is False
    assert edit.data == {
        "category": {"from": "kebersihan", "to": "banjir-drainase"},
        "kelurahan": {"from": "Harjosari I", "to": "Sitirejo II"},
        "title": {"from": "tolong pak sampah", "to": "Parit tersumbat sampah di gang Mawar"},
        "priority": {"from": "normal", "to": "high"},
    }


def test_verifying_without_corrections_writes_no_edit_event(new_report, desk_operator):
    report_verify(user=desk_operator, report_id=new_report.pk, category_code="kebersihan")

    assert not ReportEvent.objects.filter(report=new_report, kind=EventKind.EDIT).exists()


def test_invalid_corrections_are_reported_per_field_and_change_nothing(
    new_report, desk_operator, sanitation, gedung_johor
):
    before = snapshot(new_report)

    with pytest.raises(InvalidInput) as excinfo:
        report_verify(
            user=desk_operator,
            report_id=new_report.pk,
            category_code="tidak-ada",
            kelurahan_id=gedung_johor.pk,
            title="   ",
            priority="sangat",
        )

    assert excinfo.value.field_errors == {
        "category": ["Pilih kategori laporan yang tersedia."],
        "kelurahan": ["Pilih kelurahan di kecamatan laporan ini."],
        "title": ["Tulis intisari laporan."],
        "priority": ["Prioritas tidak dikenal."],
    }
    assert snapshot(new_report) == before


def test_an_inactive_category_cannot_be_chosen(new_report, desk_operator, drainage):
    drainage.is_active = False
    drainage.save()

    with pytest.raises(InvalidInput) as excinfo:
        report_verify(user=desk_operator, report_id=new_report.pk, category_code=drainage.code)

    assert list(excinfo.value.field_errors) == ["category"]


@pytest.mark.parametrize("persona", ["desk_operator", "administrator", "superuser"])
def test_operators_and_administrators_of_the_kecamatan_may_verify(new_report, persona, request):
    user = request.getfixturevalue(persona)

    report = report_verify(user=user, report_id=new_report.pk)

    assert report.status == Status.VERIFIED


@pytest.mark.parametrize(
    ("persona", "error"),
    [
        ("camat", Forbidden),  # sees the whole kecamatan, but verifying is the desk's job
        ("lurah", Forbidden),  # sees the kelurahan
        ("kelurahan_staff", Forbidden),  # sees the kelurahan
        ("section_staff", NotFound),  # sees only what is forwarded to the section
        ("agency_liaison", NotFound),  # nothing forwarded to DLH yet
        ("courier", NotFound),
        ("outsider", NotFound),  # another kecamatan: existence does not leak
    ],
)
def test_other_roles_cannot_verify_and_nothing_changes(new_report, persona, error, request):
    user = request.getfixturevalue(persona)
    before = snapshot(new_report)

    with pytest.raises(error):
        report_verify(user=user, report_id=new_report.pk)

    assert snapshot(new_report) == before


def test_an_outsider_with_a_stale_version_still_gets_not_found(new_report, outsider):
    with pytest.raises(NotFound):
        report_verify(user=outsider, report_id=new_report.pk, expected_version=7)


def test_verifying_a_report_changed_by_someone_else_is_a_conflict(new_report, desk_operator):
    report_hold(user=desk_operator, report_id=new_report.pk, question="Di nomor berapa?")
    before = snapshot(new_report)

    with pytest.raises(Conflict) as excinfo:
        report_verify(user=desk_operator, report_id=new_report.pk, expected_version=1)

    assert str(excinfo.value) == (
        "Laporan L2611-0001 baru saja diubah oleh petugas lain. "
        "Muat ulang halaman untuk melihat keadaan terbaru."
    )
    assert snapshot(new_report) == before


def test_a_rejected_report_cannot_be_verified(new_report, desk_operator):
    report_reject(user=desk_operator, report_id=new_report.pk, reason="Bukan pengaduan.")
    before = snapshot(new_report)

    with pytest.raises(InvalidTransition):
        report_verify(user=desk_operator, report_id=new_report.pk, category_code="tidak-ada")

    assert snapshot(new_report) == before


def test_a_verified_report_cannot_be_verified_again(new_report, desk_operator):
    report_verify(user=desk_operator, report_id=new_report.pk)
    before = snapshot(new_report)

    with pytest.raises(InvalidTransition):
        report_verify(user=desk_operator, report_id=new_report.pk)

    assert snapshot(new_report) == before


def test_a_missing_report_is_not_found(desk_operator):
    with pytest.raises(NotFound):
        report_verify(user=desk_operator, report_id=999_999)


def test_verify_uses_a_fixed_number_of_queries(
    new_report, desk_operator, django_assert_num_queries
):
    # savepoint, lock, scope, visibility, calendar, update, event, followers, outbox
    # (select, savepoint, insert, release), release.
    with django_assert_num_queries(13):
        report_verify(user=desk_operator, report_id=new_report.pk, expected_version=1)


# --- Hold and clarify ----------------------------------------------------------------------


@freeze_time(TUESDAY_MORNING)
def test_holding_asks_the_reporter_a_question(new_report, desk_operator):
    report = report_hold(
        user=desk_operator,
        report_id=new_report.pk,
        question="Mohon kirim foto lokasi tumpukan sampah.",
        expected_version=1,
    )

    report.refresh_from_db()
    assert (report.status, report.version, report.hold_reason) == (
        Status.ON_HOLD,
        2,
        "Mohon kirim foto lokasi tumpukan sampah.",
    )
    # The verification clock keeps running while the desk waits.
    assert report.verification_due_at == datetime(2026, 11, 5, 10, 0, tzinfo=WIB)
    held = ReportEvent.objects.get(report=report, action=Action.HOLD)
    assert (held.is_public, held.message) == (
        True,
        "Verifikasi ditunda, menunggu keterangan pelapor: Mohon kirim foto lokasi tumpukan sampah.",
    )
    assert last_message_text() == (
        "Laporan Anda L2611-0001 belum dapat kami verifikasi. Mohon lengkapi: Mohon kirim "
        "foto lokasi tumpukan sampah. Balas pesan ini dengan keterangan Anda."
    )


def test_a_hold_needs_a_question(new_report, desk_operator):
    before = snapshot(new_report)

    with pytest.raises(InvalidInput) as excinfo:
        report_hold(user=desk_operator, report_id=new_report.pk, question="  ")

    assert excinfo.value.field_errors == {
        "question": ["Tulis keterangan yang perlu dilengkapi pelapor."]
    }
    assert snapshot(new_report) == before


def test_a_report_on_hold_cannot_be_held_again(new_report, desk_operator):
    report_hold(user=desk_operator, report_id=new_report.pk, question="Di mana tepatnya?")
    before = snapshot(new_report)

    with pytest.raises(InvalidTransition):
        report_hold(user=desk_operator, report_id=new_report.pk, question="Lagi?")

    assert snapshot(new_report) == before


def test_the_reporters_clarification_restarts_the_verification_clock(new_report, desk_operator):
    report_hold(user=desk_operator, report_id=new_report.pk, question="Di gang mana?")
    Report.objects.filter(pk=new_report.pk).update(
        verification_breached_at=datetime(2026, 11, 5, 10, 0, tzinfo=WIB)
    )
    friday_evening = datetime(2026, 11, 6, 19, 30, tzinfo=WIB)

    with freeze_time(friday_evening):
        report = report_clarify(
            report_id=new_report.pk,
            citizen=new_report.reporter,
            message="Gang Mawar, sebelah rumah Pak Budi no. 12.",
        )

    report.refresh_from_db()
    assert (report.status, report.hold_reason, report.verification_breached_at) == (
        Status.NEW,
        "",
        None,
    )
    # After office hours on Friday: the clock starts Monday 08:00, three days → Wednesday 16:00.
    assert report.verification_due_at == datetime(2026, 11, 11, 16, 0, tzinfo=WIB)
    clarified, note = ReportEvent.objects.filter(report=report).order_by("pk")[2:]
    assert (clarified.action, clarified.is_public, clarified.actor_citizen) == (
        Action.CLARIFY,
        True,
        new_report.reporter,
    )
    assert clarified.message == (
        "Pelapor melengkapi keterangan; laporan kembali menunggu verifikasi."
    )
    # The resident's own words may carry personal data: internal only.
    assert (note.kind, note.is_public, note.message) == (
        EventKind.NOTE,
        False,
        "Gang Mawar, sebelah rumah Pak Budi no. 12.",
    )
    assert note.data == {"question": "Di gang mana?", "recorded_by_officer": False}
    assert last_message_text() == (
        "Terima kasih, keterangan Anda untuk laporan L2611-0001 sudah kami terima. "
        "Petugas akan memeriksanya paling lambat 11 November 2026, 16.00 WIB."
    )


def test_the_desk_records_a_clarification_given_by_phone(new_report, desk_operator):
    report_hold(user=desk_operator, report_id=new_report.pk, question="Di gang mana?")

    report = report_clarify(
        report_id=new_report.pk, user=desk_operator, message="Via telepon: gang Mawar."
    )

    assert report.status == Status.NEW
    note = ReportEvent.objects.get(report=report, kind=EventKind.NOTE)
    assert (note.actor, note.actor_citizen, note.data["recorded_by_officer"]) == (
        desk_operator,
        None,
        True,
    )


def test_a_stranger_cannot_clarify_someone_elses_report(new_report, desk_operator, submit):
    report_hold(user=desk_operator, report_id=new_report.pk, question="Di gang mana?")
    stranger = submit(reporter_phone="+6281299990000").reporter
    before = snapshot(new_report)

    with pytest.raises(NotFound):
        report_clarify(report_id=new_report.pk, citizen=stranger, message="Gang Melati.")

    assert snapshot(new_report) == before


def test_only_a_report_on_hold_takes_a_clarification(new_report):
    before = snapshot(new_report)

    with pytest.raises(InvalidTransition):
        report_clarify(report_id=new_report.pk, citizen=new_report.reporter, message="Gang Mawar.")

    assert snapshot(new_report) == before


def test_a_clarification_needs_text(new_report, desk_operator):
    report_hold(user=desk_operator, report_id=new_report.pk, question="Di gang mana?")
    before = snapshot(new_report)

    with pytest.raises(InvalidInput):
        report_clarify(report_id=new_report.pk, citizen=new_report.reporter, message=" ")

    assert snapshot(new_report) == before


def test_a_clarified_report_can_then_be_verified(new_report, desk_operator):
    report_hold(user=desk_operator, report_id=new_report.pk, question="Di gang mana?")
    report_clarify(report_id=new_report.pk, citizen=new_report.reporter, message="Gang Mawar.")

    report = report_verify(user=desk_operator, report_id=new_report.pk, expected_version=3)

    assert (report.status, report.version) == (Status.VERIFIED, 4)


def test_a_report_on_hold_can_be_verified_directly(new_report, desk_operator):
    report_hold(user=desk_operator, report_id=new_report.pk, question="Di gang mana?")

    report = report_verify(user=desk_operator, report_id=new_report.pk)

    assert (report.status, report.hold_reason) == (Status.VERIFIED, "")


# --- Reject --------------------------------------------------------------------------------


def test_rejecting_tells_the_reporter_why(new_report, desk_operator):
    report = report_reject(
        user=desk_operator,
        report_id=new_report.pk,
        reason="Lokasi di luar Kecamatan Medan Amplas.",
        expected_version=1,
    )

    report.refresh_from_db()
    assert (report.status, report.rejection_reason) == (
        Status.REJECTED,
        "Lokasi di luar Kecamatan Medan Amplas.",
    )
    assert events(report)[-1] == (EventKind.TRANSITION, Action.REJECT, Status.REJECTED, True)
    assert last_message_text() == (
        "Mohon maaf, laporan Anda L2611-0001 tidak dapat kami tindak lanjuti. "
        "Alasan: Lokasi di luar Kecamatan Medan Amplas."
    )


def test_rejecting_a_verified_report_stops_its_resolution_clock(new_report, desk_operator):
    report_verify(user=desk_operator, report_id=new_report.pk)

    report = report_reject(user=desk_operator, report_id=new_report.pk, reason="Ganda.")

    assert (report.status, report.resolution_due_at) == (Status.REJECTED, None)


def test_a_rejection_needs_a_reason(new_report, desk_operator):
    before = snapshot(new_report)

    with pytest.raises(InvalidInput) as excinfo:
        report_reject(user=desk_operator, report_id=new_report.pk, reason="")

    assert excinfo.value.field_errors == {"reason": ["Tulis alasan penolakan."]}
    assert snapshot(new_report) == before


@pytest.mark.parametrize(("persona", "error"), [("camat", Forbidden), ("outsider", NotFound)])
def test_only_the_desk_rejects(new_report, persona, error, request):
    before = snapshot(new_report)

    with pytest.raises(error):
        report_reject(user=request.getfixturevalue(persona), report_id=new_report.pk, reason="X")

    assert snapshot(new_report) == before


def test_a_lurah_cannot_forward_even_a_report_in_their_own_kelurahan(
    new_report, desk_operator, lurah, dlh
):
    from telepati.reports.services.dispositions import report_forward

    report_verify(user=desk_operator, report_id=new_report.pk)
    with pytest.raises(Forbidden):
        report_forward(user=lurah, report_id=new_report.pk, unit_ids=[dlh.pk])

    new_report.refresh_from_db()
    assert (new_report.status, new_report.version) == (Status.VERIFIED, 2)
    assert new_report.dispositions.count() == 0


def test_moving_a_report_to_another_kelurahan_releases_an_assignee_who_cannot_open_it(
    new_report, desk_operator, kelurahan_staff, sitirejo_ii
):
    report_assign(user=desk_operator, report_id=new_report.pk, assignee_id=kelurahan_staff.pk)

    report_verify(user=desk_operator, report_id=new_report.pk, kelurahan_id=sitirejo_ii.pk)

    new_report.refresh_from_db()
    assert (new_report.kelurahan, new_report.assigned_to, new_report.version) == (
        sitirejo_ii,
        None,
        3,
    )
    edit = ReportEvent.objects.filter(report=new_report, kind=EventKind.EDIT).last()
    assert edit is not None
    assert edit.data == {
        "kelurahan": {"from": "Harjosari I", "to": "Sitirejo II"},
        "assigned_to": {"from": kelurahan_staff.pk, "to": None},
    }


def test_moving_a_report_to_another_kelurahan_keeps_an_assignee_who_sees_the_kecamatan(
    new_report, desk_operator, camat, sitirejo_ii
):
    report_assign(user=desk_operator, report_id=new_report.pk, assignee_id=camat.pk)

    report_verify(user=desk_operator, report_id=new_report.pk, kelurahan_id=sitirejo_ii.pk)

    new_report.refresh_from_db()
    assert new_report.assigned_to == camat
    edit = ReportEvent.objects.filter(report=new_report, kind=EventKind.EDIT).last()
    assert edit is not None
    assert edit.data == {"kelurahan": {"from": "Harjosari I", "to": "Sitirejo II"}}
