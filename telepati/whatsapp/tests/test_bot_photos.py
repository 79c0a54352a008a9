"""Photos sent while filing: downloaded from the (loopback) Graph API after submit, cleaned,
attached to the new report; `report_attachments_add` rules."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from telepati.citizens.models import Citizen
from telepati.core.errors import Forbidden, InvalidInput
from telepati.reports.models import Attachment, Channel, Report, ReportEvent
from telepati.reports.services.attachments import report_attachments_add
from telepati.reports.services.intake import ReportDraft, report_submit
from telepati.reports.services.media import upload_prepare
from telepati.whatsapp.models import InboundMessage, MediaStatus
from telepati.whatsapp.tests.test_bot_support import (  # noqa: F401
    Phone,
    bot_setup,
    categories,
)

pytestmark = pytest.mark.usefixtures("bot_setup", "categories")


def _jpeg(color: str = "red", *, make: str = "Samsung SM-A015F") -> bytes:
    """A camera photo with EXIF (camera model and a GPS block) that cleaning must remove."""
    image = Image.new("RGB", (64, 48), color)
    exif = Image.Exif()
    exif[0x010F] = "samsung"
    exif[0x0110] = make
    exif[0x8825] = {1: "N", 2: (3.0, 31.0, 59.0)}
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


@pytest.fixture
def phone(client, django_capture_on_commit_callbacks) -> Phone:
    return Phone(client, django_capture_on_commit_callbacks)


def test_photos_are_downloaded_cleaned_and_attached_after_submit(
    db, phone, graph_stand_in, harjosari_i
):
    graph_stand_in.media_add("1001", _jpeg("red"))
    graph_stand_in.media_add("1002", _jpeg("blue"), mime_type="image/jpeg", chunked=True)
    phone.choose("menu:report")
    phone.choose("cat:kebersihan")
    phone.text("Sampah menumpuk di depan gang Mawar sudah tiga hari.")

    first = phone.photo("1001")
    second = phone.photo("1002", caption="dari sisi lain")

    assert [text for text, _ in first + second] == [
        "Foto ke-1 diterima. Kirim foto lain, atau tekan *Lanjut*.",
        "Foto ke-2 diterima. Kirim foto lain, atau tekan *Lanjut*.",
    ]
    # Nothing is downloaded while the resident talks (no network inside the transaction).
    assert graph_stand_in.requests == []
    phone.choose("photos:done")
    phone.location(latitude=3.53, longitude=98.71)
    summary = phone.choose("confirm:send")

    report = Report.objects.get()
    attachments = list(Attachment.objects.filter(report=report).order_by("pk"))
    assert len(attachments) == 2
    for attachment in attachments:
        assert attachment.content_type == "image/jpeg"
        with attachment.file.open("rb") as stored, Image.open(stored) as image:
            assert dict(image.getexif()) == {}
    assert ReportEvent.objects.filter(
        report=report, message="Pelapor menambah 2 lampiran."
    ).exists()
    assert set(
        InboundMessage.objects.filter(kind="image").values_list("media_status", flat=True)
    ) == {MediaStatus.STORED}
    assert summary[-1][0].startswith("Apa selanjutnya?")
    # media id → URL → bytes for each photo, always with the token.
    assert [r.path.rsplit("/", 1)[-1] for r in graph_stand_in.requests] == [
        "1001",
        "1001",
        "1002",
        "1002",
    ]
    assert {r.headers.get("authorization") for r in graph_stand_in.requests} == {
        "Bearer stand-in-token"
    }


def test_a_photo_with_a_caption_starts_a_report_and_is_attached(
    db, phone, graph_stand_in, harjosari_i
):
    graph_stand_in.media_add("2001", _jpeg())

    [(offer, _)] = phone.photo("2001", caption="Tumpukan sampah di depan gang Mawar")
    phone.choose("proposal:yes")
    phone.choose("photos:done")
    phone.location(latitude=3.53, longitude=98.71)
    phone.choose("confirm:send")

    assert offer.startswith("Sepertinya Anda ingin melaporkan masalah *Kebersihan & sampah*")
    report = Report.objects.get()
    assert report.description == "Tumpukan sampah di depan gang Mawar"
    assert report.attachments.count() == 1


def test_a_photo_that_cannot_be_fetched_or_read_is_skipped_and_the_resident_told(
    db, phone, graph_stand_in, harjosari_i
):
    graph_stand_in.media_add("3001", _jpeg())
    graph_stand_in.media_add("3002", b"bukan foto sama sekali")
    phone.choose("menu:report")
    phone.choose("cat:kebersihan")
    phone.text("Sampah menumpuk di depan gang Mawar sudah tiga hari.")
    phone.photo("3001")
    phone.photo("3002")
    phone.photo("3003")  # unknown to the Graph API
    phone.choose("photos:done")
    phone.location(latitude=3.53, longitude=98.71)

    replies = phone.choose("confirm:send")

    report = Report.objects.get()
    assert report.attachments.count() == 1
    assert replies[-1] == (
        f"Maaf, satu foto untuk laporan {report.tracking_number} tidak dapat kami simpan. Foto "
        "lain tetap tersimpan; petugas dapat meminta foto lagi bila perlu.",
        None,
    )
    statuses = dict(
        InboundMessage.objects.filter(kind="image").values_list("media_id", "media_status")
    )
    assert statuses == {"3001": "stored", "3002": "failed", "3003": "failed"}


def test_photos_beyond_the_limit_are_refused(db, phone, settings):
    settings.TELEPATI_UPLOAD_MAX_FILES = 1
    phone.choose("menu:report")
    phone.choose("cat:kebersihan")
    phone.text("Sampah menumpuk di depan gang Mawar sudah tiga hari.")
    phone.photo("4001")

    assert phone.photo("4002") == [
        (
            "Paling banyak 1 foto. Tekan *Lanjut* untuk meneruskan.",
            {"type": "buttons", "buttons": [["photos:done", "Lanjut"]], "header": "", "footer": ""},
        )
    ]


# --- report_attachments_add --------------------------------------------------------------


@pytest.fixture
def siti_report(db, harjosari_i) -> Report:
    return report_submit(
        draft=ReportDraft(
            category_code="kebersihan",
            description="Sampah menumpuk di depan gang Mawar sudah tiga hari.",
            channel=Channel.WHATSAPP,
            kelurahan_id=harjosari_i.pk,
            reporter_name="Siti Aminah",
            reporter_phone="+6281234567890",
        )
    )


def test_the_reporter_adds_a_photo_once_however_often_it_is_sent(siti_report):
    upload = upload_prepare(name="foto.jpg", content=_jpeg())

    first = report_attachments_add(
        report_id=siti_report.pk, citizen=siti_report.reporter, uploads=[upload, upload]
    )
    again = report_attachments_add(
        report_id=siti_report.pk, citizen=siti_report.reporter, uploads=[upload]
    )

    assert len(first) == 1
    assert again == []
    assert siti_report.attachments.count() == 1


def _unchanged(report: Report) -> tuple[int, int, int]:
    report.refresh_from_db()
    return report.version, report.attachments.count(), report.events.count()


def test_another_resident_cannot_add_attachments(siti_report):
    before = _unchanged(siti_report)
    budi = Citizen.objects.create(name="Budi", phone="+6285261234567")

    with pytest.raises(Forbidden):
        report_attachments_add(
            report_id=siti_report.pk,
            citizen=budi,
            uploads=[upload_prepare(name="a.jpg", content=_jpeg())],
        )

    assert _unchanged(siti_report) == before


def test_attachments_are_closed_once_the_report_is_processed(siti_report):
    Report.objects.filter(pk=siti_report.pk).update(status="verified")
    before = _unchanged(siti_report)

    with pytest.raises(InvalidInput):
        report_attachments_add(
            report_id=siti_report.pk,
            citizen=siti_report.reporter,
            uploads=[upload_prepare(name="a.jpg", content=_jpeg())],
        )

    assert _unchanged(siti_report) == before
