"""A unit's work on its disposition: acknowledge, update, complete (→ resolution), return."""

from __future__ import annotations

from datetime import datetime

import pytest
from freezegun import freeze_time

from telepati.accounts.models import Role, User
from telepati.accounts.tests.factories import MembershipFactory, UserFactory
from telepati.core.errors import Forbidden, InvalidInput, InvalidTransition, NotFound
from telepati.core.workdays import WIB
from telepati.messaging.models import OutboundMessage
from telepati.org.models import Unit
from telepati.reports.lifecycle import Action, Status
from telepati.reports.models import (
    Attachment,
    Disposition,
    DispositionStatus,
    EventKind,
    Report,
    ReportEvent,
)
from telepati.reports.services.desk import report_verify
from telepati.reports.services.dispositions import report_forward
from telepati.reports.services.media import upload_prepare
from telepati.reports.services.unit_work import (
    disposition_acknowledge,
    disposition_complete,
    disposition_return,
    disposition_update,
)

TUESDAY_MORNING = datetime(2026, 11, 3, 9, 0, tzinfo=WIB)
FRIDAY_EVENING = datetime(2026, 11, 6, 20, 0, tzinfo=WIB)
MONDAY_NINE = datetime(2026, 11, 9, 9, 0, tzinfo=WIB)
MONDAY_TEN = datetime(2026, 11, 9, 10, 0, tzinfo=WIB)
WEDNESDAY_AFTERNOON = datetime(2026, 11, 11, 14, 0, tzinfo=WIB)
RESPONSE_DUE = datetime(2026, 11, 13, 16, 0, tzinfo=WIB)
DESK_PHONE = "+6281100000010"


def forward(report: Report, desk: User, *units: Unit) -> list[Disposition]:
    """Verify on Tuesday morning, forward on Friday evening (response due Friday 13, 16:00)."""
    with freeze_time(TUESDAY_MORNING):
        report_verify(user=desk, report_id=report.pk)
    with freeze_time(FRIDAY_EVENING):
        return report_forward(user=desk, report_id=report.pk, unit_ids=[u.pk for u in units])


@pytest.fixture
def to_dlh(new_report, desk_operator, dlh) -> Disposition:
    (disposition,) = forward(new_report, desk_operator, dlh)
    return disposition


@pytest.fixture
def roads_liaison(roads_agency) -> User:
    user = UserFactory.create(username="penghubung.sdabmbk")
    MembershipFactory.create(user=user, unit=roads_agency, role=Role.LIAISON)
    return user


def snapshot(report_id: int) -> tuple[object, ...]:
    row = Report.objects.get(pk=report_id)
    return (
        row.status,
        row.version,
        row.first_response_at,
        row.response_due_at,
        list(
            Disposition.objects.order_by("pk").values_list(
                "status", "acknowledged_at", "first_response_at"
            )
        ),
        ReportEvent.objects.filter(report=row).count(),
        OutboundMessage.objects.count(),
        Attachment.objects.count(),
    )


