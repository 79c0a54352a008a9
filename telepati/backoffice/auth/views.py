"""Signing in and out of the back-office: password, then the code step when the officer has
an authenticator app.

A password alone never signs in someone who has a second factor: the session only holds a
short-lived "pending" mark (user id, backend, time) until a code is accepted. Administrators
without an app yet are signed in and sent to enrolment by `officer_view`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from telepati.accounts.models import User
from telepati.backoffice.auth.forms import CodeForm, LoginForm
from telepati.backoffice.auth.selectors import backup_codes_left, is_verified, totp_device_get
from telepati.backoffice.auth.services import SecondFactorLocked, second_factor_check
from telepati.core.errors import InvalidInput

PENDING_KEY = "telepati_pending_second_factor"
PENDING_MAX_SECONDS = 10 * 60


def safe_next(request: HttpRequest, default: str = "") -> str:
    """The `next` parameter when it points inside this site, else `default`."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def _home() -> str:
    return reverse("backoffice:home")


def _pending_start(request: HttpRequest, user: User) -> None:
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "user_id": user.pk,
        "backend": getattr(user, "backend", ""),
        "at": int(timezone.now().timestamp()),
    }


def _pending_user(request: HttpRequest) -> tuple[User, str] | None:
    """The user who passed the password step in this session, if recent enough."""
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None
    age = int(timezone.now().timestamp()) - int(pending.get("at", 0))
    user_id = pending.get("user_id")
    user = (
        User.objects.filter(pk=user_id, is_active=True).first()
        if isinstance(user_id, int)
        else None
    )
    if age > PENDING_MAX_SECONDS or user is None:
        del request.session[PENDING_KEY]
        return None
    return user, str(pending.get("backend", ""))


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    """Step one: username and password."""
    next_url = safe_next(request)
    if request.user.is_authenticated:
        return redirect(next_url or _home())
    form = LoginForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        if totp_device_get(user=user) is not None:
            _pending_start(request, user)
            verify_url = reverse("backoffice:login_verify")
            return redirect(
                f"{verify_url}?{urlencode({'next': next_url})}" if next_url else verify_url
            )
        auth_login(request, user)  # starts the session clocks (see auth.apps)
        return redirect(next_url or _home())
    return render(request, "backoffice/auth/login.html", {"form": form, "next": next_url})


def _verify_render(
    request: HttpRequest, form: CodeForm, next_url: str, *, status: int = 200, **extra: Any
) -> HttpResponse:
    context = {"form": form, "next": next_url, **extra}
    return render(request, "backoffice/auth/verify.html", context, status=status)


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def login_verify(request: HttpRequest) -> HttpResponse:
    """Step two: a code from the authenticator app or a backup code."""
    next_url = safe_next(request)
    pending: tuple[User, str] | None = None
    if request.user.is_authenticated:
        if is_verified(request.user):
            return redirect(next_url or _home())
        if totp_device_get(user=request.user) is None:
            return redirect("backoffice:account_security")
        user = request.user
    else:
        pending = _pending_user(request)
        if pending is None:
            messages.info(request, _("Masukkan nama pengguna dan kata sandi terlebih dahulu."))
            return redirect("backoffice:login")
        user = pending[0]
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method != "POST" or not form.is_valid():
        return _verify_render(request, form, next_url)
    try:
        device = second_factor_check(user=user, code=form.cleaned_data["code"])
    except SecondFactorLocked as exc:
        return _verify_render(request, CodeForm(), next_url, status=429, locked=str(exc))
    except InvalidInput as exc:
        form.add_error("code", str(exc))
        return _verify_render(request, form, next_url)
    if pending is not None:
        del request.session[PENDING_KEY]
        user.otp_device = device  # type: ignore[attr-defined]  # django-otp marks the session verified on login
        auth_login(request, user, backend=pending[1] or None)
    else:
        request.session.cycle_key()
        otp_login(request, device)
    if isinstance(device, StaticDevice):
        messages.warning(
            request,
            _("Kode cadangan sudah dipakai dan tidak berlaku lagi. Sisa kode cadangan: %(left)d.")
            % {"left": backup_codes_left(user=user)},
        )
    return redirect(next_url or _home())


@require_POST
def logout_view(request: HttpRequest) -> HttpResponseRedirect:
    """Sign out (POST with the CSRF token only)."""
    auth_logout(request)
    messages.success(request, _("Anda sudah keluar. Sampai jumpa."))
    return HttpResponseRedirect(reverse("backoffice:login"))
