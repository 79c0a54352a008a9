"""The UMKM registry: businesses under the office's guidance (binaan), their products,
trainings with attendance, and the partner retailers that sell their products.

The owner's name and phone are personal data: they never leave the back-office. What the
public may see is the business itself (name, sector, kelurahan, address, products) and a
contact only when the owner agreed to publish it (`public_contact_consent`).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from telepati.core.models import TimeStampedModel
from telepati.core.phone import validate_phone
from telepati.org.models import Kecamatan, Kelurahan


class Sector(models.TextChoices):
    KULINER = "kuliner", _("Kuliner")
    KERAJINAN = "kerajinan", _("Kerajinan")
    FESYEN = "fesyen", _("Fesyen")
    JASA = "jasa", _("Jasa")
    PERDAGANGAN = "perdagangan", _("Perdagangan")
    PERTANIAN = "pertanian", _("Pertanian dan perikanan")
    LAINNYA = "lainnya", _("Lainnya")


class GuidanceStatus(models.TextChoices):
    """Where a business stands in the office's guidance (pembinaan)."""

    CANDIDATE = "candidate", _("Calon binaan")
    ACTIVE = "active", _("Binaan aktif")
    INDEPENDENT = "independent", _("Mandiri")
    INACTIVE = "inactive", _("Tidak aktif")


class RetailerKind(models.TextChoices):
    MINIMARKET = "minimarket", _("Minimarket/toko grosir")
    KOPERASI = "koperasi", _("Koperasi")
    ONLINE = "online", _("Toko daring")


class Retailer(TimeStampedModel):
    """A partner retailer that sells the products of businesses under guidance."""

    kecamatan = models.ForeignKey(
        Kecamatan, on_delete=models.PROTECT, related_name="retailers", verbose_name=_("kecamatan")
    )
    name = models.CharField(_("nama"), max_length=150)
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    kind = models.CharField(_("jenis"), max_length=20, choices=RetailerKind.choices)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("mitra pemasaran")
        verbose_name_plural = _("mitra pemasaran")
        constraints = [
            models.UniqueConstraint(fields=["kecamatan", "name"], name="retailer_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Business(TimeStampedModel):
    """A micro or small business (UMKM) registered with the kecamatan office."""

    kecamatan = models.ForeignKey(
        Kecamatan, on_delete=models.PROTECT, related_name="businesses", verbose_name=_("kecamatan")
    )
    kelurahan = models.ForeignKey(
        Kelurahan, on_delete=models.PROTECT, related_name="businesses", verbose_name=_("kelurahan")
    )
    name = models.CharField(_("nama usaha"), max_length=150)
    sector = models.CharField(_("sektor"), max_length=20, choices=Sector.choices)
    description = models.TextField(_("deskripsi"), blank=True)
    address = models.CharField(
        _("alamat usaha"), max_length=255, blank=True, help_text=_("Tampil di katalog publik.")
    )
    owner_name = models.CharField(
        _("nama pemilik"), max_length=150, help_text=_("Data pribadi: tidak pernah tampil publik.")
    )
    owner_phone = models.CharField(
        _("telepon pemilik"),
        max_length=20,
        blank=True,
        validators=[validate_phone],
        help_text=_("Data pribadi: tidak pernah tampil publik."),
    )
    public_contact = models.CharField(
        _("kontak publik"),
        max_length=20,
        blank=True,
        validators=[validate_phone],
        help_text=_("Nomor WhatsApp/telepon yang boleh ditampilkan di katalog."),
    )
    public_contact_consent = models.BooleanField(
        _("pemilik setuju kontak dipublikasikan"), default=False
    )
    public_contact_consent_at = models.DateTimeField(
        _("persetujuan kontak dicatat"), null=True, blank=True
    )
    guidance_status = models.CharField(
        _("status binaan"),
        max_length=20,
        choices=GuidanceStatus.choices,
        default=GuidanceStatus.CANDIDATE,
    )
    registered_at = models.DateField(_("tanggal terdaftar"))
    nib = models.CharField(
        _("NIB"),
        max_length=13,
        blank=True,
        validators=[RegexValidator(r"^\d{13}$", _("NIB terdiri atas 13 angka."))],
        help_text=_("Nomor Induk Berusaha (OSS), bila sudah ada."),
    )
    is_public = models.BooleanField(_("tampil di katalog publik"), default=False)
    retailers = models.ManyToManyField(
        Retailer, blank=True, related_name="businesses", verbose_name=_("mitra pemasaran")
    )
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
        ordering = ["name", "id"]
        verbose_name = _("UMKM")
        verbose_name_plural = _("UMKM")
        indexes = [
            models.Index(fields=["kecamatan", "guidance_status"], name="business_status_idx"),
            models.Index(
                fields=["kelurahan", "name"],
                name="business_public_idx",
                condition=Q(is_public=True),
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["kelurahan", "name"], name="business_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


def product_photo_path(instance: Product, filename: str) -> str:
    return f"programs/products/{filename}"


def product_thumbnail_path(instance: Product, filename: str) -> str:
    return f"programs/products/thumbs/{filename}"


class Product(TimeStampedModel):
    """A product a business sells, with an optional photo (cleaned on upload)."""

    business = models.ForeignKey(
        Business, on_delete=models.CASCADE, related_name="products", verbose_name=_("UMKM")
    )
    name = models.CharField(_("nama produk"), max_length=150)
    description = models.TextField(_("deskripsi"), blank=True)
    price_min = models.PositiveIntegerField(_("harga terendah (Rp)"), null=True, blank=True)
    price_max = models.PositiveIntegerField(_("harga tertinggi (Rp)"), null=True, blank=True)
    photo = models.ImageField(
        _("foto"), upload_to=product_photo_path, max_length=200, blank=True, db_index=True
    )
    thumbnail = models.ImageField(
        _("gambar kecil"),
        upload_to=product_thumbnail_path,
        max_length=200,
        blank=True,
        db_index=True,
    )

    class Meta:
        ordering = ["business", "name", "id"]
        verbose_name = _("produk")
        verbose_name_plural = _("produk")
        constraints = [
            models.CheckConstraint(
                condition=Q(price_min__isnull=True)
                | Q(price_max__isnull=True)
                | Q(price_min__lte=models.F("price_max")),
                name="product_price_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Training(TimeStampedModel):
    """A training for businesses under guidance (e.g. by Dinas Koperasi UKM)."""

    kecamatan = models.ForeignKey(
        Kecamatan, on_delete=models.PROTECT, related_name="trainings", verbose_name=_("kecamatan")
    )
    title = models.CharField(_("judul"), max_length=200)
    date = models.DateField(_("tanggal"))
    place = models.CharField(_("tempat"), max_length=200)
    organiser = models.CharField(_("penyelenggara"), max_length=200)
    description = models.TextField(_("deskripsi"), blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("pelatihan UMKM")
        verbose_name_plural = _("pelatihan UMKM")

    def __str__(self) -> str:
        return self.title


class TrainingAttendance(models.Model):
    """A business invited to a training, and whether it attended."""

    training = models.ForeignKey(
        Training, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("pelatihan")
    )
    business = models.ForeignKey(
        Business, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("UMKM")
    )
    attended = models.BooleanField(_("hadir"), default=False)
    recorded_at = models.DateTimeField(_("dicatat"), auto_now=True)

    class Meta:
        ordering = ["training", "business__name"]
        verbose_name = _("kehadiran pelatihan")
        verbose_name_plural = _("kehadiran pelatihan")
        constraints = [
            models.UniqueConstraint(
                fields=["training", "business"], name="attendance_unique_business"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.training} — {self.business}"