def test_the_liaison_acknowledges_updates_and_completes_the_matter(
    to_dlh, agency_liaison, resident
):
    report_id = to_dlh.report_id

    with freeze_time(MONDAY_NINE):
        disposition_acknowledge(user=agency_liaison, disposition_id=to_dlh.pk)
    to_dlh.refresh_from_db()
    assert (to_dlh.status, to_dlh.acknowledged_at) == (DispositionStatus.ACKNOWLEDGED, MONDAY_NINE)
    report = Report.objects.get(pk=report_id)
    assert (report.status, report.version, report.first_response_at) == (
        Status.FORWARDED,
        3,  # acknowledging is the unit's business, not a change of the report
        None,
    )
    acknowledged = ReportEvent.objects.filter(report_id=report_id).latest("pk")
    assert (acknowledged.kind, acknowledged.is_public, acknowledged.message) == (
        EventKind.DISPOSITION,
        False,
        "Disposisi diterima oleh Dinas Lingkungan Hidup.",
    )

    with freeze_time(MONDAY_TEN):
        disposition_update(
            user=agency_liaison,
            disposition_id=to_dlh.pk,
            message="Truk pengangkut dijadwalkan Rabu pagi.",
        )
    to_dlh.refresh_from_db()
    assert (to_dlh.status, to_dlh.first_response_at) == (DispositionStatus.IN_PROGRESS, MONDAY_TEN)
    report = Report.objects.get(pk=report_id)
    # The first public answer stops the response clock (due Friday 16:00).
    assert (report.status, report.first_response_at, report.response_due_at) == (
        Status.IN_PROGRESS,
        MONDAY_TEN,
        RESPONSE_DUE,
    )
    update = ReportEvent.objects.filter(report_id=report_id).latest("pk")
    assert (update.kind, update.action, update.to_status, update.is_public, update.unit_id) == (
        EventKind.UPDATE,
        Action.FOLLOW_UP,
        Status.IN_PROGRESS,
        True,
        to_dlh.unit_id,
    )
    assert OutboundMessage.objects.get(dedupe_key__contains=f":update:{update.pk}:").text == (
        "Tindak lanjut laporan L2611-0001 dari Dinas Lingkungan Hidup: "
        "Truk pengangkut dijadwalkan Rabu pagi."
    )

    photo = upload_prepare(name="bersih.pdf", content=b"%PDF-1.4 foto sesudah")
    with freeze_time(WEDNESDAY_AFTERNOON):
        disposition_complete(
            user=agency_liaison,
            disposition_id=to_dlh.pk,
            message="Sampah sudah diangkut seluruhnya.",
            uploads=[photo],
        )
    to_dlh.refresh_from_db()
    assert (to_dlh.status, to_dlh.done_at) == (DispositionStatus.DONE, WEDNESDAY_AFTERNOON)
    report = Report.objects.get(pk=report_id)
    assert (report.status, report.resolved_at, report.dispute_until) == (
        Status.RESOLVED,
        WEDNESDAY_AFTERNOON,
        datetime(2026, 11, 25, 14, 0, tzinfo=WIB),  # ten working days to rate or dispute
    )
    done, resolved = ReportEvent.objects.filter(report_id=report_id).order_by("pk")[5:]
    assert (done.kind, done.is_public, done.unit_id) == (
        EventKind.DISPOSITION,
        False,
        to_dlh.unit_id,
    )
    assert (resolved.action, resolved.is_public, resolved.message) == (
        Action.RESOLVE,
        True,
        "Sampah sudah diangkut seluruhnya.",
    )
    evidence = Attachment.objects.get()
    assert (evidence.event, evidence.is_evidence, evidence.uploaded_by) == (
        resolved,
        True,
        agency_liaison,
    )
    assert OutboundMessage.objects.filter(recipient_phone=resident.phone).count() == 5


def test_acknowledging_twice_is_harmless(to_dlh, agency_liaison):
    disposition_acknowledge(user=agency_liaison, disposition_id=to_dlh.pk)
    before = snapshot(to_dlh.report_id)

    disposition_acknowledge(user=agency_liaison, disposition_id=to_dlh.pk)

    assert snapshot(to_dlh.report_id) == before


def test_an_internal_update_is_the_units_response_but_not_the_residents(to_dlh, agency_liaison):
    with freeze_time(MONDAY_TEN):
        disposition_update(
            user=agency_liaison,
            disposition_id=to_dlh.pk,
            message="Koordinasi dengan kepala lingkungan.",
            is_public=False,
        )

    to_dlh.refresh_from_db()
    report = Report.objects.get(pk=to_dlh.report_id)
    assert (to_dlh.status, to_dlh.acknowledged_at, to_dlh.first_response_at) == (
        DispositionStatus.IN_PROGRESS,
        MONDAY_TEN,
        MONDAY_TEN,
    )
    assert (report.status, report.first_response_at) == (Status.IN_PROGRESS, None)
    assert ReportEvent.objects.filter(report=report).latest("pk").is_public is False
    assert not OutboundMessage.objects.filter(dedupe_key__contains=":update:").exists()


def test_an_update_needs_a_message(to_dlh, agency_liaison):
    before = snapshot(to_dlh.report_id)

    with pytest.raises(InvalidInput) as excinfo:
        disposition_update(user=agency_liaison, disposition_id=to_dlh.pk, message="")

    assert excinfo.value.field_errors == {"message": ["Tuliskan tindak lanjutnya."]}
    assert snapshot(to_dlh.report_id) == before


