"""The webhook door: Meta's verification handshake (GET) and signed deliveries (POST).

A POST is checked against `X-Hub-Signature-256` over the raw bytes; anything unsigned or
wrongly signed gets 403 and leaves no trace. A valid one is stored as received (one INSERT,
plus its processing job in the same commit with the database task queue) and answered 200
at once; the parsing happens in that task. When the database cannot store it the answer is
503, so Meta retries later (for up to 7 days).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from telepati.whatsapp.services import webhook_delivery_store
from telepati.whatsapp.signature import handshake_response, signature_valid

logger = logging.getLogger(__name__)

# Meta's payloads are at most 3 MB; the margin covers JSON escaping of large batches.
MAX_BODY_BYTES = 3 * 1024 * 1024 + 512 * 1024


@csrf_exempt
@require_http_methods(["GET", "POST"])
def webhook(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _handshake(request)
    return _delivery(request)


def _handshake(request: HttpRequest) -> HttpResponse:
    challenge = handshake_response(params=request.GET, verify_token=settings.WHATSAPP_VERIFY_TOKEN)
    if challenge is None:
        logger.warning("WhatsApp webhook: verification handshake refused")
        return HttpResponse(status=403)
    return HttpResponse(challenge, content_type="text/plain")


def _delivery(request: HttpRequest) -> HttpResponse:
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return HttpResponse(status=400)
    if declared > MAX_BODY_BYTES:
        return HttpResponse(status=413)
    # Read the stream directly: `request.body` stops at DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB).
    body = request.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        return HttpResponse(status=413)
    header = request.headers.get("X-Hub-Signature-256")
    if not signature_valid(body=body, header=header, app_secret=settings.WHATSAPP_APP_SECRET):
        logger.warning(
            "WhatsApp webhook: missing or invalid signature, %d bytes dropped", len(body)
        )
        return HttpResponse(status=403)
    try:
        webhook_delivery_store(body=body, headers=request.headers)
    except DatabaseError:
        logger.exception("WhatsApp webhook: delivery not stored, asking Meta to retry")
        return HttpResponse(status=503, headers={"Retry-After": "60"})
    return HttpResponse("OK", content_type="text/plain")
