"""The program activity log: what the office did for the five priority programs.

Cleanliness sweeps, drainage and inlet cleaning, infrastructure works (budget source,
progress), vaccination events (target group, people reached), UMKM events — each with a
place on the map, photos (before/after) and the complaints it resolves. Public pages show
public activities only, and a linked complaint's tracking number only when that complaint is
public itself (`reports.lifecycle.PUBLIC_STATES`, not *rahasia*).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from telepati.core.models import TimeStampedModel
from telepati.org.models import Kecamatan, Kelurahan
from telepati.reports.models import Report


class Program(models.TextChoices):
    """The mayor's five priority programs, as the office reports on them."""

    KEBERSIHAN = "kebersihan", _("Kebersihan")
    DRAINASE = "drainase", _("Penanganan banjir dan drainase")
    INFRASTRUKTUR = "infrastruktur", _("Infrastruktur")
    KESEHATAN = "kesehatan", _("Kesehatan")
    UMKM = "umkm", _("UMKM")


class ActivityKind(models.TextChoices):
    SWEEP = "sweep", _("Penyapuan dan pengangkutan sampah")
    COMMUNITY_CLEANUP = "community_cleanup", _("Gotong royong kebersihan")
    DRAINAGE_NORMALISATION = "drainage_normalisation", _("Normalisasi drainase")
    INLET_CLEANING = "inlet_cleaning", _("Pembersihan inlet")
    ROAD_REPAIR = "road_repair", _("Perbaikan jalan")
    ALLEY_PAVING = "alley_paving", _("Rabat beton gang")
    DITCH_WORKS = "ditch_works", _("Pembangunan/perbaikan parit")
    VACCINATION = "vaccination", _("Vaksinasi")
    HEALTH_PATROL = "health_patrol", _("Patroli protokol kesehatan")
    UMKM_TRAINING = "umkm_training", _("Pelatihan UMKM")
    UMKM_MARKETING = "umkm_marketing", _("Bazar dan pemasaran UMKM")
    OTHER = "other", _("Kegiatan lain")


# Which kinds belong to which program (OTHER fits every program).
PROGRAM_KINDS: dict[str, frozenset[str]] = {
    Program.KEBERSIHAN: frozenset({ActivityKind.SWEEP, ActivityKind.COMMUNITY_CLEANUP}),
    Program.DRAINASE: frozenset({ActivityKind.DRAINAGE_NORMALISATION, ActivityKind.INLET_CLEANING}),
    Program.INFRASTRUKTUR: frozenset(
        {ActivityKind.ROAD_REPAIR, ActivityKind.ALLEY_PAVING, ActivityKind.DITCH_WORKS}
    ),
    Program.KESEHATAN: frozenset({ActivityKind.VACCINATION, ActivityKind.HEALTH_PATROL}),
    Program.UMKM: frozenset({ActivityKind.UMKM_TRAINING, ActivityKind.UMKM_MARKETING}),
}


class BudgetSource(models.TextChoices):
    DANA_KELURAHAN = "dana_kelurahan", _("Dana kelurahan")
    APBD = "apbd", _("APBD Kota Medan")
    APBD_PROVINSI = "apbd_provinsi", _("APBD Provinsi")
    APBN = "apbn", _("APBN")
    SWADAYA = "swadaya", _("Swadaya masyarakat")
    CSR = "csr", _("CSR/mitra swasta")
    LAINNYA = "lainnya", _("Lainnya")


class Activity(TimeStampedModel):
    """One activity of a priority program: when, where, what it cost, and how far it got."""

    kecamatan = models.ForeignKey(
        Kecamatan, on_delete=models.PROTECT, related_name="activities", verbose_name=_("kecamatan")
    )
    kelurahan = models.ForeignKey(
        Kelurahan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("kelurahan"),
        help_text=_("Kosongkan untuk kegiatan lintas kelurahan (mis. jalan arteri)."),
    )
    program = models.CharField(_("program"), max_length=20, choices=Program.choices)
    kind = models.CharField(_("jenis kegiatan"), max_length=30, choices=ActivityKind.choices)
    title = models.CharField(_("judul"), max_length=200)
    date = models.DateField(_("tanggal"))
    end_date = models.DateField(_("tanggal selesai"), null=True, blank=True)
    place_name = models.CharField(_("lokasi"), max_length=200)
    latitude = models.DecimalField(
        _("lintang"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("bujur"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    description = models.TextField(_("uraian"), blank=True)
    partner = models.CharField(
        _("pelaksana/mitra"),
        max_length=200,
        blank=True,
        help_text=_("Mis. Dinas SDABMBK, DLH, UPT Puskesmas Amplas."),
    )
    budget_source = models.CharField(
        _("sumber anggaran"), max_length=20, choices=BudgetSource.choices, blank=True
    )
    budget_amount = models.PositiveBigIntegerField(_("anggaran (Rp)"), null=True, blank=True)
    progress_percent = models.PositiveSmallIntegerField(
        _("progres (%)"),
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    target_group = models.CharField(
        _("sasaran"), max_length=150, blank=True, help_text=_("Mis. lansia, anak 6–11 tahun.")
    )
    people_count = models.PositiveIntegerField(
        _("jumlah orang"), null=True, blank=True, help_text=_("Mis. jumlah warga divaksin.")
    )
    reports = models.ManyToManyField(
        Report,
        blank=True,
        related_name="program_activities",
        verbose_name=_("laporan yang diselesaikan"),
    )
    is_public = models.BooleanField(_("tampil di halaman publik"), default=True)
    version = models.PositiveIntegerField(_("versi"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dicatat oleh"),
    )

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("kegiatan program")
        verbose_name_plural = _("kegiatan program")
        indexes = [
            models.Index(fields=["kecamatan", "program", "-date"], name="activity_program_idx"),
            models.Index(
                fields=["-date", "-id"], name="activity_public_idx", condition=Q(is_public=True)
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress_percent__lte=100), name="activity_progress_max_100"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("date")),
                name="activity_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PhotoStage(models.TextChoices):
    BEFORE = "before", _("Sebelum")
    AFTER = "after", _("Sesudah")
    OTHER = "other", _("Dokumentasi")


def activity_photo_path(instance: ActivityPhoto, filename: str) -> str:
    return f"programs/activities/{filename}"


def activity_thumbnail_path(instance: ActivityPhoto, filename: str) -> str:
    return f"programs/activities/thumbs/{filename}"


class ActivityPhoto(models.Model):
    """A photo of an activity (before, after, or along the way), cleaned on upload."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="photos", verbose_name=_("kegiatan")
    )
    photo = models.ImageField(
        _("foto"), upload_to=activity_photo_path, max_length=200, db_index=True
    )
    thumbnail = models.ImageField(
        _("gambar kecil"),
        upload_to=activity_thumbnail_path,
        max_length=200,
        blank=True,
        db_index=True,
    )
    stage = models.CharField(
        _("tahap"), max_length=10, choices=PhotoStage.choices, default=PhotoStage.OTHER
    )
    caption = models.CharField(_("keterangan"), max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("diunggah"), auto_now_add=True)

    class Meta:
        ordering = ["activity", "created_at", "id"]
        verbose_name = _("foto kegiatan")
        verbose_name_plural = _("foto kegiatan")

    def __str__(self) -> str:
        return self.caption or self.get_stage_display()