def test_with_two_units_the_first_to_finish_does_not_resolve_the_report(
    new_report, desk_operator, dlh, harjosari_i_office, agency_liaison, kelurahan_staff
):
    to_dlh, to_kelurahan = forward(new_report, desk_operator, dlh, harjosari_i_office)

    with freeze_time(MONDAY_TEN):
        disposition_complete(
            user=kelurahan_staff, disposition_id=to_kelurahan.pk, message="Warga sudah ditegur."
        )

    report = Report.objects.get(pk=new_report.pk)
    assert (report.status, report.first_response_at, report.resolved_at) == (
        Status.IN_PROGRESS,
        MONDAY_TEN,
        None,
    )
    assert OutboundMessage.objects.filter(dedupe_key__contains=":unit-done:").get().text == (
        "Kantor Lurah Harjosari I telah menyelesaikan bagiannya untuk laporan L2611-0001: "
        "Warga sudah ditegur. Unit lain masih menindaklanjuti; kami kabari bila semuanya "
        "selesai."
    )

    disposition_complete(user=agency_liaison, disposition_id=to_dlh.pk, message="Diangkut.")

    report = Report.objects.get(pk=new_report.pk)
    assert report.status == Status.RESOLVED
    assert report.first_response_at == MONDAY_TEN  # set once


def test_a_finished_disposition_takes_no_more_work(to_dlh, agency_liaison):
    disposition_complete(user=agency_liaison, disposition_id=to_dlh.pk, message="Diangkut.")
    before = snapshot(to_dlh.report_id)

    for action in (
        lambda: disposition_update(user=agency_liaison, disposition_id=to_dlh.pk, message="X"),
        lambda: disposition_complete(user=agency_liaison, disposition_id=to_dlh.pk, message="X"),
        lambda: disposition_return(user=agency_liaison, disposition_id=to_dlh.pk, reason="X"),
        lambda: disposition_acknowledge(user=agency_liaison, disposition_id=to_dlh.pk),
    ):
        with pytest.raises(InvalidTransition):
            action()

    assert snapshot(to_dlh.report_id) == before


# --- Return (bukan wewenang) --------------------------------------------------------------


def test_the_last_unit_returning_the_matter_sends_it_back_to_the_desk(
    to_dlh, agency_liaison, desk_operator, dlh, roads_agency
):
    desk_operator.phone = DESK_PHONE
    desk_operator.save()

    with freeze_time(MONDAY_NINE):
        disposition_return(
            user=agency_liaison,
            disposition_id=to_dlh.pk,
            reason="Saluran tersumbat: wewenang Dinas SDABMBK.",
        )

    to_dlh.refresh_from_db()
    assert (to_dlh.status, to_dlh.returned_at, to_dlh.return_reason) == (
        DispositionStatus.RETURNED,
        MONDAY_NINE,
        "Saluran tersumbat: wewenang Dinas SDABMBK.",
    )
    report = Report.objects.get(pk=to_dlh.report_id)
    assert (report.status, report.version, report.response_due_at) == (Status.VERIFIED, 4, None)
    returned = ReportEvent.objects.filter(report=report).latest("pk")
    assert (returned.action, returned.to_status, returned.is_public) == (
        Action.RETURN,
        Status.VERIFIED,
        False,
    )
    assert OutboundMessage.objects.get(recipient_phone=DESK_PHONE).text == (
        "Dinas Lingkungan Hidup mengembalikan disposisi laporan L2611-0001 (bukan wewenang): "
        "Saluran tersumbat: wewenang Dinas SDABMBK. Tidak ada unit lain yang memegangnya; "
        "mohon disposisikan ulang."
    )

    # The desk forwards it again, now to the right agency.
    report_forward(user=desk_operator, report_id=report.pk, unit_ids=[roads_agency.pk])
    assert Report.objects.get(pk=report.pk).status == Status.FORWARDED


