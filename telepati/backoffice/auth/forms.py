"""Sign-in forms: password (Django's AuthenticationForm, Indonesian texts) and a code."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Username and password; `authenticate` runs through django-axes (lock-out)."""

    error_messages = {
        "invalid_login": _(
            "Nama pengguna atau kata sandi salah. Periksa huruf besar/kecil, lalu coba lagi."
        ),
        "inactive": _("Akun ini tidak aktif. Hubungi administrator kecamatan."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.label = _("Nama pengguna")
        username.widget.attrs.update({"autocomplete": "username", "autocapitalize": "none"})
        password = self.fields["password"]
        password.label = _("Kata sandi")
        password.widget.attrs.update({"autocomplete": "current-password"})


class CodeForm(forms.Form):
    """A 6-digit code from the authenticator app, or one backup code."""

    code = forms.CharField(
        label=_("Kode verifikasi"),
        max_length=32,
        strip=True,
        error_messages={"required": _("Masukkan kode verifikasi.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "autofocus": True}
        ),
    )
