"""Forms of the programs area: the UMKM registry, products and trainings.

Forms only parse what was typed; the programs services decide (required texts, phones, NIB,
names taken, prices…) and their Indonesian errors land on these forms through
`errors_apply`. Action forms carry the version the officer saw (`expected_version`, hidden)
where the service checks it, so a decision made on a stale page is refused.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from telepati.core.errors import DomainError, InvalidInput
from telepati.core.phone import phone_normalize
from telepati.programs.models import GuidanceStatus, Sector
from telepati.programs.selectors_officer import ChecklistRow
from telepati.programs.services.common import PhotoUpload
from telepati.programs.services.umkm import BusinessDraft

EVERY = ("", _("Semua"))
DATE_ERRORS = {
    "required": _("Isi tanggal."),
    "invalid": _("Tanggal tidak dikenali; isi seperti 31/12/2026."),
}
PHOTO_HELP = _(
    "JPG, PNG atau WebP. Data lokasi (GPS) dihapus sebelum disimpan. Bila formulir ditolak, "
    "pilih ulang fotonya."
)


def errors_apply(form: forms.Form, error: DomainError) -> None:
    """Put a service's refusal on the form: per field where the form shows that field,
    otherwise on the form as a whole (shown above the fields)."""
    placed = False
    if isinstance(error, InvalidInput):
        for name, messages in error.field_errors.items():
            target = name if name in form.fields else None
            for message in messages:
                form.add_error(target, str(message))
                placed = True
    if not placed:
        form.add_error(None, str(error.message))


def choices_set(form: forms.Form, name: str, choices: list[Any]) -> None:
    """Give a choice field of `form` its choices (read per request)."""
    cast(forms.ChoiceField, form.fields[name]).choices = choices


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AmountField(forms.Field):
    """A whole number of rupiah or people, typed the Indonesian way ("15.000", "Rp 15.000")."""

    widget = forms.TextInput

    def __init__(self, *, max_length: int = 20, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "maxlength": str(max_length)})

    def to_python(self, value: Any) -> int | None:
        text = re.sub(r"(?i)^rp\.?|[\s.]", "", str(value or "").strip())
        if not text:
            return None
        if not text.isdigit() or len(text) > 15:
            raise ValidationError(_("Isi dengan angka saja, mis. 15000."), code="invalid")
        return int(text)


def photo_upload(file: Any) -> PhotoUpload | None:
    """The uploaded file as the services take it (None when no file was picked)."""
    if not file:
        return None
    return PhotoUpload(name=file.name or "", content=file.read())


class PhotoField(forms.FileField):
    """A photo picked on the device (the services check and clean it)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", PHOTO_HELP)
        kwargs.setdefault(
            "widget", forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        )
        kwargs.setdefault("error_messages", {"required": _("Pilih foto.")})
        super().__init__(**kwargs)


