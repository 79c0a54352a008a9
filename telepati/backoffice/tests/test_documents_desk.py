"""The document desk at /kantor/dokumen/: who may open which page, the list, the counter form.

Fixtures come from the documents domain's tests (applications made through the services).
"""

# Fixtures imported from the documents domain's tests are pytest fixtures: their names come
# back as test arguments (F811 is the intended use here).
# ruff: noqa: F811

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from telepati.accounts.models import Role
from telepati.accounts.tests.factories import MembershipFactory
from telepati.documents.lifecycle import Status
from telepati.documents.models import Application
from telepati.documents.services.common import nik_mask
from telepati.documents.tests.conftest import (  # noqa: F401
    NIK,
    amplas_government,
    application,
    application_at,
    document_staff,
    ktp_type,
    letter_type,
    preregister,
    register,
)

pytestmark = pytest.mark.django_db

DESK = reverse("backoffice:document_desk")
REGISTER = reverse("backoffice:document_register")
IMPORT = reverse("backoffice:document_import")
COURIER = reverse("backoffice:courier_day")


def detail_url(application: Application) -> str:
    return reverse("backoffice:document_detail", kwargs={"code": application.code})


def codes_on(html: str) -> list[str]:
    return re.findall(r'href="/kantor/dokumen/(D\d{4}-\d+)/"', html)


# --- Who may open what ---------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["camat", "lurah", "agency_liaison", "courier"])
def test_people_who_do_not_manage_documents_get_403_on_the_desk_pages(
    client, request, application, persona
):
    client.force_login(request.getfixturevalue(persona))

    for url in (DESK, REGISTER, IMPORT, detail_url(application)):
        response = client.get(url)
        assert response.status_code == 403, url
        assert application.applicant_name not in response.content.decode()


@pytest.mark.parametrize(
    "persona", ["desk_operator", "administrator", "kelurahan_staff", "document_staff"]
)
def test_document_staff_open_the_desk_and_the_application(client, request, application, persona):
    client.force_login(request.getfixturevalue(persona))

    assert codes_on(client.get(DESK).content.decode()) == [application.code]
    assert client.get(detail_url(application)).status_code == 200


def test_an_outsider_sees_an_empty_desk_and_a_404_without_the_applicant(
    client, outsider, application
):
    client.force_login(outsider)

    assert codes_on(client.get(DESK).content.decode()) == []
    response = client.get(detail_url(application))
    assert response.status_code == 404
    assert application.applicant_name not in response.content.decode()


def test_staff_of_another_section_see_nothing_of_the_adminduk_applications(
    client, section_staff, application
):
    client.force_login(section_staff)

    assert codes_on(client.get(DESK).content.decode()) == []
    assert client.get(detail_url(application)).status_code == 404


def test_the_courier_view_is_only_for_couriers(client, desk_operator, lurah, courier):
    for persona in (desk_operator, lurah):
        client.force_login(persona)
        assert client.get(COURIER).status_code == 403
    client.force_login(courier)
    assert client.get(COURIER).status_code == 200


def test_anonymous_visitors_are_sent_to_the_login_page(client, application):
    for url in (DESK, detail_url(application), COURIER, IMPORT):
        response = client.get(url)
        assert response.status_code == 302
        assert "next=" in response["Location"]


# --- The list --------------------------------------------------------------------------------


def test_the_kantor_kelurahan_lists_only_its_kelurahan(
    client, kelurahan_staff, register, sitirejo_ii
):
    own = register()
    register(kelurahan_id=sitirejo_ii.pk, applicant_name="Budi Santoso")
    client.force_login(kelurahan_staff)

    assert codes_on(client.get(DESK).content.decode()) == [own.code]


def test_the_desk_filters_by_status_type_kelurahan_and_search(
    client, desk_operator, application_at, letter_type, sitirejo_ii
):
    received = application_at(Status.RECEIVED)
    processing = application_at(Status.PROCESSING, applicant_name="Budi Santoso")
    letter = application_at(Status.RECEIVED, document_type=letter_type, kelurahan_id=sitirejo_ii.pk)
    client.force_login(desk_operator)

    def listed(**params: object) -> set[str]:
        return set(codes_on(client.get(DESK, params).content.decode()))

    assert listed() == {received.code, processing.code, letter.code}
    assert listed(status="processing") == {processing.code}
    assert listed(document_type=letter_type.pk) == {letter.code}
    assert listed(kelurahan=sitirejo_ii.pk) == {letter.code}
    assert listed(q="budi") == {processing.code}
    assert listed(q=received.code.lower()) == {received.code}
    # A value that is not a choice is ignored, never an error page.
    assert listed(status="bogus", kelurahan="x") == {received.code, processing.code, letter.code}


