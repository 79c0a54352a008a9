"""Forms of the temu cepat pages: they collect and shape input; rules live in the services.

A slot travels as its local start, "2026-11-02T10:00" (WIB), so an alternative on another
day is one value too.
"""

from __future__ import annotations

import re
import secrets
from datetime import date, datetime
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from telepati.core.workdays import WIB

_TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")
SLOT_FORMAT = "%Y-%m-%dT%H:%M"


def slot_value(start: datetime) -> str:
    """The form value of a slot start: its local time in WIB."""
    return start.astimezone(WIB).strftime(SLOT_FORMAT)


def slot_parse(value: str) -> datetime | None:
    """The aware start of a slot value, or None when it is not one."""
    try:
        return datetime.strptime((value or "").strip(), SLOT_FORMAT).replace(tzinfo=WIB)
    except ValueError:
        return None


def day_parse(value: str) -> date | None:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        return None


class SlotField(forms.CharField):
    """A slot start as "YYYY-MM-DDTHH:MM" (WIB), cleaned to an aware datetime."""

    default_error_messages = {
        "required": _("Pilih jam kedatangan."),
        "invalid": _("Pilih jam kedatangan dari daftar."),
    }

    def to_python(self, value: Any) -> datetime | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        start = slot_parse(text)
        if start is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return start


class BookingForm(forms.Form):
    """Who comes and when. Field names follow the service's `field_errors` keys."""

    submission_token = forms.CharField(widget=forms.HiddenInput, required=False)
    service = forms.SlugField(widget=forms.HiddenInput)
    slot = SlotField(widget=forms.HiddenInput)
    name = forms.CharField(
        label=_("Nama lengkap"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Nama wajib diisi.")},
    )
    phone = forms.CharField(
        label=_("Nomor WhatsApp"),
        max_length=30,
        help_text=_("Kode janji temu dan pengingat dikirim ke nomor ini."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        error_messages={"required": _("Nomor WhatsApp wajib diisi.")},
    )
    purpose = forms.CharField(
        label=_("Keperluan (tidak wajib)"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, data: QueryDict | None = None, *, initial: dict[str, Any] | None = None):
        super().__init__(data, initial=initial)
        if not self.is_bound:
            self.initial.setdefault("submission_token", secrets.token_hex(16))

    def clean_submission_token(self) -> str:
        token = self.cleaned_data.get("submission_token") or ""
        return token if _TOKEN_RE.match(token) else ""


class LookupForm(forms.Form):
    """The code of a booking and the last four digits of its WhatsApp number."""

    code = forms.CharField(
        label=_("Kode janji temu"),
        max_length=20,
        error_messages={"required": _("Isi kode janji temu.")},
        help_text=_("Contoh: J2611-0007 (ada di pesan WhatsApp atau halaman bukti janji temu)."),
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
    day = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split()).lstrip("#").upper()

    def clean_phone_last4(self) -> str:
        value = self.cleaned_data["phone_last4"].strip()
        if not value.isdigit():
            raise forms.ValidationError(_("Isi tepat 4 angka."))
        return value

    def clean_day(self) -> date | None:
        return day_parse(self.cleaned_data.get("day") or "")


class RescheduleForm(LookupForm):
    slot = SlotField()
