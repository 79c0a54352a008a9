"""The Django admin demands a second factor from administrators and superusers.

Built on django-otp's OTPAdminSite, but the rule is TELEPATI's: only users who must use two
factors (`two_factor_required`) need a verified session; other staff need only their
password, as in the back-office. Signing in happens on the back-office login page (password,
then code, or enrolment), which returns to the admin afterwards.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp.admin import OTPAdminSite

from telepati.backoffice.access import forbidden_page
from telepati.backoffice.auth.flow import second_factor_redirect
from telepati.backoffice.auth.selectors import is_verified, two_factor_required

_CACHE_ATTR = "_telepati_admin_2fa_missing"


def _second_factor_missing(request: HttpRequest) -> bool:
    """Whether the user must use two factors and this session has not (cached per request)."""
    missing = getattr(request, _CACHE_ATTR, None)
    if missing is None:
        missing = two_factor_required(user=request.user) and not is_verified(request.user)
        setattr(request, _CACHE_ATTR, missing)
    return bool(missing)


class TelepatiAdminSite(OTPAdminSite):
    """The default admin site (`admin.site`)."""

    def __init__(self, name: str = "admin") -> None:
        super().__init__(name)

    def has_permission(self, request: HttpRequest) -> bool:
        base = super(OTPAdminSite, self).has_permission(request)  # plain AdminSite rule
        return bool(base) and not _second_factor_missing(request)

    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        if not request.user.is_authenticated:
            login_url = reverse("backoffice:login")
            return HttpResponseRedirect(f"{login_url}?{urlencode({'next': next_url})}")
        if _second_factor_missing(request):
            return second_factor_redirect(user=request.user, next_url=next_url)
        if self.has_permission(request):
            return HttpResponseRedirect(reverse("admin:index", current_app=self.name))
        return forbidden_page(request, _("Akun Anda tidak berwenang membuka halaman administrasi."))
