"""Per-category questions (Open311 service attributes): what a door asks besides the story."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from telepati.core.models import TimeStampedModel
from telepati.reports.models.category import Category


class QuestionDatatype(models.TextChoices):
    """The six datatypes of Open311 GeoReport v2 attributes."""

    STRING = "string", _("Teks satu baris")
    NUMBER = "number", _("Angka")
    DATETIME = "datetime", _("Tanggal dan jam")
    TEXT = "text", _("Teks panjang")
    SINGLE = "singlevaluelist", _("Pilih satu")
    MULTI = "multivaluelist", _("Pilih beberapa")


LIST_DATATYPES = frozenset({QuestionDatatype.SINGLE, QuestionDatatype.MULTI})


class CategoryQuestion(TimeStampedModel):
    """One extra question about a category's reports (e.g. “Berapa lama sampah menumpuk?”).

    `values` lists the choices of list questions as ``[{"key": …, "name": …}]``; a question
    that is not `variable` is an informational text shown to the resident, never answered.
    """

    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="questions", verbose_name=_("kategori")
    )
    code = models.SlugField(
        _("kode"), max_length=40, help_text=_("Nama atribut di Open311, tetap setelah dipakai.")
    )
    datatype = models.CharField(_("jenis jawaban"), max_length=20, choices=QuestionDatatype.choices)
    required = models.BooleanField(_("wajib"), default=False)
    variable = models.BooleanField(
        _("perlu dijawab"), default=True, help_text=_("Matikan untuk teks keterangan saja.")
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=1)
    description = models.CharField(_("pertanyaan"), max_length=255)
    datatype_description = models.CharField(_("petunjuk jawaban"), max_length=255, blank=True)
    values = models.JSONField(
        _("pilihan"),
        default=list,
        blank=True,
        help_text=_('Untuk pilihan: daftar {"key": …, "name": …}.'),
    )

    class Meta:
        ordering = ["category", "order", "id"]
        verbose_name = _("pertanyaan kategori")
        verbose_name_plural = _("pertanyaan kategori")
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="category_question_code"),
            models.CheckConstraint(
                condition=models.Q(order__gte=1), name="category_question_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category_id}:{self.code}"

    def clean(self) -> None:
        """List questions need choices shaped ``{"key", "name"}`` with distinct keys."""
        values = self.values
        if self.datatype in LIST_DATATYPES:
            shaped = isinstance(values, list) and all(
                isinstance(item, dict)
                and isinstance(item.get("key"), str)
                and item["key"].strip()
                and isinstance(item.get("name"), str)
                for item in values
            )
            keys = [item["key"] for item in values] if shaped else []
            if not shaped or not keys or len(set(keys)) != len(keys):
                raise ValidationError(
                    {
                        "values": _(
                            'Isi pilihan sebagai daftar {"key": …, "name": …} dengan key berbeda.'
                        )
                    }
                )
        elif values:
            raise ValidationError(
                {"values": _("Hanya pertanyaan pilihan yang memakai daftar pilihan.")}
            )
