"""The WhatsApp simulator: a phone-chat page for development and demos, never production.

A resident's action (text, a tapped button or list row, a pin, a photo) becomes the webhook
payload Meta would send (`simulator_payloads`), signed with WHATSAPP_APP_SECRET and handed
to the real webhook view as a raw WSGI request: the view reads the same bytes, verifies the
same `X-Hub-Signature-256` and stores the delivery exactly as for Meta. It is an in-process
call rather than an HTTP round trip so that a single-worker dev server cannot deadlock on
itself, and rather than Django's test Client, which rewires global request signals and is
not safe in a threaded server. The conversation shows the resident's processed inbound
messages (deliveries still waiting for the worker appear as pending) and the outbox rows to
that number with their status ticks; the page polls every 2 seconds.

Photos are kept under VAR_DIR/simulator-media by media id and served by two endpoints that
mimic the Graph API (`GET /<version>/<media_id>` → JSON, `GET <url>` with the bearer → bytes);
settings point WHATSAPP_GRAPH_URL there when no access token is set, so the bot's download
code runs unchanged.
"""

from __future__ import annotations

import hmac
import io
import json
import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from django.core.exceptions import ValidationError
from django.core.handlers.wsgi import WSGIRequest
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.urls import resolve, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from telepati.citizens.models import Citizen
from telepati.core.phone import phone_normalize
from telepati.messaging.models import MessageStatus, OutboundMessage
from telepati.whatsapp import simulator_payloads as build
from telepati.whatsapp.signature import signature_header
from telepati.whatsapp.simulator_thread import Thread, thread_build

# A preset pin in Harjosari I for demos of the location step.
PRESET_PIN = {
    "latitude": "3.5331217",
    "longitude": "98.7138544",
    "name": "Jl. Garu II",
    "address": "Jl. Garu II No. 12, Harjosari I, Medan Amplas",
}
DEFAULT_RESIDENT = ("+6281234567890", "Siti Aminah")
PHOTO_MAX_BYTES = 16 * 1024 * 1024
MEDIA_ID = re.compile(r"^\d{1,20}$")


def simulator_enabled() -> bool:
    """On by setting (default DEBUG) and never in production, whatever the setting says."""
    return bool(getattr(settings, "TELEPATI_SIMULATOR_ENABLED", False)) and not getattr(
        settings, "PRODUCTION", False
    )


@register()
def check_simulator_off_in_production(
    app_configs: Sequence[Any] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """The simulator signs webhooks with the app secret: production must not serve it."""
    if getattr(settings, "PRODUCTION", False) and getattr(
        settings, "TELEPATI_SIMULATOR_ENABLED", False
    ):
        return [
            Error(
                "TELEPATI_SIMULATOR_ENABLED is on in production.",
                hint="Unset TELEPATI_SIMULATOR_ENABLED: the simulator is for development.",
                id="whatsapp.E101",
            )
        ]
    return []


def _require_enabled() -> None:
    if not simulator_enabled():
        raise Http404


# --- Posting to the real webhook ------------------------------------------------------------


def webhook_post(payload: dict[str, Any]) -> int:
    """Sign `payload` as Meta would and hand it to the webhook view; return its HTTP status."""
    body = build.payload_body(payload)
    path = reverse("whatsapp:webhook")
    request = WSGIRequest(
        {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": path,
            "SCRIPT_NAME": "",
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(body)),
            "HTTP_USER_AGENT": "facebookexternalua",
            "HTTP_X_HUB_SIGNATURE_256": signature_header(
                body=body, app_secret=settings.WHATSAPP_APP_SECRET
            ),
            "wsgi.input": io.BytesIO(body),
            "wsgi.url_scheme": "http",
        }
    )
    match = resolve(path)
    response: HttpResponseBase = match.func(request, *match.args, **match.kwargs)
    return response.status_code


# --- Simulated media --------------------------------------------------------------------------


def _media_dir() -> Path:
    return Path(settings.VAR_DIR) / "simulator-media"


def media_store(*, content: bytes, mime_type: str) -> tuple[str, str]:
    """Keep a photo under a fresh media id; return (media_id, sha256 as Meta writes it)."""
    media_id = build.media_id_new()
    sha256 = build.media_sha256(content)
    folder = _media_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{media_id}.bin").write_bytes(content)
    info = {"mime_type": mime_type, "sha256": sha256, "file_size": len(content)}
    (folder / f"{media_id}.json").write_text(json.dumps(info))
    return media_id, sha256


