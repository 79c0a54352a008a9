"""Graph API client for the WhatsApp Cloud API: sending, read receipts, media download.

One request funnel (`GraphClient._request`) turns httpx failures, HTTP statuses and Graph
error bodies into the typed errors of `telepati.whatsapp.errors`, so callers only ever see
`WhatsAppTransientError` (retry later) or `WhatsAppPermanentError` (don't). The client is
built from settings on demand (`graph_client_from_settings`), never at import time, and
must never be called inside a database transaction.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Self
from urllib.parse import urlsplit

import httpx
from django.conf import settings

from telepati.whatsapp.errors import (
    MediaTooLargeError,
    WhatsAppPermanentError,
    WhatsAppTransientError,
    error_from_response,
    retry_after_parse,
)

CONNECT_TIMEOUT_SECONDS = 5.0
TEXT_MAX = 4096
BUTTONS_MAX, BUTTON_TITLE_MAX, BUTTON_ID_MAX, BUTTONS_BODY_MAX = 3, 20, 256, 1024
LIST_ROWS_MAX, LIST_SECTIONS_MAX, LIST_BUTTON_MAX, LIST_BODY_MAX = 10, 10, 20, 4096
ROW_TITLE_MAX, ROW_ID_MAX, ROW_DESCRIPTION_MAX, SECTION_TITLE_MAX = 24, 200, 72, 24
HEADER_MAX, FOOTER_MAX = 60, 60
# Graph API JSON answers are small; anything bigger is not what we asked for.
API_RESPONSE_MAX_BYTES = 1024 * 1024


@dataclass(frozen=True, slots=True)
class MediaInfo:
    """Where to download a media id (the URL expires after 5 minutes) and what it holds."""

    url: str
    mime_type: str
    sha256: str
    file_size: int | None


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


def _length(value: str, what: str, maximum: int, *, required: bool = True) -> None:
    """Meta's length limits, checked before sending (a violation is a bug, not a retry)."""
    if len(value) > maximum or (required and not value):
        raise ValueError(f"{what} must have {1 if required else 0} to {maximum} characters")


def _loads(content: bytes) -> Any:
    try:
        return json.loads(content)
    except ValueError:
        return None


