"""Access to back-office pages: signed-in officers with an active role, errors as pages.

`officer_view(capability)` wraps a view: anonymous → the login page; no active membership →
403 page; an administrator or superuser whose session has no second factor → the code step
(or, without an authenticator app yet, the enrolment page: `allow_missing_second_factor=True`
marks that page itself); missing capability → 403 page; the view receives
`request.officer_scope`. Domain errors
raised by services or selectors become pages: NotFound → 404 (existence does not leak),
Forbidden → 403. Views catch InvalidInput/InvalidTransition/Conflict themselves to keep what
was typed in the form.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from telepati.accounts.capabilities import Capability
from telepati.accounts.models import User
from telepati.accounts.scope import OfficerScope
from telepati.accounts.selectors import officer_scope_get
from telepati.backoffice.auth.flow import second_factor_redirect
from telepati.backoffice.auth.selectors import is_verified, two_factor_required
from telepati.core.errors import Forbidden, NotFound

View = Callable[..., HttpResponse]


class OfficerRequest(HttpRequest):
    """A request that passed `officer_view`: the user is an officer with a scope."""

    user: User
    officer_scope: OfficerScope


def forbidden_page(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "backoffice/forbidden.html", {"message": message}, status=403)


def officer_view(
    capability: Capability | None = None, *, allow_missing_second_factor: bool = False
) -> Callable[[View], View]:
    """Decorator for back-office views (see the module docstring)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            scope = officer_scope_get(user=request.user)
            if scope.is_empty:
                return forbidden_page(
                    request,
                    _("Akun Anda belum memiliki peran aktif. Hubungi administrator kecamatan."),
                )
            if (
                not allow_missing_second_factor
                and two_factor_required(user=request.user, scope=scope)
                and not is_verified(request.user)
            ):
                return second_factor_redirect(user=request.user, next_url=request.get_full_path())
            if capability is not None and not scope.can(capability):
                return forbidden_page(request, _("Peran Anda tidak berwenang membuka halaman ini."))
            request.officer_scope = scope  # type: ignore[attr-defined]
            try:
                return view(request, *args, **kwargs)
            except NotFound as exc:
                raise Http404(str(exc)) from exc
            except Forbidden as exc:
                return forbidden_page(request, str(exc))

        return wrapper

    return decorator
