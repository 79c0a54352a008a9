"""Shared base models and the holiday calendar."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Abstract base: when a row was created and last changed."""

    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        abstract = True


class HolidayKind(models.TextChoices):
    NATIONAL = "national", _("Libur nasional")
    COLLECTIVE_LEAVE = "collective_leave", _("Cuti bersama")
    LOCAL = "local", _("Libur daerah")


class Holiday(TimeStampedModel):
    """A date that is not a working day for the offices (holiday or collective leave)."""

    date = models.DateField(_("tanggal"), unique=True)
    name = models.CharField(_("nama"), max_length=120)
    kind = models.CharField(
        _("jenis"), max_length=20, choices=HolidayKind.choices, default=HolidayKind.NATIONAL
    )
    is_day_off = models.BooleanField(
        _("kantor tutup"),
        default=True,
        help_text=_(
            "Hapus centang bila pemerintah membatalkan libur ini; baris tetap disimpan "
            "agar pemuatan data awal tidak menambahkannya lagi."
        ),
    )
    verified = models.BooleanField(
        _("sudah diverifikasi"),
        default=False,
        help_text=_("Centang setelah dicocokkan dengan SKB Menteri tentang hari libur."),
    )
    source = models.CharField(_("sumber"), max_length=120, blank=True)
    note = models.TextField(_("catatan"), blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("hari libur")
        verbose_name_plural = _("hari libur dan cuti bersama")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class SequenceCounter(models.Model):
    """The last number handed out for one prefix and period (tracking codes such as D2611-0007)."""

    prefix = models.CharField(max_length=8)
    period = models.CharField(max_length=8, help_text="YYMM")
    value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "period"], name="sequence_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}{self.period}: {self.value}"


class StoredFigures(models.Model):
    """Figures computed once and read by the pages that show them (the leaders' dashboard,
    the public statistics): a JSON payload filed under a kind and a key, with the moment
    it was computed. The apps that compute the figures own the payload's shape; rows are
    replaced, never edited, by a periodic refresh or by a page that found none fresh."""

    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=200)
    payload = models.JSONField()
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="stored_figures_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} @ {self.computed_at:%Y-%m-%d %H:%M}"
