"""django-axes hooks: the client address it counts failures by, and the lock-out page.

A lock-out applies to the pair username + client address (settings.AXES_LOCKOUT_PARAMETERS).
Behind our reverse proxy (TELEPATI_BEHIND_PROXY) REMOTE_ADDR is the proxy itself, so the
address is the last entry of X-Forwarded-For — the one the proxy appended; entries to its
left come from the client and could be forged.
"""

from __future__ import annotations

import ipaddress
import math
from typing import Any

from axes.helpers import get_client_ip_address, get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def _valid_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def client_ip(request: HttpRequest) -> str | None:
    """The client address for lock-outs (AXES_CLIENT_IP_CALLABLE)."""
    if settings.TELEPATI_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops and _valid_ip(hops[-1]):
            return hops[-1]
    remote = request.META.get("REMOTE_ADDR")
    return remote if isinstance(remote, str) else None


def lockout_minutes_left(*, username: str, ip_address: str | None) -> int:
    """Whole minutes until this username may try again from this address (at least 1)."""
    last = (
        AccessAttempt.objects.filter(username=username, ip_address=ip_address)
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )
    now = timezone.now()
    until = (last or now) + settings.AXES_COOLOFF_TIME
    return max(1, math.ceil((until - now).total_seconds() / 60))


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The Indonesian lock-out page (AXES_LOCKOUT_CALLABLE), with the time left to wait."""
    username = get_client_username(request, credentials) or ""
    ip_address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
    minutes = lockout_minutes_left(username=username, ip_address=ip_address)
    return render(
        request,
        "backoffice/auth/locked.html",
        {"minutes": minutes, "username": username},
        status=429,
    )
