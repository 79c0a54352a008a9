"""Forms of the counter screen: they collect input; the counter services validate it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class WalkInForm(forms.Form):
    """Someone without a booking at the counter: a name, optionally a WhatsApp number."""

    name = forms.CharField(
        label=_("Nama"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Nomor WhatsApp (tidak wajib)"),
        max_length=30,
        required=False,
        help_text=_("Bila diisi, warga menerima pesan saat nomornya dipanggil."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    purpose = forms.CharField(
        label=_("Keperluan (tidak wajib)"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