def test_a_return_while_another_unit_still_works_keeps_the_report_forwarded(
    new_report, desk_operator, dlh, harjosari_i_office, agency_liaison
):
    to_dlh, to_kelurahan = forward(new_report, desk_operator, dlh, harjosari_i_office)
    Disposition.objects.filter(pk=to_kelurahan.pk).update(
        due_at=datetime(2026, 11, 20, 16, 0, tzinfo=WIB)
    )

    disposition_return(user=agency_liaison, disposition_id=to_dlh.pk, reason="Bukan wewenang.")

    report = Report.objects.get(pk=new_report.pk)
    assert report.status == Status.FORWARDED
    # The response deadline now follows the unit that still holds the matter.
    assert report.response_due_at == datetime(2026, 11, 20, 16, 0, tzinfo=WIB)


def test_a_return_needs_a_reason(to_dlh, agency_liaison):
    before = snapshot(to_dlh.report_id)

    with pytest.raises(InvalidInput) as excinfo:
        disposition_return(user=agency_liaison, disposition_id=to_dlh.pk, reason=" ")

    assert excinfo.value.field_errors == {"reason": ["Tulis alasan pengembalian."]}
    assert snapshot(to_dlh.report_id) == before


# --- Who may act on a disposition ---------------------------------------------------------


@pytest.mark.parametrize("persona", ["desk_operator", "administrator", "camat"])
def test_the_desk_may_act_on_behalf_of_the_unit(to_dlh, persona, request):
    disposition_acknowledge(user=request.getfixturevalue(persona), disposition_id=to_dlh.pk)

    to_dlh.refresh_from_db()
    assert to_dlh.status == DispositionStatus.ACKNOWLEDGED


@pytest.mark.parametrize(
    ("persona", "error"),
    [
        ("kelurahan_staff", Forbidden),  # sees the report (its kelurahan), not DLH's member
        ("section_staff", NotFound),
        ("courier", NotFound),
        ("outsider", NotFound),
        ("roads_liaison", NotFound),  # another agency: the report was not forwarded to it
    ],
)
def test_others_cannot_act_on_the_disposition(to_dlh, persona, error, request):
    user = request.getfixturevalue(persona)
    before = snapshot(to_dlh.report_id)

    with pytest.raises(error):
        disposition_update(user=user, disposition_id=to_dlh.pk, message="Sudah.")
    with pytest.raises(error):
        disposition_return(user=user, disposition_id=to_dlh.pk, reason="Bukan.")

    assert snapshot(to_dlh.report_id) == before


def test_a_liaison_of_another_unit_holding_the_same_report_is_forbidden(
    new_report, desk_operator, dlh, roads_agency, roads_liaison
):
    to_dlh, _to_roads = forward(new_report, desk_operator, dlh, roads_agency)
    before = snapshot(new_report.pk)

    with pytest.raises(Forbidden):
        disposition_complete(user=roads_liaison, disposition_id=to_dlh.pk, message="Selesai.")

    assert snapshot(new_report.pk) == before


def test_a_missing_disposition_is_not_found(agency_liaison):
    with pytest.raises(NotFound):
        disposition_acknowledge(user=agency_liaison, disposition_id=999_999)


def test_a_fresh_forwarding_after_a_breached_and_returned_one_can_be_escalated_again(
    to_dlh, agency_liaison, desk_operator, roads_agency
):
    from datetime import timedelta

    from telepati.reports.services.sla import sla_escalate_breaches

    report = Report.objects.get(pk=to_dlh.report_id)
    first_due = report.response_due_at
    assert first_due is not None
    assert sla_escalate_breaches(at=first_due + timedelta(minutes=1)).response == 1
    with freeze_time(first_due + timedelta(hours=1)):
        disposition_return(
            user=agency_liaison, disposition_id=to_dlh.pk, reason="Wewenang Dinas SDABMBK."
        )
        report_forward(user=desk_operator, report_id=report.pk, unit_ids=[roads_agency.pk])

    report.refresh_from_db()
    second_due = report.response_due_at
    assert second_due is not None
    assert (report.response_breached_at, second_due > first_due) == (None, True)
    assert sla_escalate_breaches(at=second_due + timedelta(minutes=1)).response == 1
