"""Territory (kecamatan → kelurahan → lingkungan) and the units that act on matters.

All of it is reference data, edited in the admin and seeded from `telepati/org/data/`.
A deployment may hold one kecamatan or all of a city's; every query that returns
operational data is scoped by kecamatan (see `telepati.accounts.scope`).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from telepati.core.models import TimeStampedModel
from telepati.core.phone import validate_phone


class Kecamatan(TimeStampedModel):
    """A sub-district (kecamatan) whose office runs a TELEPATI desk."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=100)
    city = models.CharField(_("kota/kabupaten"), max_length=100)
    region_code = models.CharField(
        _("kode wilayah"), max_length=20, blank=True, help_text=_("Kode wilayah Kemendagri.")
    )
    address = models.CharField(_("alamat kantor"), max_length=255, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["city", "name"]
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")

    def __str__(self) -> str:
        return f"Kecamatan {self.name}"


class Kelurahan(TimeStampedModel):
    """An urban village (kelurahan) inside a kecamatan."""

    kecamatan = models.ForeignKey(
        Kecamatan,
        on_delete=models.PROTECT,
        related_name="kelurahan_set",
        verbose_name=_("kecamatan"),
    )
    code = models.SlugField(_("kode"), max_length=60, unique=True)
    name = models.CharField(_("nama"), max_length=100)
    region_code = models.CharField(_("kode wilayah"), max_length=20, blank=True)
    postal_code = models.CharField(_("kode pos"), max_length=10, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["kecamatan__name", "name"]
        verbose_name = _("kelurahan")
        verbose_name_plural = _("kelurahan")
        constraints = [
            models.UniqueConstraint(fields=["kecamatan", "name"], name="kelurahan_unique_name"),
        ]

    def __str__(self) -> str:
        return f"Kelurahan {self.name}"


class Lingkungan(TimeStampedModel):
    """A neighbourhood unit (lingkungan) inside a kelurahan, headed by a kepala lingkungan."""

    kelurahan = models.ForeignKey(
        Kelurahan,
        on_delete=models.PROTECT,
        related_name="lingkungan_set",
        verbose_name=_("kelurahan"),
    )
    number = models.PositiveSmallIntegerField(_("nomor"))
    name = models.CharField(_("nama"), max_length=100, blank=True)
    head_name = models.CharField(_("kepala lingkungan"), max_length=100, blank=True)
    head_phone = models.CharField(
        _("telepon kepala lingkungan"), max_length=20, blank=True, validators=[validate_phone]
    )
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["kelurahan__name", "number"]
        verbose_name = _("lingkungan")
        verbose_name_plural = _("lingkungan")
        constraints = [
            models.UniqueConstraint(
                fields=["kelurahan", "number"], name="lingkungan_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return self.name or f"Lingkungan {self.number}"


class UnitKind(models.TextChoices):
    SECTION = "section", _("Seksi/bagian kantor camat")
    KELURAHAN_OFFICE = "kelurahan_office", _("Kantor kelurahan")
    AGENCY = "agency", _("Perangkat daerah (OPD)")
    TECHNICAL_UNIT = "technical_unit", _("Unit pelaksana teknis (UPT)")


class Unit(TimeStampedModel):
    """Whoever acts on a matter: a kecamatan section, a kelurahan office or a city agency (OPD).

    A unit with a kecamatan belongs to that kecamatan; a city agency has none and may receive
    matters from every kecamatan. A kelurahan office also names its kelurahan.
    """

    code = models.SlugField(_("kode"), max_length=60, unique=True)
    name = models.CharField(_("nama"), max_length=150)
    short_name = models.CharField(_("nama singkat"), max_length=40, blank=True)
    kind = models.CharField(_("jenis"), max_length=20, choices=UnitKind.choices)
    kecamatan = models.ForeignKey(
        Kecamatan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("kecamatan"),
        help_text=_("Kosongkan untuk perangkat daerah tingkat kota."),
    )
    kelurahan = models.ForeignKey(
        Kelurahan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("kelurahan"),
        help_text=_("Hanya untuk kantor kelurahan."),
    )
    phone = models.CharField(_("telepon"), max_length=20, blank=True, validators=[validate_phone])
    email = models.EmailField(_("surel"), blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("unit kerja")
        verbose_name_plural = _("unit kerja")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="kelurahan_office") | models.Q(kelurahan__isnull=False),
                name="unit_kelurahan_office_has_kelurahan",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_city_level(self) -> bool:
        return self.kecamatan_id is None
