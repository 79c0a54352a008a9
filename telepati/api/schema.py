"""Schema helpers: the API key as a security scheme, and the documented error answers of
each operation (all in the one shape)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse

from telepati.api.serializers import ErrorSerializer

ERROR_DESCRIPTIONS = {
    400: _("Permintaan belum benar (fields menyebut isian yang salah)."),
    401: _("Kunci API tidak dikirim, tidak sah, atau sudah dicabut."),
    403: _("Klien ini tidak berhak melakukannya."),
    404: _("Tidak ditemukan (atau tidak boleh dilihat klien ini)."),
    409: _("Idempotency-Key sudah dipakai untuk laporan lain."),
    415: _("Badan permintaan bukan application/json atau multipart/form-data."),
    429: _("Terlalu banyak permintaan; lihat Retry-After."),
}


def errors(*statuses: int) -> dict[int, OpenApiResponse]:
    """Error responses for `extend_schema(responses=…)`."""
    return {
        status: OpenApiResponse(ErrorSerializer, description=str(ERROR_DESCRIPTIONS[status]))
        for status in statuses
    }


class ApiKeyScheme(OpenApiAuthenticationExtension):
    """The key as an HTTP bearer scheme in the OpenAPI schema (`Token` works as well)."""

    target_class = "telepati.api.authentication.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": gettext(
                "Kunci klien API dari administrator kecamatan: "
                "Authorization: Token <kunci> (atau Bearer <kunci>)."
            ),
        }
