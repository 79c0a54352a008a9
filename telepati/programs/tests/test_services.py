"""Programs services: who may change what, validation, cleaned photos, linked complaints."""

from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image

from telepati.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from telepati.programs.models import Activity, ActivityPhoto, Business, Product, Training
from telepati.programs.services.activities import (
    ActivityDraft,
    activity_link_report,
    activity_photo_add,
    activity_record,
    activity_update_progress,
)
from telepati.programs.services.common import PhotoUpload
from telepati.programs.services.umkm import (
    BusinessDraft,
    business_guidance_set,
    business_register,
    business_update,
    product_add,
    training_record,
    training_record_attendance,
)
from telepati.programs.tests.conftest import activity_make, business_make, jpeg_bytes

pytestmark = pytest.mark.django_db


def _draft(kelurahan, **overrides) -> BusinessDraft:
    values = {
        "kelurahan_id": kelurahan.pk,
        "name": "Keripik Pisang Garu",
        "sector": "kuliner",
        "owner_name": "Sumarni Hutagalung",
        "owner_phone": "0813-7700-1199",
        "registered_at": date(2026, 2, 1),
    }
    values.update(overrides)
    return BusinessDraft(**values)


def test_an_operator_registers_a_business_with_a_normalised_owner_phone(desk_operator, harjosari_i):
    business = business_register(actor=desk_operator, draft=_draft(harjosari_i))

    assert business.kecamatan_id == harjosari_i.kecamatan_id
    assert business.owner_phone == "+6281377001199"
    assert business.guidance_status == "candidate"
    assert business.is_public is False
    assert business.created_by == desk_operator


def test_a_public_contact_needs_the_owners_consent_and_stamps_it(desk_operator, harjosari_i):
    with pytest.raises(InvalidInput) as refused:
        business_register(
            actor=desk_operator,
            draft=_draft(harjosari_i, public_contact_consent=True),
        )
    assert refused.value.field_errors == {
        "public_contact": ["Isi kontak publik yang disetujui pemilik."]
    }

    business = business_register(
        actor=desk_operator,
        draft=_draft(harjosari_i, public_contact="085261002201", public_contact_consent=True),
    )
    assert business.public_contact == "+6285261002201"
    assert business.public_contact_consent_at is not None


def test_invalid_fields_are_reported_together_and_nothing_is_saved(desk_operator, harjosari_i):
    with pytest.raises(InvalidInput) as refused:
        business_register(
            actor=desk_operator,
            draft=_draft(harjosari_i, name=" ", sector="x", nib="123", owner_phone="12"),
        )

    assert set(refused.value.field_errors) == {"name", "sector", "nib", "owner_phone"}
    assert refused.value.field_errors["nib"] == ["NIB terdiri atas 13 angka."]
    assert Business.objects.count() == 0


@pytest.mark.parametrize("persona", ["camat", "lurah", "agency_liaison"])
def test_officers_without_manage_programs_may_not_register(request, persona, harjosari_i):
    user = request.getfixturevalue(persona)
    expected = NotFound if persona == "agency_liaison" else Forbidden

    with pytest.raises(expected):
        business_register(actor=user, draft=_draft(harjosari_i))

    assert Business.objects.count() == 0


def test_an_officer_of_another_kecamatan_gets_not_found_and_nothing_changes(outsider, business):
    with pytest.raises(NotFound) as refused:
        business_guidance_set(actor=outsider, business_id=business.pk, status="independent")

    assert str(refused.value) == "UMKM tidak ditemukan."
    business.refresh_from_db()
    assert (business.guidance_status, business.version) == ("active", 1)


def test_kelurahan_staff_manage_only_their_own_kelurahan(kelurahan_staff, harjosari_i, sitirejo_ii):
    mine = business_register(actor=kelurahan_staff, draft=_draft(harjosari_i))

    with pytest.raises(Forbidden):
        business_register(actor=kelurahan_staff, draft=_draft(sitirejo_ii, name="Lain"))

    assert list(Business.objects.values_list("pk", flat=True)) == [mine.pk]


def test_an_update_with_a_stale_version_is_refused(section_staff, business, harjosari_i):
    business_update(
        actor=section_staff,
        business_id=business.pk,
        draft=_draft(harjosari_i, name="Bika Ambon Kak Ros II"),
        expected_version=1,
    )

    with pytest.raises(Conflict):
        business_update(
            actor=section_staff,
            business_id=business.pk,
            draft=_draft(harjosari_i, name="Lain lagi"),
            expected_version=1,
        )
    business.refresh_from_db()
    assert (business.name, business.version) == ("Bika Ambon Kak Ros II", 2)


def test_product_photos_are_cleaned_of_exif_and_gps(desk_operator, business):
    upload = PhotoUpload(name="produk.jpg", content=jpeg_bytes(exif_gps=True))
    assert Image.open(io.BytesIO(upload.content)).getexif()  # the original carries EXIF

    product = product_add(
        actor=desk_operator,
        business_id=business.pk,
        name="Bika ambon pandan",
        price_min=45000,
        price_max=90000,
        photo=upload,
    )

    with product.photo.open("rb") as stored:
        assert not Image.open(io.BytesIO(stored.read())).getexif()
    assert product.thumbnail.name.startswith("programs/products/thumbs/")


