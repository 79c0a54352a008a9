"""Registration at the counter, pre-registration by residents, and accepting a pre-registered
file."""

from __future__ import annotations

from datetime import datetime

import pytest
from freezegun import freeze_time

from telepati.citizens.models import Citizen
from telepati.core.errors import Forbidden, InvalidInput, NotFound
from telepati.core.workdays import WIB
from telepati.documents.lifecycle import Status
from telepati.documents.models import Application, ApplicationEvent, Channel, EventKind
from telepati.documents.services.registration import application_accept
from telepati.documents.tests.conftest import MONDAY_MORNING, NIK, draft_for
from telepati.messaging.models import OutboundMessage

pytestmark = pytest.mark.django_db


def test_registering_at_the_counter_receives_the_file_and_starts_the_target_date(
    register, desk_operator, harjosari_i, ktp_type, amplas_government
):
    application = register()

    assert application.code == "D2611-0001"
    assert application.status == Status.RECEIVED
    assert application.channel == Channel.COUNTER
    assert application.registered_by == desk_operator
    assert application.kecamatan == ktp_type.kecamatan
    assert application.kelurahan == harjosari_i
    assert application.handling_unit == amplas_government
    assert application.phone == "+6281234567890"
    assert application.nik == NIK
    assert application.applied_at == MONDAY_MORNING
    assert application.received_at == MONDAY_MORNING
    # Five working days: Monday 10:00 → the next Monday 10:00.
    assert application.due_at == datetime(2026, 11, 9, 10, 0, tzinfo=WIB)
    assert application.version == 1
    event = ApplicationEvent.objects.get(application=application)
    assert (event.kind, event.to_status, event.is_public, event.actor) == (
        EventKind.CREATED,
        Status.RECEIVED,
        True,
        desk_operator,
    )


def test_registering_links_the_applicant_as_a_citizen_contact(register):
    application = register()

    citizen = Citizen.objects.get(phone="+6281234567890")
    assert application.applicant == citizen
    assert citizen.name == "Siti Aminah"


def test_registering_sends_the_received_notice_with_the_code(register):
    application = register()

    message = OutboundMessage.objects.get()
    assert message.dedupe_key == f"application:{application.pk}:received"
    assert message.recipient_phone == "+6281234567890"
    assert message.template_name == "dokumen_status"
    assert message.template_params == ["D2611-0001", "Berkas diterima"]
    assert message.text == (
        "Berkas permohonan KTP elektronik (KTP-el) atas nama Siti Aminah sudah kami terima "
        "dengan kode D2611-0001. Target selesai: 9 November 2026, 10.00 WIB. Kami kabari "
        "lewat WhatsApp bila ada yang perlu dilengkapi dan saat dokumen terbit. Simpan kode "
        "ini untuk menanyakan perkembangannya."
    )


@pytest.mark.parametrize(
    "raw", ["0812-3456-7890", "+62 812 3456 7890", "6281234567890", "(0812) 34567890"]
)
def test_registering_accepts_indonesian_mobile_numbers_as_written(register, raw):
    assert register(phone=raw).phone == "+6281234567890"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "Nomor telepon wajib diisi."),
        ("0812", "Nomor telepon tidak valid. Periksa kembali jumlah digitnya."),
        (
            "nomor saya",
            "Nomor telepon tidak dikenali. Tulis seperti 0812-3456-7890 atau +62 812-3456-7890.",
        ),
    ],
)
def test_registering_refuses_a_phone_that_is_not_a_mobile_number(register, raw, message):
    with pytest.raises(InvalidInput) as caught:
        register(phone=raw)

    assert caught.value.field_errors == {"phone": [message]}
    assert Application.objects.count() == 0
    assert OutboundMessage.objects.count() == 0


def test_registering_reports_every_missing_field_at_once(register):
    with pytest.raises(InvalidInput) as caught:
        register(applicant_name="  ", phone="", nik="12345")

    assert str(caught.value) == "Permohonan belum lengkap. Periksa isian yang ditandai."
    assert caught.value.field_errors == {
        "applicant_name": ["Nama pemohon wajib diisi."],
        "phone": ["Nomor telepon wajib diisi."],
        "nik": ["NIK harus 16 angka."],
    }


def test_registering_refuses_an_impossible_nik(register):
    with pytest.raises(InvalidInput) as caught:
        register(nik="1271099913900002")

    assert caught.value.field_errors == {
        "nik": ["NIK tidak valid: periksa kembali angka-angkanya."]
    }


def test_registering_cleans_the_nik_as_typed(register):
    assert register(nik="1271 0945-0890.0002").nik == NIK


def test_registering_without_a_nik_is_allowed(register):
    assert register(nik="").nik == ""


def test_registering_refuses_a_kelurahan_of_another_kecamatan(register, gedung_johor):
    with pytest.raises(InvalidInput) as caught:
        register(kelurahan_id=gedung_johor.pk)

    assert caught.value.field_errors == {
        "kelurahan": ["Pilih kelurahan di Kecamatan Medan Amplas."]
    }
    assert Application.objects.count() == 0


def test_the_same_submission_key_registers_one_application(register):
    first = register(submission_key="counter-form-1")
    second = register(submission_key="counter-form-1")

    assert second.pk == first.pk
    assert Application.objects.count() == 1
    assert OutboundMessage.objects.count() == 1


