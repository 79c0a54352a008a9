"""The resident's choice after issue (pick-up or delivery) and the hand-over at the office."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from telepati.core.errors import Forbidden, InvalidInput, InvalidTransition, NotFound
from telepati.core.models import Holiday
from telepati.core.selectors import work_calendar_get
from telepati.core.workdays import WIB, add_working_days
from telepati.documents.lifecycle import Action, Status
from telepati.documents.models import Application, HandoverMode
from telepati.documents.notices_handover import office_hours_text
from telepati.documents.services.handover import (
    application_choose_delivery,
    application_choose_pickup,
    delivery_days_available,
)
from telepati.documents.tests.handover_fixtures import *  # noqa: F403
from telepati.documents.tests.handover_fixtures import (
    DELIVERY_DAYS,
    NEXT_MONDAY,
    TUESDAY,
    WEDNESDAY,
    snapshot,
)
from telepati.messaging.models import OutboundMessage

pytestmark = pytest.mark.usefixtures("monday")

ADDRESS = "Jl. Garu II No. 12, Harjosari I"


def _last_notice() -> OutboundMessage:
    return OutboundMessage.objects.order_by("-pk")[0]


# --- Delivery days ---------------------------------------------------------------------------


def test_delivery_days_are_the_next_five_working_days_from_tomorrow(issued):
    assert delivery_days_available(application=issued) == DELIVERY_DAYS


def test_delivery_days_skip_weekends_and_days_off(issued):
    Holiday.objects.create(date=WEDNESDAY, name="Libur", is_day_off=True)
    days = delivery_days_available(application=issued, today=date(2026, 10, 30))  # a Friday
    assert days == [date(2026, 11, 2), TUESDAY, date(2026, 11, 5), date(2026, 11, 6), NEXT_MONDAY]


def test_office_hours_are_written_the_indonesian_way():
    assert office_hours_text("08:00-16:00") == "08.00–16.00"
    assert office_hours_text("07:30 - 15:45") == "07.30–15.45"


# --- Pick-up ---------------------------------------------------------------------------------


def test_resident_chooses_pickup_and_gets_hours_and_what_to_bring(issued, applicant):
    application = application_choose_pickup(application_id=issued.pk, citizen=applicant)

    application.refresh_from_db()
    assert application.status == Status.READY_FOR_PICKUP
    assert application.handover_mode == HandoverMode.PICKUP
    assert application.version == 2
    event = application.events.get()
    assert (event.action, event.to_status, event.is_public) == (
        Action.CHOOSE_PICKUP,
        Status.READY_FOR_PICKUP,
        True,
    )
    assert event.actor_citizen == applicant
    notice = OutboundMessage.objects.get()
    assert notice.recipient_phone == "+6281234567890"
    assert notice.text == (
        f"Dokumen KTP-el Anda (kode {issued.code}) siap diambil di Seksi Pelayanan Umum, "
        "pada hari kerja pukul 08.00–16.00 WIB.\n\n"
        "Bawa:\n"
        "• KTP-el dan Kartu Keluarga asli;\n"
        f"• bukti pendaftaran atau kode permohonan {issued.code}.\n\n"
        "Bila diwakilkan, penerima membawa surat kuasa dari pemohon serta KTP-el asli "
        "pemohon dan penerima kuasa."
    )
    assert notice.template_name == "dokumen_status"
    assert notice.template_params == [issued.code, "Siap diambil"]
    assert notice.dedupe_key == f"application:{issued.pk}:pickup:v2"


def test_pickup_notice_names_the_office_address_when_known(issued, applicant, amplas):
    amplas.address = "Jl. Garu II No. 101"
    amplas.save()
    application_choose_pickup(application_id=issued.pk, citizen=applicant)
    assert "siap diambil di Seksi Pelayanan Umum (Jl. Garu II No. 101), pada" in (
        _last_notice().text
    )


def test_choosing_pickup_twice_changes_nothing_the_second_time(issued, applicant):
    application_choose_pickup(application_id=issued.pk, citizen=applicant)
    before = snapshot(issued)
    application_choose_pickup(application_id=issued.pk, citizen=applicant)
    assert snapshot(issued) == before


def test_switching_from_delivery_to_pickup_releases_the_courier(scheduled, applicant):
    application_choose_pickup(application_id=scheduled.pk, citizen=applicant)
    scheduled.refresh_from_db()
    assert scheduled.status == Status.READY_FOR_PICKUP
    assert (scheduled.courier_id, scheduled.delivery_date) == (None, None)


def test_pickup_reminders_count_from_the_choice_not_from_a_passed_date(scheduled, applicant):
    Application.objects.filter(pk=scheduled.pk).update(
        reminder_due_at=datetime(2026, 1, 5, 9, 0, tzinfo=WIB)
    )

    application_choose_pickup(application_id=scheduled.pk, citizen=applicant)

    scheduled.refresh_from_db()
    chosen_at = scheduled.events.get(action=Action.CHOOSE_PICKUP).created_at
    assert scheduled.reminder_due_at == add_working_days(
        work_calendar_get(), start=chosen_at, days=3
    )


def test_no_new_reminder_after_the_last_one_was_sent(scheduled, applicant):
    Application.objects.filter(pk=scheduled.pk).update(reminders_sent=3)

    application_choose_pickup(application_id=scheduled.pk, citizen=applicant)

    scheduled.refresh_from_db()
    assert scheduled.reminder_due_at is None


def test_document_staff_may_choose_pickup_for_the_resident(issued, desk_operator):
    application_choose_pickup(application_id=issued.pk, actor=desk_operator)
    issued.refresh_from_db()
    assert issued.status == Status.READY_FOR_PICKUP
    assert issued.events.get().actor == desk_operator


def test_pickup_is_refused_before_the_document_is_issued(make_application, applicant):
    application = make_application(Status.SUBMITTED)
    before = snapshot(application)
    with pytest.raises(InvalidTransition):
        application_choose_pickup(application_id=application.pk, citizen=applicant)
    assert snapshot(application) == before


def test_pickup_cannot_be_chosen_once_the_courier_left(make_application, applicant, courier):
    application = make_application(Status.OUT_FOR_DELIVERY, courier=courier)
    before = snapshot(application)
    with pytest.raises(InvalidTransition):
        application_choose_pickup(application_id=application.pk, citizen=applicant)
    assert snapshot(application) == before


def test_another_resident_cannot_choose_for_the_applicant(issued, stranger):
    before = snapshot(issued)
    with pytest.raises(NotFound):
        application_choose_pickup(application_id=issued.pk, citizen=stranger)
    assert snapshot(issued) == before


@pytest.mark.parametrize(
    ("persona", "error"),
    [("camat", Forbidden), ("lurah", Forbidden), ("outsider", NotFound), ("courier", NotFound)],
)
def test_who_may_not_choose_pickup_for_the_resident(request, issued, persona, error):
    actor = request.getfixturevalue(persona)
    before = snapshot(issued)
    with pytest.raises(error):
        application_choose_pickup(application_id=issued.pk, actor=actor)
    assert snapshot(issued) == before


# --- Delivery --------------------------------------------------------------------------------


def test_resident_chooses_delivery_on_an_offered_day(issued, applicant):
    application = application_choose_delivery(
        application_id=issued.pk, citizen=applicant, address=f"  {ADDRESS} ", day=WEDNESDAY
    )

    application.refresh_from_db()
    assert application.status == Status.DELIVERY_SCHEDULED
    assert application.handover_mode == HandoverMode.DELIVERY
    assert (application.delivery_address, application.delivery_date) == (ADDRESS, WEDNESDAY)
    notice = OutboundMessage.objects.get()
    assert notice.text == (
        f"Dokumen KTP-el Anda (kode {issued.code}) dijadwalkan diantar pada "
        f"Rabu, 4 November 2026 ke alamat: {ADDRESS}.\n\n"
        "Pastikan ada yang menerima dan siapkan KTP-el pemohon. Kurir akan memotret "
        "serah terima sebagai bukti."
    )
    assert notice.template_params == [issued.code, "Dijadwalkan antar"]
    assert notice.dedupe_key == f"application:{issued.pk}:delivery:2026-11-04:v2"


def test_delivery_keeps_a_map_position(issued, applicant):
    from decimal import Decimal

    application_choose_delivery(
        application_id=issued.pk,
        citizen=applicant,
        address=ADDRESS,
        day=TUESDAY,
        latitude=Decimal("3.534000"),
        longitude=Decimal("98.706000"),
    )
    issued.refresh_from_db()
    assert (issued.delivery_latitude, issued.delivery_longitude) == (
        Decimal("3.534000"),
        Decimal("98.706000"),
    )


def test_a_day_not_offered_is_refused_with_the_days_that_are(issued, applicant):
    before = snapshot(issued)
    with pytest.raises(InvalidInput) as refused:
        application_choose_delivery(
            application_id=issued.pk, citizen=applicant, address=ADDRESS, day=date(2026, 11, 7)
        )
    expected = (
        "Pilih salah satu hari antar: Selasa, 3 November 2026; Rabu, 4 November 2026; "
        "Kamis, 5 November 2026; Jumat, 6 November 2026; Senin, 9 November 2026."
    )
    assert str(refused.value) == expected
    assert refused.value.field_errors == {"day": [expected]}
    assert snapshot(issued) == before


def test_today_is_not_a_delivery_day(issued, applicant):
    with pytest.raises(InvalidInput):
        application_choose_delivery(
            application_id=issued.pk, citizen=applicant, address=ADDRESS, day=date(2026, 11, 2)
        )


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("   ", "Tulis alamat pengantaran."),
        ("x" * 256, "Alamat terlalu panjang (maksimal 255 huruf)."),
    ],
)
def test_the_address_is_required_and_bounded(issued, applicant, address, message):
    before = snapshot(issued)
    with pytest.raises(InvalidInput) as refused:
        application_choose_delivery(
            application_id=issued.pk, citizen=applicant, address=address, day=TUESDAY
        )
    assert refused.value.field_errors == {"address": [message]}
    assert snapshot(issued) == before


def test_a_document_without_delivery_cannot_be_delivered(make_application, sktm, applicant):
    application = make_application(Status.ISSUED, document_type=sktm)
    before = snapshot(application)
    with pytest.raises(InvalidInput) as refused:
        application_choose_delivery(
            application_id=application.pk, citizen=applicant, address=ADDRESS, day=TUESDAY
        )
    assert str(refused.value) == (
        "Dokumen Surat Keterangan Tidak Mampu tidak dapat diantar; silakan ambil di kantor."
    )
    assert snapshot(application) == before


def test_delivery_is_refused_before_the_document_is_issued(make_application, applicant):
    application = make_application(Status.PROCESSING)
    before = snapshot(application)
    with pytest.raises(InvalidTransition):
        application_choose_delivery(
            application_id=application.pk, citizen=applicant, address=ADDRESS, day=TUESDAY
        )
    assert snapshot(application) == before


def test_a_new_day_while_scheduled_keeps_the_courier(scheduled, applicant, courier):
    application_choose_delivery(
        application_id=scheduled.pk, citizen=applicant, address=ADDRESS, day=NEXT_MONDAY
    )
    scheduled.refresh_from_db()
    assert (scheduled.status, scheduled.delivery_date) == (Status.DELIVERY_SCHEDULED, NEXT_MONDAY)
    assert scheduled.courier == courier


def test_the_same_delivery_choice_again_changes_nothing(issued, applicant):
    application_choose_delivery(
        application_id=issued.pk, citizen=applicant, address=ADDRESS, day=TUESDAY
    )
    before = snapshot(issued)
    application_choose_delivery(
        application_id=issued.pk, citizen=applicant, address=ADDRESS, day=TUESDAY
    )
    assert snapshot(issued) == before


def test_back_and_forth_between_delivery_and_pickup_notifies_each_time(issued, applicant):
    for _round in range(2):
        application_choose_delivery(
            application_id=issued.pk, citizen=applicant, address=ADDRESS, day=TUESDAY
        )
        application_choose_pickup(application_id=issued.pk, citizen=applicant)
    assert OutboundMessage.objects.count() == 4
    issued.refresh_from_db()
    assert (issued.status, issued.version) == (Status.READY_FOR_PICKUP, 5)


def test_choose_delivery_queries(issued, applicant, django_assert_num_queries):
    # savepoint, lock, calendar, update, event, outbox get_or_create (select, savepoint,
    # insert, release), release
    with django_assert_num_queries(10):
        application_choose_delivery(
            application_id=issued.pk, citizen=applicant, address=ADDRESS, day=TUESDAY
        )
