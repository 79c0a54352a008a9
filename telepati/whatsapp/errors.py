"""Typed errors of the WhatsApp Cloud API, with a `permanent` flag that stops retries.

One table decides, for every Graph error code we know, whether trying the same request
again later can succeed (transient: rate limits, maintenance, Meta-side failures) or not
(permanent: outside the 24-hour window, undeliverable, template problems, bad token). The
same mapping serves synchronous error responses (`error_from_response`) and the `failed`
status webhooks that report a delivery error later (`error_from_code`).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from email.utils import parsedate_to_datetime
from typing import Any

# code -> (permanent, title). Titles follow Meta's error-code page.
ERROR_CODES: dict[int, tuple[bool, str]] = {
    # Throttling and Meta-side trouble: try again later.
    1: (False, "API Unknown"),
    2: (False, "API Service"),
    4: (False, "API Too Many Calls"),
    17: (False, "API User Too Many Calls"),
    80007: (False, "Rate limit issues"),
    130429: (False, "Rate limit hit"),
    131000: (False, "Something went wrong"),
    131016: (False, "Service unavailable"),
    131048: (False, "Spam rate limit hit"),
    131056: (False, "(Business Account, Consumer Account) pair rate limit hit"),
    131057: (False, "Account in maintenance mode"),
    133004: (False, "Server temporarily unavailable"),
    135000: (False, "Generic user error"),
    # The same request will never succeed.
    0: (True, "AuthException"),
    3: (True, "API Method"),
    10: (True, "Permission Denied"),
    100: (True, "Invalid parameter"),
    190: (True, "Access token has expired"),
    131008: (True, "Required parameter is missing"),
    131009: (True, "Parameter value is not valid"),
    131021: (True, "Recipient cannot be sender"),
    131026: (True, "Message undeliverable"),
    131031: (True, "Account has been locked"),
    131047: (True, "Re-engagement message"),
    131049: (True, "Meta chose not to deliver"),
    131051: (True, "Unsupported message type"),
    131052: (True, "Media download error"),
    131053: (True, "Media upload error"),
    132000: (True, "Template Param Count Mismatch"),
    132001: (True, "Template does not exist"),
    132005: (True, "Template Hydrated Text Too Long"),
    132007: (True, "Template Format Character Policy Violated"),
    132012: (True, "Template Parameter Format Mismatch"),
    132015: (True, "Template is Paused"),
    132016: (True, "Template is Disabled"),
    133010: (True, "Phone number Not Registered"),
}

# Codes whose answer is "slow down": Meta's rate limits.
RATE_LIMIT_CODES = frozenset({4, 17, 80007, 130429, 131048, 131056})


class WhatsAppError(Exception):
    """A failed Graph API call or delivery; `permanent` says whether retrying can help."""

    permanent: bool = True

    def __init__(
        self,
        message: str = "",
        *,
        code: int | None = None,
        title: str = "",
        details: str = "",
        status_code: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message or title or "WhatsApp error")
        self.code = code
        self.title = title
        self.message = message
        self.details = details
        self.status_code = status_code
        self.retry_after = retry_after

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(code={self.code!r}, title={self.title!r}, "
            f"status_code={self.status_code!r}, retry_after={self.retry_after!r})"
        )


class WhatsAppTransientError(WhatsAppError):
    """Network trouble, timeouts, 5xx and rate limits: the same request may succeed later."""

    permanent = False


class WhatsAppPermanentError(WhatsAppError):
    """Retrying the same request cannot help (bad recipient, closed window, template, token)."""

    permanent = True


class MediaTooLargeError(WhatsAppPermanentError):
    """A media download was refused because it exceeds the allowed size."""


def _error_class(permanent: bool) -> type[WhatsAppError]:
    return WhatsAppPermanentError if permanent else WhatsAppTransientError


def error_from_code(
    code: int | None,
    *,
    title: str = "",
    message: str = "",
    details: str = "",
    status_code: int | None = None,
    retry_after: float | None = None,
) -> WhatsAppError:
    """The typed error for a Graph error code; an unknown or missing code is permanent.

    Use it for the `errors[]` of a `failed` status webhook: a delivery Meta gave up on and
    did not classify as retryable should not be re-sent blindly.
    """
    known = ERROR_CODES.get(code) if code is not None else None
    permanent = known[0] if known else True
    return _error_class(permanent)(
        message,
        code=code,
        title=title or (known[1] if known else ""),
        details=details,
        status_code=status_code,
        retry_after=retry_after,
    )


def _code(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def error_from_response(
    status_code: int, body: Any, *, retry_after: float | None = None
) -> WhatsAppError:
    """Map an HTTP error response (status and parsed JSON body, or anything) to a typed error.

    A known Graph error code decides; otherwise the HTTP status does: 408, 429 and 5xx are
    transient, every other status is permanent.
    """
    error = body.get("error") if isinstance(body, Mapping) else None
    if not isinstance(error, Mapping):
        error = {}
    code = _code(error.get("code"))
    error_data = error.get("error_data")
    details = _text(error_data.get("details")) if isinstance(error_data, Mapping) else ""
    message = _text(error.get("message"))
    title = _text(error.get("error_user_title")) or _text(error.get("title"))
    if code is not None and code in ERROR_CODES:
        permanent = ERROR_CODES[code][0]
        title = title or ERROR_CODES[code][1]
    else:
        permanent = not (status_code in (408, 429) or status_code >= 500)
    return _error_class(permanent)(
        message or f"HTTP {status_code}",
        code=code,
        title=title or f"HTTP {status_code}",
        details=details,
        status_code=status_code,
        retry_after=retry_after,
    )


def retry_after_parse(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), if it has one."""
    if not value or not value.strip():
        return None
    try:
        return max(0.0, float(value.strip()))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - time.time())
