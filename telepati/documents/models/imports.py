"""Bulk imports of issued documents from the registry (CSV or XLSX), row by row."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from telepati.documents.models.application import Application
from telepati.org.models import Kecamatan


class BatchStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu")
    RUNNING = "running", _("Diproses")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


class ImportBatch(models.Model):
    """One uploaded file of issued documents; the same file (by hash) is processed only once."""

    kecamatan = models.ForeignKey(Kecamatan, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(_("nama berkas"), max_length=255)
    file_sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.PENDING
    )
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True, help_text="result → rows")
    error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("impor data terbit")
        verbose_name_plural = _("impor data terbit")
        constraints = [
            models.UniqueConstraint(
                fields=["kecamatan", "file_sha256"], name="import_batch_file_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.file_name


class RowResult(models.TextChoices):
    PENDING = "pending", _("Menunggu")
    MATCHED = "matched", _("Cocok, ditandai terbit")
    ALREADY = "already", _("Sudah terbit sebelumnya")
    NOT_FOUND = "not_found", _("Tidak ditemukan")
    AMBIGUOUS = "ambiguous", _("Lebih dari satu permohonan cocok")
    INVALID = "invalid", _("Baris tidak valid")
    DUPLICATE = "duplicate", _("Baris ganda dalam berkas")
    NOT_READY = "not_ready", _("Permohonan belum dapat ditandai terbit")


class ImportRow(models.Model):
    """One row of an import: what it said, and what became of it."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows")
    row_number = models.PositiveIntegerField()
    data = models.JSONField(default=dict)
    result = models.CharField(max_length=10, choices=RowResult.choices, default=RowResult.PENDING)
    message = models.TextField(blank=True)
    application = models.ForeignKey(
        Application, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["batch", "row_number"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "row_number"], name="import_row_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.row_number} {self.result}"
