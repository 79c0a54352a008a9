"""GraphStandIn: a real HTTP server on 127.0.0.1 that stands in for Meta's Graph API.

Tests (and local experiments) point WHATSAPP_GRAPH_URL at it. It answers the few calls the
client makes — sending messages, looking up media ids, serving media bytes — records every
request it receives, and can be told to fail, time out or answer with a Graph error for the
next requests. Nothing here leaves the machine.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qsl, urlsplit


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """One request the stand-in received."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names
    body: bytes
    json: Any


@dataclass(frozen=True, slots=True)
class _Script:
    """What to do instead of answering normally."""

    status: int = 500
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass(slots=True)
class _Media:
    content: bytes
    mime_type: str
    chunked: bool


def graph_error_body(code: int, message: str = "", details: str = "") -> dict[str, Any]:
    """A Graph API error body shaped as Meta sends it."""
    return {
        "error": {
            "message": f"(#{code}) {message}".strip(),
            "type": "OAuthException",
            "code": code,
            "error_data": {"messaging_product": "whatsapp", "details": details},
            "fbtrace_id": "AbCdEfGhIjK",
        }
    }


class GraphStandIn:
    """A loopback Graph API for one business number; use as a context manager."""

    def __init__(
        self,
        *,
        api_version: str = "v25.0",
        phone_number_id: str = "106540352242922",
        access_token: str = "stand-in-token",  # noqa: S107 (a loopback test double)
        timeout_delay: float = 2.0,
    ) -> None:
        self.api_version = api_version
        self.phone_number_id = phone_number_id
        self.access_token = access_token
        self.timeout_delay = timeout_delay
        self.requests: list[RecordedRequest] = []
        self._scripts: deque[_Script] = deque()
        self._media: dict[str, _Media] = {}
        self._sent = 0
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- Life cycle -------------------------------------------------------------------

    def start(self) -> Self:
        handler = type("_BoundHandler", (_Handler,), {"stand_in": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.02},  # stop() waits at most this long
            name="graph-stand-in",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes handlers sleeping in a scripted timeout
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start() the stand-in first"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    # --- Scripting --------------------------------------------------------------------

    def fail_next(
        self,
        n: int = 1,
        *,
        status: int = 500,
        body: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Answer the next `n` requests with this status (and JSON body, if given)."""
        with self._lock:
            self._scripts.extend(_Script(status, body, dict(headers or {})) for _ in range(n))

    def error_next(
        self,
        n: int = 1,
        *,
        code: int = 131047,
        status: int = 400,
        message: str = "",
        details: str = "",
        headers: dict[str, str] | None = None,
    ) -> None:
        """Answer the next `n` requests with a Graph error body carrying `code`."""
        self.fail_next(
            n, status=status, body=graph_error_body(code, message, details), headers=headers
        )

    def timeout_next(self, n: int = 1) -> None:
        """Hold the next `n` requests for `timeout_delay` seconds before answering."""
        with self._lock:
            self._scripts.extend(_Script(delay=self.timeout_delay) for _ in range(n))

    def media_add(
        self, media_id: str, content: bytes, mime_type: str = "image/jpeg", *, chunked: bool = False
    ) -> str:
        """Make a media id known; return the download URL the lookup will give.

        `chunked` serves the bytes without a Content-Length, as a stream of unknown size.
        """
        with self._lock:
            self._media[media_id] = _Media(content=content, mime_type=mime_type, chunked=chunked)
        return self.media_download_url(media_id)

    def media_download_url(self, media_id: str) -> str:
        return f"{self.base_url}/media/{media_id}?ext=1793588400&hash=stand-in"

    # --- What was sent ----------------------------------------------------------------

    def message_requests(self) -> list[RecordedRequest]:
        """The POSTs to the messages endpoint, in order."""
        path = f"/{self.api_version}/{self.phone_number_id}/messages"
        return [r for r in self.requests if r.method == "POST" and r.path == path]

    # --- Answering (called by the handler thread) -------------------------------------

    def _next_script(self) -> _Script | None:
        with self._lock:
            return self._scripts.popleft() if self._scripts else None

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def _answer(self, request: RecordedRequest) -> tuple[int, dict[str, str], bytes]:
        script = self._next_script()
        if script is not None and script.delay:
            self._stopping.wait(script.delay)
            script = None
        if script is not None:
            body = b"" if script.body is None else json.dumps(script.body).encode()
            return script.status, {"Content-Type": "application/json", **script.headers}, body
        if request.headers.get("authorization") != f"Bearer {self.access_token}":
            return _json(401, graph_error_body(190, "Invalid OAuth access token."))
        parts = request.path.strip("/").split("/")
        if request.method == "GET" and len(parts) == 2 and parts[0] == "media":
            return self._media_bytes(parts[1])
        if len(parts) == 2 and parts[0] == self.api_version and request.method == "GET":
            return self._media_info(parts[1])
        messages_path = [self.api_version, self.phone_number_id, "messages"]
        if parts == messages_path and request.method == "POST":
            return self._message(request.json)
        return _json(404, graph_error_body(100, "Unsupported request."))

    def _message(self, payload: Any) -> tuple[int, dict[str, str], bytes]:
        if not isinstance(payload, dict) or payload.get("messaging_product") != "whatsapp":
            return _json(400, graph_error_body(100, "Invalid parameter"))
        if payload.get("status") == "read":
            return _json(200, {"success": True})
        with self._lock:
            self._sent += 1
            wamid = f"wamid.{self._sent}"
        if payload.get("to"):
            contact = {"input": payload["to"], "wa_id": str(payload["to"]).lstrip("+")}
        else:
            contact = {"input": payload.get("recipient"), "user_id": payload.get("recipient")}
        return _json(
            200,
            {"messaging_product": "whatsapp", "contacts": [contact], "messages": [{"id": wamid}]},
        )

    def _media_info(self, media_id: str) -> tuple[int, dict[str, str], bytes]:
        media = self._media.get(media_id)
        if media is None:
            return _json(404, graph_error_body(100, "Unsupported get request."))
        return _json(
            200,
            {
                "messaging_product": "whatsapp",
                "url": self.media_download_url(media_id),
                "mime_type": media.mime_type,
                "sha256": "stand-in-sha256",
                "file_size": len(media.content),
                "id": media_id,
            },
        )

    def _media_bytes(self, media_id: str) -> tuple[int, dict[str, str], bytes]:
        media = self._media.get(media_id)
        if media is None:
            return 404, {"Content-Type": "text/plain"}, b"Not found"
        headers = {"Content-Type": media.mime_type}
        if media.chunked:
            headers["Transfer-Encoding"] = "chunked"
        return 200, headers, media.content


def _json(status: int, body: Any) -> tuple[int, dict[str, str], bytes]:
    return status, {"Content-Type": "application/json"}, json.dumps(body).encode()


class _Handler(BaseHTTPRequestHandler):
    stand_in: GraphStandIn
    protocol_version = "HTTP/1.1"
    # The status line and headers, then the body, leave in two writes: with Nagle's algorithm
    # the body waited for the client's delayed ACK of the headers, ~40 ms per request on a
    # kept-alive connection, which capped a sender at about 25 requests a second per thread.
    disable_nagle_algorithm = True

    def _handle(self) -> None:
        split = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        try:
            parsed = json.loads(body) if body else None
        except ValueError:
            parsed = None
        request = RecordedRequest(
            method=self.command,
            path=split.path,
            query=dict(parse_qsl(split.query)),
            headers={name.lower(): value for name, value in self.headers.items()},
            body=body,
            json=parsed,
        )
        self.stand_in._record(request)
        status, headers, content = self.stand_in._answer(request)
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if headers.get("Transfer-Encoding") == "chunked":
                self.end_headers()
                for start in range(0, len(content), 1024):
                    chunk = content[start : start + 1024]
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                self.wfile.write(b"0\r\n\r\n")
            else:
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)
        except OSError:
            pass  # the client gave up (a scripted timeout): nothing to answer

    do_GET = _handle
    do_POST = _handle

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""
