"""Rate limits of the REST API, counted in the shared "ratelimit" cache (core.ratelimit).

A call with a key counts against its client's own rate (`ApiClient.rate`, group "api" —
the same budget as the client's Open311 calls); a call without one (or with a wrong key)
against the caller's address (TELEPATI_API_ANONYMOUS_RATE, default 60/m).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from telepati.apikeys.models import ApiClient
from telepati.core.ratelimit import client_ip, rate_limited

ANONYMOUS_RATE_DEFAULT = "60/m"
RETRY_AFTER_SECONDS = 60

if TYPE_CHECKING:
    from rest_framework.views import APIView


def anonymous_limited(request: Request) -> bool:
    """Count one call from the caller's address; whether it is over the anonymous rate."""
    rate = str(getattr(settings, "TELEPATI_API_ANONYMOUS_RATE", ANONYMOUS_RATE_DEFAULT))
    return rate_limited(group="api.ip", key=client_ip(request), rate=rate)


class ApiRateThrottle(BaseThrottle):
    """Per client with a key, per address without."""

    def allow_request(self, request: Request, view: APIView) -> bool:
        client = request.auth
        if isinstance(client, ApiClient):
            return not rate_limited(group="api", key=str(client.pk), rate=client.rate)
        return not anonymous_limited(request)

    def wait(self) -> float:
        return RETRY_AFTER_SECONDS
