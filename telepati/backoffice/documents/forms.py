"""Forms of the document desk and the courier view.

Forms only parse what was typed; the documents services decide (required texts, NIK, phone,
delivery days, the recipient's relation…) and their Indonesian errors land on these forms
through `errors_apply`. Action forms carry the version the officer saw (`expected_version`,
hidden) so a decision made on a stale page is refused by the service.
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from telepati.core.errors import DomainError, InvalidInput
from telepati.core.formatting import day_format
from telepati.documents.lifecycle import Status

EVERY = ("", _("Semua"))


def errors_apply(form: forms.Form, error: DomainError) -> None:
    """Put a service's refusal on the form: per field where the form shows that field,
    otherwise on the form as a whole (shown above the fields)."""
    placed = False
    if isinstance(error, InvalidInput):
        for field, messages in error.field_errors.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, str(message))
                placed = True
    if not placed:
        form.add_error(None, str(error.message))


def choices_set(form: forms.Form, name: str, choices: list[Any]) -> None:
    """Give a choice field of `form` its choices (read per request)."""
    cast(forms.ChoiceField, form.fields[name]).choices = choices


def day_choices(days: list[date]) -> list[tuple[str, str]]:
    return [(day.isoformat(), day_format(day)) for day in days]


# --- The desk list and the counter -------------------------------------------------------


class DeskFilterForm(forms.Form):
    """The desk's GET form; unknown or invalid values are dropped, never an error page."""

    q = forms.CharField(label=_("Cari kode atau nama"), required=False, max_length=120)
    status = forms.ChoiceField(label=_("Status"), required=False)
    document_type = forms.TypedChoiceField(label=_("Jenis dokumen"), required=False, coerce=int)
    kelurahan = forms.TypedChoiceField(label=_("Kelurahan"), required=False, coerce=int)

    def __init__(
        self,
        data: Any,
        *,
        document_types: list[tuple[int, str]],
        kelurahan: list[tuple[int, str]],
    ) -> None:
        super().__init__(data)
        choices_set(self, "status", [EVERY, *Status.choices])
        choices_set(self, "document_type", [EVERY, *document_types])
        choices_set(self, "kelurahan", [EVERY, *kelurahan])

    def value(self, name: str) -> Any:
        """The cleaned value, or None when the field was invalid (ignored)."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name) if name not in self.errors else None


class RegisterForm(forms.Form):
    """The counter's form for a received file (fields of `ApplicationDraft`)."""

    document_type = forms.TypedChoiceField(label=_("Jenis dokumen"), coerce=int)
    applicant_name = forms.CharField(label=_("Nama pemohon"), required=False, max_length=200)
    phone = forms.CharField(
        label=_("Nomor WhatsApp"),
        required=False,
        max_length=40,
        help_text=_("Untuk pemberitahuan status, mis. 0812-3456-7890."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    nik = forms.CharField(
        label=_("NIK"),
        required=False,
        max_length=30,
        help_text=_("16 angka; boleh dikosongkan bila belum ada."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    kelurahan = forms.TypedChoiceField(
        label=_("Kelurahan"), required=False, coerce=int, empty_value=None
    )
    address = forms.CharField(label=_("Alamat"), required=False, max_length=400)
    notes = forms.CharField(
        label=_("Catatan petugas"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=120)

    def __init__(
        self,
        data: Any = None,
        *,
        document_types: list[tuple[int, str]],
        kelurahan: list[tuple[int, str]],
        initial: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(data, initial=initial)
        choices_set(self, "document_type", [("", _("Pilih jenis dokumen")), *document_types])
        choices_set(self, "kelurahan", [("", _("Tidak diketahui")), *kelurahan])


# --- Actions on one application -----------------------------------------------------------


class ActionForm(forms.Form):
    """Every action form: the version the officer saw."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class FixForm(ActionForm):
    fix_note = forms.CharField(
        label=_("Yang perlu diperbaiki atau dilengkapi"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class IssueForm(ActionForm):
    document_number = forms.CharField(
        label=_("Nomor dokumen (bila ada)"), required=False, max_length=80
    )


class ReasonForm(ActionForm):
    reason = forms.CharField(
        label=_("Alasan (dikirim ke pemohon)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class HandOverForm(ActionForm):
    received_by_name = forms.CharField(label=_("Nama penerima"), required=False, max_length=200)
    received_by_relation = forms.CharField(
        label=_("Hubungan dengan pemohon"),
        required=False,
        max_length=100,
        help_text=_("Diisi bila penerima bukan pemohon (mis. suami, anak, penerima kuasa)."),
    )
    identity_checked = forms.BooleanField(
        label=_("KTP-el/identitas penerima sudah diperiksa"), required=False
    )


class DeliveryForm(ActionForm):
    address = forms.CharField(label=_("Alamat pengantaran"), required=False, max_length=400)
    day = forms.ChoiceField(label=_("Hari antar"), required=False)

    def __init__(self, *args: Any, days: list[date], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices_set(self, "day", [("", _("Pilih hari")), *day_choices(days)])


class AssignForm(ActionForm):
    courier_id = forms.TypedChoiceField(label=_("Kurir"), coerce=int, required=False)

    def __init__(self, *args: Any, couriers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices_set(self, "courier_id", [("", _("Pilih kurir")), *couriers])


# --- Bulk import ---------------------------------------------------------------------------


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas data terbit (CSV atau XLSX)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )


# --- The courier's round -------------------------------------------------------------------


class DeliverForm(forms.Form):
    recipient_name = forms.CharField(label=_("Nama penerima"), required=False, max_length=200)
    recipient_relation = forms.CharField(
        label=_("Hubungan dengan pemohon"),
        required=False,
        max_length=100,
        help_text=_("Bila penerima bukan pemohon."),
    )
    photo = forms.FileField(
        label=_("Foto serah terima"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )


class FailForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reschedule_to = forms.ChoiceField(label=_("Hari antar berikutnya"), required=False)

    def __init__(self, *args: Any, days: list[date], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices_set(
            self,
            "reschedule_to",
            [
                ("", _("Biarkan pemohon memilih lagi")),
                *day_choices(days),
            ],
        )
