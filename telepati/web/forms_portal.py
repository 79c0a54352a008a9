"""Forms of the citizen portal: the report form (with each category's extra questions) and
the tracking form. They collect and shape input; the rules live in the reports services.

Field names follow the intake service's `field_errors` keys where they can, so its messages
land next to the right field. Every category's questions are fields of one form, named
``q-<category code>-<question code>``; the page shows only the chosen category's, and only
those are sent to the service as answers.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from telepati.org.models import Kelurahan
from telepati.reports.models import Category, CategoryQuestion, QuestionDatatype

TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")
MAX_PHOTOS = 3


def question_field_name(category_code: str, question_code: str) -> str:
    return f"q-{category_code}-{question_code}"


def _question_field(question: CategoryQuestion) -> forms.Field:
    """A form field for one question, by its Open311 datatype (checked again by the service)."""
    options: dict[str, Any] = {
        "label": question.description,
        "required": False,
        "help_text": question.datatype_description,
    }
    datatype = question.datatype
    values = question.values if isinstance(question.values, list) else []
    choices = [(str(item.get("key")), str(item.get("name"))) for item in values]
    if datatype == QuestionDatatype.TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **options)
    if datatype == QuestionDatatype.NUMBER:
        return forms.CharField(
            widget=forms.TextInput(attrs={"inputmode": "decimal"}), max_length=30, **options
        )
    if datatype == QuestionDatatype.DATETIME:
        return forms.CharField(
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), max_length=40, **options
        )
    if datatype == QuestionDatatype.SINGLE:
        return forms.ChoiceField(choices=[("", _("— pilih —")), *choices], **options)
    if datatype == QuestionDatatype.MULTI:
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **options
        )
    return forms.CharField(max_length=255, **options)


@dataclass(frozen=True)
class QuestionGroup:
    """One category's questions as the page shows them: fields to answer and plain notes."""

    category_code: str
    fields: list[forms.BoundField]
    notes: list[str]


class ReportForm(forms.Form):
    """The public report form. Photos are read from request.FILES by the view."""

    use_required_attribute = False

    submission_token = forms.CharField(widget=forms.HiddenInput, required=False)
    category = forms.ChoiceField(label=_("Jenis masalah"), required=False)
    description = forms.CharField(
        label=_("Ceritakan masalahnya"),
        required=False,
        max_length=4000,
        help_text=_("Apa yang terjadi, sejak kapan, dan di mana persisnya."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    latitude = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    longitude = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    kelurahan = forms.ChoiceField(label=_("Kelurahan"), required=False)
    address = forms.CharField(
        label=_("Alamat atau patokan lokasi"),
        required=False,
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    reporter_name = forms.CharField(
        label=_("Nama (tidak wajib)"),
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    reporter_phone = forms.CharField(
        label=_("Nomor WhatsApp"),
        required=False,
        max_length=30,
        help_text=_("Kabar tindak lanjut dikirim ke nomor ini."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    reporter_email = forms.EmailField(
        label=_("Atau surel (bila tidak memakai WhatsApp)"),
        required=False,
        max_length=254,
        error_messages={"invalid": _("Alamat surel tidak valid.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    is_anonymous = forms.BooleanField(
        label=_("Anonim"),
        required=False,
        help_text=_(
            "Nama dan nomor Anda hanya diketahui petugas meja pengaduan kecamatan, tidak oleh "
            "petugas lain maupun dinas yang menindaklanjuti."
        ),
    )
    is_confidential = forms.BooleanField(
        label=_("Rahasia"),
        required=False,
        help_text=_(
            "Isi laporan tidak ditampilkan di halaman laporan publik; hanya Anda dan petugas "
            "yang dapat melihatnya."
        ),
    )

    def __init__(
        self,
        data: QueryDict | None = None,
        *,
        categories: list[Category],
        kelurahan: list[Kelurahan],
        initial: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(data, initial=initial)
        self.categories = categories
        category_field = self.fields["category"]
        assert isinstance(category_field, forms.ChoiceField)
        category_field.choices = [("", _("— pilih —"))] + [(c.code, c.name) for c in categories]
        kelurahan_field = self.fields["kelurahan"]
        assert isinstance(kelurahan_field, forms.ChoiceField)
        several = len({k.kecamatan_id for k in kelurahan}) > 1
        kelurahan_field.choices = [("", _("— pilih bila tidak memakai peta —"))] + [
            (str(k.pk), f"{k.name} ({k.kecamatan.name})" if several else k.name) for k in kelurahan
        ]
        self._questions: dict[str, list[CategoryQuestion]] = {}
        for category in categories:
            questions = list(getattr(category, "open_questions", []))
            self._questions[category.code] = questions
            for question in questions:
                if question.variable:
                    name = question_field_name(category.code, question.code)
                    self.fields[name] = _question_field(question)
        if not self.is_bound:
            self.initial.setdefault("submission_token", secrets.token_hex(16))

    def clean_submission_token(self) -> str:
        token = self.cleaned_data.get("submission_token") or ""
        return token if TOKEN_RE.match(token) else ""

    def question_groups(self) -> list[QuestionGroup]:
        """Each category with questions, for the page (hidden unless chosen)."""
        groups: list[QuestionGroup] = []
        for code, questions in self._questions.items():
            if not questions:
                continue
            groups.append(
                QuestionGroup(
                    category_code=code,
                    fields=[
                        self[question_field_name(code, q.code)] for q in questions if q.variable
                    ],
                    notes=[q.description for q in questions if not q.variable],
                )
            )
        return groups

    def answers(self) -> tuple[dict[str, Any], bool]:
        """The chosen category's answers by question code, and whether it has questions."""
        code = self.cleaned_data.get("category") or ""
        questions = [q for q in self._questions.get(code, []) if q.variable]
        answers: dict[str, Any] = {}
        for question in questions:
            value = self.cleaned_data.get(question_field_name(code, question.code))
            if value not in (None, "", []):
                answers[question.code] = value
        return answers, bool(questions)

    def error_field(self, key: str) -> str | None:
        """The form field a service error key belongs to (None: shown above the form)."""
        if key.startswith("answers."):
            name = question_field_name(self.cleaned_data.get("category") or "", key[8:])
            return name if name in self.fields else None
        mapped = {"lingkungan": "kelurahan", "location": "address", "uploads": None}
        if key in mapped:
            return mapped[key]
        return key if key in self.fields else None


class TrackForm(forms.Form):
    """A tracking number, and optionally the last four digits of the reporter's number."""

    number = forms.CharField(
        label=_("Nomor laporan"),
        max_length=20,
        error_messages={"required": _("Isi nomor laporan.")},
        help_text=_("Contoh: L2611-0042 (ada di pesan WhatsApp atau halaman terkirim)."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    phone_last4 = forms.CharField(
        label=_("4 angka terakhir nomor WhatsApp pelapor (untuk rincian pribadi)"),
        required=False,
        max_length=4,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "pattern": "[0-9]{4}", "autocomplete": "off"}
        ),
        error_messages={"max_length": _("Isi tepat 4 angka.")},
    )

    def clean_number(self) -> str:
        return "".join(self.cleaned_data["number"].split()).lstrip("#").upper()

    def clean_phone_last4(self) -> str:
        value = self.cleaned_data["phone_last4"].strip()
        if value and (len(value) != 4 or not value.isdigit()):
            raise forms.ValidationError(_("Isi tepat 4 angka."))
        return value
