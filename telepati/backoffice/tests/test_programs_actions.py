"""Programs actions through the pages: each succeeds with a message and a redirect (PRG); a
refused form keeps what was typed, shows the Indonesian error next to the field, asks for
photos to be picked again, and changes nothing."""

# Fixtures imported from the complaints domain's tests are pytest fixtures: their names come
# back as test arguments (F811 is the intended use here).
# ruff: noqa: F811

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from telepati.programs.models import (
    Activity,
    ActivityPhoto,
    Business,
    Product,
    Retailer,
    Training,
    TrainingAttendance,
)
from telepati.programs.tests.conftest import activity_make, business_make, jpeg_bytes
from telepati.reports.tests.conftest import sanitation, submit  # noqa: F401

pytestmark = pytest.mark.django_db

LIST = reverse("backoffice:programs")
REGISTER = reverse("backoffice:program_business_register")


def page_of(business: Business) -> str:
    return reverse("backoffice:program_business", args=[business.pk])


def jpeg(name: str = "foto.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(), content_type="image/jpeg")


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def business_data(kelurahan, **overrides) -> dict:
    data = {
        "kelurahan": kelurahan.pk,
        "name": "Keripik Pisang Garu",
        "sector": "kuliner",
        "owner_name": "Sumarni Hutagalung",
        "owner_phone": "0813-7700-1199",
        "registered_at": "2026-02-01",
        "guidance_status": "candidate",
        "address": "Jl. Garu III No. 2",
    }
    data.update(overrides)
    return data


@pytest.fixture
def business(harjosari_i) -> Business:
    return business_make(harjosari_i)


# --- Businesses ---------------------------------------------------------------------------


def test_registering_a_business_leads_to_its_page_with_a_message(
    client, desk_operator, harjosari_i
):
    retailer = Retailer.objects.create(
        kecamatan=harjosari_i.kecamatan, name="Koperasi Amplas Jaya", kind="koperasi"
    )
    client.force_login(desk_operator)

    response = client.post(
        REGISTER, business_data(harjosari_i, retailers=[retailer.pk]), follow=True
    )

    business = Business.objects.get(name="Keripik Pisang Garu")
    assert response.redirect_chain == [(page_of(business), 302)]
    assert messages_of(response) == ["UMKM “Keripik Pisang Garu” terdaftar."]
    assert (business.owner_phone, business.created_by, list(business.retailers.all())) == (
        "+6281377001199",
        desk_operator,
        [retailer],
    )


def test_a_refused_registration_keeps_what_was_typed_with_errors_next_to_the_fields(
    client, desk_operator, harjosari_i, business
):
    client.force_login(desk_operator)

    response = client.post(
        REGISTER,
        business_data(harjosari_i, name="Bika Ambon Kak Ros", owner_name="Sumarni"),
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "name": ["Sudah ada UMKM bernama “Bika Ambon Kak Ros” di kelurahan ini."],
    }
    assert 'value="Sumarni"' in html
    assert 'value="0813-7700-1199"' in html
    assert Business.objects.count() == 1


def test_the_draft_errors_come_all_at_once_in_indonesian(client, desk_operator, harjosari_i):
    client.force_login(desk_operator)

    response = client.post(
        REGISTER,
        business_data(
            harjosari_i, name="", owner_name="", sector="", nib="12", public_contact_consent="on"
        ),
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "name": ["Nama usaha wajib diisi."],
        "owner_name": ["Nama pemilik wajib diisi."],
        "sector": ["Pilih sektor usaha."],
        "nib": ["NIB terdiri atas 13 angka."],
        "public_contact": ["Isi kontak publik yang disetujui pemilik."],
    }
    assert messages_of(response) == ["Data UMKM belum tersimpan: Periksa kembali data UMKM."]


def test_editing_a_business_saves_and_a_stale_form_is_refused_with_409(
    client, desk_operator, business
):
    client.force_login(desk_operator)
    edit = reverse("backoffice:program_business_edit", args=[business.pk])
    data = business_data(
        business.kelurahan, name="Bika Ambon Kak Ros", expected_version=business.version
    ) | {"description": "Bika ambon pandan dan durian."}

    form = client.get(edit).content.decode()
    saved = client.post(edit, data, follow=True)
    stale = client.post(edit, data | {"description": "Versi lama"})

    business.refresh_from_db()
    assert 'name="owner_phone" value="0813-7700-1122"' in form
    assert messages_of(saved) == ["Data UMKM “Bika Ambon Kak Ros” disimpan."]
    assert (business.description, business.version) == ("Bika ambon pandan dan durian.", 2)
    assert stale.status_code == 409
    assert "Versi lama" in stale.content.decode()
    assert "baru saja diubah oleh petugas lain" in stale.context["form"].non_field_errors()[0]


def test_the_guidance_status_and_the_catalogue_switch_go_through_the_services(
    client, desk_operator, business
):
    client.force_login(desk_operator)

    status = client.post(
        reverse("backoffice:program_business_guidance", args=[business.pk]),
        {"guidance_status": "independent", "expected_version": 1},
        follow=True,
    )
    hide = client.post(
        reverse("backoffice:program_business_publish", args=[business.pk]),
        {"is_public": "0", "expected_version": 2},
        follow=True,
    )
    stale = client.post(
        reverse("backoffice:program_business_publish", args=[business.pk]),
        {"is_public": "1", "expected_version": 2},
    )

    business.refresh_from_db()
    assert messages_of(status) == ["Status binaan “Bika Ambon Kak Ros” kini Mandiri."]
    assert messages_of(hide) == ["“Bika Ambon Kak Ros” disembunyikan dari katalog publik."]
    assert status.redirect_chain == hide.redirect_chain == [(page_of(business), 302)]
    assert (business.guidance_status, business.is_public, business.version) == (
        "independent",
        False,
        3,
    )
    assert stale.status_code == 409
    assert messages_of(stale)[0].startswith("Tampilan katalog belum tersimpan: Data Bika Ambon")


def test_adding_a_product_with_a_photo_shows_it_on_the_page(client, desk_operator, business):
    client.force_login(desk_operator)
    url = reverse("backoffice:program_business_product", args=[business.pk])

    response = client.post(
        url,
        {
            "name": "Bika ambon pandan",
            "price_min": "Rp 45.000",
            "price_max": "60.000",
            "photo": jpeg(),
        },
        follow=True,
    )

    product = Product.objects.get()
    assert messages_of(response) == ["Produk “Bika ambon pandan” ditambahkan."]
    assert (product.price_min, product.price_max) == (45000, 60000)
    assert product.photo.name.startswith("programs/products/")
    assert product.thumbnail.url in response.content.decode()


def test_a_refused_product_keeps_what_was_typed_and_asks_for_the_photo_again(
    client, desk_operator, business
):
    client.force_login(desk_operator)
    url = reverse("backoffice:program_business_product", args=[business.pk])

    response = client.post(
        url,
        {"name": "Bika ambon durian", "price_min": "60000", "price_max": "45000", "photo": jpeg()},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert response.context["product_form"].errors == {
        "price_max": ["Harga tertinggi tidak boleh di bawah harga terendah."]
    }
    assert 'value="Bika ambon durian"' in html
    assert "pilih ulang fotonya sebelum menyimpan" in html
    assert messages_of(response) == [
        "Produk belum tersimpan: Periksa kembali data produk. "
        "Foto yang dipilih tidak ikut tersimpan; pilih ulang fotonya."
    ]
    assert Product.objects.count() == 0


def test_a_file_that_is_not_a_photo_is_refused_next_to_the_photo_field(
    client, desk_operator, business
):
    product = Product.objects.create(business=business, name="Bika ambon pandan")
    client.force_login(desk_operator)
    url = reverse("backoffice:program_business_product_photo", args=[business.pk, product.pk])

    refused = client.post(
        url, {"photo": SimpleUploadedFile("surat.pdf", b"%PDF-1.4 test", "application/pdf")}
    )
    replaced = client.post(url, {"photo": jpeg("baru.jpg")}, follow=True)

    assert refused.status_code == 400
    assert refused.context["products"][0]["form"].errors == {
        "photo": ["Berkas surat.pdf bukan foto. Kirim foto JPG, PNG atau WebP."]
    }
    assert messages_of(replaced) == ["Foto produk “Bika ambon pandan” diganti."]
    product.refresh_from_db()
    assert product.photo.name.startswith("programs/products/")


def test_a_product_of_another_business_is_not_found_through_this_page(
    client, desk_operator, business, sitirejo_ii
):
    other = business_make(sitirejo_ii, name="Sulaman Sitirejo")
    product = Product.objects.create(business=other, name="Taplak sulam")
    client.force_login(desk_operator)
    url = reverse("backoffice:program_business_product_photo", args=[business.pk, product.pk])

    assert client.post(url, {"photo": jpeg()}).status_code == 404
    product.refresh_from_db()
    assert not product.photo


# --- Trainings ----------------------------------------------------------------------------


def test_recording_a_training_and_its_attendance_in_one_form(
    client, desk_operator, harjosari_i, sitirejo_ii
):
    ros = business_make(harjosari_i, name="Bika Ambon Kak Ros")
    garu = business_make(harjosari_i, name="Batik Garu")
    business_make(sitirejo_ii, name="Sulaman lama", guidance_status="inactive")
    client.force_login(desk_operator)

    recorded = client.post(
        reverse("backoffice:program_training_record"),
        {
            "kecamatan": harjosari_i.kecamatan_id,
            "title": "Pelatihan pengemasan produk",
            "date": "2026-10-14",
            "place": "Aula Kantor Camat",
            "organiser": "Dinas Koperasi UKM Kota Medan",
        },
        follow=True,
    )
    training = Training.objects.get()
    page = recorded.content.decode()
    saved = client.post(
        reverse("backoffice:program_training_attendance", args=[training.pk]),
        {f"b{ros.pk}": "attended", f"b{garu.pk}": "invited"},
        follow=True,
    )

    assert messages_of(recorded) == [
        "Pelatihan “Pelatihan pengemasan produk” dicatat. Tandai UMKM yang diundang dan yang hadir."
    ]
    assert "Bika Ambon Kak Ros" in page
    assert "Sulaman lama" not in page
    assert messages_of(saved) == ["Kehadiran disimpan: 2 UMKM diundang, 1 hadir."]
    assert set(TrainingAttendance.objects.values_list("business__name", "attended")) == {
        ("Bika Ambon Kak Ros", True),
        ("Batik Garu", False),
    }
    assert "Diundang / hadir</dt><dd>2 / 1" in saved.content.decode()
    ros_page = client.get(page_of(ros)).content.decode()
    assert "Pelatihan pengemasan produk" in ros_page


def test_a_refused_training_keeps_what_was_typed(client, desk_operator, amplas):
    client.force_login(desk_operator)

    response = client.post(
        reverse("backoffice:program_training_record"),
        {"kecamatan": amplas.pk, "title": "Pelatihan foto produk", "date": "2026-10-14"},
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "place": ["Tempat pelatihan wajib diisi."],
        "organiser": ["Penyelenggara wajib diisi."],
    }
    assert 'value="Pelatihan foto produk"' in response.content.decode()
    assert Training.objects.count() == 0


def test_the_staff_of_a_kantor_kelurahan_cannot_post_attendance(
    client, kelurahan_staff, harjosari_i
):
    ros = business_make(harjosari_i)
    training = Training.objects.create(
        kecamatan=harjosari_i.kecamatan,
        title="Pelatihan pengemasan",
        date=date(2026, 10, 14),
        place="Aula",
        organiser="Dinas Koperasi UKM",
    )
    client.force_login(kelurahan_staff)

    response = client.post(
        reverse("backoffice:program_training_attendance", args=[training.pk]),
        {f"b{ros.pk}": "attended"},
    )

    assert response.status_code == 403
    assert TrainingAttendance.objects.count() == 0


# --- Activities ---------------------------------------------------------------------------


def activity_data(place: str, **overrides) -> dict:
    data = {
        "program": "drainase",
        "kind": "inlet_cleaning",
        "title": "Pembersihan inlet Jl. Garu II",
        "kelurahan": place,
        "place_name": "Jl. Garu II",
        "date": "2026-10-05",
        "progress_percent": "0",
        "is_public": "on",
    }
    data.update(overrides)
    return data


def test_recording_an_activity_across_kelurahan_or_in_one(
    client, desk_operator, amplas, harjosari_i
):
    client.force_login(desk_operator)
    url = reverse("backoffice:program_activity_record")

    wide = client.post(url, activity_data(f"k{amplas.pk}", title="Normalisasi parit"), follow=True)
    one = client.post(url, activity_data(str(harjosari_i.pk), budget_amount="12.500.000"))

    assert messages_of(wide) == [
        "Kegiatan “Normalisasi parit” dicatat. Tambahkan foto sebelum/sesudah di bawah."
    ]
    assert set(Activity.objects.values_list("title", "kelurahan_id", "budget_amount")) == {
        ("Normalisasi parit", None, None),
        ("Pembersihan inlet Jl. Garu II", harjosari_i.pk, 12_500_000),
    }
    assert one.status_code == 302


def test_a_kind_of_another_program_is_refused_next_to_the_kind(client, desk_operator, harjosari_i):
    client.force_login(desk_operator)

    response = client.post(
        reverse("backoffice:program_activity_record"),
        activity_data(str(harjosari_i.pk), kind="vaccination", latitude="3.5"),
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "kind": ["Jenis kegiatan ini bukan bagian dari program yang dipilih."],
        "latitude": ["Isi lintang dan bujur bersama-sama, atau kosongkan keduanya."],
        "target_group": ["Isi sasaran vaksinasi (mis. lansia, anak)."],
    }
    assert 'value="Pembersihan inlet Jl. Garu II"' in response.content.decode()
    assert Activity.objects.count() == 0


def test_the_kind_select_is_grouped_by_program(client, desk_operator):
    client.force_login(desk_operator)

    html = client.get(reverse("backoffice:program_activity_record")).content.decode()

    assert '<optgroup label="Kesehatan">' in html
    assert html.index('<optgroup label="Kesehatan">') < html.index('value="vaccination"')
    assert html.index('value="vaccination"') < html.index('<optgroup label="UMKM">')


def test_the_staff_of_a_kantor_kelurahan_record_only_in_their_kelurahan(
    client, kelurahan_staff, amplas, harjosari_i, sitirejo_ii
):
    client.force_login(kelurahan_staff)
    url = reverse("backoffice:program_activity_record")

    form = client.get(url).content.decode()
    refused = client.post(url, activity_data(f"k{amplas.pk}"))

    assert f'value="{harjosari_i.pk}"' in form
    assert f'value="k{amplas.pk}"' not in form
    assert "Sitirejo II" not in form
    assert refused.status_code == 400
    assert refused.context["form"].errors == {"kelurahan": ["Pilih wilayah."]}


def test_progress_photos_and_linked_complaints_through_the_activity_page(
    client, desk_operator, amplas, harjosari_i, submit
):
    activity = activity_make(amplas, kelurahan=harjosari_i)
    report = submit()
    client.force_login(desk_operator)
    base = "backoffice:program_activity"

    progress = client.post(
        reverse(f"{base}_progress", args=[activity.pk]),
        {
            "progress_percent": "100",
            "end_date": "2026-10-06",
            "people_count": "35",
            "expected_version": 1,
        },
        follow=True,
    )
    before = client.post(
        reverse(f"{base}_photo", args=[activity.pk]),
        {"stage": "before", "photo": jpeg(), "caption": "Inlet tersumbat"},
        follow=True,
    )
    linked = client.post(
        reverse(f"{base}_link", args=[activity.pk]),
        {"tracking_number": report.tracking_number.lower()},
        follow=True,
    )
    page = linked.content.decode()
    unlinked = client.post(
        reverse(f"{base}_unlink", args=[activity.pk]),
        {"tracking_number": report.tracking_number},
        follow=True,
    )

    activity.refresh_from_db()
    assert messages_of(progress) == ["Progres “Pembersihan inlet Jl. Garu II” kini 100%."]
    assert (activity.progress_percent, activity.end_date, activity.people_count) == (
        100,
        date(2026, 10, 6),
        35,
    )
    assert messages_of(before) == ["Foto “Sebelum” ditambahkan."]
    assert ActivityPhoto.objects.get().caption == "Inlet tersumbat"
    assert messages_of(linked) == [f"Laporan {report.tracking_number} ditautkan ke kegiatan ini."]
    assert f"<strong>{report.tracking_number}</strong>" in page
    assert messages_of(unlinked) == [f"Tautan laporan {report.tracking_number} dilepas."]
    assert activity.reports.count() == 0


def test_refused_activity_actions_change_nothing(client, desk_operator, amplas, harjosari_i):
    activity = activity_make(amplas, kelurahan=harjosari_i, progress_percent=40)
    client.force_login(desk_operator)
    base = "backoffice:program_activity"

    too_far = client.post(
        reverse(f"{base}_progress", args=[activity.pk]),
        {"progress_percent": "140", "expected_version": 1},
    )
    stale = client.post(
        reverse(f"{base}_progress", args=[activity.pk]),
        {"progress_percent": "50", "expected_version": 7},
    )
    unknown = client.post(
        reverse(f"{base}_link", args=[activity.pk]), {"tracking_number": "LPR-0000"}
    )
    no_photo = client.post(reverse(f"{base}_photo", args=[activity.pk]), {"stage": "after"})

    activity.refresh_from_db()
    assert (too_far.status_code, stale.status_code, unknown.status_code) == (400, 409, 400)
    assert too_far.context["progress_form"].errors == {
        "progress_percent": ["Progres diisi 0 sampai 100."]
    }
    assert 'value="140"' in too_far.content.decode()
    assert unknown.context["link_form"].errors == {
        "tracking_number": ["Laporan LPR-0000 tidak ditemukan di kecamatan kegiatan ini."]
    }
    assert no_photo.context["photo_form"].errors == {"photo": ["Pilih foto."]}
    assert (activity.progress_percent, activity.version, activity.photos.count()) == (40, 1, 0)
