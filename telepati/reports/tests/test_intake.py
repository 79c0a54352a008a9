from datetime import datetime
from decimal import Decimal

import pytest

from telepati.citizens.models import Citizen
from telepati.core.errors import InvalidInput
from telepati.core.workdays import WIB
from telepati.messaging.models import OutboundMessage
from telepati.reports.lifecycle import Status
from telepati.reports.models import Channel, EventKind, Report, ReportEvent
from telepati.reports.services.intake import ReportDraft, report_submit

from .conftest import MONDAY_MORNING


def test_a_whatsapp_report_gets_a_tracking_number_a_deadline_and_an_acknowledgement(
    submit, resident, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = submit()

    assert report.tracking_number == "L2611-0001"
    assert report.status == Status.NEW
    assert report.version == 1
    assert report.verification_due_at == datetime(2026, 11, 5, 10, 0, tzinfo=WIB)
    assert report.reporter.phone == resident.phone
    assert report.kecamatan.code == "medan-amplas"
    events = list(ReportEvent.objects.filter(report=report))
    assert [(e.kind, e.to_status, e.is_public) for e in events] == [
        (EventKind.SUBMITTED, Status.NEW, True)
    ]
    message = OutboundMessage.objects.get()
    assert message.recipient_phone == resident.phone
    assert message.dedupe_key == f"report:{report.pk}:submitted:{report.reporter_id}"
    assert "L2611-0001" in message.text
    assert message.status == "sent"  # delivered by the (immediate) task after commit


def test_tracking_numbers_count_up_within_a_month_and_restart_the_next(submit):
    first = submit()
    second = submit()
    december = submit(submitted_at=datetime(2026, 12, 1, 9, 0, tzinfo=WIB))

    assert [first.tracking_number, second.tracking_number, december.tracking_number] == [
        "L2611-0001",
        "L2611-0002",
        "L2612-0001",
    ]


def test_the_same_submission_key_never_makes_two_reports(submit):
    first = submit(submission_key="wamid.ABC")
    again = submit(submission_key="wamid.ABC")

    assert again.pk == first.pk
    assert Report.objects.count() == 1
    assert OutboundMessage.objects.count() == 1


def test_the_same_resident_by_two_doors_is_one_contact(submit, resident):
    submit()
    submit(channel=Channel.WEB, reporter_phone="0812-3456-7890")

    assert Citizen.objects.count() == 1


def test_a_bad_draft_reports_every_problem_in_indonesian_and_stores_nothing(submit):
    with pytest.raises(InvalidInput) as excinfo:
        submit(
            category_code="tidak-ada",
            description="pendek",
            reporter_phone="12",
            kelurahan_id=None,
            address="",
        )

    assert excinfo.value.field_errors == {
        "category": ["Pilih kategori laporan yang tersedia."],
        "description": ["Ceritakan masalahnya minimal 10 karakter."],
        "reporter_phone": ["Nomor telepon tidak valid. Periksa kembali jumlah digitnya."],
        "address": ["Tunjukkan lokasi: bagikan titik peta, tulis alamat, atau pilih kelurahan."],
    }
    assert Report.objects.count() == 0
    assert Citizen.objects.count() == 0
    assert OutboundMessage.objects.count() == 0


def test_coordinates_are_kept_to_six_decimals(submit):
    report = submit(latitude=3.5401234567, longitude="98.7139876543")

    assert (report.latitude, report.longitude) == (Decimal("3.540123"), Decimal("98.713988"))


def test_a_category_that_is_private_by_default_makes_the_report_confidential(submit, sanitation):
    sanitation.public_by_default = False
    sanitation.save()

    assert submit().is_confidential is True


def test_a_report_after_office_hours_starts_its_clock_the_next_working_morning(submit):
    friday_night = datetime(2026, 11, 6, 20, 0, tzinfo=WIB)

    report = submit(submitted_at=friday_night)

    # Clock starts Monday 08:00; three full working days end Wednesday 16:00.
    assert report.verification_due_at == datetime(2026, 11, 11, 16, 0, tzinfo=WIB)


def test_submit_uses_a_fixed_number_of_queries(submit, django_assert_num_queries):
    submit()  # warm up: the contact exists afterwards
    with django_assert_num_queries(16):
        submit(description="Lampu jalan mati di depan masjid sejak kemarin malam.")


def test_an_unknown_kecamatan_without_kelurahan_is_refused(sanitation, resident, settings):
    settings.TELEPATI_DEFAULT_KECAMATAN = "tidak-ada"
    draft = ReportDraft(
        category_code=sanitation.code,
        description="Sampah menumpuk di depan gang Mawar.",
        channel=Channel.WEB,
        address="Jl. Garu II",
        reporter_phone=resident.phone,
        submitted_at=MONDAY_MORNING,
    )
    with pytest.raises(InvalidInput) as excinfo:
        report_submit(draft=draft)
    assert excinfo.value.field_errors == {"kelurahan": ["Pilih kelurahan lokasi masalah."]}


def test_a_malformed_email_is_a_field_error_not_a_crash(submit):
    with pytest.raises(InvalidInput) as excinfo:
        submit(reporter_email="bukan surel")

    assert excinfo.value.field_errors == {"reporter_email": ["Alamat surel tidak valid."]}
    assert Report.objects.count() == 0
