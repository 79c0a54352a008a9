"""Dispositions (forwarding to units), attachments and canned responses of reports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from telepati.core.models import TimeStampedModel
from telepati.org.models import Unit
from telepati.reports.lifecycle import Status
from telepati.reports.models.category import Category
from telepati.reports.models.report import Report, ReportEvent


class DispositionStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu")
    ACKNOWLEDGED = "acknowledged", _("Diterima unit")
    IN_PROGRESS = "in_progress", _("Dikerjakan")
    DONE = "done", _("Selesai oleh unit")
    RETURNED = "returned", _("Dikembalikan: bukan wewenang")
    WITHDRAWN = "withdrawn", _("Ditarik")


OPEN_DISPOSITION_STATES = ("pending", "acknowledged", "in_progress")


class Disposition(models.Model):
    """A report forwarded to one unit (kecamatan section, kelurahan office or OPD) to act on."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="dispositions")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="dispositions")
    instruction = models.TextField(_("instruksi"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=DispositionStatus.choices,
        default=DispositionStatus.PENDING,
    )
    due_at = models.DateTimeField(_("batas waktu"))
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    forwarded_at = models.DateTimeField(_("diteruskan"))
    acknowledged_at = models.DateTimeField(_("diterima"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("tanggapan pertama"), null=True, blank=True)
    done_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    returned_at = models.DateTimeField(_("dikembalikan"), null=True, blank=True)
    return_reason = models.TextField(_("alasan dikembalikan"), blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["forwarded_at", "id"]
        verbose_name = _("disposisi")
        verbose_name_plural = _("disposisi")
        indexes = [
            models.Index(fields=["unit", "status"], name="disposition_unit_idx"),
            # A month's finished and due dispositions (the units' figures on the dashboard).
            models.Index(fields=["done_at"], name="disposition_done_idx"),
            models.Index(fields=["due_at"], name="disposition_due_at_idx"),
            models.Index(
                fields=["due_at"],
                name="disposition_due_idx",
                condition=Q(breached_at__isnull=True, status__in=OPEN_DISPOSITION_STATES),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "unit"],
                condition=Q(status__in=OPEN_DISPOSITION_STATES),
                name="disposition_one_open_per_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} → {self.unit}"


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", _("Foto")
    FILE = "file", _("Berkas")


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"reports/{instance.sha256[:2]}/{instance.sha256}{instance.extension}"


def thumbnail_path(instance: Attachment, filename: str) -> str:
    return f"reports/thumbs/{instance.sha256[:2]}/{instance.sha256}.jpg"


class Attachment(models.Model):
    """A photo or file attached to a report (by the reporter, or as evidence of resolution)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(
        ReportEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="attachments"
    )
    kind = models.CharField(max_length=10, choices=AttachmentKind.choices)
    # Indexed: the media door finds a file's owner by its stored name.
    file = models.FileField(upload_to=attachment_path, max_length=200, db_index=True)
    thumbnail = models.ImageField(
        upload_to=thumbnail_path, max_length=200, blank=True, db_index=True
    )
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    extension = models.CharField(max_length=10)
    is_public = models.BooleanField(default=True)
    is_evidence = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name or self.sha256[:12]


class CannedResponse(TimeStampedModel):
    """A ready-made reply officers pick for a category and state; editable by administrators."""

    title = models.CharField(_("judul"), max_length=100)
    body = models.TextField(_("isi"))
    category = models.ForeignKey(
        Category,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="canned_responses",
        verbose_name=_("kategori"),
        help_text=_("Kosongkan untuk semua kategori."),
    )
    status = models.CharField(
        _("status laporan"),
        max_length=20,
        choices=Status.choices,
        blank=True,
        help_text=_("Kosongkan untuk semua status."),
    )
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("jawaban siap pakai")
        verbose_name_plural = _("jawaban siap pakai")
