"""Public documents pages: the catalogue, the status check (rate-limited, no personal data)
and pre-registration (one application per form, rate-limited)."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from telepati.documents.lifecycle import Status
from telepati.documents.models import Application, Channel, DocumentType
from telepati.documents.services.pipeline import application_process, application_request_fix
from telepati.documents.services.registration import ApplicationDraft, application_register
from telepati.web import views_documents

pytestmark = pytest.mark.django_db

NIK = "1271094508900002"
NAME = "Siti Aminah Lubis"
ADDRESS = "Jl. Garu II No. 12"
TOO_MANY_CHECKS = (
    "Terlalu banyak percobaan cek status. Tunggu beberapa saat lalu coba lagi, atau tanyakan "
    "langsung ke kantor camat."
)
NOT_FOUND = (
    "Permohonan tidak ditemukan. Periksa kode permohonan dan 4 angka terakhir nomor WhatsApp "
    "yang Anda daftarkan."
)


@pytest.fixture
def ktp(amplas, amplas_service) -> DocumentType:
    return DocumentType.objects.create(
        kecamatan=amplas,
        code="ktp-el",
        name="KTP elektronik (KTP-el)",
        short_name="KTP-el",
        description="Kartu tanda penduduk elektronik untuk warga berusia 17 tahun ke atas.",
        requirements=["Fotokopi Kartu Keluarga", "Surat pengantar kelurahan"],
        handling_unit=amplas_service,
        target_days=5,
        delivery_available=True,
        sort_order=1,
    )


@pytest.fixture
def letter(amplas, amplas_service) -> DocumentType:
    return DocumentType.objects.create(
        kecamatan=amplas,
        code="sk-domisili",
        name="Surat Keterangan Domisili",
        short_name="SK Domisili",
        requirements=["KTP-el asli"],
        handling_unit=amplas_service,
        target_days=1,
        delivery_available=False,
        fee_note="Gratis",
        sort_order=2,
    )


@pytest.fixture
def retired(amplas, amplas_service) -> DocumentType:
    return DocumentType.objects.create(
        kecamatan=amplas,
        code="kartu-kuning",
        name="Kartu Kuning Lama",
        short_name="Kartu Kuning",
        handling_unit=amplas_service,
        is_active=False,
    )


@pytest.fixture
def application(ktp, harjosari_i, desk_operator) -> Application:
    return application_register(
        actor=desk_operator,
        draft=ApplicationDraft(
            document_type_id=ktp.pk,
            applicant_name=NAME,
            phone="0812-3456-7890",
            nik=NIK,
            kelurahan_id=harjosari_i.pk,
            address=ADDRESS,
        ),
    )


def page(response) -> str:
    """The page without the per-response CSRF token, to compare two responses."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def check(client: Client, code: str, last4: str):
    return client.post("/dokumen/cek/", {"code": code, "phone_last4": last4})


# --- Catalogue --------------------------------------------------------------------------


def test_the_catalogue_lists_active_types_with_requirements_fee_days_and_delivery(
    client, ktp, letter, retired
):
    response = client.get("/layanan/")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<a href="/layanan/ktp-el/">KTP elektronik (KTP-el)</a>' in html
    assert "<li>Fotokopi Kartu Keluarga</li>" in html
    assert "<dd>Gratis (tidak dipungut biaya)</dd>" in html
    assert "<dd>5 hari kerja</dd>" in html
    assert "<dd>Ambil di kantor atau diantar ke rumah</dd>" in html
    assert '<a href="/layanan/sk-domisili/">Surat Keterangan Domisili</a>' in html
    assert "<dd>1 hari kerja</dd>" in html
    assert "<dd>Ambil di kantor</dd>" in html
    assert "Kartu Kuning Lama" not in html
    assert html.index("KTP elektronik") < html.index("Surat Keterangan Domisili")


def test_the_catalogue_takes_the_same_queries_for_more_types(client, ktp, amplas, amplas_service):
    with CaptureQueriesContext(connection) as one:
        client.get("/layanan/")
    for n in range(4):
        DocumentType.objects.create(
            kecamatan=amplas,
            code=f"surat-{n}",
            name=f"Surat {n}",
            short_name=f"Surat {n}",
            handling_unit=amplas_service,
        )
    with CaptureQueriesContext(connection) as five:
        client.get("/layanan/")

    assert len(one) == len(five)


