"""Who calls: an API client presenting its key as `Authorization: Token <key>` (or `Bearer`).

Keys are the integration clients' keys (telepati.apikeys), the same ones Open311 takes. No
header means an anonymous call (allowed where the view says so); a wrong, revoked or
malformed key is 401 — and counts against the caller's address, so guessing keys is
rate-limited like any anonymous call.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework.request import Request

from telepati.api.throttling import anonymous_limited
from telepati.apikeys.models import ApiClient
from telepati.apikeys.services import api_client_authenticate

SCHEMES = frozenset({"token", "bearer"})


class ApiClientPrincipal:
    """`request.user` for a call made with a key: the client, never a person."""

    is_authenticated = True
    is_anonymous = False

    def __init__(self, client: ApiClient) -> None:
        self.client = client

    def __str__(self) -> str:
        return str(self.client)


class ApiKeyAuthentication(BaseAuthentication):
    """`Authorization: Token <key>` or `Authorization: Bearer <key>`."""

    def authenticate(self, request: Request) -> tuple[ApiClientPrincipal, ApiClient] | None:
        header = str(request.META.get("HTTP_AUTHORIZATION", "")).strip()
        if not header:
            return None
        scheme, _space, key = header.partition(" ")
        if scheme.lower() not in SCHEMES:
            return None
        key = key.strip()
        client = api_client_authenticate(key=key) if key and " " not in key else None
        if client is None:
            if anonymous_limited(request):
                raise Throttled(wait=60)
            raise AuthenticationFailed(_("Kunci API tidak sah atau sudah dicabut."))
        return ApiClientPrincipal(client), client

    def authenticate_header(self, request: Request) -> str:
        return 'Token realm="api"'
