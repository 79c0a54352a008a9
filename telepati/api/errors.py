"""One error shape for every refusal of the REST API:

    {"error": {"code": "invalid", "message": "…", "fields": {"description": ["…"]}}}

Domain errors map as at every door (InvalidInput → 400 with its field errors, NotFound → 404,
Forbidden → 403, Conflict → 409, the other domain refusals → 400); DRF's own errors (bad
JSON, missing key, throttling, unknown method…) are reshaped the same way, with an
Indonesian message. `fields` is present (possibly empty) on every error.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions as drf
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from telepati.api.throttling import RETRY_AFTER_SECONDS
from telepati.core.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def _domain_response(exc: DomainError) -> Response:
    fields = exc.field_errors if isinstance(exc, InvalidInput) else {}
    if isinstance(exc, NotFound):
        status = 404
    elif isinstance(exc, Forbidden):
        status = 403
    elif isinstance(exc, Conflict):
        status = 409
    else:
        status = 400
    return Response(error_body(exc.code, str(exc), fields), status=status)


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {"field": [...], "answers.code": [...]}."""
    if isinstance(detail, dict):
        fields: dict[str, list[str]] = {}
        for name, value in detail.items():
            key = f"{prefix}.{name}" if prefix else str(name)
            if name == api_settings.NON_FIELD_ERRORS_KEY:
                key = prefix or "non_field_errors"
            for field, messages in _flatten(value, key).items():
                fields.setdefault(field, []).extend(messages)
        return fields
    if isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            return {prefix or "non_field_errors": [str(item) for item in detail]}
        merged: dict[str, list[str]] = {}
        for index, item in enumerate(detail):
            for field, messages in _flatten(item, f"{prefix}.{index}").items():
                merged.setdefault(field, []).extend(messages)
        return merged
    return {prefix or "non_field_errors": [str(detail)]}


def _drf_message(exc: drf.APIException) -> tuple[str, str]:
    if isinstance(exc, drf.ValidationError):
        return "invalid", _("Permintaan belum benar. Periksa isian yang ditandai.")
    if isinstance(exc, drf.NotAuthenticated):
        return "not_authenticated", _("Kirim kunci API di kepala Authorization: Token <kunci>.")
    if isinstance(exc, drf.AuthenticationFailed):
        return "authentication_failed", str(exc.detail)
    if isinstance(exc, drf.PermissionDenied):
        return "forbidden", str(exc.detail)
    if isinstance(exc, drf.NotFound):
        return "not_found", _("Sumber tidak ditemukan.")
    if isinstance(exc, drf.MethodNotAllowed):
        return "method_not_allowed", _("Metode tidak didukung di alamat ini.")
    if isinstance(exc, drf.NotAcceptable):
        return "not_acceptable", _("Jawaban hanya tersedia sebagai JSON.")
    if isinstance(exc, drf.UnsupportedMediaType):
        return "unsupported_media_type", _(
            "Kirim badan permintaan sebagai application/json atau multipart/form-data."
        )
    if isinstance(exc, drf.ParseError):
        return "parse_error", _("Badan permintaan tidak bisa dibaca.")
    if isinstance(exc, drf.Throttled):
        return "rate_limited", _("Terlalu banyak permintaan. Coba lagi sebentar lagi.")
    return "error", _("Permintaan tidak dapat diproses.")


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: every refusal in the one shape."""
    if isinstance(exc, DomainError):
        return _domain_response(exc)
    if isinstance(exc, Http404):
        exc = drf.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = drf.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, drf.APIException):
        return response
    code, message = _drf_message(exc)
    fields = _flatten(exc.detail) if isinstance(exc, drf.ValidationError) else {}
    response.data = error_body(code, message, fields)
    if isinstance(exc, drf.Throttled):
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
