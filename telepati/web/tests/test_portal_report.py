"""The portal's report form (/lapor/): filed through report_submit as a web report, errors in
place with the input kept, one report per form token, JSON for portal.js, a limit per
address, duplicate suggestions (public reports only), and the cold-load size budget."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from telepati.accounts.models import User
from telepati.org.models import Kelurahan, Unit
from telepati.reports.lifecycle import Status
from telepati.reports.models import Category, CategoryQuestion, Channel, Report
from telepati.reports.services.desk import report_verify
from telepati.reports.services.intake import ReportDraft, report_submit

pytestmark = pytest.mark.django_db

TOKEN = "0123456789abcdef0123456789abcdef"
DESCRIPTION = "Sampah menumpuk di depan gang Mawar sudah tiga hari."
SIZE_BUDGET = 200 * 1024


@pytest.fixture
def sanitation(territory: None, dlh: Unit) -> Category:
    category = Category.objects.create(
        code="kebersihan",
        name="Kebersihan & sampah",
        default_unit=dlh,
        sla_verification_days=3,
        sla_first_response_days=5,
        sla_resolution_days=14,
    )
    CategoryQuestion.objects.create(
        category=category,
        code="lama",
        datatype="singlevaluelist",
        required=True,
        order=1,
        description="Sudah berapa lama sampah menumpuk?",
        values=[{"key": "1", "name": "Sehari"}, {"key": "7", "name": "Seminggu atau lebih"}],
    )
    return category


def jpeg(name: str = "foto.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 80, 40)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def form_data(harjosari_i: Kelurahan, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "submission_token": TOKEN,
        "category": "kebersihan",
        "q-kebersihan-lama": "7",
        "description": DESCRIPTION,
        "kelurahan": str(harjosari_i.pk),
        "address": "Jl. Garu II, gang Mawar",
        "reporter_name": "Siti Aminah",
        "reporter_phone": "0812-3456-7890",
    }
    data.update(overrides)
    return data


def test_the_form_shows_categories_their_questions_and_the_kelurahan(
    client: Client, sanitation: Category, harjosari_i: Kelurahan
) -> None:
    response = client.get("/lapor/")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<option value="kebersihan">Kebersihan &amp; sampah</option>' in html
    assert 'data-category="kebersihan" hidden' in html
    assert "Sudah berapa lama sampah menumpuk?" in html
    assert f'<option value="{harjosari_i.pk}">Harjosari I (Medan Amplas)</option>' in html
    assert 'accept="image/*" capture="environment"' in html
    assert re.search(r'name="submission_token" value="[0-9a-f]{32}"', html)


def test_the_form_page_takes_constant_queries(
    client: Client, sanitation: Category, harjosari_i: Kelurahan, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(3):  # categories, their questions, kelurahan
        client.get("/lapor/")


def test_a_report_is_filed_as_a_web_report_and_the_number_shown(
    client: Client, sanitation: Category, harjosari_i: Kelurahan
) -> None:
    response = client.post("/lapor/", form_data(harjosari_i, photos=[jpeg()]))

    assert response.status_code == 302
    assert response["Location"] == "/lapor/terkirim/"
    report = Report.objects.get()
    assert report.channel == Channel.WEB
    assert report.status == Status.NEW
    assert report.description == DESCRIPTION
    assert report.kelurahan == harjosari_i
    assert report.answers == {"lama": "7"}
    assert report.submission_key == f"web:{TOKEN}"
    assert report.reporter is not None
    assert report.reporter.phone == "+6281234567890"
    assert report.attachments.count() == 1
    done = client.get("/lapor/terkirim/").content.decode()
    assert f'<strong id="tracking-number">{report.tracking_number}</strong>' in done
    assert f"/lacak/?nomor={report.tracking_number}" in done


def test_a_point_on_the_map_is_kept_with_the_report(
    client: Client, sanitation: Category, harjosari_i: Kelurahan
) -> None:
    client.post(
        "/lapor/",
        form_data(harjosari_i, kelurahan="", latitude="3.540123", longitude="98.701234"),
    )

    report = Report.objects.get()
    assert (report.latitude, report.longitude) == (Decimal("3.540123"), Decimal("98.701234"))
    assert report.kelurahan is None


def test_the_done_page_without_a_report_goes_back_to_the_form(client: Client) -> None:
    response = client.get("/lapor/terkirim/")

    assert response.status_code == 302
    assert response["Location"] == "/lapor/"


def test_errors_are_shown_next_to_the_fields_and_the_input_is_kept(
    client: Client, sanitation: Category, harjosari_i: Kelurahan
) -> None:
    data = form_data(harjosari_i, description="Sampah", reporter_phone="", photos=[jpeg()])
    del data["q-kebersihan-lama"]

    response = client.post("/lapor/", data)

    html = response.content.decode()
    assert response.status_code == 200
    assert Report.objects.count() == 0
    assert "Laporan belum lengkap. Periksa isian yang ditandai." in html
    assert "Ceritakan masalahnya minimal 10 karakter." in html
    assert "Isi nomor WhatsApp agar kami dapat mengabarkan tindak lanjutnya." in html
    assert "Pertanyaan ini wajib dijawab." in html
    assert "Foto belum terkirim: pilih ulang foto Anda sebelum mengirim lagi." in html
    assert ">\nSampah</textarea>" in html
    assert 'value="Jl. Garu II, gang Mawar"' in html
    assert f'name="submission_token" value="{TOKEN}"' in html
    assert 'data-category="kebersihan">' in html  # the chosen category's questions stay open


def test_a_refused_photo_is_named_and_nothing_is_filed(
    client: Client, sanitation: Category, harjosari_i: Kelurahan
) -> None:
    fake = SimpleUploadedFile("surat.jpg", b"bukan gambar", content_type="image/jpeg")

    response = client.post("/lapor/", form_data(harjosari_i, photos=[fake]))

    assert Report.objects.count() == 0
    assert (
        "Berkas surat.jpg tidak dapat diterima. Kirim foto JPG, PNG atau WebP, atau dokumen PDF."
        in response.content.decode()
    )


def test_more_than_three_photos_are_refused(
    client: Client, sanitation: Category, harjosari_i: Kelurahan
) -> None:
    photos = [jpeg(f"foto{n}.jpg") for n in range(4)]

    response = client.post("/lapor/", form_data(harjosari_i, photos=photos))

    assert Report.objects.count() == 0
    assert "Paling banyak 3 foto." in response.content.decode()


def test_a_double_submit_makes_one_report(
    client: Client, sanitation: Category, harjosari_i: Kelurahan
) -> None:
    first = client.post("/lapor/", form_data(harjosari_i))
    second = client.post("/lapor/", form_data(harjosari_i))

    assert first.status_code == second.status_code == 302
    assert Report.objects.count() == 1


def test_portal_js_gets_json_with_the_tracking_number(
    client: Client, sanitation: Category, harjosari_i: Kelurahan
) -> None:
    headers = {"X-Telepati-Fetch": "1"}
    response = client.post("/lapor/", form_data(harjosari_i), headers=headers)
    again = client.post("/lapor/", form_data(harjosari_i), headers=headers)

    number = Report.objects.get().tracking_number
    assert response.status_code == again.status_code == 201
    assert response.json() == {"tracking_number": number, "url": "/lapor/terkirim/"}
    assert again.json()["tracking_number"] == number


def test_portal_js_gets_the_errors_as_json(
    client: Client, sanitation: Category, harjosari_i: Kelurahan
) -> None:
    response = client.post(
        "/lapor/", form_data(harjosari_i, description=""), headers={"X-Telepati-Fetch": "1"}
    )

    assert response.status_code == 400
    assert response.json() == {
        "message": "Laporan belum lengkap. Periksa isian yang ditandai.",
        "errors": {"description": ["Ceritakan masalahnya minimal 10 karakter."]},
    }


def test_the_draft_token_endpoint_hands_out_a_csrf_token(client: Client) -> None:
    response = client.get("/lapor/token/")

    assert response.status_code == 200
    assert len(response.json()["csrf"]) == 64
    assert "no-cache" in response["Cache-Control"]


def test_the_form_needs_the_csrf_token(sanitation: Category, harjosari_i: Kelurahan) -> None:
    response = Client(enforce_csrf_checks=True).post("/lapor/", form_data(harjosari_i))

    assert response.status_code == 403
    assert Report.objects.count() == 0


def test_one_address_may_file_ten_reports_an_hour(
    client: Client, sanitation: Category, harjosari_i: Kelurahan
) -> None:
    for n in range(10):
        token = f"{n:032x}"
        assert (
            client.post("/lapor/", form_data(harjosari_i, submission_token=token)).status_code
            == 302
        )

    response = client.post("/lapor/", form_data(harjosari_i, submission_token="f" * 32))

    assert response.status_code == 429
    assert Report.objects.count() == 10
    html = response.content.decode()
    assert (
        "Terlalu banyak laporan dari perangkat ini. Coba lagi dalam satu jam, atau laporkan "
        "lewat WhatsApp." in html
    )
    assert DESCRIPTION in html
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert (
        other.post("/lapor/", form_data(harjosari_i, submission_token="e" * 32)).status_code == 302
    )


def test_refused_forms_are_not_counted_against_the_address(
    client: Client, sanitation: Category, harjosari_i: Kelurahan
) -> None:
    for _n in range(12):
        client.post("/lapor/", form_data(harjosari_i, description=""))

    assert client.post("/lapor/", form_data(harjosari_i)).status_code == 302


# --- Duplicate suggestions ---------------------------------------------------------------


def _filed(category: Category, kelurahan: Kelurahan, **overrides: Any) -> Report:
    fields: dict[str, Any] = {
        "category_code": category.code,
        "description": DESCRIPTION,
        "channel": Channel.WHATSAPP,
        "kelurahan_id": kelurahan.pk,
        "reporter_phone": "+6281298765432",
        "latitude": "3.540000",
        "longitude": "98.700000",
    }
    fields.update(overrides)
    return report_submit(draft=ReportDraft(**fields))


def test_nearby_public_reports_are_suggested_before_submitting(
    client: Client, sanitation: Category, harjosari_i: Kelurahan, desk_operator: User
) -> None:
    accepted = report_verify(
        user=desk_operator,
        report_id=_filed(sanitation, harjosari_i, title="Sampah di gang Mawar").pk,
    )
    _filed(sanitation, harjosari_i)  # still new: not public yet
    secret = _filed(sanitation, harjosari_i, is_confidential=True)
    report_verify(user=desk_operator, report_id=secret.pk)
    far = _filed(sanitation, harjosari_i, latitude="3.560000")
    report_verify(user=desk_operator, report_id=far.pk)

    response = client.get(
        "/lapor/serupa/",
        {"category": "kebersihan", "latitude": "3.540300", "longitude": "98.700000"},
    )

    html = response.content.decode()
    assert "Apakah ini masalah yang sama?" in html
    assert re.findall(r">(L\d{4}-\d{4})</a>", html) == [accepted.tracking_number]
    assert "Sampah di gang Mawar" in html
    assert "± 33 m" in html
    assert f'href="/laporan-publik/{accepted.tracking_number}/">Ikuti laporan ini</a>' in html
    assert "+6281298765432" not in html


def test_without_a_point_the_suggestions_come_from_the_kelurahan(
    client: Client, sanitation: Category, harjosari_i: Kelurahan, desk_operator: User
) -> None:
    accepted = report_verify(
        user=desk_operator,
        report_id=_filed(sanitation, harjosari_i, latitude=None, longitude=None).pk,
    )

    response = client.get(
        "/lapor/serupa/", {"category": "kebersihan", "kelurahan": str(harjosari_i.pk)}
    )

    assert accepted.tracking_number in response.content.decode()


def test_no_suggestions_without_a_category_or_place(client: Client, sanitation: Category) -> None:
    assert client.get("/lapor/serupa/", {"category": "kebersihan"}).content.decode().strip() == ""
    assert (
        client.get("/lapor/serupa/", {"latitude": "3.5", "longitude": "98.7"}).content.strip()
        == b""
    )


# --- Size budget -------------------------------------------------------------------------


def cold_load_bytes(client: Client, path: str) -> tuple[int, list[str]]:
    """Bytes of the page and of the styles and scripts it references (Leaflet loads only on
    demand, so the page must not reference it)."""
    page = client.get(path)
    html = page.content.decode()
    assets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assets += re.findall(r'<script src="([^"]+)"', html)
    total = len(page.content)
    for url in assets:
        response = client.get(url)
        assert response.status_code == 200, url
        total += len(b"".join(response.streaming_content))  # type: ignore[attr-defined]
    return total, assets


def test_the_report_form_stays_under_200_kb_on_a_cold_load(
    client: Client, sanitation: Category, harjosari_i: Kelurahan
) -> None:
    total, assets = cold_load_bytes(client, "/lapor/")

    assert not [url for url in assets if "leaflet" in url]
    assert "/static/web/portal.js" in assets
    assert total < SIZE_BUDGET, f"/lapor/ cold load is {total} bytes"
