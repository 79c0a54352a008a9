"""The account security page: enrol an authenticator app (QR code and the key as text),
new backup codes (shown once), and switching the second factor off (not for administrators).

Until confirmed, the key being enrolled lives only in the session, so reloading the page
shows the same QR code and nothing half-made is stored.
"""

from __future__ import annotations

from base64 import b32encode
from binascii import unhexlify
from typing import Any

import segno
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login

from telepati.accounts.models import User
from telepati.backoffice.access import officer_view
from telepati.backoffice.auth.flow import second_factor_redirect
from telepati.backoffice.auth.forms import CodeForm
from telepati.backoffice.auth.selectors import (
    backup_codes_left,
    is_verified,
    totp_device_get,
    two_factor_required,
)
from telepati.backoffice.auth.services import (
    backup_codes_regenerate,
    totp_config_url,
    totp_device_disable,
    totp_device_enrol,
    totp_key_new,
)
from telepati.backoffice.auth.views import safe_next
from telepati.core.errors import DomainError, InvalidInput

ENROL_KEY = "telepati_enrol_totp_key"


def key_for_humans(key: str) -> str:
    """The hex key as base32 in groups of four, as authenticator apps ask to type it."""
    text = b32encode(unhexlify(key.encode())).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def _enrol_context(request: HttpRequest, user: User) -> dict[str, Any]:
    key = request.session.get(ENROL_KEY)
    if not isinstance(key, str):
        key = totp_key_new()
        request.session[ENROL_KEY] = key
    url = totp_config_url(user=user, key=key)
    svg = segno.make(url, error="m").svg_inline(
        scale=4, title=_("Kode QR untuk aplikasi autentikator"), svgclass="qr"
    )
    return {"qr_svg": mark_safe(svg), "key_text": key_for_humans(key)}  # noqa: S308 (segno output)


def _page(request: HttpRequest, *, form: CodeForm | None = None, **extra: Any) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    scope = request.officer_scope  # type: ignore[attr-defined]
    device = totp_device_get(user=user)
    context: dict[str, Any] = {
        "device": device,
        "required": two_factor_required(user=user, scope=scope),
        "backup_left": backup_codes_left(user=user) if device else 0,
        "next": safe_next(request),
        **extra,
    }
    if device is None:
        context.update(_enrol_context(request, user))
        context["form"] = form or CodeForm()
    return render(request, "backoffice/auth/security.html", context)


@sensitive_post_parameters("code")
@never_cache
@officer_view(allow_missing_second_factor=True)
def account_security(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if totp_device_get(user=user) is not None and not is_verified(user):
        # A session that signed in before the app was added proves it with a code first.
        return second_factor_redirect(user=user, next_url=request.get_full_path())
    if request.method != "POST":
        return _page(request)
    action = request.POST.get("action")
    if action == "enrol":
        return _enrol(request, user)
    try:
        if action == "backup_codes":
            codes = backup_codes_regenerate(user=user)
            messages.success(
                request, _("Kode cadangan baru sudah dibuat. Kode lama tidak berlaku lagi.")
            )
            return _page(request, backup_codes=codes)
        if action == "disable":
            totp_device_disable(user=user)
            messages.success(request, _("Verifikasi dua langkah dinonaktifkan."))
            return redirect("backoffice:account_security")
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("backoffice:account_security")
    messages.error(request, _("Tindakan tidak dikenal."))
    return redirect("backoffice:account_security")


def _enrol(request: HttpRequest, user: User) -> HttpResponse:
    form = CodeForm(request.POST)
    key = request.session.get(ENROL_KEY)
    if not form.is_valid():
        return _page(request, form=form)
    if not isinstance(key, str):
        messages.error(request, _("Kode QR sudah berganti. Pindai kode QR di bawah ini lagi."))
        return redirect("backoffice:account_security")
    try:
        device, codes = totp_device_enrol(user=user, key=key, code=form.cleaned_data["code"])
    except InvalidInput as exc:
        form.add_error("code", str(exc))
        return _page(request, form=form)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("backoffice:account_security")
    del request.session[ENROL_KEY]
    request.session.cycle_key()
    otp_login(request, device)
    messages.success(
        request,
        _("Verifikasi dua langkah aktif. Mulai sekarang, setiap kali masuk Anda diminta kode."),
    )
    return _page(request, backup_codes=codes)
