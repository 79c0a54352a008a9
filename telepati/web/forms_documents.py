"""Forms of the public documents pages: they collect and shape input; rules live in services."""

from __future__ import annotations

import re
import secrets
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from telepati.documents.models import DocumentType
from telepati.org.models import Kelurahan

_TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")


class StatusCheckForm(forms.Form):
    code = forms.CharField(
        label=_("Kode permohonan"),
        max_length=20,
        error_messages={"required": _("Isi kode permohonan.")},
        help_text=_("Contoh: D2611-0007 (ada di pesan WhatsApp atau bukti pendaftaran)."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    phone_last4 = forms.CharField(
        label=_("4 angka terakhir nomor WhatsApp"),
        min_length=4,
        max_length=4,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "pattern": "[0-9]{4}", "autocomplete": "off"}
        ),
        error_messages={
            "required": _("Isi 4 angka terakhir nomor WhatsApp."),
            "min_length": _("Isi tepat 4 angka."),
            "max_length": _("Isi tepat 4 angka."),
        },
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split()).upper()

    def clean_phone_last4(self) -> str:
        value = self.cleaned_data["phone_last4"].strip()
        if not value.isdigit():
            raise forms.ValidationError(_("Isi tepat 4 angka."))
        return value


class PreregisterForm(forms.Form):
    """Field names follow the service's `field_errors` keys, so its messages land in place."""

    submission_token = forms.CharField(widget=forms.HiddenInput, required=False)
    document_type = forms.TypedChoiceField(
        label=_("Jenis dokumen"),
        coerce=int,
        error_messages={"required": _("Pilih jenis dokumen.")},
    )
    applicant_name = forms.CharField(
        label=_("Nama lengkap (sesuai KTP/KK)"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Nama pemohon wajib diisi.")},
    )
    phone = forms.CharField(
        label=_("Nomor WhatsApp"),
        max_length=30,
        help_text=_("Pemberitahuan dan kode permohonan dikirim ke nomor ini."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        error_messages={"required": _("Nomor WhatsApp wajib diisi.")},
    )
    nik = forms.CharField(
        label=_("NIK (tidak wajib)"),
        max_length=20,
        required=False,
        help_text=_("16 angka, tertera di KTP-el atau Kartu Keluarga."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    kelurahan = forms.TypedChoiceField(
        label=_("Kelurahan"),
        coerce=int,
        error_messages={"required": _("Pilih kelurahan tempat tinggal Anda.")},
    )
    address = forms.CharField(
        label=_("Alamat (jalan, nomor rumah, lingkungan)"),
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
        error_messages={"required": _("Alamat wajib diisi.")},
    )

    def __init__(
        self,
        data: QueryDict | None = None,
        *,
        document_types: list[DocumentType],
        kelurahan: list[Kelurahan],
        initial: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(data, initial=initial)
        several = len({t.kecamatan_id for t in document_types}) > 1
        type_field = self.fields["document_type"]
        assert isinstance(type_field, forms.ChoiceField)
        type_field.choices = [("", _("— pilih —"))] + [
            (t.pk, f"{t.name} ({t.kecamatan.name})" if several else t.name) for t in document_types
        ]
        kelurahan_field = self.fields["kelurahan"]
        assert isinstance(kelurahan_field, forms.ChoiceField)
        kelurahan_field.choices = [("", _("— pilih —"))] + [(k.pk, k.name) for k in kelurahan]
        if not self.is_bound:
            self.initial.setdefault("submission_token", secrets.token_hex(16))

    def clean_submission_token(self) -> str:
        token = self.cleaned_data.get("submission_token") or ""
        return token if _TOKEN_RE.match(token) else ""