def _read_bounded(response: httpx.Response, max_bytes: int) -> tuple[bytes, bool]:
    """The body, and whether it was complete (at most `max_bytes`); stops reading beyond."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        return b"", False
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            return b"", False
        chunks.append(chunk)
    return b"".join(chunks), True


@dataclass(frozen=True, slots=True)
class Reply:
    """A successful Graph API answer, read completely."""

    status_code: int
    content: bytes

    def json(self) -> Any:
        return _loads(self.content)


class GraphClient:
    """A synchronous client for one WhatsApp business number."""

    def __init__(
        self,
        *,
        base_url: str,
        api_version: str,
        phone_number_id: str,
        access_token: str,
        timeout_seconds: float = 15.0,
        rate_per_second: float | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_version = api_version.strip("/")
        self.phone_number_id = phone_number_id
        self._min_interval = 1.0 / rate_per_second if rate_per_second else 0.0
        self._last_send = 0.0
        self._pace_lock = threading.Lock()
        self._http = httpx.Client(
            headers={"Authorization": f"Bearer {access_token}".rstrip()},  # "Bearer " is illegal
            timeout=httpx.Timeout(
                timeout_seconds, connect=min(CONNECT_TIMEOUT_SECONDS, timeout_seconds)
            ),
            follow_redirects=False,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- The funnel -------------------------------------------------------------------

    def _url(self, path_or_url: str) -> str:
        if path_or_url.startswith(("http://", "https://")):
            return path_or_url
        return f"{self.base_url}/{self.api_version}/{path_or_url.lstrip('/')}"

    def _request(
        self,
        method: str,
        path_or_url: str,
        *,
        max_bytes: int = API_RESPONSE_MAX_BYTES,
        **kwargs: Any,
    ) -> Reply:
        """Send one request and read at most `max_bytes` of the answer.

        Every failure leaves as a WhatsAppError subclass: timeouts and network errors are
        transient; HTTP errors are mapped by `error_from_response`; a successful answer
        larger than `max_bytes` raises MediaTooLargeError.
        """
        request = self._http.build_request(method, self._url(path_or_url), **kwargs)
        try:
            response = self._http.send(request, stream=True)
            try:
                content, complete = _read_bounded(response, max_bytes)
            finally:
                response.close()
        except httpx.TimeoutException as exc:
            raise WhatsAppTransientError(f"Graph API timed out: {exc}", title="timeout") from exc
        except httpx.TransportError as exc:
            raise WhatsAppTransientError(
                f"Graph API unreachable: {exc}", title="network error"
            ) from exc
        if not response.is_success:
            raise error_from_response(
                response.status_code,
                _loads(content) if complete else None,
                retry_after=retry_after_parse(response.headers.get("Retry-After")),
            )
        if not complete:
            raise MediaTooLargeError(f"answer is larger than {max_bytes} bytes", title="too large")
        return Reply(status_code=response.status_code, content=content)

    def _pace(self) -> None:
        """Keep this client under the number's messages-per-second limit."""
        if not self._min_interval:
            return
        with self._pace_lock:
            wait = self._last_send + self._min_interval - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            self._last_send = time.monotonic()

    def _send(self, payload: dict[str, Any]) -> str:
        self._pace()
        reply = self._request("POST", f"{self.phone_number_id}/messages", json=payload)
        body = reply.json()
        messages = body.get("messages") if isinstance(body, dict) else None
        if isinstance(messages, list) and messages and isinstance(messages[0], dict):
            wamid = messages[0].get("id")
            if isinstance(wamid, str) and wamid:
                return wamid
        # The message may have gone out: retrying could send it twice.
        raise WhatsAppPermanentError(
            "Graph API answered without a message id",
            title="unexpected response",
            status_code=reply.status_code,
        )

    @staticmethod
    def _envelope(
        *, to: str | None, recipient: str | None, kind: str, callback_data: str
    ) -> dict[str, Any]:
        payload: dict[str, Any] = {"messaging_product": "whatsapp", "recipient_type": "individual"}
        if to:
            payload["to"] = to
        elif recipient:
            payload["recipient"] = recipient
        else:
            raise ValueError("A message needs `to` (phone number) or `recipient` (BSUID).")
        payload["type"] = kind
        if callback_data:
            payload["biz_opaque_callback_data"] = callback_data
        return payload

    @staticmethod
    def _frame(interactive: dict[str, Any], *, header: str, footer: str) -> dict[str, Any]:
        _length(header, "header", HEADER_MAX, required=False)
        _length(footer, "footer", FOOTER_MAX, required=False)
        if header:
            interactive["header"] = {"type": "text", "text": header}
        if footer:
            interactive["footer"] = {"text": footer}
        return interactive

    # --- Sending ----------------------------------------------------------------------

    def send_text(
        self,
        *,
        to: str | None = None,
        recipient: str | None = None,
        body: str,
        reply_to: str | None = None,
        preview_url: bool = False,
        callback_data: str = "",
    ) -> str:
        """Send a text (inside the 24-hour window); return its wamid."""
        _length(body, "text", TEXT_MAX)
        payload = self._envelope(
            to=to, recipient=recipient, kind="text", callback_data=callback_data
        )
        payload["text"] = {"body": body, "preview_url": preview_url}
        if reply_to:
            payload["context"] = {"message_id": reply_to}
        return self._send(payload)

    def send_buttons(
        self,
        *,
        to: str | None = None,
        recipient: str | None = None,
        body: str,
        buttons: Sequence[tuple[str, str]],
        header: str = "",
        footer: str = "",
        callback_data: str = "",
    ) -> str:
        """Send up to 3 reply buttons, each `(id, title)`; return the wamid."""
        _require(0 < len(buttons) <= BUTTONS_MAX, f"1 to {BUTTONS_MAX} buttons are allowed")
        _length(body, "body", BUTTONS_BODY_MAX)
        titles = [title for _, title in buttons]
        _require(len(set(titles)) == len(titles), "button titles must be unique")
        _require(len({id_ for id_, _ in buttons}) == len(buttons), "button ids must be unique")
        for id_, title in buttons:
            _length(id_, "button id", BUTTON_ID_MAX)
            _length(title, f"button title {title!r}", BUTTON_TITLE_MAX)
        interactive = {
            "type": "button",
            "body": {"text": body},
            "action": {
                "buttons": [
                    {"type": "reply", "reply": {"id": id_, "title": title}}
                    for id_, title in buttons
                ]
            },
        }
        payload = self._envelope(
            to=to, recipient=recipient, kind="interactive", callback_data=callback_data
        )
        payload["interactive"] = self._frame(interactive, header=header, footer=footer)
        return self._send(payload)

    def send_list(
        self,
        *,
        to: str | None = None,
        recipient: str | None = None,
        body: str,
        button: str,
        sections: Sequence[tuple[str, Sequence[tuple[str, str, str]]]],
        header: str = "",
        footer: str = "",
        callback_data: str = "",
    ) -> str:
        """Send a list: sections of `(title, rows)`, rows `(id, title, description)`."""
        _length(body, "body", LIST_BODY_MAX)
        _length(button, "list button", LIST_BUTTON_MAX)
        _require(0 < len(sections) <= LIST_SECTIONS_MAX, f"1 to {LIST_SECTIONS_MAX} sections")
        rows = [row for _, section_rows in sections for row in section_rows]
        _require(0 < len(rows) <= LIST_ROWS_MAX, f"1 to {LIST_ROWS_MAX} rows in total")
        _require(len({row[0] for row in rows}) == len(rows), "row ids must be unique")
        built = []
        for title, section_rows in sections:
            several = len(sections) > 1
            _length(title, f"section title {title!r}", SECTION_TITLE_MAX, required=several)
            _require(len(section_rows) > 0, f"section {title!r} has no rows")
            section: dict[str, Any] = {"rows": []}
            if title:
                section["title"] = title
            for id_, row_title, description in section_rows:
                _length(id_, "row id", ROW_ID_MAX)
                _length(row_title, f"row title {row_title!r}", ROW_TITLE_MAX)
                _length(description, "row description", ROW_DESCRIPTION_MAX, required=False)
                row = {"id": id_, "title": row_title}
                if description:
                    row["description"] = description
                section["rows"].append(row)
            built.append(section)
        interactive = {
            "type": "list",
            "body": {"text": body},
            "action": {"button": button, "sections": built},
        }
        payload = self._envelope(
            to=to, recipient=recipient, kind="interactive", callback_data=callback_data
        )
        payload["interactive"] = self._frame(interactive, header=header, footer=footer)
        return self._send(payload)

    def send_template(
        self,
        *,
        to: str | None = None,
        recipient: str | None = None,
        name: str,
        language: str,
        params: Sequence[str] = (),
        buttons_payloads: Sequence[str] = (),
        callback_data: str = "",
    ) -> str:
        """Send an approved template (the only kind allowed outside the 24-hour window)."""
        _require(bool(name) and bool(language), "a template needs a name and a language")
        components: list[dict[str, Any]] = []
        if params:
            components.append(
                {"type": "body", "parameters": [{"type": "text", "text": p} for p in params]}
            )
        for index, button_payload in enumerate(buttons_payloads):
            components.append(
                {
                    "type": "button",
                    "sub_type": "quick_reply",
                    "index": str(index),
                    "parameters": [{"type": "payload", "payload": button_payload}],
                }
            )
        template: dict[str, Any] = {"name": name, "language": {"code": language}}
        if components:
            template["components"] = components
        payload = self._envelope(
            to=to, recipient=recipient, kind="template", callback_data=callback_data
        )
        payload["template"] = template
        return self._send(payload)

    def mark_read(self, *, wamid: str, typing: bool = False) -> None:
        """Mark an inbound message read (blue ticks), optionally showing a typing indicator."""
        payload: dict[str, Any] = {
            "messaging_product": "whatsapp",
            "status": "read",
            "message_id": wamid,
        }
        if typing:
            payload["typing_indicator"] = {"type": "text"}
        self._request("POST", f"{self.phone_number_id}/messages", json=payload)

    # --- Media ------------------------------------------------------------------------

    def media_url(self, *, media_id: str) -> MediaInfo:
        """Look up a media id: its short-lived download URL, MIME type, hash and size."""
        reply = self._request("GET", media_id, params={"phone_number_id": self.phone_number_id})
        body = reply.json()
        url = body.get("url") if isinstance(body, dict) else None
        if not isinstance(url, str) or not url:
            raise WhatsAppPermanentError(
                "Graph API answered without a media URL", title="unexpected response"
            )
        size = body.get("file_size")
        return MediaInfo(
            url=url,
            mime_type=str(body.get("mime_type") or ""),
            sha256=str(body.get("sha256") or ""),
            file_size=size if isinstance(size, int) and not isinstance(size, bool) else None,
        )

    def media_download(self, *, url: str, max_bytes: int) -> bytes:
        """Download media bytes with the bearer token, refusing more than `max_bytes`."""
        scheme = urlsplit(url).scheme
        if scheme not in ("http", "https"):
            raise ValueError(f"not a media URL: {url!r}")
        if scheme == "http" and urlsplit(self.base_url).scheme == "https":
            # Never send the access token in clear text.
            raise WhatsAppPermanentError("refusing to download media over http", title="insecure")
        return self._request("GET", url, max_bytes=max_bytes).content


def graph_client_from_settings() -> GraphClient:
    """A client for the configured business number; the caller closes it (or uses `with`)."""
    return GraphClient(
        base_url=settings.WHATSAPP_GRAPH_URL,
        api_version=settings.WHATSAPP_API_VERSION,
        phone_number_id=settings.WHATSAPP_PHONE_NUMBER_ID,
        access_token=settings.WHATSAPP_ACCESS_TOKEN,
        timeout_seconds=settings.WHATSAPP_TIMEOUT_SECONDS,
        rate_per_second=settings.WHATSAPP_RATE_PER_SECOND,
    )