class VersionForm(forms.Form):
    """Every action form on a row with a version: the version the officer saw."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


# --- The UMKM list ----------------------------------------------------------------------


class BusinessFilterForm(forms.Form):
    """The list's GET form; unknown or invalid values are dropped, never an error page."""

    q = forms.CharField(label=_("Cari nama usaha"), required=False, max_length=80)
    kelurahan = forms.TypedChoiceField(
        label=_("Kelurahan"), required=False, coerce=int, empty_value=None
    )
    sector = forms.ChoiceField(label=_("Sektor"), required=False)
    status = forms.ChoiceField(label=_("Status binaan"), required=False)

    def __init__(self, data: Any, *, kelurahan: list[tuple[int, str]]) -> None:
        super().__init__(data)
        choices_set(self, "kelurahan", [EVERY, *kelurahan])
        choices_set(self, "sector", [EVERY, *Sector.choices])
        choices_set(self, "status", [EVERY, *GuidanceStatus.choices])

    def value(self, name: str) -> Any:
        """The cleaned value, or None when the field was invalid (ignored)."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name) if name not in self.errors else None


# --- Registering and editing a business -------------------------------------------------


class BusinessForm(VersionForm):
    """The fields of `BusinessDraft` (registration and every later edit)."""

    kelurahan = forms.TypedChoiceField(
        label=_("Kelurahan"),
        coerce=int,
        error_messages={"required": _("Pilih kelurahan."), "invalid_choice": _("Pilih kelurahan.")},
    )
    name = forms.CharField(label=_("Nama usaha"), required=False, max_length=150)
    sector = forms.ChoiceField(label=_("Sektor"), required=False, choices=[])
    description = forms.CharField(
        label=_("Deskripsi usaha"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    address = forms.CharField(
        label=_("Alamat usaha"),
        required=False,
        max_length=255,
        help_text=_("Tampil di katalog publik."),
    )
    owner_name = forms.CharField(
        label=_("Nama pemilik"),
        required=False,
        max_length=150,
        help_text=_("Data pribadi: hanya untuk petugas, tidak pernah tampil publik."),
    )
    owner_phone = forms.CharField(
        label=_("Telepon pemilik"),
        required=False,
        max_length=40,
        help_text=_("Data pribadi, mis. 0812-3456-7890."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    public_contact = forms.CharField(
        label=_("Kontak publik"),
        required=False,
        max_length=40,
        help_text=_("Nomor WhatsApp/telepon yang boleh tampil di katalog."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    public_contact_consent = forms.BooleanField(
        label=_("Pemilik setuju kontak publik ditampilkan di katalog"), required=False
    )
    guidance_status = forms.ChoiceField(label=_("Status binaan"), required=False, choices=[])
    registered_at = forms.DateField(
        label=_("Tanggal terdaftar"), widget=date_input(), error_messages=DATE_ERRORS
    )
    nib = forms.CharField(
        label=_("NIB"),
        required=False,
        max_length=20,
        help_text=_("Nomor Induk Berusaha (OSS), 13 angka, bila sudah ada."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    is_public = forms.BooleanField(label=_("Tampilkan di katalog publik"), required=False)
    retailers = forms.TypedMultipleChoiceField(
        label=_("Mitra pemasaran"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Mitra pemasaran tidak ditemukan di kecamatan ini.")},
    )

    def __init__(
        self,
        data: Any = None,
        *,
        kelurahan: list[tuple[int, str]],
        retailers: list[tuple[int, str]],
        initial: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(data, initial=initial)
        choices_set(self, "kelurahan", [("", _("Pilih kelurahan")), *kelurahan])
        choices_set(self, "sector", [("", _("Pilih sektor")), *Sector.choices])
        choices_set(self, "guidance_status", GuidanceStatus.choices)
        choices_set(self, "retailers", retailers)
        if not retailers:
            del self.fields["retailers"]

    def draft(self) -> BusinessDraft:
        data = self.cleaned_data
        return BusinessDraft(
            kelurahan_id=data["kelurahan"],
            name=data["name"],
            sector=data["sector"],
            owner_name=data["owner_name"],
            registered_at=data["registered_at"],
            owner_phone=data["owner_phone"],
            description=data["description"],
            address=data["address"],
            public_contact=data["public_contact"],
            public_contact_consent=data["public_contact_consent"],
            guidance_status=data["guidance_status"],
            nib=data["nib"],
            is_public=data["is_public"],
            retailer_ids=tuple(data.get("retailers") or ()),
        )


def phone_national(e164: str) -> str:
    """A stored number in its readable national form ("0812-3456-7890"); blank stays blank."""
    return phone_normalize(e164, mobile_only=False).national if e164 else ""


def business_initial(business: Any) -> dict[str, Any]:
    """The edit form's values: the business as stored (phones in their national form)."""
    return {
        "expected_version": business.version,
        "kelurahan": business.kelurahan_id,
        "name": business.name,
        "sector": business.sector,
        "description": business.description,
        "address": business.address,
        "owner_name": business.owner_name,
        "owner_phone": phone_national(business.owner_phone),
        "public_contact": phone_national(business.public_contact),
        "public_contact_consent": business.public_contact_consent,
        "guidance_status": business.guidance_status,
        "registered_at": business.registered_at,
        "nib": business.nib,
        "is_public": business.is_public,
        "retailers": [r.pk for r in business.retailers_all],
    }


