"""Photos and files attached to reports: checked, cleaned and stored before anyone sees them.

`upload_prepare` runs outside any transaction (it is CPU work): it checks the type by the
file's content (not its name), the size, decodes images with Pillow, applies the EXIF
orientation, re-encodes them without any metadata (EXIF carries GPS positions and phone
models) and makes a thumbnail. `attachments_store` then writes the files under
content-addressed names and creates the rows inside the caller's transaction; a rolled-back
transaction leaves at most an orphan file with a hash name, never a half-made row.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from telepati.accounts.models import User
from telepati.core.errors import InvalidInput
from telepati.reports.models import Attachment, AttachmentKind, Report, ReportEvent

# MPO is how Pillow names a JPEG that carries extra frames (depth map, HDR gain map): many
# phone cameras write it, so it is a JPEG to us; only the first frame is kept.
IMAGE_FORMATS: Final = frozenset({"JPEG", "MPO", "PNG", "WEBP"})
MAX_IMAGE_SIDE: Final = 2560
THUMBNAIL_SIDE: Final = 320
MAX_IMAGE_PIXELS: Final = 40_000_000
PDF_MAGIC: Final = b"%PDF-"


@dataclass(frozen=True)
class PreparedUpload:
    """A checked, cleaned upload ready to store (bytes in memory)."""

    kind: AttachmentKind
    content: bytes
    content_type: str
    extension: str
    original_name: str
    thumbnail: bytes | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def size(self) -> int:
        return len(self.content)


def upload_prepare(*, name: str, content: bytes) -> PreparedUpload:
    """Check and clean one upload; raise InvalidInput with an Indonesian message if refused."""
    original_name = (name or "").strip()[-200:]
    if not content:
        raise InvalidInput(_("Berkas %(name)s kosong.") % {"name": original_name or "-"})
    max_bytes = settings.TELEPATI_UPLOAD_MAX_BYTES
    if len(content) > max_bytes:
        raise InvalidInput(
            _("Berkas %(name)s terlalu besar (maksimal %(mb)d MB).")
            % {"name": original_name or "-", "mb": max_bytes // (1024 * 1024)}
        )
    if content.startswith(PDF_MAGIC):
        return PreparedUpload(
            kind=AttachmentKind.FILE,
            content=content,
            content_type="application/pdf",
            extension=".pdf",
            original_name=original_name,
        )
    return _image_prepare(original_name, content)


def _image_prepare(original_name: str, content: bytes) -> PreparedUpload:
    refused = InvalidInput(
        _("Berkas %(name)s tidak dapat diterima. Kirim foto JPG, PNG atau WebP, atau dokumen PDF.")
        % {"name": original_name or "-"}
    )
    # Image.open only reads the header, so the pixel count is checked before any decoding.
    # (Pillow may also warn about a large image; the explicit check below is what refuses it,
    # without touching process-wide warning filters that other threads share.)
    try:
        with Image.open(io.BytesIO(content)) as probe:
            source_format = probe.format
            if source_format not in IMAGE_FORMATS:
                raise refused
            if probe.width * probe.height > MAX_IMAGE_PIXELS:
                raise refused
            probe.load()
            image = _palette_expand(ImageOps.exif_transpose(probe))
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        raise refused from None
    image.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
    if source_format == "PNG":
        cleaned = _encode(image, "PNG")
        content_type, extension = "image/png", ".png"
    else:
        cleaned = _encode(_rgb(image), "JPEG")
        content_type, extension = "image/jpeg", ".jpg"
    thumb = _rgb(image.copy())
    thumb.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
    return PreparedUpload(
        kind=AttachmentKind.PHOTO,
        content=cleaned,
        content_type=content_type,
        extension=extension,
        original_name=original_name,
        thumbnail=_encode(thumb, "JPEG"),
    )


def _palette_expand(image: Image.Image) -> Image.Image:
    """Palette images to RGB(A): `_encode` copies pixels into a fresh image, which would
    keep the palette indices but lose the palette (every colour) and its transparency."""
    if image.mode not in ("P", "PA"):
        return image
    has_alpha = image.mode == "PA" or "transparency" in image.info
    return image.convert("RGBA" if has_alpha else "RGB")


def _rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("RGB", "L"):
        return image
    background = Image.new("RGB", image.size, (255, 255, 255))
    rgba = image.convert("RGBA")
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


def _encode(image: Image.Image, fmt: str) -> bytes:
    """Encode without metadata: a fresh image carries no EXIF, XMP, ICC comment or GPS."""
    buffer = io.BytesIO()
    bare = Image.new(image.mode, image.size)
    bare.paste(image)
    if fmt == "JPEG":
        bare.save(buffer, format="JPEG", quality=85, optimize=True, progressive=True)
    else:
        bare.save(buffer, format=fmt, optimize=True)
    return buffer.getvalue()


def attachments_store(
    *,
    report: Report,
    uploads: list[PreparedUpload],
    event: ReportEvent | None = None,
    is_public: bool = True,
    is_evidence: bool = False,
    uploaded_by: User | None = None,
) -> list[Attachment]:
    """Store prepared uploads for a report (call inside the transaction that needs them)."""
    stored: list[Attachment] = []
    for upload in uploads:
        digest = upload.sha256
        attachment = Attachment(
            report=report,
            event=event,
            kind=upload.kind,
            original_name=upload.original_name,
            content_type=upload.content_type,
            size=upload.size,
            sha256=digest,
            extension=upload.extension,
            is_public=is_public,
            is_evidence=is_evidence,
            uploaded_by=uploaded_by,
        )
        _file_put(attachment.file, name=f"{digest}{upload.extension}", content=upload.content)
        if upload.thumbnail is not None:
            _file_put(attachment.thumbnail, name=f"{digest}.jpg", content=upload.thumbnail)
        attachment.save()
        stored.append(attachment)
    return stored


def _file_put(field_file: FieldFile, *, name: str, content: bytes) -> None:
    """Store bytes under their content-hash name, or point at the copy already stored there.

    Storages never overwrite: without the check, the same photo sent twice (a resent
    WhatsApp message, a retried submission) would be kept again under a random suffix.
    """
    path = field_file.field.generate_filename(field_file.instance, name)
    if field_file.storage.exists(path):
        field_file.name = path
    else:
        field_file.save(name, ContentFile(content), save=False)


def evidence_store(
    *,
    report: Report,
    uploads: Sequence[PreparedUpload],
    event: ReportEvent,
    uploaded_by: User | None,
) -> list[Attachment]:
    """Store photos of finished work; public unless the report is anonymous (its photos could
    show where the reporter lives)."""
    if not uploads:
        return []
    return attachments_store(
        report=report,
        uploads=list(uploads),
        event=event,
        is_public=not report.is_anonymous,
        is_evidence=True,
        uploaded_by=uploaded_by,
    )