def test_the_nik_is_full_for_the_desk_and_masked_for_an_officer_who_only_sees(
    client, desk_operator, camat, amplas_trantib, application
):
    # The camat also holds a staff role at Trantibum: they may open the desk (staff manage
    # documents) and see the whole kecamatan (camat), but handle no adminduk application.
    MembershipFactory.create(user=camat, unit=amplas_trantib, role=Role.STAFF)

    client.force_login(desk_operator)
    assert NIK in client.get(DESK).content.decode()
    assert NIK in client.get(detail_url(application)).content.decode()

    client.force_login(camat)
    for url in (DESK, detail_url(application)):
        html = client.get(url).content.decode()
        assert NIK not in html
        assert nik_mask(NIK) in html
    page = client.get(detail_url(application)).content.decode()
    assert "Tidak ada tindakan yang dapat Anda lakukan" in page
    assert "/tindakan/" not in page


def _many(application: Application, n: int, *, start: int) -> None:
    """n more applications like `application` (bulk, for the query-count test)."""
    fields = {
        f.attname: getattr(application, f.attname)
        for f in Application._meta.concrete_fields
        if f.attname not in ("id", "code", "submission_key")
    }
    Application.objects.bulk_create(
        Application(**fields, code=f"D2611-{start + i:05d}") for i in range(n)
    )


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_list_and_the_page_cost_the_same_queries_for_10_or_1000_applications(
    client, desk_operator, application
):
    client.force_login(desk_operator)
    client.get(DESK)  # the first request of a session saves it
    _many(application, 9, start=10000)
    few = (_queries(client, DESK), _queries(client, detail_url(application)))
    _many(application, 990, start=20000)
    many = (_queries(client, DESK), _queries(client, detail_url(application)))

    assert few == many
    assert len(codes_on(client.get(DESK).content.decode())) == 50
    second = client.get(DESK, {"halaman": 2}).content.decode()
    assert "Halaman 2 dari 20 (1000 permohonan)" in second


# --- The counter form --------------------------------------------------------------------------


def test_registering_at_the_counter_opens_the_new_application(
    client, desk_operator, ktp_type, harjosari_i
):
    client.force_login(desk_operator)
    form = client.get(REGISTER).content.decode()
    found = re.search(r'name="submission_key" value="([0-9a-f]+)"', form)
    assert found is not None
    key = found.group(1)
    data = {
        "document_type": ktp_type.pk,
        "applicant_name": "Siti Aminah",
        "phone": "0812-3456-7890",
        "nik": NIK,
        "kelurahan": harjosari_i.pk,
        "address": "Jl. Garu II No. 12",
        "notes": "",
        "submission_key": key,
    }

    response = client.post(REGISTER, data)
    again = client.post(REGISTER, data)  # a double click

    application = Application.objects.get()
    assert (application.status, application.registered_by) == (Status.RECEIVED, desk_operator)
    assert response["Location"] == detail_url(application)
    assert again["Location"] == detail_url(application)
    page = client.get(response["Location"]).content.decode()
    assert f"Permohonan {application.code} dicatat" in page


def test_a_refused_registration_keeps_what_was_typed_and_marks_the_fields(
    client, desk_operator, ktp_type, harjosari_i
):
    client.force_login(desk_operator)

    response = client.post(
        REGISTER,
        {
            "document_type": ktp_type.pk,
            "applicant_name": "Siti Aminah",
            "phone": "12",
            "nik": "1271 0000 0000 000",
            "kelurahan": harjosari_i.pk,
            "address": "Jl. Garu II No. 12",
        },
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert Application.objects.count() == 0
    assert "NIK harus 16 angka." in html
    assert 'value="Siti Aminah"' in html
    assert 'value="Jl. Garu II No. 12"' in html
    assert 'value="1271 0000 0000 000"' in html
    # The NIK error sits with the NIK field.
    nik_group = html[html.index('for="id_nik"') : html.index('for="id_kelurahan"')]
    assert "NIK harus 16 angka." in nik_group