def new_business_initial() -> dict[str, Any]:
    return {"registered_at": timezone.localdate(), "guidance_status": GuidanceStatus.CANDIDATE}


# --- Actions on a business ----------------------------------------------------------------


class GuidanceForm(VersionForm):
    guidance_status = forms.ChoiceField(label=_("Status binaan"), choices=GuidanceStatus.choices)


class PublishForm(VersionForm):
    is_public = forms.TypedChoiceField(
        coerce=lambda value: value == "1",
        choices=[("1", _("Tampilkan")), ("0", _("Sembunyikan"))],
        widget=forms.HiddenInput,
    )


class ProductForm(forms.Form):
    name = forms.CharField(label=_("Nama produk"), required=False, max_length=150)
    description = forms.CharField(
        label=_("Deskripsi produk"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    price_min = AmountField(label=_("Harga terendah (Rp)"))
    price_max = AmountField(label=_("Harga tertinggi (Rp)"))
    photo = PhotoField(label=_("Foto produk"), required=False)


class ProductPhotoForm(forms.Form):
    photo = PhotoField(label=_("Foto baru"))


# --- Trainings ----------------------------------------------------------------------------


class TrainingForm(forms.Form):
    kecamatan = forms.TypedChoiceField(
        label=_("Kecamatan"),
        coerce=int,
        error_messages={
            "required": _("Pilih kecamatan."),
            "invalid_choice": _("Pilih kecamatan."),
        },
    )
    title = forms.CharField(label=_("Judul pelatihan"), required=False, max_length=200)
    date = forms.DateField(label=_("Tanggal"), widget=date_input(), error_messages=DATE_ERRORS)
    place = forms.CharField(label=_("Tempat"), required=False, max_length=200)
    organiser = forms.CharField(
        label=_("Penyelenggara"),
        required=False,
        max_length=200,
        help_text=_("Mis. Dinas Koperasi UKM Kota Medan."),
    )
    description = forms.CharField(
        label=_("Deskripsi"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        data: Any = None,
        *,
        kecamatan: list[tuple[int, str]],
        initial: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(data, initial=initial)
        choices_set(self, "kecamatan", kecamatan)
        if len(kecamatan) == 1:
            self.fields["kecamatan"].widget = forms.HiddenInput()
            self.initial.setdefault("kecamatan", kecamatan[0][0])


def training_initial() -> dict[str, date]:
    return {"date": timezone.localdate()}


NOT_INVITED, INVITED, ATTENDED = "", "invited", "attended"


class AttendanceForm(forms.Form):
    """The attendance checklist of a training: one choice per business on the list (a
    business already invited cannot be un-invited; the service records invitations only)."""

    def __init__(self, data: Any = None, *, rows: list[ChecklistRow]) -> None:
        super().__init__(data)
        self.rows = rows
        for row in rows:
            choices = [(INVITED, _("Diundang, tidak hadir")), (ATTENDED, _("Hadir"))]
            if not row.invited:
                choices.insert(0, (NOT_INVITED, _("Tidak diundang")))
            initial = ATTENDED if row.attended else INVITED if row.invited else NOT_INVITED
            self.fields[f"b{row.business_id}"] = forms.ChoiceField(
                label=row.name, choices=choices, required=False, initial=initial
            )

    def lines(self) -> list[tuple[ChecklistRow, forms.BoundField]]:
        return [(row, self[f"b{row.business_id}"]) for row in self.rows]

    def attendance(self) -> dict[int, bool]:
        """Business id → attended, for every business marked invited or attended."""
        marks = {row.business_id: self.cleaned_data.get(f"b{row.business_id}") for row in self.rows}
        return {pk: mark == ATTENDED for pk, mark in marks.items() if mark in (INVITED, ATTENDED)}
