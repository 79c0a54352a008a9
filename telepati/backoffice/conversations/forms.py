"""The operator's reply form (the handover service validates the text)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from telepati.whatsapp.services_handover import REPLY_MAX_LENGTH


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Balasan untuk warga"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": REPLY_MAX_LENGTH}),
    )
    # Generated when the form is shown: a double submit sends one message.
    client_key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
