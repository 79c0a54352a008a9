"""Reads of applications: officers by scope, NIK masking per role, residents, the public
status check and the catalogue."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest
from freezegun import freeze_time

from telepati.accounts.selectors import officer_scope_get
from telepati.citizens.models import Citizen
from telepati.core.errors import NotFound
from telepati.core.workdays import WIB
from telepati.documents.lifecycle import Status
from telepati.documents.models import Application, DocumentType
from telepati.documents.selectors import (
    ApplicationFilters,
    application_get_for_citizen,
    application_get_for_officer,
    application_list_for_officer,
    application_nik_display,
    application_status_lookup,
    application_timeline,
    document_type_get_public,
    document_type_list_public,
    name_mask,
)
from telepati.documents.services.pipeline import application_process
from telepati.documents.tests.conftest import NIK

pytestmark = pytest.mark.django_db

MASKED_NIK = "••••••••••••0002"


# --- Officers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona",
    ["desk_operator", "administrator", "document_staff", "kelurahan_staff", "camat", "lurah"],
)
def test_officers_in_scope_get_the_application_by_code(application, persona, request):
    found = application_get_for_officer(
        user=request.getfixturevalue(persona), code=application.code.lower()
    )

    assert found.pk == application.pk


@pytest.mark.parametrize("persona", ["outsider", "agency_liaison", "section_staff", "courier"])
def test_officers_out_of_scope_do_not_find_the_application(application, persona, request):
    with pytest.raises(NotFound):
        application_get_for_officer(user=request.getfixturevalue(persona), code=application.code)


def test_a_courier_finds_the_application_assigned_to_them(application, courier):
    Application.objects.filter(pk=application.pk).update(courier=courier)

    assert application_get_for_officer(user=courier, code=application.code).pk == application.pk


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("desk_operator", ["Ani", "Budi", "Citra"]),
        ("document_staff", ["Ani", "Budi", "Citra"]),
        ("camat", ["Ani", "Budi", "Citra"]),
        ("kelurahan_staff", ["Ani", "Citra"]),
        ("lurah", ["Ani", "Citra"]),
        ("outsider", []),
        ("courier", []),
    ],
)
def test_the_list_follows_the_officer_scope(register, sitirejo_ii, persona, expected, request):
    register(applicant_name="Ani")
    register(applicant_name="Budi", kelurahan_id=sitirejo_ii.pk)
    register(applicant_name="Citra")

    listed = application_list_for_officer(
        user=request.getfixturevalue(persona), filters=ApplicationFilters()
    )

    assert sorted(a.applicant_name for a in listed) == expected


def test_the_list_filters_by_status_type_and_search(
    register, letter_type, desk_operator, document_staff
):
    ani = register(applicant_name="Ani Lubis", phone="081311112222")
    budi = register(applicant_name="Budi Nasution", nik="")
    citra = register(applicant_name="Citra", document_type=letter_type)
    application_process(actor=document_staff, application_id=ani.pk)

    def names(**filters) -> list[str]:
        rows = application_list_for_officer(
            user=desk_operator, filters=ApplicationFilters(**filters)
        )
        return [a.applicant_name for a in rows]

    assert names(status=Status.PROCESSING) == ["Ani Lubis"]
    assert names(status=(Status.RECEIVED,)) == ["Citra", "Budi Nasution"]
    assert names(document_type_id=letter_type.pk) == ["Citra"]
    assert names(search="nasution") == ["Budi Nasution"]
    assert names(search=citra.code.lower()) == ["Citra"]
    assert names(search="0813-1111-2222") == ["Ani Lubis"]
    assert names(search=NIK) == ["Citra", "Ani Lubis"]
    assert budi.nik == ""


def test_the_list_shows_overdue_applications(register, desk_operator):
    register(applicant_name="Lama")
    with freeze_time(datetime(2026, 11, 9, 9, 0, tzinfo=WIB)):
        register(applicant_name="Baru", applied_at=datetime(2026, 11, 9, 9, 0, tzinfo=WIB))
        fresh = application_list_for_officer(
            user=desk_operator, filters=ApplicationFilters(overdue=True)
        )
        assert list(fresh) == []
    with freeze_time(datetime(2026, 11, 9, 11, 0, tzinfo=WIB)):
        late = application_list_for_officer(
            user=desk_operator, filters=ApplicationFilters(overdue=True)
        )
        assert [a.applicant_name for a in late] == ["Lama"]


@pytest.mark.parametrize("rows", [10, 50])
def test_listing_takes_the_same_queries_for_10_or_50_rows(
    register, desk_operator, rows, django_assert_num_queries
):
    for index in range(rows):
        register(applicant_name=f"Pemohon {index}")

    with django_assert_num_queries(2):
        listed = list(
            application_list_for_officer(user=desk_operator, filters=ApplicationFilters())
        )
        shown = [
            (a.document_type.name, a.kelurahan.name if a.kelurahan else "", a.handling_unit.name)
            for a in listed
        ]

    assert len(shown) == rows


# --- NIK -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("desk_operator", NIK),
        ("administrator", NIK),
        ("document_staff", NIK),
        ("kelurahan_staff", NIK),
        ("superuser", NIK),
        ("camat", MASKED_NIK),
        ("lurah", MASKED_NIK),
        ("courier", MASKED_NIK),
        ("agency_liaison", MASKED_NIK),
        ("section_staff", MASKED_NIK),
        ("outsider", MASKED_NIK),
    ],
)
def test_the_nik_is_shown_in_full_only_to_those_who_handle_the_application(
    application, persona, expected, request
):
    scope = officer_scope_get(user=request.getfixturevalue(persona))

    assert application_nik_display(scope=scope, application=application) == expected


def test_staff_of_the_unit_handling_a_letter_see_its_nik(register, letter_type, document_staff):
    application = register(document_type=letter_type)
    scope = officer_scope_get(user=document_staff)

    # Seksi Pemerintahan handles KTP-el, not this letter (Seksi Pelayanan Umum does).
    assert application_nik_display(scope=scope, application=application) == MASKED_NIK


def test_an_application_without_nik_shows_nothing(register, camat):
    application = register(nik="")

    assert (
        application_nik_display(scope=officer_scope_get(user=camat), application=application) == ""
    )


# --- Timeline and residents ----------------------------------------------------------------


def test_the_timeline_hides_internal_events_from_residents(application, document_staff):
    from telepati.documents.models import EventKind
    from telepati.documents.services.common import event_append, now

    application_process(actor=document_staff, application_id=application.pk)
    event_append(application=application, kind=EventKind.NOTE, at=now(), message="Internal")

    public = application_timeline(application=application, public_only=True)
    everything = application_timeline(application=application, public_only=False)

    assert [e.kind for e in public] == ["created", "transition"]
    assert [e.kind for e in everything] == ["created", "transition", "note"]


def test_a_resident_gets_their_own_application(application):
    citizen = Citizen.objects.get(phone="+6281234567890")

    assert application_get_for_citizen(code=application.code, citizen=citizen) == application


def test_a_resident_does_not_get_someone_elses_application(application):
    stranger = Citizen.objects.create(phone="+6281399998888", name="Orang lain")

    with pytest.raises(NotFound):
        application_get_for_citizen(code=application.code, citizen=stranger)


# --- The public status check ---------------------------------------------------------------


def test_the_status_check_answers_with_the_code_and_the_last_four_digits(application):
    view = application_status_lookup(code=application.code.lower(), phone_last4="7890")

    assert view.code == application.code
    assert view.document_name == "KTP elektronik (KTP-el)"
    assert (view.status, view.status_label) == (Status.RECEIVED, "Berkas diterima")
    assert view.applicant_initials == "S*** A***"
    assert view.due_at == application.due_at
    assert view.office_name == "Seksi Pemerintahan"
    assert (view.handover_mode, view.handover_mode_label, view.delivery_date) == ("", "", None)


def test_the_status_view_holds_no_nik_phone_or_address(application):
    view = application_status_lookup(code=application.code, phone_last4="7890")

    values = [str(v) for v in dataclasses.asdict(view).values()]
    names = {f.name for f in dataclasses.fields(view)}
    assert not names & {"nik", "phone", "address", "applicant_name", "delivery_address"}
    assert not any(NIK in v or "7890" in v or "Garu" in v or "Siti" in v for v in values)


@pytest.mark.parametrize(
    ("code", "digits"),
    [("D2611-0001", "1234"), ("D2611-9999", "7890"), ("D2611-0001", ""), ("D2611-0001", "890")],
)
def test_an_unknown_code_and_wrong_digits_get_the_same_answer(application, code, digits):
    with pytest.raises(NotFound) as caught:
        application_status_lookup(code=code, phone_last4=digits)

    assert str(caught.value) == (
        "Permohonan tidak ditemukan. Periksa kode dan 4 angka terakhir nomor."
    )


def test_the_status_check_shows_what_to_fix_only_while_it_is_needed(application_at):
    application = application_at(Status.NEEDS_FIX)

    view = application_status_lookup(code=application.code, phone_last4="7890")

    assert view.fix_note == "Fotokopi Kartu Keluarga belum dilampirkan."


@pytest.mark.parametrize(
    ("name", "masked"),
    [("Budi Santoso", "B*** S***"), ("  siti   aminah ", "S*** A***"), ("", "")],
)
def test_names_are_masked_to_initials(name, masked):
    assert name_mask(name) == masked


# --- The catalogue ----------------------------------------------------------------------


def test_the_public_catalogue_lists_active_types_of_the_kecamatan(
    ktp_type, letter_type, johor, johor_service
):
    letter_type.is_active = False
    letter_type.save()
    DocumentType.objects.create(
        kecamatan=johor,
        code="ktp-el",
        name="KTP-el Johor",
        short_name="KTP-el",
        handling_unit=johor_service,
    )

    assert document_type_list_public() == [ktp_type]
    assert document_type_get_public(code="ktp-el") == ktp_type
    with pytest.raises(NotFound):
        document_type_get_public(code="surat-keterangan-domisili")
    assert [t.name for t in document_type_list_public(kecamatan=johor)] == ["KTP-el Johor"]
