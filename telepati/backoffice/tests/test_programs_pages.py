"""Programs pages: who may open them (every persona), what an officer of another kecamatan
or of one kantor kelurahan sees, the menu entry, and what the lists show."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from telepati.programs.models import Activity, Business, Product, Training, TrainingAttendance
from telepati.programs.tests.conftest import activity_make, business_make

pytestmark = pytest.mark.django_db

LIST = reverse("backoffice:programs")
REGISTER = reverse("backoffice:program_business_register")
TRAININGS = reverse("backoffice:program_trainings")
TRAINING_NEW = reverse("backoffice:program_training_record")
ACTIVITIES = reverse("backoffice:program_activities")
ACTIVITY_NEW = reverse("backoffice:program_activity_record")


@pytest.fixture
def business(harjosari_i) -> Business:
    return business_make(harjosari_i)


@pytest.fixture
def activity(amplas, harjosari_i) -> Activity:
    return activity_make(amplas, kelurahan=harjosari_i)


@pytest.fixture
def training(amplas) -> Training:
    return Training.objects.create(
        kecamatan=amplas,
        title="Pelatihan pengemasan produk",
        date=date(2026, 10, 14),
        place="Aula Kantor Camat Medan Amplas",
        organiser="Dinas Koperasi UKM Kota Medan",
    )


def object_pages(business: Business, training: Training, activity: Activity) -> list[str]:
    return [
        reverse("backoffice:program_business", args=[business.pk]),
        reverse("backoffice:program_business_edit", args=[business.pk]),
        reverse("backoffice:program_training", args=[training.pk]),
        reverse("backoffice:program_activity", args=[activity.pk]),
    ]


def action_posts(business: Business, training: Training, activity: Activity) -> list[str]:
    return [
        reverse("backoffice:program_business_guidance", args=[business.pk]),
        reverse("backoffice:program_business_publish", args=[business.pk]),
        reverse("backoffice:program_business_product", args=[business.pk]),
        reverse("backoffice:program_training_attendance", args=[training.pk]),
        reverse("backoffice:program_activity_progress", args=[activity.pk]),
        reverse("backoffice:program_activity_photo", args=[activity.pk]),
        reverse("backoffice:program_activity_link", args=[activity.pk]),
        reverse("backoffice:program_activity_unlink", args=[activity.pk]),
    ]


def snapshot(business: Business, training: Training, activity: Activity) -> tuple:
    business.refresh_from_db()
    activity.refresh_from_db()
    return (
        business.version,
        business.guidance_status,
        business.is_public,
        Product.objects.count(),
        TrainingAttendance.objects.count(),
        activity.version,
        activity.progress_percent,
        activity.photos.count(),
        activity.reports.count(),
    )


@pytest.mark.parametrize(
    "persona", ["desk_operator", "section_staff", "kelurahan_staff", "administrator", "superuser"]
)
def test_officers_who_manage_programs_in_amplas_open_every_page(
    client, request, persona, business, training, activity
):
    client.force_login(request.getfixturevalue(persona))
    pages = [LIST, REGISTER, TRAININGS, ACTIVITIES, ACTIVITY_NEW]
    pages += object_pages(business, training, activity)

    assert {url: client.get(url).status_code for url in pages} == dict.fromkeys(pages, 200)


@pytest.mark.parametrize("persona", ["desk_operator", "section_staff", "administrator"])
def test_officers_of_the_kecamatan_record_trainings(client, request, persona, amplas):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(TRAINING_NEW).status_code == 200
    assert 'href="/kantor/program/pelatihan/baru/"' in client.get(TRAININGS).content.decode()


def test_the_staff_of_a_kantor_kelurahan_may_not_record_trainings(
    client, kelurahan_staff, training
):
    client.force_login(kelurahan_staff)

    response = client.get(TRAINING_NEW)

    assert response.status_code == 403
    assert "Hanya petugas kecamatan yang dapat mencatat pelatihan." in response.content.decode()
    assert "/kantor/program/pelatihan/baru/" not in client.get(TRAININGS).content.decode()


@pytest.mark.parametrize("persona", ["camat", "lurah", "agency_liaison", "courier"])
def test_leaders_liaisons_and_couriers_get_the_403_page_everywhere(
    client, request, persona, business, training, activity
):
    client.force_login(request.getfixturevalue(persona))
    pages = [LIST, REGISTER, TRAININGS, TRAINING_NEW, ACTIVITIES, ACTIVITY_NEW]
    pages += object_pages(business, training, activity)
    before = snapshot(business, training, activity)

    gets = {url: client.get(url).status_code for url in pages}
    posts = {
        url: client.post(url, {"expected_version": 1, "guidance_status": "independent"}).status_code
        for url in action_posts(business, training, activity)
    }

    assert gets == dict.fromkeys(pages, 403)
    assert posts == dict.fromkeys(action_posts(business, training, activity), 403)
    assert snapshot(business, training, activity) == before
    assert "Peran Anda tidak berwenang membuka halaman ini." in client.get(LIST).content.decode()


def test_anonymous_visitors_are_sent_to_the_login_page(client, db):
    response = client.get(LIST)

    assert (response.status_code, response["Location"]) == (302, f"/kantor/masuk/?next={LIST}")


def test_an_officer_of_another_kecamatan_finds_nothing_of_amplas(
    client, outsider, business, training, activity
):
    client.force_login(outsider)
    before = snapshot(business, training, activity)

    lists = "".join(
        client.get(url).content.decode() for url in [LIST, TRAININGS, ACTIVITIES, ACTIVITY_NEW]
    )
    pages = {url: client.get(url) for url in object_pages(business, training, activity)}
    posts = {
        url: client.post(url, {"expected_version": 1, "guidance_status": "independent"})
        for url in action_posts(business, training, activity)
    }
    register = client.get(REGISTER).content.decode()

    for text in ("Bika Ambon Kak Ros", "Rosmawati", "Pelatihan pengemasan", "inlet Jl. Garu"):
        assert text not in lists
        assert all(text not in r.content.decode() for r in [*pages.values(), *posts.values()])
    assert "Harjosari I" not in register
    assert {url: r.status_code for url, r in pages.items()} == dict.fromkeys(pages, 404)
    assert {url: r.status_code for url, r in posts.items()} == dict.fromkeys(posts, 404)
    assert snapshot(business, training, activity) == before


def test_the_staff_of_a_kantor_kelurahan_see_only_their_kelurahan(
    client, kelurahan_staff, amplas, harjosari_i, sitirejo_ii, training
):
    own = business_make(harjosari_i, name="Bika Ambon Kak Ros")
    other = business_make(sitirejo_ii, name="Sulaman Sitirejo")
    own_activity = activity_make(amplas, kelurahan=harjosari_i, title="Inlet Harjosari")
    other_activity = activity_make(amplas, kelurahan=sitirejo_ii, title="Inlet Sitirejo")
    wide = activity_make(amplas, kelurahan=None, title="Normalisasi parit Jl. SM Raja")
    client.force_login(kelurahan_staff)

    businesses = client.get(LIST).content.decode()
    activities = client.get(ACTIVITIES).content.decode()
    checklist = client.get(reverse("backoffice:program_training", args=[training.pk]))

    assert "Bika Ambon Kak Ros" in businesses
    assert "Sulaman Sitirejo" not in businesses
    assert "Inlet Harjosari" in activities
    assert "Inlet Sitirejo" not in activities
    assert "Normalisasi parit" not in activities
    assert client.get(reverse("backoffice:program_business", args=[other.pk])).status_code == 404
    for hidden in (other_activity, wide):
        url = reverse("backoffice:program_activity", args=[hidden.pk])
        assert client.get(url).status_code == 404
    assert client.get(reverse("backoffice:program_business", args=[own.pk])).status_code == 200
    assert (
        client.get(reverse("backoffice:program_activity", args=[own_activity.pk])).status_code
        == 200
    )
    page = checklist.content.decode()
    assert "Bika Ambon Kak Ros" in page
    assert "Sulaman Sitirejo" not in page
    assert "Hanya petugas kecamatan yang dapat mencatat undangan dan kehadiran" in page
    assert 'name="b' not in page


@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        ("desk_operator", True),
        ("section_staff", True),
        ("kelurahan_staff", True),
        ("administrator", True),
        ("outsider", True),
        ("superuser", True),
        ("camat", False),
        ("lurah", False),
        ("agency_liaison", False),
        ("courier", False),
    ],
)
def test_the_menu_shows_program_prioritas_to_those_who_manage_programs(
    client, request, persona, shown
):
    client.force_login(request.getfixturevalue(persona))

    page = client.get("/kantor/").content.decode()

    assert ('<a href="/kantor/program/">Program prioritas</a>' in page) is shown


def test_the_list_filters_by_kelurahan_sector_status_and_name(
    client, desk_operator, harjosari_i, sitirejo_ii
):
    business_make(harjosari_i, name="Bika Ambon Kak Ros", sector="kuliner")
    business_make(harjosari_i, name="Batik Garu", sector="fesyen", guidance_status="candidate")
    business_make(sitirejo_ii, name="Bika Sitirejo", sector="kuliner", owner_name="Ani")
    client.force_login(desk_operator)

    def names(**params) -> list[str]:
        html = client.get(LIST, params).content.decode()
        return [n for n in ("Bika Ambon Kak Ros", "Batik Garu", "Bika Sitirejo") if n in html]

    assert names() == ["Bika Ambon Kak Ros", "Batik Garu", "Bika Sitirejo"]
    assert names(kelurahan=harjosari_i.pk) == ["Bika Ambon Kak Ros", "Batik Garu"]
    assert names(sector="kuliner") == ["Bika Ambon Kak Ros", "Bika Sitirejo"]
    assert names(status="candidate") == ["Batik Garu"]
    assert names(q="bika") == ["Bika Ambon Kak Ros", "Bika Sitirejo"]
    assert names(q="bika", kelurahan=sitirejo_ii.pk) == ["Bika Sitirejo"]
    assert names(kelurahan="abc", sector="nonsense") == [
        "Bika Ambon Kak Ros",
        "Batik Garu",
        "Bika Sitirejo",
    ]


def test_the_activity_list_filters_by_program_kelurahan_and_month(
    client, desk_operator, amplas, harjosari_i, sitirejo_ii
):
    activity_make(amplas, kelurahan=harjosari_i, title="Inlet Oktober", date=date(2026, 10, 5))
    activity_make(amplas, kelurahan=sitirejo_ii, title="Inlet November", date=date(2026, 11, 2))
    activity_make(
        amplas,
        kelurahan=harjosari_i,
        title="Vaksinasi lansia",
        program="kesehatan",
        kind="vaccination",
        target_group="lansia",
        date=date(2026, 10, 20),
    )
    client.force_login(desk_operator)

    def titles(**params) -> list[str]:
        html = client.get(ACTIVITIES, params).content.decode()
        return [t for t in ("Inlet November", "Vaksinasi lansia", "Inlet Oktober") if t in html]

    assert titles() == ["Inlet November", "Vaksinasi lansia", "Inlet Oktober"]
    assert titles(program="drainase") == ["Inlet November", "Inlet Oktober"]
    assert titles(kelurahan=harjosari_i.pk) == ["Vaksinasi lansia", "Inlet Oktober"]
    assert titles(bulan="2026-10") == ["Vaksinasi lansia", "Inlet Oktober"]
    assert titles(bulan="2026-10", program="drainase") == ["Inlet Oktober"]
    assert titles(bulan="oktober") == ["Inlet November", "Vaksinasi lansia", "Inlet Oktober"]


def test_the_business_page_shows_the_owner_products_trainings_and_retailers(
    client, desk_operator, business, training
):
    from telepati.programs.models import Retailer

    retailer = Retailer.objects.create(
        kecamatan=business.kecamatan, name="Koperasi Amplas Jaya", kind="koperasi"
    )
    business.retailers.add(retailer)
    Product.objects.create(
        business=business, name="Bika ambon pandan", price_min=45000, price_max=60000
    )
    TrainingAttendance.objects.create(training=training, business=business, attended=True)
    client.force_login(desk_operator)

    page = client.get(reverse("backoffice:program_business", args=[business.pk])).content.decode()

    assert "Pemilik (hanya untuk petugas)" in page
    assert "Rosmawati Br Tambunan" in page
    assert "0813-7700-1122" in page
    assert "Bika ambon pandan" in page
    assert "Rp45.000–Rp60.000" in page
    assert "Pelatihan pengemasan produk" in page
    assert "Koperasi Amplas Jaya (Koperasi)" in page
    assert "Tampil di katalog publik" in page
