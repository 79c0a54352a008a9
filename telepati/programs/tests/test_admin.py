"""Programs admin: scoped to the administrator's kecamatan; adding goes through the services."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from telepati.programs.models import ActivityPhoto, Business
from telepati.programs.tests.conftest import activity_make, business_make, jpeg_bytes

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("persona", "visible"), [("administrator", True), ("outsider", False)])
def test_each_administrator_lists_the_businesses_of_their_kecamatan(
    client, request, persona, visible, business
):
    client.force_login(request.getfixturevalue(persona))

    content = client.get("/admin/programs/business/").content.decode()

    assert ("Bika Ambon Kak Ros" in content) is visible


def test_an_administrator_registers_a_business_through_the_service(
    client, administrator, harjosari_i
):
    client.force_login(administrator)

    response = client.post(
        "/admin/programs/business/add/",
        {
            "kelurahan": harjosari_i.pk,
            "name": "Kerupuk Jangek Garu",
            "sector": "kuliner",
            "owner_name": "Usman Pardede",
            "owner_phone": "0813 7700 1102",
            "guidance_status": "active",
            "registered_at": "2026-10-01",
            "products-TOTAL_FORMS": 0,
            "products-INITIAL_FORMS": 0,
            "public_contact_consent": "on",
        },
    )

    assert response.status_code == 200
    assert "Isi kontak publik yang disetujui pemilik." in response.content.decode()
    assert Business.objects.count() == 0
    response = client.post(
        "/admin/programs/business/add/",
        {
            "kelurahan": harjosari_i.pk,
            "name": "Kerupuk Jangek Garu",
            "sector": "kuliner",
            "owner_name": "Usman Pardede",
            "owner_phone": "0813 7700 1102",
            "guidance_status": "active",
            "registered_at": "2026-10-01",
            "products-TOTAL_FORMS": 0,
            "products-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302
    business = Business.objects.get()
    assert (business.owner_phone, business.created_by) == ("+6281377001102", administrator)


def test_a_photo_uploaded_in_the_admin_is_stored_cleaned(client, administrator, amplas):
    activity = activity_make(amplas)
    client.force_login(administrator)
    url = f"/admin/programs/activity/{activity.pk}/change/"
    form = {
        "kecamatan": amplas.pk,
        "program": activity.program,
        "kind": activity.kind,
        "title": activity.title,
        "date": "2026-10-05",
        "place_name": activity.place_name,
        "progress_percent": 0,
        "is_public": "on",
        "photos-TOTAL_FORMS": 0,
        "photos-INITIAL_FORMS": 0,
        "photo_after": SimpleUploadedFile(
            "sesudah.jpg", jpeg_bytes(exif_gps=True), content_type="image/jpeg"
        ),
    }

    response = client.post(url, form)

    assert response.status_code == 302, response.content.decode()[:2000]
    photo = ActivityPhoto.objects.get()
    assert photo.stage == "after"
    assert photo.thumbnail.name.startswith("programs/activities/thumbs/")


def test_an_administrator_cannot_open_another_kecamatans_business(client, outsider, harjosari_i):
    business = business_make(harjosari_i)
    client.force_login(outsider)

    response = client.get(f"/admin/programs/business/{business.pk}/change/")

    assert response.status_code in (302, 403, 404)
