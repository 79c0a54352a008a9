"""POST requests: a partner's service request becomes a report through report_submit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from telepati.apikeys.models import ApiClient
from telepati.apikeys.services import api_client_create
from telepati.citizens.models import Citizen
from telepati.messaging.models import OutboundMessage
from telepati.open311.tests.conftest import AMPLAS, fetch, url
from telepati.org.models import Kecamatan
from telepati.reports.models import Channel, Report

NOTICE = (
    "Laporan diverifikasi dalam 3 hari kerja, ditindaklanjuti dalam 5 hari kerja, dan "
    "ditargetkan selesai dalam 14 hari kerja."
)


@pytest.fixture
def body(api_key, questions) -> dict:
    return {
        "api_key": api_key,
        **AMPLAS,
        "service_code": "kebersihan",
        "lat": "3.541200",
        "long": "98.700500",
        "address_string": "Jl. Garu II, gang Mawar",
        "description": "Sampah menumpuk di depan gang Mawar sudah tiga hari.",
        "first_name": "Siti",
        "last_name": "Aminah",
        "phone": "0812-3456-7890",
        "email": "siti@example.org",
        "device_id": "android-7f3a",
        "account_id": "mrk-1042",
        "attribute[lama]": "3",
        "attribute[mulai]": "2026-11-01T07:30:00+07:00",
        "attribute[volume]": "banyak",
        "attribute[jenis][]": ["rumah", "daun"],
    }


def _errors(status: int, *descriptions: str) -> tuple[int, list[dict]]:
    return status, [{"code": status, "description": text} for text in descriptions]


def test_a_post_files_a_report_through_the_intake_with_channel_api(
    client, body, api_client_row, amplas
):
    status, data, root = fetch(client, "requests", method="post", **body)

    report = Report.objects.get()
    assert (status, root) == (201, "service_requests")
    assert data == [
        {"service_request_id": report.tracking_number, "service_notice": NOTICE, "account_id": None}
    ]
    assert report.channel == Channel.API
    assert report.api_client == api_client_row
    assert report.kecamatan == amplas
    assert report.category.code == "kebersihan"
    assert (str(report.latitude), str(report.longitude)) == ("3.541200", "98.700500")
    assert report.address == "Jl. Garu II, gang Mawar"
    assert report.description == "Sampah menumpuk di depan gang Mawar sudah tiga hari."
    assert report.answers == {
        "lama": 3,
        "mulai": "2026-11-01T07:30:00+07:00",
        "volume": "banyak",
        "jenis": ["rumah", "daun"],
    }
    assert report.entered_by is None
    assert (report.submission_key or "").startswith(f"api:{api_client_row.pk}:")
    reporter = Citizen.objects.get()
    assert (reporter.name, reporter.phone, reporter.email) == (
        "Siti Aminah",
        "+6281234567890",
        "siti@example.org",
    )
    assert report.reporter == reporter
    assert OutboundMessage.objects.filter(recipient_phone="+6281234567890").count() == 1


def test_a_retry_within_ten_minutes_returns_the_same_report(client, body, frozen_now):
    first = client.post(url("requests", "json"), body).json()
    frozen_now.tick(timedelta(minutes=9))
    again = client.post(url("requests", "json"), body).json()

    assert again == first
    assert Report.objects.count() == 1


def test_the_same_post_after_ten_minutes_is_a_new_report(client, body, frozen_now):
    first = client.post(url("requests", "json"), body).json()
    frozen_now.tick(timedelta(minutes=21))
    later = client.post(url("requests", "json"), body).json()

    assert later != first
    assert Report.objects.count() == 2


def test_a_different_body_is_a_different_report(client, body):
    client.post(url("requests", "json"), body)
    client.post(url("requests", "json"), {**body, "attribute[volume]": "sedikit"})

    assert Report.objects.count() == 2


def test_a_single_value_for_a_multi_value_attribute_is_a_list_of_one(client, body):
    body = {key: value for key, value in body.items() if key != "attribute[jenis][]"}
    client.post(url("requests", "json"), {**body, "attribute[jenis]": "puing"})

    assert Report.objects.get().answers["jenis"] == ["puing"]


def test_address_id_names_a_kelurahan_of_the_clients_kecamatan(client, body, harjosari_i):
    location = {"lat": "", "long": "", "address_string": "", "address_id": harjosari_i.code}

    status, _data, _root = fetch(client, "requests", method="post", **{**body, **location})

    assert status == 201
    assert Report.objects.get().kelurahan == harjosari_i


def test_media_url_is_recorded_as_a_link_never_fetched(client, body):
    client.post(url("requests", "json"), {**body, "media_url": "https://foto.example.org/1.jpg"})

    report = Report.objects.get()
    assert report.description == (
        "Sampah menumpuk di depan gang Mawar sudah tiga hari.\n\n"
        "Foto dari pelapor: https://foto.example.org/1.jpg"
    )
    assert report.attachments.count() == 0


def test_the_post_needs_no_csrf_token_and_sets_no_cookie(body):
    browserless = Client(enforce_csrf_checks=True)

    response = browserless.post(url("requests", "xml"), body)

    assert response.status_code == 201
    assert not response.cookies


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"api_key": ""}, (403, "Kirim api_key yang sah dan berhak mengirim laporan.")),
        ({"api_key": "salah"}, (403, "api_key tidak sah atau sudah dicabut.")),
        ({"service_code": ""}, (400, "service_code wajib diisi.")),
        ({"service_code": "tidak-ada"}, (404, "service_code tidak dikenal.")),
        (
            {"lat": "NaN"},
            (400, "lat/long: kirim lintang dan bujur desimal, mis. lat=3.5412&long=98.7005."),
        ),
        (
            {"lat": "utara"},
            (400, "lat/long: kirim lintang dan bujur desimal, mis. lat=3.5412&long=98.7005."),
        ),
        (
            {"lat": "91", "long": "98.7"},
            (400, "lat/long: kirim lintang dan bujur desimal, mis. lat=3.5412&long=98.7005."),
        ),
        (
            {"long": ""},
            (400, "lat/long: kirim lintang dan bujur desimal, mis. lat=3.5412&long=98.7005."),
        ),
        (
            {"lat": "", "long": "", "address_string": ""},
            (400, "Lokasi wajib: kirim lat dan long, address_string, atau address_id."),
        ),
        (
            {"address_id": "medan-johor--gedung-johor"},
            (400, "address_id: kelurahan tidak dikenal di kecamatan ini."),
        ),
        (
            {"media_url": "javascript:alert(1)"},
            (400, "media_url: kirim alamat http(s) foto yang sah."),
        ),
        (
            {"jurisdiction_id": "medan-johor"},
            (403, "api_key ini tidak berlaku untuk jurisdiction_id itu."),
        ),
        ({"jurisdiction_id": "medan-kota"}, (404, "jurisdiction_id tidak dikenal.")),
        (
            {"jurisdiction_id": ""},
            (400, "jurisdiction_id wajib diisi: layanan ini melayani beberapa kecamatan."),
        ),
    ],
)
def test_refused_posts_create_nothing(client, body, gedung_johor, change, expected):
    status, data, root = fetch(client, "requests", method="post", **{**body, **change})

    assert (status, data) == _errors(*expected)
    assert root == "errors"
    assert Report.objects.count() == 0
    assert Citizen.objects.count() == 0


def test_domain_refusals_name_the_open311_arguments(client, body):
    wrong = {
        **body,
        "attribute[lama]": "",
        "attribute[volume]": "segunung",
        "attribute[jenis][]": ["rumah", "plastik"],
        "attribute[warna]": "merah",
        "description": "Sampah",
        "phone": "",
        "email": "",
    }

    status, data, _root = fetch(client, "requests", method="post", **wrong)

    assert (status, data) == _errors(
        400,
        "description: Ceritakan masalahnya minimal 10 karakter.",
        "phone: Isi nomor WhatsApp agar kami dapat mengabarkan tindak lanjutnya.",
        "attribute[warna]: Pertanyaan ini tidak ada untuk kategori yang dipilih.",
        "attribute[lama]: Pertanyaan ini wajib dijawab.",
        "attribute[volume]: Pilih dari: sedikit, banyak.",
        "attribute[jenis]: Pilih dari: rumah, puing, daun.",
    )
    assert Report.objects.count() == 0


def test_a_revoked_or_read_only_client_may_not_post(client, body, api_client_row):
    ApiClient.objects.filter(pk=api_client_row.pk).update(can_write=False)
    assert fetch(client, "requests", method="post", **body)[:2] == _errors(
        403, "Kirim api_key yang sah dan berhak mengirim laporan."
    )

    ApiClient.objects.filter(pk=api_client_row.pk).update(can_write=True, is_active=False)
    assert fetch(client, "requests", method="post", **body)[:2] == _errors(
        403, "api_key tidak sah atau sudah dicabut."
    )
    assert Report.objects.count() == 0


def test_a_post_to_a_single_kecamatan_deployment_needs_no_jurisdiction(
    client, administrator, amplas, sanitation
):
    # Only Medan Amplas is active: jurisdiction_id may be left out.
    Kecamatan.objects.exclude(pk=amplas.pk).update(is_active=False)
    _client, key = api_client_create(actor=administrator, name="Aplikasi", kecamatan=amplas)

    response = client.post(
        url("requests", "json"),
        {
            "api_key": key,
            "service_code": "kebersihan",
            "address_string": "Jl. Garu II",
            "description": "Sampah menumpuk di depan gang Mawar sudah tiga hari.",
            "email": "warga@example.org",
        },
    )

    assert response.status_code == 201
    assert Report.objects.get().kecamatan == amplas
