"""Helpers for the sign-in tests (no tests here): signing in through the pages, enrolling an
authenticator app and computing its codes the way the app would."""

from __future__ import annotations

from binascii import unhexlify

from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from telepati.accounts.models import User
from telepati.accounts.tests.factories import PASSWORD
from telepati.backoffice.auth.services import totp_device_enrol, totp_key_new

LOGIN = "/kantor/masuk/"
VERIFY = "/kantor/masuk/verifikasi/"
SECURITY = "/kantor/akun/keamanan/"
HOME = "/kantor/"
WRONG_PASSWORD = "Nama pengguna atau kata sandi salah. Periksa huruf besar/kecil, lalu coba lagi."
WRONG_CODE = (
    "Kode salah atau sudah kedaluwarsa. Masukkan kode yang sedang tampil di aplikasi "
    "autentikator, atau satu kode cadangan."
)


def sign_in(client: Client, user: User, password: str = PASSWORD, **extra):
    """Post the password form as `user` (extra: next=…, or request META such as REMOTE_ADDR)."""
    data = {"username": user.username, "password": password}
    if "next" in extra:
        data["next"] = extra.pop("next")
    return client.post(LOGIN, data, **extra)


def code_now(key: str, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows for `key` now (or `steps_ahead` × 30 s later)."""
    return f"{totp(unhexlify(key), drift=steps_ahead):06d}"


def device_code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    device.refresh_from_db()
    return code_now(device.key, steps_ahead=steps_ahead)


def enrol(user: User) -> tuple[TOTPDevice, list[str]]:
    """Give `user` a confirmed authenticator app and backup codes (as the page would)."""
    key = totp_key_new()
    return totp_device_enrol(user=user, key=key, code=code_now(key))


def assert_redirects_to_login(response, path: str) -> None:
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('backoffice:login')}?next={path}"
