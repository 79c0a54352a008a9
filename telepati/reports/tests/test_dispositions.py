"""Forwarding a verified report to units (disposisi): who may, to whom, with which deadline."""

from __future__ import annotations

from datetime import datetime

import pytest
from freezegun import freeze_time

from telepati.accounts.models import Role, User
from telepati.accounts.tests.factories import MembershipFactory, UserFactory
from telepati.core.errors import Conflict, Forbidden, InvalidInput, InvalidTransition, NotFound
from telepati.core.workdays import WIB
from telepati.messaging.models import OutboundMessage
from telepati.org.models import Unit
from telepati.reports.lifecycle import Action, Status
from telepati.reports.models import (
    Disposition,
    DispositionStatus,
    EventKind,
    Report,
    ReportEvent,
)
from telepati.reports.services.desk import report_verify
from telepati.reports.services.dispositions import report_forward, unit_suggest
from telepati.reports.tests.test_concurrency import run_together

TUESDAY_MORNING = datetime(2026, 11, 3, 9, 0, tzinfo=WIB)
FRIDAY_EVENING = datetime(2026, 11, 6, 20, 0, tzinfo=WIB)
LIAISON_PHONE = "+6281100000001"
KELURAHAN_STAFF_PHONE = "+6281100000002"
LURAH_PHONE = "+6281100000003"


def with_phone(user: User, phone: str) -> User:
    user.phone = phone
    user.save()
    return user


def verify(report: Report, user: User) -> Report:
    with freeze_time(TUESDAY_MORNING):
        return report_verify(user=user, report_id=report.pk)


@pytest.fixture
def verified(new_report, desk_operator) -> Report:
    return verify(new_report, desk_operator)


def snapshot(report: Report) -> tuple[object, ...]:
    row = Report.objects.get(pk=report.pk)
    return (
        row.status,
        row.version,
        row.forwarded_at,
        row.response_due_at,
        list(Disposition.objects.order_by("pk").values_list("unit_id", "status")),
        ReportEvent.objects.filter(report=row).count(),
        OutboundMessage.objects.count(),
    )


# --- Suggestions ---------------------------------------------------------------------------


def test_the_categorys_unit_comes_first_then_the_kantor_kelurahan(
    new_report, dlh, harjosari_i_office
):
    assert unit_suggest(report=new_report) == [dlh, harjosari_i_office]


def test_inactive_units_are_not_suggested_and_none_twice(
    new_report, sanitation, dlh, harjosari_i_office
):
    sanitation.default_unit = harjosari_i_office
    sanitation.save()
    Unit.objects.filter(pk=dlh.pk).update(is_active=False)
    report = Report.objects.select_related("category").get(pk=new_report.pk)

    assert unit_suggest(report=report) == [harjosari_i_office]


# --- Forwarding ----------------------------------------------------------------------------


def test_forwarding_creates_dispositions_with_working_day_deadlines_across_a_weekend(
    verified, desk_operator, dlh, harjosari_i_office, agency_liaison, kelurahan_staff, lurah
):
    with_phone(agency_liaison, LIAISON_PHONE)
    with_phone(kelurahan_staff, KELURAHAN_STAFF_PHONE)
    with_phone(lurah, LURAH_PHONE)

    with freeze_time(FRIDAY_EVENING):
        dispositions = report_forward(
            user=desk_operator,
            report_id=verified.pk,
            unit_ids=[dlh.pk, harjosari_i_office.pk],
            instruction="Mohon diangkut sebelum hari pasar.",
            expected_version=2,
        )

    report = Report.objects.get(pk=verified.pk)
    # Friday 20:00 is after office hours: the clock starts Monday 08:00; five working days
    # of office time end on Friday 13 November at closing.
    due = datetime(2026, 11, 13, 16, 0, tzinfo=WIB)
    assert [(d.unit, d.status, d.due_at, d.forwarded_at) for d in dispositions] == [
        (dlh, DispositionStatus.PENDING, due, FRIDAY_EVENING),
        (harjosari_i_office, DispositionStatus.PENDING, due, FRIDAY_EVENING),
    ]
    assert (report.status, report.version, report.forwarded_at, report.response_due_at) == (
        Status.FORWARDED,
        3,
        FRIDAY_EVENING,
        due,
    )
    event = ReportEvent.objects.filter(report=report).latest("pk")
    assert (event.kind, event.action, event.to_status, event.is_public, event.message) == (
        EventKind.DISPOSITION,
        Action.FORWARD,
        Status.FORWARDED,
        True,
        "Diteruskan ke Dinas Lingkungan Hidup, Kantor Lurah Harjosari I.",
    )
    reporter_notice = OutboundMessage.objects.get(
        dedupe_key=f"report:{report.pk}:forwarded:3:{report.reporter_id}"
    )
    assert reporter_notice.text == (
        "Laporan Anda L2611-0001 sudah diteruskan kepada Dinas Lingkungan Hidup, Kantor Lurah "
        "Harjosari I untuk ditindaklanjuti. Tanggapan pertama paling lambat 13 November 2026, "
        "16.00 WIB."
    )
    officer_phones = sorted(
        OutboundMessage.objects.filter(dedupe_key__contains=":officer:").values_list(
            "recipient_phone", flat=True
        )
    )
    assert officer_phones == [LIAISON_PHONE, KELURAHAN_STAFF_PHONE, LURAH_PHONE]
    liaison_notice = OutboundMessage.objects.get(recipient_phone=LIAISON_PHONE)
    assert liaison_notice.text == (
        "Disposisi baru untuk Dinas Lingkungan Hidup: laporan L2611-0001 (Kebersihan & "
        "sampah).\nSampah menumpuk di depan gang Mawar sudah tiga hari.\n"
        "Lokasi: Jl. Garu II, gang Mawar\nPelapor: Siti Aminah (+6281234567890)\n"
        "Instruksi: Mohon diangkut sebelum hari pasar.\n"
        "Batas tanggapan pertama: 13 November 2026, 16.00 WIB."
    )


