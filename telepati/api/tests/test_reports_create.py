"""POST /api/v1/reports/: a report through report_submit with channel `api`, linked to the
client; Idempotency-Key retries; the domain's refusals in the error shape; photos."""

from __future__ import annotations

import pytest

from telepati.api.tests.conftest import error, jpeg, report_body
from telepati.messaging.models import OutboundMessage
from telepati.reports.lifecycle import Status
from telepati.reports.models import Attachment, Channel, Report

pytestmark = pytest.mark.django_db


def test_filing_makes_a_report_of_the_client_with_channel_api(
    app, app_client, sanitation, questions, harjosari_i, amplas
):
    body = report_body(answers={"volume": "banyak", "lama": 3})

    response = app("post", "/api/v1/reports/", body)

    assert response.status_code == 201
    report = Report.objects.get()
    assert report.channel == Channel.API
    assert report.api_client == app_client[0]
    assert report.kecamatan == amplas
    assert report.kelurahan == harjosari_i
    assert report.answers == {"volume": "banyak", "lama": 3}
    assert report.reporter is not None
    assert report.reporter.phone == "+6281234567890"
    data = response.json()
    assert data["tracking_number"] == report.tracking_number
    assert data["status"] == "new"
    assert data["status_label"] == "Baru"
    assert data["is_own"] is True
    assert data["own"]["answers"] == {"volume": "banyak", "lama": 3}
    assert data["timeline"][0]["message"] == "Laporan diterima melalui API."
    assert OutboundMessage.objects.count() == 1


def test_the_reporter_contact_is_optional_here(app, sanitation, harjosari_i):
    body = report_body(reporter_name="", reporter_phone="")

    response = app("post", "/api/v1/reports/", body)

    assert response.status_code == 201
    assert Report.objects.get().reporter is None
    assert OutboundMessage.objects.count() == 0


def test_a_retry_with_the_same_idempotency_key_returns_the_same_report(
    app, sanitation, harjosari_i
):
    headers = {"Idempotency-Key": "3f1c2a9e-0001"}

    first = app("post", "/api/v1/reports/", report_body(), headers=headers)
    again = app("post", "/api/v1/reports/", report_body(), headers=headers)

    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json() == first.json()
    assert Report.objects.count() == 1
    assert OutboundMessage.objects.count() == 1


def test_two_clients_may_use_the_same_idempotency_key(app, partner, sanitation, harjosari_i):
    headers = {"Idempotency-Key": "kiriman-1"}

    mine = app("post", "/api/v1/reports/", report_body(), headers=headers)
    theirs = partner("post", "/api/v1/reports/", report_body(), headers=headers)

    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.json()["tracking_number"] != theirs.json()["tracking_number"]


def test_without_a_key_each_post_makes_a_report(app, sanitation, harjosari_i):
    app("post", "/api/v1/reports/", report_body())
    app("post", "/api/v1/reports/", report_body())

    assert Report.objects.count() == 2


def test_a_reused_idempotency_key_with_another_report_is_409(app, sanitation, harjosari_i):
    headers = {"Idempotency-Key": "kiriman-1"}
    first = app("post", "/api/v1/reports/", report_body(), headers=headers)
    other = report_body(description="Lampu jalan di depan masjid mati sejak kemarin.")

    response = app("post", "/api/v1/reports/", other, headers=headers)

    assert response.status_code == 409
    number = first.json()["tracking_number"]
    assert error(response) == {
        "code": "conflict",
        "message": f"Idempotency-Key ini sudah dipakai untuk laporan {number}.",
        "fields": {},
    }
    assert Report.objects.count() == 1


def test_a_malformed_idempotency_key_is_400(app, sanitation, harjosari_i):
    response = app(
        "post", "/api/v1/reports/", report_body(), headers={"Idempotency-Key": "ada spasi"}
    )

    assert response.status_code == 400
    assert error(response)["fields"] == {
        "Idempotency-Key": ["Pakai 1–80 huruf, angka, atau tanda _ . : -"]
    }
    assert Report.objects.count() == 0