def test_codes_count_up_within_the_month(register):
    codes = [register().code for _ in range(3)]

    assert codes == ["D2611-0001", "D2611-0002", "D2611-0003"]


@pytest.mark.parametrize("persona", ["desk_operator", "administrator", "document_staff"])
def test_document_officers_of_the_kecamatan_register(register, persona, request):
    assert register(actor=request.getfixturevalue(persona)).status == Status.RECEIVED


def test_kelurahan_staff_register_for_their_own_kelurahan_only(
    register, kelurahan_staff, sitirejo_ii
):
    assert register(actor=kelurahan_staff).status == Status.RECEIVED
    with pytest.raises(Forbidden):
        register(actor=kelurahan_staff, kelurahan_id=sitirejo_ii.pk)
    assert Application.objects.count() == 1


@pytest.mark.parametrize("persona", ["camat", "lurah", "courier", "section_staff"])
def test_leaders_couriers_and_other_sections_may_not_register(register, persona, request):
    with pytest.raises(Forbidden):
        register(actor=request.getfixturevalue(persona))

    assert Application.objects.count() == 0
    assert OutboundMessage.objects.count() == 0


@pytest.mark.parametrize("persona", ["outsider", "agency_liaison"])
def test_officers_of_elsewhere_do_not_find_the_document_type(register, persona, request):
    with pytest.raises(NotFound):
        register(actor=request.getfixturevalue(persona))

    assert Application.objects.count() == 0


def test_registering_an_inactive_document_type_is_refused(register, ktp_type):
    ktp_type.is_active = False
    ktp_type.save()

    with pytest.raises(InvalidInput) as caught:
        register()

    assert caught.value.field_errors == {"document_type": ["Jenis dokumen tidak ditemukan."]}


def test_registering_takes_a_constant_number_of_queries(
    register, desk_operator, django_assert_num_queries
):
    register()  # warm the citizen contact and the sequence counter
    with django_assert_num_queries(19):
        register(applicant_name="Budi Santoso", phone="081311112222")


# --- Pre-registration ------------------------------------------------------------------


def test_preregistering_records_the_application_without_a_target_date(preregister):
    application = preregister(channel=Channel.WHATSAPP)

    assert application.status == Status.PRE_REGISTERED
    assert application.channel == Channel.WHATSAPP
    assert application.registered_by is None
    assert application.received_at is None
    assert application.due_at is None
    event = ApplicationEvent.objects.get(application=application)
    assert (event.kind, event.to_status, event.is_public, event.actor_citizen) == (
        EventKind.CREATED,
        Status.PRE_REGISTERED,
        True,
        application.applicant,
    )


def test_preregistering_tells_the_resident_what_to_bring(preregister):
    application = preregister()

    message = OutboundMessage.objects.get()
    assert message.dedupe_key == f"application:{application.pk}:preregistered"
    assert message.template_params == ["D2611-0001", "Pra-pendaftaran"]
    assert message.text == (
        "Pra-pendaftaran KTP elektronik (KTP-el) atas nama Siti Aminah tercatat dengan kode "
        "D2611-0001. Bawa berkas asli berikut ke loket Seksi Pemerintahan dan sebutkan kode "
        "ini:\n• Fotokopi Kartu Keluarga\n• Surat pengantar kelurahan\n"
        "Biaya: Gratis (tidak dipungut biaya)."
    )


def test_a_resent_preregistration_makes_one_application(preregister):
    first = preregister(submission_key="wamid.ABC")
    again = preregister(submission_key="wamid.ABC")

    assert again.pk == first.pk
    assert Application.objects.count() == 1
    assert OutboundMessage.objects.count() == 1


def test_preregistering_links_the_given_citizen(ktp_type, harjosari_i):
    from telepati.documents.services.registration import application_preregister

    citizen = Citizen.objects.create(phone="+6281234567890", wa_bsuid="ID.123", name="Siti")
    application = application_preregister(
        draft=draft_for(ktp_type, kelurahan_id=harjosari_i.pk),
        channel=Channel.WHATSAPP,
        citizen=citizen,
    )

    assert application.applicant == citizen


# --- Accepting a pre-registered file ---------------------------------------------------


def test_accepting_a_preregistration_starts_the_clock(preregister, desk_operator):
    application = preregister()
    moment = datetime(2026, 11, 4, 9, 0, tzinfo=WIB)

    with freeze_time(moment):
        accepted = application_accept(
            actor=desk_operator, application_id=application.pk, expected_version=1
        )

    assert accepted.status == Status.RECEIVED
    assert accepted.received_at == moment
    assert accepted.due_at == datetime(2026, 11, 11, 9, 0, tzinfo=WIB)
    assert accepted.registered_by == desk_operator
    assert accepted.version == 2
    assert OutboundMessage.objects.filter(
        dedupe_key=f"application:{application.pk}:received"
    ).exists()


@pytest.mark.parametrize("persona", ["camat", "lurah"])
def test_leaders_may_not_accept(preregister, persona, request):
    application = preregister()

    with pytest.raises(Forbidden):
        application_accept(actor=request.getfixturevalue(persona), application_id=application.pk)

    application.refresh_from_db()
    assert (application.status, application.version) == (Status.PRE_REGISTERED, 1)
