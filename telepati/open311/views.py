"""Open311 GeoReport v2 endpoints (/open311/v2/…{.xml,.json}). Thin: each view reads its
arguments, calls a selector or `request_submit`, and returns a payload.

Every call goes through `_call`: the format suffix (404 if neither xml nor json), the method
(400 otherwise), the api_key (403 when wrong; required to POST, by an active client allowed
to write), the rate limit (429: per client with a key, per address without), and the
jurisdiction (400/404). Domain refusals become the spec's error list. No cookies, no CSRF
token: partners call with their key, not a session.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from telepati.apikeys.models import ApiClient
from telepati.apikeys.services import api_client_authenticate
from telepati.core.errors import NotFound
from telepati.core.ratelimit import client_ip, rate_limited
from telepati.open311 import params as p
from telepati.open311 import serializers as s
from telepati.open311.errors import Open311Error
from telepati.open311.render import FORMATS, Payload, errors_payload, respond
from telepati.open311.selectors import jurisdiction_resolve
from telepati.open311.status import status_values
from telepati.open311.submission import request_submit
from telepati.org.models import Kecamatan
from telepati.reports.selectors_public import (
    PublicReportFilters,
    category_changeset,
    category_list_with_questions,
    report_rows_public,
    report_updates_public,
)

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
ANONYMOUS_RATE_DEFAULT = "120/m"
RETRY_AFTER_SECONDS = "60"


@dataclass(frozen=True)
class Call:
    """One authorised call: its arguments, client (if a key was sent) and jurisdiction."""

    request: HttpRequest
    params: QueryDict
    client: ApiClient | None
    kecamatan: Kecamatan | None


Handler = Callable[[Call], Payload]


def _error(status: int, fmt: str, *descriptions: str) -> HttpResponse:
    return respond(errors_payload(status, Open311Error(status, *descriptions).items), fmt)


def _limited(request: HttpRequest, client: ApiClient | None) -> bool:
    if client is not None:
        return rate_limited(group="api", key=str(client.pk), rate=client.rate)
    rate = str(getattr(settings, "TELEPATI_OPEN311_ANONYMOUS_RATE", ANONYMOUS_RATE_DEFAULT))
    return rate_limited(group="open311.ip", key=client_ip(request), rate=rate)


def _call(
    request: HttpRequest,
    fmt: str,
    handlers: dict[str, Handler],
    *,
    jurisdiction: bool = True,
    segment: str = "",
) -> HttpResponse:
    if fmt not in FORMATS:
        return _error(404, "xml", _("Format tidak dikenal: gunakan .xml atau .json."))
    handler = handlers.get(request.method or "")
    if handler is None:
        return _error(400, fmt, _("Metode tidak didukung di alamat ini."))
    params = request.POST if request.method == "POST" else request.GET
    if "\x00" in segment:
        return _error(404, fmt, _("Sumber tidak ditemukan."))
    if any("\x00" in value for values in params.lists() for value in values[1]):
        return _error(400, fmt, _("Argumen berisi karakter yang tidak sah."))
    key = p.optional(params, "api_key")
    client = api_client_authenticate(key=key) if key is not None else None
    if _limited(request, client):
        response = _error(429, fmt, _("Terlalu banyak permintaan. Coba lagi sebentar lagi."))
        response["Retry-After"] = RETRY_AFTER_SECONDS
        return response
    if key is not None and client is None:
        return _error(403, fmt, _("api_key tidak sah atau sudah dicabut."))
    if request.method == "POST" and (client is None or not client.can_write):
        return _error(403, fmt, _("Kirim api_key yang sah dan berhak mengirim laporan."))
    try:
        kecamatan = (
            jurisdiction_resolve(jurisdiction_id=p.optional(params, "jurisdiction_id"))
            if jurisdiction
            else None
        )
        if (
            request.method == "POST"
            and client is not None
            and kecamatan is not None
            and kecamatan.pk != client.kecamatan_id
        ):
            raise Open311Error(403, _("api_key ini tidak berlaku untuk jurisdiction_id itu."))
        payload = handler(Call(request, params, client, kecamatan))
    except Open311Error as exc:
        return respond(errors_payload(exc.status, exc.items), fmt)
    except NotFound as exc:
        return _error(404, fmt, str(exc))
    return respond(payload, fmt)


# --- Endpoints --------------------------------------------------------------------------


@never_cache
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    def get(call: Call) -> Payload:
        changeset = s.w3c_datetime(category_changeset())
        discovery_url = request.build_absolute_uri(reverse("open311:discovery", args=["xml"]))
        base_url = discovery_url.removesuffix("/discovery.xml")
        contact = getattr(settings, "TELEPATI_OPEN311_CONTACT", "") or _(
            "Hubungi WA Center Kecamatan untuk bantuan atau melaporkan kesalahan."
        )
        return Payload(
            "discovery",
            {
                "changeset": changeset,
                "contact": contact,
                "key_service": _(
                    "Kunci API diberikan oleh administrator kecamatan (menu Klien API di "
                    "halaman admin)."
                ),
                "endpoints": [
                    {
                        "specification": SPECIFICATION,
                        "url": base_url,
                        "changeset": changeset,
                        "type": "production" if settings.PRODUCTION else "test",
                        "formats": ["text/xml", "application/json"],
                    }
                ],
            },
        )

    return _call(request, fmt, {"GET": get}, jurisdiction=False)


@never_cache
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    def get(call: Call) -> Payload:
        return Payload("services", [s.service_data(c) for c in category_list_with_questions()])

    return _call(request, fmt, {"GET": get})


@never_cache
def service_definition(request: HttpRequest, service_code: str, fmt: str) -> HttpResponse:
    def get(call: Call) -> Payload:
        category = next((c for c in category_list_with_questions() if c.code == service_code), None)
        if category is None:
            raise Open311Error(404, _("service_code tidak dikenal."))
        return Payload("service_definition", s.service_definition_data(category))

    return _call(request, fmt, {"GET": get}, segment=service_code)


def _kecamatan_id(call: Call) -> int | None:
    return call.kecamatan.pk if call.kecamatan is not None else None


@csrf_exempt
@never_cache
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    def get(call: Call) -> Payload:
        ids = p.comma_list(call.params, "service_request_id")
        if ids:
            filters = PublicReportFilters(kecamatan_id=_kecamatan_id(call), tracking_numbers=ids)
        else:
            window = p.window(call.params)
            filters = PublicReportFilters(
                kecamatan_id=_kecamatan_id(call),
                category_codes=p.comma_list(call.params, "service_code"),
                statuses=status_values(p.statuses(call.params)),
                submitted_from=window.start,
                submitted_until=window.end,
            )
        rows = report_rows_public(filters=filters)
        return Payload("service_requests", s.requests_data(request, rows))

    def post(call: Call) -> Payload:
        assert call.client is not None
        report = request_submit(client=call.client, body=call.params)
        return Payload("service_requests", [s.created_data(report)], status=201)

    return _call(request, fmt, {"GET": get, "POST": post})


@never_cache
def request_detail(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    def get(call: Call) -> Payload:
        filters = PublicReportFilters(
            kecamatan_id=_kecamatan_id(call), tracking_numbers=[request_id]
        )
        rows = report_rows_public(filters=filters, limit=1)
        if not rows:
            raise Open311Error(404, _("service_request_id tidak ditemukan."))
        return Payload("service_requests", s.requests_data(request, rows))

    return _call(request, fmt, {"GET": get}, segment=request_id)


@never_cache
def token_detail(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    """We answer POSTs with the id at once; a token lookup echoes a known public id."""

    def get(call: Call) -> Payload:
        filters = PublicReportFilters(kecamatan_id=_kecamatan_id(call), tracking_numbers=[token])
        rows = report_rows_public(filters=filters, limit=1)
        if not rows:
            raise Open311Error(404, _("token tidak dikenal."))
        number = rows[0]["tracking_number"]
        return Payload("service_requests", [{"service_request_id": number, "token": token}])

    return _call(request, fmt, {"GET": get}, segment=token)


@never_cache
def request_updates(request: HttpRequest, fmt: str) -> HttpResponse:
    def get(call: Call) -> Payload:
        window = p.window(call.params)
        events = report_updates_public(
            kecamatan_id=_kecamatan_id(call), since=window.start, until=window.end
        )
        return Payload("service_requests_updates", [s.update_data(request, e) for e in events])

    return _call(request, fmt, {"GET": get})
