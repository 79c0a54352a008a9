"""The documents admin: the catalogue per kecamatan, applications read-only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from telepati.documents.models import Application, DocumentType

pytestmark = pytest.mark.django_db


@pytest.fixture
def johor_type(johor, johor_service) -> DocumentType:
    return DocumentType.objects.create(
        kecamatan=johor,
        code="ktp-el",
        name="KTP-el Johor",
        short_name="KTP-el",
        handling_unit=johor_service,
    )


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("administrator", ["KTP elektronik (KTP-el)"]),
        ("outsider", ["KTP-el Johor"]),
        ("superuser", ["KTP elektronik (KTP-el)", "KTP-el Johor"]),
    ],
)
def test_each_administrator_lists_the_catalogue_of_their_kecamatan(
    client, ktp_type, johor_type, persona, expected, request
):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("admin:documents_documenttype_changelist"))

    assert response.status_code == 200
    assert sorted(t.name for t in response.context["cl"].queryset) == expected


def test_requirements_are_edited_one_per_line(client, administrator, ktp_type, amplas_government):
    client.force_login(administrator)
    url = reverse("admin:documents_documenttype_change", args=[ktp_type.pk])

    page = client.get(url)
    assert "Fotokopi Kartu Keluarga\nSurat pengantar kelurahan" in page.content.decode()

    response = client.post(
        url,
        {
            "kecamatan": ktp_type.kecamatan_id,
            "name": "KTP elektronik (KTP-el)",
            "short_name": "KTP-el",
            "description": "",
            "requirements": "Kartu Keluarga asli\r\n\r\n  Surat pengantar lingkungan  \r\n",
            "handling_unit": amplas_government.pk,
            "via_disdukcapil": "on",
            "target_days": 10,
            "delivery_available": "on",
            "fee_note": "Gratis (tidak dipungut biaya)",
            "sort_order": 10,
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    ktp_type.refresh_from_db()
    assert ktp_type.requirements == ["Kartu Keluarga asli", "Surat pengantar lingkungan"]
    assert (ktp_type.target_days, ktp_type.code) == (10, "ktp-el")


def test_an_administrator_cannot_open_another_kecamatans_type(client, administrator, johor_type):
    client.force_login(administrator)

    response = client.get(reverse("admin:documents_documenttype_change", args=[johor_type.pk]))

    assert response.status_code == 302  # "does not exist" redirect, as for any unseen row


def test_applications_are_read_only_even_for_superusers(client, superuser, application):
    client.force_login(superuser)
    url = reverse("admin:documents_application_change", args=[application.pk])

    page = client.get(url)
    response = client.post(url, {"status": "issued"})

    assert page.status_code == 200
    assert response.status_code == 403
    application.refresh_from_db()
    assert (application.status, application.version) == ("received", 1)
    assert client.get(reverse("admin:documents_application_add")).status_code == 403


@pytest.mark.parametrize(("persona", "count"), [("administrator", 1), ("outsider", 0)])
def test_administrators_list_applications_of_their_kecamatan(
    client, application, persona, count, request
):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("admin:documents_application_changelist"))

    assert response.status_code == 200
    assert response.context["cl"].queryset.count() == count
    assert Application.objects.count() == 1


def test_officers_without_the_administrator_role_have_no_documents_admin(client, desk_operator):
    desk_operator.is_staff = True
    desk_operator.save()
    client.force_login(desk_operator)

    response = client.get(reverse("admin:documents_documenttype_changelist"))

    assert response.status_code == 403