def test_a_pdf_is_refused_as_a_product_photo(desk_operator, business):
    with pytest.raises(InvalidInput) as refused:
        product_add(
            actor=desk_operator,
            business_id=business.pk,
            name="Brosur",
            photo=PhotoUpload(name="brosur.pdf", content=b"%PDF-1.4 demo"),
        )

    assert refused.value.field_errors == {
        "photo": ["Berkas brosur.pdf bukan foto. Kirim foto JPG, PNG atau WebP."]
    }
    assert Product.objects.count() == 0


def test_attendance_is_recorded_once_and_only_for_the_trainings_kecamatan(
    desk_operator, business, amplas, gedung_johor
):
    training = training_record(
        actor=desk_operator,
        kecamatan_id=amplas.pk,
        title="Pengemasan produk",
        date=date(2026, 9, 1),
        place="Aula Kantor Camat",
        organiser="Dinas Koperasi UKM Kota Medan",
    )
    training_record_attendance(
        actor=desk_operator, training_id=training.pk, attendance={business.pk: True}
    )
    training_record_attendance(
        actor=desk_operator, training_id=training.pk, attendance={business.pk: True}
    )
    elsewhere = business_make(gedung_johor, name="Usaha Johor")

    with pytest.raises(InvalidInput):
        training_record_attendance(
            actor=desk_operator, training_id=training.pk, attendance={elsewhere.pk: True}
        )
    assert list(training.attendances.values_list("business_id", "attended")) == [
        (business.pk, True)
    ]
    assert Training.objects.count() == 1


def _activity_draft(amplas, harjosari_i, **overrides) -> ActivityDraft:
    values = {
        "kecamatan_id": amplas.pk,
        "kelurahan_id": harjosari_i.pk,
        "program": "infrastruktur",
        "kind": "alley_paving",
        "title": "Rabat beton Gg. Melati",
        "date": date(2026, 10, 1),
        "place_name": "Jl. Garu II Gg. Melati",
        "budget_source": "dana_kelurahan",
        "budget_amount": 96_500_000,
    }
    values.update(overrides)
    return ActivityDraft(**values)


def test_an_activity_is_recorded_and_its_progress_moves(desk_operator, amplas, harjosari_i):
    activity = activity_record(actor=desk_operator, draft=_activity_draft(amplas, harjosari_i))

    activity_update_progress(actor=desk_operator, activity_id=activity.pk, progress_percent=60)
    same = activity_update_progress(
        actor=desk_operator, activity_id=activity.pk, progress_percent=60
    )

    assert (same.progress_percent, same.version) == (60, 2)


def test_a_kind_from_another_program_and_bad_progress_are_refused(
    desk_operator, amplas, harjosari_i
):
    with pytest.raises(InvalidInput) as refused:
        activity_record(
            actor=desk_operator,
            draft=_activity_draft(amplas, harjosari_i, kind="sweep", progress_percent=101),
        )

    assert refused.value.field_errors == {
        "kind": ["Jenis kegiatan ini bukan bagian dari program yang dipilih."],
        "progress_percent": ["Progres diisi 0 sampai 100."],
    }
    assert Activity.objects.count() == 0


def test_a_camat_may_not_record_activities(camat, amplas, harjosari_i):
    with pytest.raises(Forbidden):
        activity_record(actor=camat, draft=_activity_draft(amplas, harjosari_i))

    assert Activity.objects.count() == 0


def test_activity_photos_keep_their_stage(desk_operator, activity, photo):
    added = activity_photo_add(
        actor=desk_operator, activity_id=activity.pk, photo=photo, stage="before"
    )

    assert added.stage == "before"
    assert added.photo.name.startswith("programs/activities/")
    assert ActivityPhoto.objects.count() == 1


def test_only_complaints_of_the_same_kecamatan_are_linked(
    desk_operator, activity, submit, gedung_johor
):
    ours = submit()
    theirs = submit(kelurahan_id=gedung_johor.pk)

    linked = activity_link_report(
        actor=desk_operator, activity_id=activity.pk, tracking_number=ours.tracking_number.lower()
    )
    activity_link_report(
        actor=desk_operator, activity_id=activity.pk, tracking_number=ours.tracking_number
    )
    with pytest.raises(InvalidInput) as refused:
        activity_link_report(
            actor=desk_operator, activity_id=activity.pk, tracking_number=theirs.tracking_number
        )

    assert linked == ours
    assert str(refused.value) == (
        f"Laporan {theirs.tracking_number} tidak ditemukan di kecamatan kegiatan ini."
    )
    assert list(activity.reports.all()) == [ours]


def test_an_activity_of_another_kecamatan_is_not_found(desk_operator, johor, photo):
    other = activity_make(johor, title="Kegiatan Johor")

    with pytest.raises(NotFound):
        activity_photo_add(actor=desk_operator, activity_id=other.pk, photo=photo)

    assert ActivityPhoto.objects.count() == 0