def test_the_domain_refusals_come_back_per_field(app, sanitation, questions, harjosari_i):
    body = report_body(
        description="Sampah",
        kelurahan="",
        address="",
        answers={"volume": "segunung", "warna": "hijau"},
    )

    response = app("post", "/api/v1/reports/", body)

    assert response.status_code == 400
    assert error(response) == {
        "code": "invalid",
        "message": "Laporan belum lengkap. Periksa isian yang ditandai.",
        "fields": {
            "description": ["Ceritakan masalahnya minimal 10 karakter."],
            "address": [
                "Tunjukkan lokasi: bagikan titik peta, tulis alamat, atau pilih kelurahan."
            ],
            "answers.warna": ["Pertanyaan ini tidak ada untuk kategori yang dipilih."],
            "answers.volume": ["Pilih dari: sedikit, banyak."],
        },
    }
    assert Report.objects.count() == 0


def test_required_questions_must_be_answered(app, sanitation, questions, harjosari_i):
    response = app("post", "/api/v1/reports/", report_body())

    assert response.status_code == 400
    assert error(response)["fields"] == {"answers.volume": ["Pertanyaan ini wajib dijawab."]}


def test_shape_errors_are_400_with_drf_fields_in_the_same_shape(app, sanitation):
    response = app("post", "/api/v1/reports/", {"latitude": 3.5, "answers": [1]})

    assert response.status_code == 400
    fields = error(response)["fields"]
    assert set(fields) == {"category", "description", "answers"}
    assert fields["answers"] == ['Kirim jawaban sebagai objek JSON: {"kode": jawaban}.']


def test_latitude_without_longitude_is_refused(app, sanitation, harjosari_i):
    response = app("post", "/api/v1/reports/", report_body(latitude=3.54))

    assert response.status_code == 400
    assert error(response)["fields"] == {"location": ["Kirim latitude dan longitude bersama-sama."]}


def test_a_kelurahan_of_another_kecamatan_is_refused(app, sanitation, johor):
    from telepati.org.tests.factories import KelurahanFactory

    KelurahanFactory.create(kecamatan=johor, code="medan-johor--gedung-johor")

    response = app("post", "/api/v1/reports/", report_body(kelurahan="medan-johor--gedung-johor"))

    assert response.status_code == 400
    assert error(response)["fields"] == {"kelurahan": ["Kelurahan tidak dikenal di kecamatan ini."]}


def test_broken_json_is_400_parse_error(app, sanitation):
    response = app("post", "/api/v1/reports/", "{tidak json", content_type="application/json")

    assert response.status_code == 400
    assert error(response) == {
        "code": "parse_error",
        "message": "Badan permintaan tidak bisa dibaca.",
        "fields": {},
    }


def test_photos_arrive_as_multipart_and_are_stored_cleaned(app, sanitation, questions, harjosari_i):
    body = {**report_body(answers='{"volume": "sedikit"}'), "photos": [jpeg(), jpeg("kedua.jpg")]}

    response = app("post", "/api/v1/reports/", body, multipart=True)

    assert response.status_code == 201, response.json()
    report = Report.objects.get()
    photos = list(Attachment.objects.filter(report=report).order_by("id"))
    assert [p.original_name for p in photos] == ["foto.jpg", "kedua.jpg"]
    assert all(p.is_public and p.content_type == "image/jpeg" for p in photos)
    assert len(response.json()["timeline"][0]["photos"]) == 2
    assert response.json()["timeline"][0]["photos"][0]["url"].startswith("http://testserver/")


def test_a_file_that_is_no_image_is_refused_and_nothing_is_made(app, sanitation, harjosari_i):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("foto.jpg", b"bukan gambar sama sekali", content_type="image/jpeg")

    response = app("post", "/api/v1/reports/", {**report_body(), "photos": [fake]}, multipart=True)

    assert response.status_code == 400
    assert list(error(response)["fields"]) == ["photos"]
    assert Report.objects.count() == 0


def test_an_anonymous_reports_photos_stay_private(app, sanitation, harjosari_i):
    body = {**report_body(is_anonymous="true"), "photos": [jpeg()]}

    response = app("post", "/api/v1/reports/", body, multipart=True)

    assert response.status_code == 201
    assert Attachment.objects.get().is_public is False
    assert response.json()["timeline"][0]["photos"] == []
    assert response.json()["own"]["is_anonymous"] is True


def test_reports_stay_new_for_the_desk(app, sanitation, harjosari_i):
    app("post", "/api/v1/reports/", report_body())

    assert Report.objects.get().status == Status.NEW


def test_reports_unknown_category_is_a_field_error(app, territory, harjosari_i):
    response = app("post", "/api/v1/reports/", report_body(category="tidak-ada"))

    assert response.status_code == 400
    assert error(response)["fields"] == {"category": ["Pilih kategori laporan yang tersedia."]}