def test_a_service_page_shows_the_type_and_links_to_the_form(client, ktp):
    response = client.get("/layanan/ktp-el/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>KTP elektronik (KTP-el)</h1>" in html
    assert "Kartu tanda penduduk elektronik" in html
    assert "<li>Surat pengantar kelurahan</li>" in html
    assert "Ditangani oleh Seksi Pelayanan Umum." in html
    assert 'href="/dokumen/daftar/?jenis=ktp-el"' in html


def test_unknown_or_retired_services_are_not_found(client, retired):
    assert client.get("/layanan/tidak-ada/").status_code == 404
    assert client.get("/layanan/kartu-kuning/").status_code == 404


# --- Status check -----------------------------------------------------------------------


def test_the_status_check_shows_where_the_application_stands(client, application, desk_operator):
    application_process(actor=desk_operator, application_id=application.pk)
    application_request_fix(
        actor=desk_operator,
        application_id=application.pk,
        fix_note="Fotokopi Kartu Keluarga belum dilampirkan.",
    )

    response = check(client, application.code.lower(), "7890")

    html = response.content.decode()
    assert response.status_code == 200
    assert f"Permohonan {application.code}" in html
    assert "<dd>KTP elektronik (KTP-el)</dd>" in html
    assert "<dd><strong>Perlu perbaikan</strong></dd>" in html
    assert "<dd>Fotokopi Kartu Keluarga belum dilampirkan.</dd>" in html
    assert "<dd>S*** A*** L***</dd>" in html
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_status_page_never_shows_the_nik_phone_address_or_full_name(client, application):
    response = check(client, application.code, "7890")

    html = response.content.decode()
    assert response.status_code == 200
    for secret in (NIK, NIK[-4:], "81234567890", "7890", NAME, "Siti", "Aminah", ADDRESS):
        assert secret not in html


def test_an_unknown_code_and_wrong_digits_get_the_same_answer(client, application):
    unknown = check(client, "D2611-9999", "1234")
    wrong_digits = check(client, application.code, "1234")

    assert unknown.status_code == wrong_digits.status_code == 200
    assert NOT_FOUND in unknown.content.decode()
    assert page(unknown).replace("D2611-9999", "CODE") == page(wrong_digits).replace(
        application.code, "CODE"
    )


def test_a_failed_check_keeps_what_was_typed(client, application):
    response = check(client, "D2611-9999", "12ab")

    html = response.content.decode()
    assert 'value="D2611-9999"' in html
    assert 'value="12ab"' in html
    assert "Isi tepat 4 angka." in html


def test_the_status_check_needs_the_csrf_token(application):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/dokumen/cek/", {"code": application.code, "phone_last4": "7890"})

    assert response.status_code == 403


def test_one_address_may_check_ten_times_in_ten_minutes(client, application):
    for _attempt in range(10):
        assert check(client, application.code, "7890").status_code == 200

    with mock.patch.object(views_documents, "application_status_lookup") as lookup:
        response = check(client, application.code, "7890")

    assert response.status_code == 429
    assert TOO_MANY_CHECKS in response.content.decode()
    assert f'value="{application.code}"' in response.content.decode()
    lookup.assert_not_called()


def test_another_address_is_counted_apart(application):
    for _attempt in range(11):
        check(Client(REMOTE_ADDR="198.51.100.1"), "D2611-9999", "0000")

    assert check(Client(REMOTE_ADDR="198.51.100.2"), application.code, "7890").status_code == 200


def test_five_failed_checks_of_one_code_lock_that_code_for_everyone(application):
    for n in range(5):
        response = check(Client(REMOTE_ADDR=f"198.51.100.{n}"), application.code, "0000")
        assert response.status_code == 200

    with mock.patch.object(views_documents, "application_status_lookup") as lookup:
        locked = check(Client(REMOTE_ADDR="203.0.113.9"), application.code, "7890")
    other_code = check(Client(REMOTE_ADDR="203.0.113.9"), "D2611-9999", "7890")

    assert locked.status_code == 429
    assert TOO_MANY_CHECKS in locked.content.decode()
    lookup.assert_not_called()
    assert other_code.status_code == 200


def test_successful_checks_do_not_lock_the_code(application):
    for n in range(7):
        response = check(Client(REMOTE_ADDR=f"198.51.100.{n}"), application.code, "7890")
        assert response.status_code == 200
        assert "Berkas diterima" in response.content.decode()


# --- Pre-registration ---------------------------------------------------------------------


def form_token(client: Client, url: str = "/dokumen/daftar/") -> str:
    html = client.get(url).content.decode()
    match = re.search(r'name="submission_token" value="([0-9a-f]{32})"', html)
    assert match is not None
    return match.group(1)


def preregistration(ktp, kelurahan, token: str, **overrides) -> dict[str, object]:
    data: dict[str, object] = {
        "submission_token": token,
        "document_type": ktp.pk,
        "applicant_name": NAME,
        "phone": "0812-3456-7890",
        "nik": "",
        "kelurahan": kelurahan.pk,
        "address": ADDRESS,
    }
    data.update(overrides)
    return data


def test_the_form_offers_the_active_types_and_kelurahan(client, ktp, letter, retired, harjosari_i):
    response = client.get("/dokumen/daftar/?jenis=sk-domisili")

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<option value="{ktp.pk}">KTP elektronik (KTP-el)</option>' in html
    assert f'<option value="{letter.pk}" selected>Surat Keterangan Domisili</option>' in html
    assert "Kartu Kuning Lama" not in html
    assert f'<option value="{harjosari_i.pk}">Harjosari I</option>' in html


def test_pre_registering_shows_the_code_and_what_to_bring(client, ktp, harjosari_i):
    token = form_token(client)

    response = client.post("/dokumen/daftar/", preregistration(ktp, harjosari_i, token))

    html = response.content.decode()
    application = Application.objects.get()
    assert response.status_code == 200
    assert (application.status, application.channel, application.submission_key) == (
        Status.PRE_REGISTERED,
        Channel.WEB,
        f"web:{token}",
    )
    assert (application.applicant_name, application.phone, application.kelurahan) == (
        NAME,
        "+6281234567890",
        harjosari_i,
    )
    assert f"Kode permohonan Anda: <strong>{application.code}</strong>" in html
    assert "<li>Fotokopi Kartu Keluarga</li>" in html
    assert f'href="/dokumen/cek/?kode={application.code}"' in html


def test_a_double_submit_makes_one_application(client, ktp, harjosari_i):
    data = preregistration(ktp, harjosari_i, form_token(client))

    first = client.post("/dokumen/daftar/", data)
    second = client.post("/dokumen/daftar/", data)

    application = Application.objects.get()
    assert first.status_code == second.status_code == 200
    assert f"<strong>{application.code}</strong>" in second.content.decode()


def test_errors_from_the_service_show_next_to_the_fields_and_keep_the_input(
    client, ktp, harjosari_i
):
    data = preregistration(
        ktp, harjosari_i, form_token(client), phone="12345", nik="1271", applicant_name="Siti"
    )

    response = client.post("/dokumen/daftar/", data)

    html = response.content.decode()
    assert response.status_code == 200
    assert Application.objects.count() == 0
    assert 'value="12345"' in html
    assert 'value="1271"' in html
    assert 'value="Siti"' in html
    assert f'value="{ADDRESS}"' in html
    assert "NIK harus 16 angka." in html
    assert re.search(r'<div[^>]*id="id_phone_error"|id="id_phone_error"', html)


def test_missing_fields_are_marked(client, ktp, harjosari_i):
    response = client.post("/dokumen/daftar/", {"submission_token": form_token(client)})

    html = response.content.decode()
    assert response.status_code == 200
    for message in (
        "Pilih jenis dokumen.",
        "Nama pemohon wajib diisi.",
        "Nomor WhatsApp wajib diisi.",
        "Pilih kelurahan tempat tinggal Anda.",
        "Alamat wajib diisi.",
    ):
        assert message in html
    assert Application.objects.count() == 0


def test_one_address_may_pre_register_five_times_an_hour(client, ktp, harjosari_i):
    for n in range(5):
        data = preregistration(ktp, harjosari_i, form_token(client), phone=f"0812-3456-780{n}")
        assert client.post("/dokumen/daftar/", data).status_code == 200

    response = client.post(
        "/dokumen/daftar/", preregistration(ktp, harjosari_i, form_token(client))
    )

    assert response.status_code == 429
    assert (
        "Terlalu banyak pendaftaran dari perangkat ini. Coba lagi dalam satu jam, atau daftar "
        "langsung di kantor camat."
    ) in response.content.decode()
    assert f'value="{NAME}"' in response.content.decode()
    assert Application.objects.count() == 5


def test_the_home_page_links_the_documents_pages(client):
    html = client.get("/").content.decode()

    for url in ("/layanan/", "/dokumen/daftar/", "/dokumen/cek/"):
        assert f'href="{url}"' in html
