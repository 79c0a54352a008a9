"""Which calls need a key, and which need a client allowed to file reports."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from telepati.apikeys.models import ApiClient

if TYPE_CHECKING:
    from rest_framework.views import APIView


class ApiClientRequired(BasePermission):
    """A valid key (without one DRF answers 401 with `WWW-Authenticate`)."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return isinstance(request.auth, ApiClient)


class ApiClientMayWrite(BasePermission):
    """Reading needs a key; writing needs a client allowed to file reports (else 403)."""

    message = _("Klien API ini tidak berhak mengirim laporan.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        client = request.auth
        if not isinstance(client, ApiClient):
            return False
        return request.method in SAFE_METHODS or client.can_write
