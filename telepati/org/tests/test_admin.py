"""The admin for territory, units and categories, and how it is scoped by kecamatan."""

import pytest
from django.urls import reverse

from telepati.org.models import Kecamatan, Kelurahan, Lingkungan, Unit
from telepati.reports.models import Category

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "admin:org_kecamatan_changelist",
    "admin:org_kelurahan_changelist",
    "admin:org_lingkungan_changelist",
    "admin:org_unit_changelist",
    "admin:reports_category_changelist",
    "admin:accounts_user_changelist",
    "admin:accounts_membership_changelist",
]


@pytest.fixture
def category(amplas_service):
    return Category.objects.create(
        code="adminduk", name="Administrasi kependudukan", default_unit=amplas_service
    )


@pytest.fixture
def lingkungan(harjosari_i, gedung_johor):
    Lingkungan.objects.create(kelurahan=gedung_johor, number=1)
    return Lingkungan.objects.create(kelurahan=harjosari_i, number=1)


def listed(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    return [str(obj) for obj in response.context["cl"].queryset]


@pytest.mark.parametrize("url_name", CHANGELISTS)
def test_superuser_opens_every_changelist(client, superuser, category, lingkungan, url_name):
    client.force_login(superuser)

    assert client.get(reverse(url_name)).status_code == 200


@pytest.mark.parametrize("url_name", CHANGELISTS)
def test_kecamatan_administrator_opens_every_changelist(
    client, administrator, category, lingkungan, url_name
):
    client.force_login(administrator)

    assert client.get(reverse(url_name)).status_code == 200


def test_administrator_sees_only_their_kecamatan(client, administrator, lingkungan):
    client.force_login(administrator)

    assert listed(client, "admin:org_kecamatan_changelist") == ["Kecamatan Medan Amplas"]
    assert listed(client, "admin:org_kelurahan_changelist") == [
        "Kelurahan Harjosari I",
        "Kelurahan Sitirejo II",
    ]
    assert [
        lk.kelurahan.name
        for lk in Lingkungan.objects.filter(
            pk__in=[
                o.pk
                for o in client.get(reverse("admin:org_lingkungan_changelist"))
                .context["cl"]
                .queryset
            ]
        )
    ] == ["Harjosari I"]


def test_outsider_sees_only_medan_johor(client, outsider):
    client.force_login(outsider)

    assert listed(client, "admin:org_kecamatan_changelist") == ["Kecamatan Medan Johor"]
    assert listed(client, "admin:org_kelurahan_changelist") == ["Kelurahan Gedung Johor"]
    assert sorted(listed(client, "admin:org_unit_changelist")) == [
        "Dinas Lingkungan Hidup",
        "Dinas SDABMBK",
        "Kantor Lurah Gedung Johor",
        "Seksi Pelayanan Umum Johor",
    ]


def test_administrator_cannot_open_another_kecamatans_rows(
    client, administrator, gedung_johor, johor
):
    client.force_login(administrator)

    kelurahan_url = reverse("admin:org_kelurahan_change", args=[gedung_johor.pk])
    kecamatan_url = reverse("admin:org_kecamatan_change", args=[johor.pk])
    assert client.get(kelurahan_url).status_code == 302  # "not found" redirect to the index
    assert client.get(kecamatan_url).status_code == 302


def test_city_agencies_are_read_only_for_kecamatan_administrators(client, administrator, dlh):
    client.force_login(administrator)
    url = reverse("admin:org_unit_change", args=[dlh.pk])

    page = client.get(url)
    post = client.post(url, {"code": dlh.code, "name": "Diubah", "kind": "agency"})

    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert post.status_code == 403
    dlh.refresh_from_db()
    assert dlh.name == "Dinas Lingkungan Hidup"


def test_categories_are_read_only_for_kecamatan_administrators(client, administrator, category):
    client.force_login(administrator)

    response = client.post(
        reverse("admin:reports_category_change", args=[category.pk]),
        {"code": "adminduk", "name": "Diubah"},
    )

    assert response.status_code == 403
    category.refresh_from_db()
    assert category.name == "Administrasi kependudukan"


def test_kecamatan_administrators_cannot_delete_reference_data(
    client, administrator, harjosari_i, amplas_trantib
):
    client.force_login(administrator)

    for url in (
        reverse("admin:org_kelurahan_delete", args=[harjosari_i.pk]),
        reverse("admin:org_unit_delete", args=[amplas_trantib.pk]),
    ):
        assert client.post(url, {"post": "yes"}).status_code == 403
    assert Kelurahan.objects.filter(pk=harjosari_i.pk).exists()
    assert Unit.objects.filter(pk=amplas_trantib.pk).exists()


def test_superuser_may_delete_an_unused_kelurahan(client, superuser, sitirejo_ii_office):
    client.force_login(superuser)
    spare = Kelurahan.objects.create(
        kecamatan=Kecamatan.objects.get(code="medan-amplas"), code="cadangan", name="Cadangan"
    )

    response = client.post(reverse("admin:org_kelurahan_delete", args=[spare.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not Kelurahan.objects.filter(pk=spare.pk).exists()


def unit_form(unit, **changes):
    data = {
        "code": unit.code,
        "name": unit.name,
        "short_name": unit.short_name,
        "kind": unit.kind,
        "kecamatan": unit.kecamatan_id or "",
        "kelurahan": unit.kelurahan_id or "",
        "phone": unit.phone,
        "email": unit.email,
        "is_active": "on",
    }
    data.update(changes)
    return data


def test_administrator_edits_a_unit_and_its_phone_is_normalised(
    client, administrator, amplas_trantib
):
    client.force_login(administrator)

    response = client.post(
        reverse("admin:org_unit_change", args=[amplas_trantib.pk]),
        unit_form(amplas_trantib, phone="0812 3456 7890"),
    )

    assert response.status_code == 302
    amplas_trantib.refresh_from_db()
    assert amplas_trantib.phone == "+6281234567890"


def test_invalid_unit_phone_shows_an_indonesian_error(client, administrator, amplas_trantib):
    client.force_login(administrator)

    response = client.post(
        reverse("admin:org_unit_change", args=[amplas_trantib.pk]),
        unit_form(amplas_trantib, phone="12345"),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["phone"] == [
        "Nomor telepon tidak valid. Periksa kembali jumlah digitnya."
    ]
    amplas_trantib.refresh_from_db()
    assert amplas_trantib.phone == ""


def test_administrator_cannot_move_a_unit_to_another_kecamatan(
    client, administrator, amplas_trantib, johor
):
    client.force_login(administrator)

    response = client.post(
        reverse("admin:org_unit_change", args=[amplas_trantib.pk]),
        unit_form(amplas_trantib, kecamatan=johor.pk),
    )

    assert response.status_code == 200
    assert "kecamatan" in response.context["adminform"].form.errors
    amplas_trantib.refresh_from_db()
    assert amplas_trantib.kecamatan.code == "medan-amplas"


def test_administrator_cannot_create_a_city_level_unit(client, administrator):
    client.force_login(administrator)

    response = client.post(
        reverse("admin:org_unit_add"),
        {"code": "dinas-baru", "name": "Dinas Baru", "kind": "agency", "is_active": "on"},
    )

    assert response.status_code == 200
    assert "kecamatan" in response.context["adminform"].form.errors
    assert not Unit.objects.filter(code="dinas-baru").exists()


def test_kelurahan_inline_normalises_the_kepala_lingkungan_phone(
    client, administrator, harjosari_i
):
    client.force_login(administrator)

    response = client.post(
        reverse("admin:org_kelurahan_change", args=[harjosari_i.pk]),
        {
            "kecamatan": harjosari_i.kecamatan_id,
            "name": "Harjosari I",
            "region_code": "",
            "postal_code": "",
            "is_active": "on",
            "lingkungan_set-TOTAL_FORMS": "1",
            "lingkungan_set-INITIAL_FORMS": "0",
            "lingkungan_set-0-number": "4",
            "lingkungan_set-0-name": "Lingkungan IV",
            "lingkungan_set-0-head_name": "Pak Kepling",
            "lingkungan_set-0-head_phone": "+62 812-3456-7890",
            "lingkungan_set-0-is_active": "on",
        },
    )

    assert response.status_code == 302
    assert list(harjosari_i.lingkungan_set.values_list("number", "head_phone")) == [
        (4, "+6281234567890")
    ]


def test_officers_without_the_administrator_role_cannot_use_the_admin(client, camat):
    camat.is_staff = True  # even if someone ticked it by hand
    camat.save()
    client.force_login(camat)

    assert client.get(reverse("admin:org_kelurahan_changelist")).status_code == 403


def test_admin_index_lists_reference_data_for_a_kecamatan_administrator(client, administrator):
    client.force_login(administrator)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 200
    apps = {
        app["app_label"]: sorted(m["object_name"] for m in app["models"])
        for app in response.context["app_list"]
    }
    assert apps["org"] == ["Kecamatan", "Kelurahan", "Lingkungan", "Unit"]
    assert apps["accounts"] == ["Membership", "User"]
    assert apps["reports"] == ["CannedResponse", "Category", "Report"]
