"""An officer's second factor: enrol an authenticator app, check a code, backup codes.

Lifecycle: none → enrolled (the officer scans a fresh key and confirms one code: a confirmed
`TOTPDevice` plus ten one-time backup codes on a `StaticDevice`) → none again when the
officer disables it (never for administrators and superusers, who must keep one).

At sign-in `second_factor_check` accepts a 6-digit code from the app or one backup code
(each works once). Wrong codes are counted per user on the TOTP device with django-otp's own
throttling fields: django-otp makes the next try wait 1, 2, 4 … seconds, and after
AXES_FAILURE_LIMIT wrong codes in a row the code step is locked for AXES_COOLOFF_TIME (the
same numbers as the password lock-out). A wrong code must change that counter, so the check
commits its transaction before raising.
"""

from __future__ import annotations

import enum
import math
import time
from binascii import Error as BinasciiError
from binascii import unhexlify
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import (
    StaticDevice,
    StaticToken,
)
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from telepati.accounts.models import User
from telepati.backoffice.auth.selectors import two_factor_required
from telepati.core.errors import Conflict, Forbidden, InvalidInput

TOTP_DIGITS = 6
BACKUP_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Aplikasi autentikator"
BACKUP_DEVICE_NAME = "Kode cadangan"


class SecondFactorLocked(Forbidden):
    """Too many wrong codes: the code step is closed for a while."""

    code = "second_factor_locked"

    def __init__(self, *, minutes: int) -> None:
        super().__init__(
            _(
                "Terlalu banyak kode yang salah. Verifikasi dua langkah dikunci; "
                "coba lagi dalam %(minutes)d menit."
            )
            % {"minutes": minutes}
        )
        self.minutes = minutes


def totp_key_new() -> str:
    """A fresh random TOTP key (hex, 20 bytes) to show at enrolment; stored only on confirm."""
    return str(random_hex(20))


def totp_config_url(*, user: User, key: str) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    return str(TOTPDevice(user=user, key=key, digits=TOTP_DIGITS).config_url)


def _clean_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _totp_match(key: str, code: str) -> int | None:
    """The time step `code` matches for `key` (± one step), or None."""
    if not (code.isdigit() and len(code) == TOTP_DIGITS):
        return None
    try:
        binary = unhexlify(key.encode())
    except (BinasciiError, ValueError):
        return None
    totp = TOTP(binary, digits=TOTP_DIGITS)
    totp.time = time.time()
    if not totp.verify(int(code), tolerance=1):
        return None
    return int(totp.t())


def _backup_codes_replace(user: User) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _i in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def totp_device_enrol(*, user: User, key: str, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm enrolment of `key` with a current `code`; returns the device and new backup
    codes (shown once). Refused when the user already has a confirmed device."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise Conflict(_("Verifikasi dua langkah sudah aktif untuk akun ini."))
        step = _totp_match(key, _clean_code(code))
        if step is None:
            message = _(
                "Kode tidak cocok. Pastikan jam ponsel tepat, lalu masukkan kode yang sedang "
                "tampil di aplikasi."
            )
            raise InvalidInput(message, field_errors={"code": [message]})
        TOTPDevice.objects.filter(user=user).delete()  # unconfirmed leftovers, if any
        device = TOTPDevice.objects.create(
            user=user,
            name=TOTP_DEVICE_NAME,
            key=key,
            digits=TOTP_DIGITS,
            confirmed=True,
            last_t=step,  # the confirming code cannot be used again to sign in
        )
        codes = _backup_codes_replace(user)
    return device, codes


def totp_device_disable(*, user: User) -> None:
    """Remove the user's second factor (app and backup codes); not for administrators."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        if two_factor_required(user=user):
            raise Forbidden(
                _(
                    "Administrator wajib memakai verifikasi dua langkah, "
                    "jadi fitur ini tidak dapat dinonaktifkan."
                )
            )
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise InvalidInput(_("Verifikasi dua langkah belum aktif untuk akun ini."))
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


def backup_codes_regenerate(*, user: User) -> list[str]:
    """New backup codes replacing the old ones (returned once, never shown again)."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise InvalidInput(_("Aktifkan verifikasi dua langkah terlebih dahulu."))
        return _backup_codes_replace(user)


class _Outcome(enum.Enum):
    ACCEPTED = "accepted"
    WRONG = "wrong"
    WAIT = "wait"
    LOCKED = "locked"
    NO_DEVICE = "no_device"


@dataclass(frozen=True)
class _Attempt:
    outcome: _Outcome
    device: Device | None = None
    seconds: int = 0


def _locked_until(device: TOTPDevice) -> datetime | None:
    if (
        device.throttling_failure_count >= settings.AXES_FAILURE_LIMIT
        and device.throttling_failure_timestamp is not None
    ):
        return device.throttling_failure_timestamp + settings.AXES_COOLOFF_TIME
    return None


def _seconds_until(moment: datetime, now: datetime) -> int:
    return max(1, math.ceil((moment - now).total_seconds()))


def _attempt(user: User, code: str) -> _Attempt:
    with transaction.atomic():
        totp = (
            TOTPDevice.objects.select_for_update()
            .filter(user_id=user.pk, confirmed=True)
            .order_by("pk")
            .first()
        )
        if totp is None:
            return _Attempt(_Outcome.NO_DEVICE)
        now = timezone.now()
        locked_until = _locked_until(totp)
        if locked_until is not None and now < locked_until:
            return _Attempt(_Outcome.LOCKED, seconds=_seconds_until(locked_until, now))
        allowed, info = totp.verify_is_allowed()
        if not allowed:
            return _Attempt(_Outcome.WAIT, seconds=_seconds_until(info["locked_until"], now))
        if code.isdigit() and len(code) == totp.digits:
            if totp.verify_token(code):  # resets or counts the failure itself
                return _Attempt(_Outcome.ACCEPTED, device=totp)
        else:
            backup = (
                StaticDevice.objects.select_for_update()
                .filter(user_id=user.pk, confirmed=True)
                .first()
            )
            if backup is not None and backup.verify_token(code):  # a used code is deleted
                totp.throttle_reset()
                return _Attempt(_Outcome.ACCEPTED, device=backup)
            totp.throttle_increment()
        locked_until = _locked_until(totp)
        if locked_until is not None:
            return _Attempt(_Outcome.LOCKED, seconds=_seconds_until(locked_until, now))
        return _Attempt(_Outcome.WRONG)


def second_factor_check(*, user: User, code: str) -> Device:
    """The device that accepts `code` for `user` (their app or a backup code).

    Raises SecondFactorLocked after too many wrong codes, InvalidInput for a wrong code or
    while django-otp asks to wait. The failure counter is committed before raising.
    """
    attempt = _attempt(user, _clean_code(code))
    if attempt.outcome is _Outcome.ACCEPTED:
        return attempt.device
    if attempt.outcome is _Outcome.LOCKED:
        raise SecondFactorLocked(minutes=math.ceil(attempt.seconds / 60))
    if attempt.outcome is _Outcome.WAIT:
        message = _("Tunggu %(seconds)d detik sebelum memasukkan kode lagi.") % {
            "seconds": attempt.seconds
        }
    elif attempt.outcome is _Outcome.NO_DEVICE:
        message = _("Akun ini belum memakai verifikasi dua langkah.")
    else:
        message = _(
            "Kode salah atau sudah kedaluwarsa. Masukkan kode yang sedang tampil di aplikasi "
            "autentikator, atau satu kode cadangan."
        )
    raise InvalidInput(message, field_errors={"code": [message]})