def _media_info(media_id: str) -> dict[str, Any]:
    path = _media_dir() / f"{media_id}.json"
    if not MEDIA_ID.match(media_id) or not path.is_file():
        raise Http404
    info: dict[str, Any] = json.loads(path.read_text())
    return info


def _graph_error(status: int, code: int, message: str) -> JsonResponse:
    body = {"error": {"message": message, "type": "OAuthException", "code": code}}
    return JsonResponse(body, status=status)


def _bearer_valid(request: HttpRequest) -> bool:
    """`Authorization: Bearer <WHATSAPP_ACCESS_TOKEN>` (empty in simulator mode) is required."""
    header = request.headers.get("Authorization")
    if header is None:
        return False
    scheme, _sep, token = header.strip().partition(" ")
    expected = str(getattr(settings, "WHATSAPP_ACCESS_TOKEN", "") or "")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        token.strip().encode(), expected.encode()
    )


@require_GET
def graph_media_lookup(request: HttpRequest, version: str, media_id: str) -> HttpResponse:
    """Like `GET https://graph.facebook.com/<version>/<media_id>`: where to download it."""
    _require_enabled()
    if not _bearer_valid(request):
        return _graph_error(401, 190, "Invalid OAuth access token.")
    try:
        info = _media_info(media_id)
    except Http404:
        return _graph_error(404, 100, f"Unsupported get request. Object {media_id} not found.")
    url = request.build_absolute_uri(reverse("simulator:graph_media_download", args=[media_id]))
    return JsonResponse({"messaging_product": "whatsapp", "url": url, "id": media_id, **info})


@require_GET
def graph_media_download(request: HttpRequest, media_id: str) -> HttpResponseBase:
    """Like the lookaside URL: the bytes, only with the same bearer header."""
    _require_enabled()
    if not _bearer_valid(request):
        return _graph_error(401, 190, "Invalid OAuth access token.")
    info = _media_info(media_id)
    return FileResponse(
        (_media_dir() / f"{media_id}.bin").open("rb"), content_type=info["mime_type"]
    )


@require_GET
def media_preview(request: HttpRequest, media_id: str) -> HttpResponseBase:
    """The photo as the resident's own phone shows it (the page only, no bearer)."""
    _require_enabled()
    info = _media_info(media_id)
    return FileResponse(
        (_media_dir() / f"{media_id}.bin").open("rb"), content_type=info["mime_type"]
    )


# --- The page ---------------------------------------------------------------------------------


def _resident(data: Any) -> build.SimResident | None:
    try:
        phone = phone_normalize(str(data.get("phone") or DEFAULT_RESIDENT[0]))
    except ValidationError:
        return None
    name = str(data.get("name") or "").strip()[:120] or DEFAULT_RESIDENT[1]
    return build.SimResident(wa_id=phone.wa_id, name=name)


def _demo_residents() -> list[tuple[str, str]]:
    citizens = Citizen.objects.filter(phone__isnull=False).exclude(name="").order_by("id")[:6]
    residents = [(c.phone or "", c.name) for c in citizens]
    if DEFAULT_RESIDENT[0] not in {phone for phone, _name in residents}:
        residents.insert(0, DEFAULT_RESIDENT)
    return residents


def _page_url(resident: build.SimResident, **extra: str) -> str:
    query = {"phone": "+" + resident.wa_id, "name": resident.name, **extra}
    return reverse("simulator:page") + "?" + urlencode(query)


def _context(resident: build.SimResident, thread: Thread, notice: str = "") -> dict[str, Any]:
    return {
        "resident": resident,
        "phone": "+" + resident.wa_id,
        "thread": thread,
        "notice": notice,
        "preset": PRESET_PIN,
        "demo_residents": _demo_residents(),
    }


@require_GET
def simulator_page(request: HttpRequest) -> HttpResponse:
    _require_enabled()
    resident = _resident(request.GET)
    notice = str(request.GET.get("notice", ""))[:200]
    if resident is None:
        resident = _resident({})
        notice = _("Nomor telepon tidak valid.")
    assert resident is not None  # the default resident is a valid number
    return render(
        request,
        "whatsapp/simulator.html",
        _context(resident, thread_build(wa_id=resident.wa_id, bsuid=resident.bsuid), notice),
    )


@require_GET
def simulator_thread(request: HttpRequest) -> HttpResponse:
    """The conversation alone (polled); 204 when nothing changed since version `v`."""
    _require_enabled()
    resident = _resident(request.GET)
    if resident is None:
        return HttpResponse(status=400)
    thread = thread_build(wa_id=resident.wa_id, bsuid=resident.bsuid)
    if request.GET.get("v") == thread.version:
        return HttpResponse(status=204)
    return render(request, "whatsapp/simulator_thread.html", _context(resident, thread))


