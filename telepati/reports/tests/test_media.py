"""Uploads: what residents send is checked by content, stripped of metadata and stored once.

Every image here is made in memory with Pillow, the way a phone would write it: a JPEG with
the camera's EXIF (make, model, GPS position, orientation), a PNG with text chunks, a WebP.
"""

from __future__ import annotations

import hashlib
import io
import struct
import zlib

import pytest
from django.core.files.storage import default_storage
from PIL import ExifTags, Image, PngImagePlugin

from telepati.core.errors import InvalidInput
from telepati.reports.models import Attachment, AttachmentKind, EventKind
from telepati.reports.services.media import PreparedUpload, attachments_store, upload_prepare

REFUSED = "Berkas %s tidak dapat diterima. Kirim foto JPG, PNG atau WebP, atau dokumen PDF."
RED = (255, 0, 0)
BLUE = (0, 0, 255)
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def fresh_storage(settings):
    """An empty in-memory storage for each test (changing STORAGES resets default_storage)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


def _encode(image: Image.Image, fmt: str, **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **params)
    return buffer.getvalue()


def _phone_photo(*, size: tuple[int, int] = (400, 300), orientation: int = 6) -> bytes:
    """A landscape-stored JPEG, left half red and right half blue, as a phone camera writes it:
    held upright, so EXIF says "rotate 90° clockwise"; with the phone's make, model and GPS."""
    width, height = size
    image = Image.new("RGB", size, RED)
    image.paste(BLUE, (width // 2, 0, width, height))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "samsung"
    exif[ExifTags.Base.Model] = "SM-A525F"
    exif[ExifTags.Base.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (3.0, 32.0, 24.6),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (98.0, 42.0, 7.2),
    }
    return _encode(image, "JPEG", exif=exif, quality=90)


def _png_bomb(width: int, height: int) -> bytes:
    """A valid 1-bit PNG of the given size, all black: zlib shrinks it to a few kilobytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte + packed pixels
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def _open(content: bytes) -> Image.Image:
    return Image.open(io.BytesIO(content))


# --- upload_prepare: photos --------------------------------------------------------------


def test_a_phone_photo_loses_its_exif_and_gps_and_is_turned_upright():
    source = _phone_photo()
    assert _open(source).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the fixture carries GPS

    prepared = upload_prepare(name="IMG_20261102_095512.jpg", content=source)

    assert prepared.kind == AttachmentKind.PHOTO
    assert prepared.content_type == "image/jpeg"
    assert prepared.extension == ".jpg"
    assert prepared.original_name == "IMG_20261102_095512.jpg"
    cleaned = _open(prepared.content)
    assert cleaned.format == "JPEG"
    assert dict(cleaned.getexif()) == {}
    assert b"Exif" not in prepared.content
    assert b"samsung" not in prepared.content
    assert b"SM-A525F" not in prepared.content
    # Stored 400×300 with orientation 6: upright it is 300×400, the red half on top.
    assert cleaned.size == (300, 400)
    assert _near(_pixel(cleaned.convert("RGB"), (150, 50)), RED)
    assert _near(_pixel(cleaned.convert("RGB"), (150, 350)), BLUE)


def test_a_photo_gets_a_metadata_free_jpeg_thumbnail_within_320_pixels():
    prepared = upload_prepare(name="foto.jpg", content=_phone_photo(size=(1600, 1200)))

    assert prepared.thumbnail is not None
    thumbnail = _open(prepared.thumbnail)
    assert thumbnail.format == "JPEG"
    assert thumbnail.size == (240, 320)  # upright, longest side 320
    assert dict(thumbnail.getexif()) == {}
    assert b"Exif" not in prepared.thumbnail


def test_very_large_photos_are_scaled_down_to_2560_pixels():
    prepared = upload_prepare(
        name="panorama.jpg", content=_encode(Image.new("RGB", (6000, 3000), RED), "JPEG")
    )

    assert _open(prepared.content).size == (2560, 1280)


def test_a_photo_within_2560_pixels_keeps_its_size():
    prepared = upload_prepare(
        name="foto.jpg", content=_encode(Image.new("RGB", (2560, 1920), RED), "JPEG")
    )

    assert _open(prepared.content).size == (2560, 1920)


def test_a_png_with_transparency_stays_png_without_text_chunks_or_exif():
    image = Image.new("RGBA", (200, 100), (*RED, 0))
    image.paste((*BLUE, 255), (100, 0, 200, 100))
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Siti Aminah")
    info.add_text("Comment", "Jl. Garu II")
    exif = Image.Exif()
    exif[ExifTags.Base.Model] = "SM-A525F"
    source = _encode(image, "PNG", pnginfo=info, exif=exif)
    assert b"tEXt" in source
    assert b"eXIf" in source

    prepared = upload_prepare(name="tangkapan-layar.png", content=source)

    assert (prepared.content_type, prepared.extension) == ("image/png", ".png")
    cleaned = _open(prepared.content)
    assert cleaned.format == "PNG"
    assert cleaned.mode == "RGBA"
    assert _pixel(cleaned, (10, 10))[3] == 0
    assert _pixel(cleaned, (150, 10)) == (*BLUE, 255)
    assert cleaned.text == {}  # type: ignore[attr-defined]
    assert dict(cleaned.getexif()) == {}
    for marker in (b"tEXt", b"iTXt", b"zTXt", b"eXIf", b"Siti Aminah", b"SM-A525F"):
        assert marker not in prepared.content


def test_a_palette_png_keeps_its_colours_and_transparency():
    image = Image.new("P", (40, 20), 0)
    image.putpalette([*RED, *BLUE])
    image.paste(1, (20, 0, 40, 20))
    source = _encode(image, "PNG", transparency=0)

    prepared = upload_prepare(name="peta.png", content=source)

    cleaned = _open(prepared.content).convert("RGBA")
    assert _pixel(cleaned, (5, 5))[3] == 0  # palette entry 0 was transparent
    assert _pixel(cleaned, (30, 5)) == (*BLUE, 255)


def test_a_webp_becomes_a_jpeg_on_white():
    image = Image.new("RGBA", (120, 80), (*RED, 0))
    image.paste((*BLUE, 255), (60, 0, 120, 80))
    exif = Image.Exif()
    exif[ExifTags.Base.Model] = "SM-A525F"

    prepared = upload_prepare(name="stiker.webp", content=_encode(image, "WEBP", exif=exif))

    assert (prepared.content_type, prepared.extension) == ("image/jpeg", ".jpg")
    cleaned = _open(prepared.content)
    assert cleaned.format == "JPEG"
    assert cleaned.size == (120, 80)
    assert _near(_pixel(cleaned, (10, 10)), (255, 255, 255))
    assert _near(_pixel(cleaned, (100, 10)), BLUE)
    assert b"SM-A525F" not in prepared.content


def test_a_multi_picture_jpeg_from_a_phone_is_accepted_as_a_jpeg():
    # Many phones add a depth map or HDR gain map as a second frame; Pillow calls that MPO.
    main, extra = Image.new("RGB", (60, 40), RED), Image.new("RGB", (60, 40), BLUE)
    source = _encode(main, "MPO", save_all=True, append_images=[extra])
    assert _open(source).format == "MPO"

    prepared = upload_prepare(name="foto.jpg", content=source)

    assert prepared.content_type == "image/jpeg"
    cleaned = _open(prepared.content)
    assert (cleaned.format, cleaned.size) == ("JPEG", (60, 40))
    assert _near(_pixel(cleaned, (30, 20)), RED)


def test_the_type_comes_from_the_content_not_the_name():
    prepared = upload_prepare(
        name="foto.pdf", content=_encode(Image.new("RGB", (20, 20), RED), "PNG")
    )

    assert (prepared.kind, prepared.content_type) == (AttachmentKind.PHOTO, "image/png")


# --- upload_prepare: documents -----------------------------------------------------------


def test_a_pdf_is_accepted_as_a_file_unchanged_without_a_thumbnail():
    prepared = upload_prepare(name="surat-pengantar.pdf", content=PDF)

    assert prepared == PreparedUpload(
        kind=AttachmentKind.FILE,
        content=PDF,
        content_type="application/pdf",
        extension=".pdf",
        original_name="surat-pengantar.pdf",
        thumbnail=None,
    )
    assert prepared.sha256 == hashlib.sha256(PDF).hexdigest()
    assert prepared.size == len(PDF)


# --- upload_prepare: refusals ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        pytest.param("foto.jpg", b"Ini bukan foto, hanya teks.\n", id="text-as-jpg"),
        pytest.param(
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
            b"<script>alert(1)</script></svg>",
            id="svg",
        ),
        pytest.param("animasi.gif", _encode(Image.new("RGB", (10, 10), RED), "GIF"), id="gif"),
        pytest.param("foto.jpg", _phone_photo()[:600], id="truncated-jpeg"),
    ],
)
def test_files_that_are_not_photos_or_pdfs_are_refused_by_name(name, content):
    with pytest.raises(InvalidInput) as excinfo:
        upload_prepare(name=name, content=content)

    assert str(excinfo.value) == REFUSED % name


def test_an_empty_file_is_refused_by_name():
    with pytest.raises(InvalidInput) as excinfo:
        upload_prepare(name="foto.jpg", content=b"")

    assert str(excinfo.value) == "Berkas foto.jpg kosong."


def test_a_file_over_the_size_limit_is_refused_by_name(settings):
    settings.TELEPATI_UPLOAD_MAX_BYTES = 1024 * 1024
    content = PDF + b"\0" * (1024 * 1024 - len(PDF) + 1)

    with pytest.raises(InvalidInput) as excinfo:
        upload_prepare(name="scan.pdf", content=content)

    assert str(excinfo.value) == "Berkas scan.pdf terlalu besar (maksimal 1 MB)."
    assert upload_prepare(name="scan.pdf", content=content[:-1]).size == 1024 * 1024


@pytest.mark.parametrize(
    ("width", "height"),
    [
        pytest.param(8000, 6000, id="over-our-40-megapixels"),
        pytest.param(12000, 12000, id="pillow-bomb-warning"),
        pytest.param(20000, 20000, id="pillow-bomb-error"),
    ],
)
def test_a_decompression_bomb_is_refused_before_it_is_decoded(width, height):
    bomb = _png_bomb(width, height)
    assert len(bomb) < 100_000  # tiny on the wire, gigabytes once decoded

    with pytest.raises(InvalidInput) as excinfo:
        upload_prepare(name="bom.png", content=bomb)

    assert str(excinfo.value) == REFUSED % "bom.png"


# --- attachments_store -------------------------------------------------------------------


def test_attachments_store_writes_files_and_thumbnails_under_their_hash(
    new_report, desk_operator, django_assert_num_queries
):
    photo = upload_prepare(name="IMG_0001.jpg", content=_phone_photo())
    document = upload_prepare(name="surat.pdf", content=PDF)

    with django_assert_num_queries(2):  # one INSERT per attachment
        stored = attachments_store(
            report=new_report,
            uploads=[photo, document],
            is_public=False,
            is_evidence=True,
            uploaded_by=desk_operator,
        )

    assert list(new_report.attachments.all()) == stored
    rows = [
        (a.kind, a.original_name, a.content_type, a.extension, a.size, a.is_public)
        for a in Attachment.objects.filter(report=new_report)
    ]
    assert rows == [
        (AttachmentKind.PHOTO, "IMG_0001.jpg", "image/jpeg", ".jpg", photo.size, False),
        (AttachmentKind.FILE, "surat.pdf", "application/pdf", ".pdf", len(PDF), False),
    ]
    for attachment, upload in zip(stored, [photo, document], strict=True):
        attachment.refresh_from_db()
        assert attachment.is_evidence is True
        assert attachment.uploaded_by == desk_operator
        assert attachment.event is None
        assert attachment.sha256 == upload.sha256
        sha = attachment.sha256
        assert attachment.file.name == f"reports/{sha[:2]}/{sha}{upload.extension}"
        with default_storage.open(attachment.file.name) as stored_file:
            stored_bytes = stored_file.read()
        assert stored_bytes == upload.content
        assert hashlib.sha256(stored_bytes).hexdigest() == sha
    photo_row, document_row = stored
    sha = photo_row.sha256
    assert photo_row.thumbnail.name == f"reports/thumbs/{sha[:2]}/{sha}.jpg"
    with default_storage.open(photo_row.thumbnail.name) as thumbnail_file:
        assert thumbnail_file.read() == photo.thumbnail
    assert not document_row.thumbnail


def test_the_same_photo_twice_is_stored_once(submit):
    photo = upload_prepare(name="foto.jpg", content=_phone_photo())
    first = attachments_store(report=submit(), uploads=[photo])[0]

    second = attachments_store(report=submit(), uploads=[photo])[0]

    assert second.file.name == first.file.name
    assert second.thumbnail.name == first.thumbnail.name
    _dirs, files = default_storage.listdir(f"reports/{photo.sha256[:2]}")
    assert files == [f"{photo.sha256}.jpg"]


def test_a_submitted_report_carries_its_photos_on_the_first_event(submit):
    photo = upload_prepare(name="sampah.jpg", content=_phone_photo())
    document = upload_prepare(name="surat.pdf", content=PDF)

    report = submit(uploads=[photo, document])

    attachments = list(report.attachments.all())
    assert [(a.original_name, a.kind, a.is_public) for a in attachments] == [
        ("sampah.jpg", AttachmentKind.PHOTO, True),
        ("surat.pdf", AttachmentKind.FILE, True),
    ]
    event = report.events.get()
    assert event.kind == EventKind.SUBMITTED
    assert list(event.attachments.all()) == attachments
    assert all(a.uploaded_by is None and not a.is_evidence for a in attachments)


def test_an_anonymous_report_keeps_its_photos_out_of_public_view(submit):
    photo = upload_prepare(name="sampah.jpg", content=_phone_photo())

    report = submit(is_anonymous=True, uploads=[photo])

    assert list(report.attachments.values_list("is_public", flat=True)) == [False]


def _pixel(image: Image.Image, xy: tuple[int, int]) -> tuple[int, ...]:
    value = image.getpixel(xy)
    assert isinstance(value, tuple)
    return value


def _near(pixel: tuple[int, ...], colour: tuple[int, int, int], tolerance: int = 8) -> bool:
    """JPEG is lossy: a flat colour comes back within a few levels."""
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))
