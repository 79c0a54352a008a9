"""Complaint categories (reference data): kinds of complaint with deadline targets."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from telepati.core.models import TimeStampedModel
from telepati.org.models import Unit

MAX_RESOLUTION_WORKING_DAYS = 60


class Category(TimeStampedModel):
    """A kind of complaint, with its default handling unit and deadline targets in working days."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=100)
    description = models.TextField(_("keterangan"), blank=True)
    default_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="default_for_categories",
        verbose_name=_("unit penanganan bawaan"),
    )
    sla_verification_days = models.PositiveSmallIntegerField(
        _("batas verifikasi (hari kerja)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_RESOLUTION_WORKING_DAYS)],
    )
    sla_first_response_days = models.PositiveSmallIntegerField(
        _("batas tindak lanjut pertama (hari kerja)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_RESOLUTION_WORKING_DAYS)],
    )
    sla_resolution_days = models.PositiveSmallIntegerField(
        _("batas penyelesaian (hari kerja)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_RESOLUTION_WORKING_DAYS)],
    )
    public_by_default = models.BooleanField(
        _("tampil publik secara bawaan"),
        default=True,
        help_text=_(
            "Laporan kategori ini tampil di halaman publik kecuali pelapor memilih rahasia."
        ),
    )
    icon = models.CharField(_("ikon"), max_length=40, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("urutan"), default=100)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("kategori laporan")
        verbose_name_plural = _("kategori laporan")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sla_resolution_days__lte=MAX_RESOLUTION_WORKING_DAYS)
                & models.Q(sla_resolution_days__gte=1),
                name="category_resolution_within_limit",
            ),
        ]

    def __str__(self) -> str:
        return self.name
