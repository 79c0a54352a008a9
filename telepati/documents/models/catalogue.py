"""The catalogue of population-document services the office handles (admin-editable, seeded)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from telepati.core.models import TimeStampedModel
from telepati.org.models import Kecamatan, Unit


class DocumentType(TimeStampedModel):
    """One kind of document residents apply for (KTP-el, KK, SKTM, …) and how it is handled."""

    kecamatan = models.ForeignKey(
        Kecamatan,
        on_delete=models.PROTECT,
        related_name="document_types",
        verbose_name=_("kecamatan"),
    )
    code = models.SlugField(_("kode"), max_length=40)
    name = models.CharField(_("nama"), max_length=120)
    short_name = models.CharField(
        _("nama singkat"), max_length=24, help_text=_("Untuk tombol WhatsApp (maks. 24 huruf).")
    )
    description = models.TextField(_("keterangan"), blank=True)
    requirements = models.JSONField(
        _("persyaratan"),
        default=list,
        blank=True,
        help_text=_("Daftar persyaratan, satu butir per baris."),
    )
    handling_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="document_types",
        verbose_name=_("unit penanganan"),
    )
    via_disdukcapil = models.BooleanField(
        _("diterbitkan Disdukcapil"),
        default=True,
        help_text=_("Berkas diajukan ke Disdukcapil; bila tidak, surat ditandatangani di sini."),
    )
    target_days = models.PositiveSmallIntegerField(_("target (hari kerja)"), default=5)
    delivery_available = models.BooleanField(_("bisa diantar ke rumah"), default=True)
    fee_note = models.CharField(
        _("biaya"), max_length=120, blank=True, default="Gratis (tidak dipungut biaya)"
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("urutan"), default=100)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("jenis dokumen")
        verbose_name_plural = _("jenis dokumen")
        constraints = [
            models.UniqueConstraint(fields=["kecamatan", "code"], name="document_type_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name
