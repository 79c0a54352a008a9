"""The face-to-face services the office offers for booking (admin-editable, seeded)."""

from __future__ import annotations

from datetime import time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from telepati.core.models import TimeStampedModel
from telepati.org.models import Kecamatan, Unit


def _weekdays_default() -> list[int]:
    return [0, 1, 2, 3, 4]


class OfficeService(TimeStampedModel):
    """A service residents book a slot for (adminduk counter, meeting the camat, UMKM, …)."""

    kecamatan = models.ForeignKey(
        Kecamatan, on_delete=models.PROTECT, related_name="office_services"
    )
    code = models.SlugField(_("kode"), max_length=40)
    name = models.CharField(_("nama layanan"), max_length=120)
    short_name = models.CharField(
        _("nama singkat"), max_length=24, help_text=_("Untuk daftar WhatsApp (maks. 24 huruf).")
    )
    description = models.TextField(_("keterangan"), blank=True)
    what_to_bring = models.TextField(
        _("yang perlu dibawa"),
        blank=True,
        help_text=_("Satu hal per baris; dikirim kepada warga bersama kode janji temu."),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="office_services", verbose_name=_("unit")
    )
    weekdays = models.JSONField(
        _("hari layanan"),
        default=_weekdays_default,
        help_text=_("Nomor hari: 0 = Senin … 6 = Minggu. Hari libur kantor selalu tutup."),
    )
    opens_at = models.TimeField(_("jam buka"), default=time(8, 0))
    closes_at = models.TimeField(_("jam tutup"), default=time(15, 0))
    break_starts_at = models.TimeField(_("istirahat mulai"), null=True, blank=True)
    break_ends_at = models.TimeField(_("istirahat selesai"), null=True, blank=True)
    friday_closes_at = models.TimeField(
        _("jam tutup hari Jumat"),
        null=True,
        blank=True,
        help_text=_("Kosongkan bila hari Jumat tutup pada jam biasa."),
    )
    slot_minutes = models.PositiveSmallIntegerField(
        _("lama slot (menit)"), default=30, validators=[MinValueValidator(5)]
    )
    capacity_per_slot = models.PositiveSmallIntegerField(
        _("kapasitas per slot"), default=3, validators=[MinValueValidator(1)]
    )
    book_days_ahead = models.PositiveSmallIntegerField(
        _("bisa dipesan (hari ke depan)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    queue_prefix = models.CharField(_("awalan nomor antrean"), max_length=2, default="A")
    counter_name = models.CharField(_("nama loket"), max_length=40, default="Loket 1")
    is_active = models.BooleanField(_("aktif"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("urutan"), default=100)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("layanan temu cepat")
        verbose_name_plural = _("layanan temu cepat")
        constraints = [
            models.UniqueConstraint(
                fields=["kecamatan", "code"], name="office_service_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Hours that make a day of slots: opening before closing, the break inside them."""
        errors: dict[str, Any] = {}
        if self.closes_at <= self.opens_at:
            errors["closes_at"] = _("Jam tutup harus setelah jam buka.")
        if self.friday_closes_at is not None and self.friday_closes_at <= self.opens_at:
            errors["friday_closes_at"] = _("Jam tutup hari Jumat harus setelah jam buka.")
        starts, ends = self.break_starts_at, self.break_ends_at
        if (starts is None) != (ends is None):
            errors["break_ends_at"] = _("Isi mulai dan selesai istirahat, atau kosongkan keduanya.")
        elif (
            starts is not None
            and ends is not None
            and not (self.opens_at < starts < ends <= self.closes_at)
        ):
            errors["break_starts_at"] = _("Istirahat harus berada di dalam jam buka.")
        days = self.weekdays if isinstance(self.weekdays, list) else None
        if not days or not all(isinstance(d, int) and 0 <= d <= 6 for d in days):
            errors["weekdays"] = _("Pilih hari layanan sebagai angka 0 (Senin) sampai 6 (Minggu).")
        if errors:
            raise ValidationError(errors)
