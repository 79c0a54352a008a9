"""Webhook authenticity: the X-Hub-Signature-256 check and the GET verification handshake.

Meta signs every webhook POST with HMAC-SHA256 of the raw body bytes, keyed with the App
Secret, and sends it as `X-Hub-Signature-256: sha256=<hex>`. The check runs on the bytes as
received, before any JSON parsing. Both comparisons are constant-time.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

SIGNATURE_PREFIX = "sha256="


def signature_header(*, body: bytes, app_secret: str) -> str:
    """The header value Meta would send for this body (used by tests and the simulator)."""
    digest = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return SIGNATURE_PREFIX + digest


def signature_valid(*, body: bytes, header: str | None, app_secret: str) -> bool:
    """Whether `header` is the valid signature of `body`; missing or garbled headers are not."""
    if not app_secret or not header:
        return False
    header = header.strip()
    if not header.lower().startswith(SIGNATURE_PREFIX):
        return False
    received = header[len(SIGNATURE_PREFIX) :].strip().lower()
    if len(received) != 64 or not received.isascii():
        return False
    expected = signature_header(body=body, app_secret=app_secret)[len(SIGNATURE_PREFIX) :]
    return hmac.compare_digest(received.encode(), expected.encode())


def handshake_response(*, params: Mapping[str, str], verify_token: str) -> str | None:
    """The challenge to echo for Meta's verification GET, or None to refuse it.

    Meta sends `hub.mode=subscribe&hub.challenge=<random>&hub.verify_token=<ours>`; only
    that mode with our token (compared in constant time) gets the challenge back.
    """
    if not verify_token:
        return None
    mode = params.get("hub.mode")
    token = params.get("hub.verify_token")
    challenge = params.get("hub.challenge")
    if mode != "subscribe" or not isinstance(token, str) or not challenge:
        return None
    if not hmac.compare_digest(token.encode(), verify_token.encode()):
        return None
    return challenge