@require_POST
def simulator_send(request: HttpRequest) -> HttpResponse:
    """One resident action → one signed webhook POST; answers with the updated thread."""
    _require_enabled()
    resident = _resident(request.POST)
    if resident is None:
        return HttpResponse(_("Nomor telepon tidak valid."), status=400)
    try:
        payload = _payload_for(request, resident)
    except ValueError as exc:
        notice = str(exc)
    else:
        status = webhook_post(payload) if payload else 200
        notice = (
            ""
            if status == 200
            else _("Webhook menolak kiriman (HTTP %(status)s).") % {"status": status}
        )
    if not request.headers.get("HX-Request"):
        return HttpResponseRedirect(
            _page_url(resident, notice=notice) if notice else _page_url(resident)
        )
    thread = thread_build(wa_id=resident.wa_id, bsuid=resident.bsuid)
    return render(request, "whatsapp/simulator_thread.html", _context(resident, thread, notice))


def _payload_for(request: HttpRequest, resident: build.SimResident) -> dict[str, Any] | None:
    data = request.POST
    action = data.get("action", "")
    context_id = data.get("context_id") or None
    if action == "text":
        body = data.get("body", "").strip()
        if not body:
            raise ValueError(_("Tulis pesan dulu."))
        return build.text_payload(resident=resident, body=body[:4096])
    if action == "button":
        return build.button_reply_payload(
            resident=resident,
            reply_id=data.get("reply_id", ""),
            title=data.get("title", ""),
            context_id=context_id,
        )
    if action == "list":
        return build.list_reply_payload(
            resident=resident,
            reply_id=data.get("reply_id", ""),
            title=data.get("title", ""),
            description=data.get("description", ""),
            context_id=context_id,
        )
    if action in ("location", "preset"):
        source: dict[str, Any] = (
            PRESET_PIN
            if action == "preset"
            else {
                "latitude": data.get("latitude", ""),
                "longitude": data.get("longitude", ""),
                "name": data.get("place_name", ""),
                "address": data.get("place_address", ""),
            }
        )
        try:
            latitude = Decimal(str(source.get("latitude", "")).strip())
            longitude = Decimal(str(source.get("longitude", "")).strip())
        except InvalidOperation:
            raise ValueError(_("Lintang dan bujur harus berupa angka.")) from None
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise ValueError(_("Lintang dan bujur di luar jangkauan."))
        return build.location_payload(
            resident=resident,
            latitude=latitude,
            longitude=longitude,
            name=str(source.get("name", "")).strip(),
            address=str(source.get("address", "")).strip(),
        )
    if action == "photo":
        upload = request.FILES.get("photo")
        if upload is None or not upload.size:
            raise ValueError(_("Pilih foto dulu."))
        if upload.size > PHOTO_MAX_BYTES:
            raise ValueError(_("Foto terlalu besar (maksimal 16 MB)."))
        mime_type = (upload.content_type or "").split(";")[0].strip().lower()
        if not mime_type.startswith("image/"):
            raise ValueError(_("Berkas ini bukan foto."))
        media_id, sha256 = media_store(content=upload.read(), mime_type=mime_type)
        return build.image_payload(
            resident=resident,
            media_id=media_id,
            mime_type=mime_type,
            sha256=sha256,
            caption=data.get("caption", "").strip()[:1024],
        )
    if action in ("delivered", "read"):
        return _status_payload(resident, action)
    raise ValueError(_("Aksi tidak dikenal."))


def _status_payload(resident: build.SimResident, status: str) -> dict[str, Any] | None:
    """Delivered/read callbacks for our messages to this resident that are not there yet."""
    behind = (
        [MessageStatus.SENT]
        if status == "delivered"
        else [
            MessageStatus.SENT,
            MessageStatus.DELIVERED,
        ]
    )
    wamids = list(
        OutboundMessage.objects.filter(
            recipient_phone="+" + resident.wa_id,
            status__in=behind,
            provider_message_id__isnull=False,
        )
        .order_by("created_at", "id")
        .values_list("provider_message_id", flat=True)
    )
    if not wamids:
        raise ValueError(_("Tidak ada pesan keluar yang bisa ditandai."))
    return build.status_payload(resident=resident, wamids=[w for w in wamids if w], status=status)