def test_unit_notices_of_an_anonymous_report_do_not_name_the_reporter(
    submit, desk_operator, dlh, agency_liaison, resident
):
    with_phone(agency_liaison, LIAISON_PHONE)
    report = verify(submit(is_anonymous=True, title="Sampah di gang Mawar"), desk_operator)

    report_forward(user=desk_operator, report_id=report.pk, unit_ids=[dlh.pk])

    notice = OutboundMessage.objects.get(recipient_phone=LIAISON_PHONE)
    assert resident.name not in notice.text
    assert resident.phone not in notice.text
    assert "Pelapor: dirahasiakan (laporan anonim)\n" in notice.text
    # The public timeline still names the unit.
    assert ReportEvent.objects.filter(report=report).latest("pk").message == (
        "Diteruskan ke Dinas Lingkungan Hidup."
    )


def test_couriers_and_inactive_members_are_not_told(verified, desk_operator, dlh, agency_liaison):
    with_phone(agency_liaison, LIAISON_PHONE)
    courier = with_phone(UserFactory.create(username="kurir.dlh"), "+6281100000009")
    MembershipFactory.create(user=courier, unit=dlh, role=Role.COURIER)
    former = with_phone(UserFactory.create(username="mantan.dlh"), "+6281100000008")
    MembershipFactory.create(user=former, unit=dlh, role=Role.LIAISON, is_active=False)

    report_forward(user=desk_operator, report_id=verified.pk, unit_ids=[dlh.pk])

    phones = OutboundMessage.objects.filter(dedupe_key__contains=":officer:").values_list(
        "recipient_phone", flat=True
    )
    assert list(phones) == [LIAISON_PHONE]


def test_a_second_forward_adds_a_unit_and_keeps_the_earliest_response_deadline(
    verified, desk_operator, dlh, harjosari_i_office
):
    with freeze_time(FRIDAY_EVENING):
        report_forward(user=desk_operator, report_id=verified.pk, unit_ids=[dlh.pk])
    tuesday = datetime(2026, 11, 10, 9, 0, tzinfo=WIB)

    with freeze_time(tuesday):
        (added,) = report_forward(
            user=desk_operator, report_id=verified.pk, unit_ids=[harjosari_i_office.pk]
        )

    report = Report.objects.get(pk=verified.pk)
    assert added.due_at == datetime(2026, 11, 17, 9, 0, tzinfo=WIB)
    assert (report.status, report.forwarded_at, report.response_due_at) == (
        Status.FORWARDED,
        FRIDAY_EVENING,
        datetime(2026, 11, 13, 16, 0, tzinfo=WIB),
    )


def test_the_desk_may_set_its_own_deadline(verified, desk_operator, dlh):
    due = datetime(2026, 11, 4, 12, 0, tzinfo=WIB)

    with freeze_time(TUESDAY_MORNING):
        (disposition,) = report_forward(
            user=desk_operator, report_id=verified.pk, unit_ids=[dlh.pk], due_at=due
        )

    assert disposition.due_at == due
    assert Report.objects.get(pk=verified.pk).response_due_at == due


def test_a_deadline_in_the_past_is_refused(verified, desk_operator, dlh):
    before = snapshot(verified)

    with freeze_time(TUESDAY_MORNING), pytest.raises(InvalidInput) as excinfo:
        report_forward(
            user=desk_operator,
            report_id=verified.pk,
            unit_ids=[dlh.pk],
            due_at=datetime(2026, 11, 2, 9, 0, tzinfo=WIB),
        )

    assert excinfo.value.field_errors == {"due_at": ["Batas waktu harus di masa mendatang."]}
    assert snapshot(verified) == before


