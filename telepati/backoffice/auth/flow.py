"""Where a signed-in user goes next when a second factor is still missing."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponseRedirect
from django.urls import reverse

from telepati.backoffice.auth.selectors import totp_device_get


def second_factor_redirect(
    *, user: AbstractBaseUser | AnonymousUser, next_url: str
) -> HttpResponseRedirect:
    """To the code step when the user has an authenticator app, else to enrolment."""
    step = (
        "backoffice:login_verify" if totp_device_get(user=user) else "backoffice:account_security"
    )
    return HttpResponseRedirect(f"{reverse(step)}?{urlencode({'next': next_url})}")