def test_another_kecamatans_unit_is_refused(verified, desk_operator, dlh, johor_service):
    before = snapshot(verified)

    with pytest.raises(InvalidInput) as excinfo:
        report_forward(
            user=desk_operator, report_id=verified.pk, unit_ids=[dlh.pk, johor_service.pk]
        )

    assert excinfo.value.field_errors == {
        "unit_ids": ["Unit tujuan tidak aktif atau bukan unit kecamatan laporan ini."]
    }
    assert snapshot(verified) == before


def test_an_inactive_unit_is_refused(verified, desk_operator, roads_agency):
    Unit.objects.filter(pk=roads_agency.pk).update(is_active=False)
    before = snapshot(verified)

    with pytest.raises(InvalidInput):
        report_forward(user=desk_operator, report_id=verified.pk, unit_ids=[roads_agency.pk])

    assert snapshot(verified) == before


def test_no_unit_is_refused(verified, desk_operator):
    with pytest.raises(InvalidInput) as excinfo:
        report_forward(user=desk_operator, report_id=verified.pk, unit_ids=[])

    assert excinfo.value.field_errors == {"unit_ids": ["Pilih minimal satu unit tujuan."]}


def test_a_unit_already_holding_the_report_is_refused(
    verified, desk_operator, dlh, harjosari_i_office
):
    report_forward(user=desk_operator, report_id=verified.pk, unit_ids=[dlh.pk])
    before = snapshot(verified)

    with pytest.raises(InvalidInput) as excinfo:
        report_forward(
            user=desk_operator, report_id=verified.pk, unit_ids=[harjosari_i_office.pk, dlh.pk]
        )

    assert excinfo.value.field_errors == {
        "unit_ids": [
            "Dinas Lingkungan Hidup masih memegang disposisi laporan ini yang belum selesai."
        ]
    }
    assert snapshot(verified) == before


def test_a_unit_listed_twice_gets_one_disposition(verified, desk_operator, dlh):
    dispositions = report_forward(
        user=desk_operator, report_id=verified.pk, unit_ids=[dlh.pk, dlh.pk]
    )

    assert len(dispositions) == 1


def test_a_new_report_cannot_be_forwarded_before_verification(new_report, desk_operator, dlh):
    before = snapshot(new_report)

    with pytest.raises(InvalidTransition):
        report_forward(user=desk_operator, report_id=new_report.pk, unit_ids=[dlh.pk])

    assert snapshot(new_report) == before


def test_forwarding_a_report_changed_meanwhile_is_a_conflict(verified, desk_operator, dlh):
    before = snapshot(verified)

    with pytest.raises(Conflict):
        report_forward(
            user=desk_operator, report_id=verified.pk, unit_ids=[dlh.pk], expected_version=1
        )

    assert snapshot(verified) == before


@pytest.mark.parametrize("persona", ["desk_operator", "administrator", "camat"])
def test_the_desk_and_the_camat_may_forward(verified, dlh, persona, request):
    report_forward(user=request.getfixturevalue(persona), report_id=verified.pk, unit_ids=[dlh.pk])

    assert Report.objects.get(pk=verified.pk).status == Status.FORWARDED


@pytest.mark.parametrize(
    ("persona", "error"),
    [
        ("kelurahan_staff", Forbidden),
        ("section_staff", NotFound),
        ("agency_liaison", NotFound),
        ("courier", NotFound),
        ("outsider", NotFound),
    ],
)
def test_others_cannot_forward(verified, dlh, persona, error, request):
    before = snapshot(verified)

    with pytest.raises(error):
        report_forward(
            user=request.getfixturevalue(persona), report_id=verified.pk, unit_ids=[dlh.pk]
        )

    assert snapshot(verified) == before


def test_forward_uses_a_fixed_number_of_queries(
    verified, desk_operator, dlh, agency_liaison, django_assert_num_queries
):
    with_phone(agency_liaison, LIAISON_PHONE)

    # savepoint, lock, scope, visibility, open dispositions, units, calendar, insert,
    # update, event, followers + reporter notice (5), members, liaison notice (4), release.
    with django_assert_num_queries(21):
        report_forward(
            user=desk_operator, report_id=verified.pk, unit_ids=[dlh.pk], expected_version=2
        )


@pytest.mark.django_db(transaction=True)
def test_two_desks_forwarding_to_the_same_unit_at_once_make_one_disposition(
    new_report, desk_operator, administrator, dlh
):
    verify(new_report, desk_operator)
    users = [desk_operator, administrator]

    def work(index: int) -> int:
        (disposition,) = report_forward(
            user=users[index], report_id=new_report.pk, unit_ids=[dlh.pk]
        )
        return disposition.pk

    created, errors = run_together(2, work)

    assert len(created) == 1
    assert [type(e) for e in errors] == [InvalidInput]
    assert Disposition.objects.filter(report=new_report, unit=dlh).count() == 1
    assert Report.objects.get(pk=new_report.pk).version == 3
