"""Session timeouts for signed-in users: idle (TELEPATI_SESSION_IDLE_SECONDS without a
request) and absolute (SESSION_COOKIE_AGE after sign-in).

Why a middleware and not SESSION_SAVE_EVERY_REQUEST with a short SESSION_COOKIE_AGE: that
would slide the whole session forward on every request (no absolute end any more) and write
the session row on every request. Here the session carries two marks — when the user signed
in and when they were last seen — and the last-seen mark is rewritten at most once a minute,
so idle time is measured to the minute with one small write per active minute.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

SIGNED_IN_AT = "telepati_signed_in_at"
SEEN_AT = "telepati_seen_at"
SEEN_REFRESH_SECONDS = 60


def session_marks_start(request: HttpRequest) -> None:
    """Mark a fresh sign-in: both clocks start now."""
    now = int(timezone.now().timestamp())
    request.session[SIGNED_IN_AT] = now
    request.session[SEEN_AT] = now


def session_marks_on_login(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    """`user_logged_in` receiver (connected by the app config): start the clocks."""
    if request is not None and hasattr(request, "session"):
        session_marks_start(request)


class SessionTimeoutMiddleware:
    """Signs out a user whose session is idle or too old, with a message saying why."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if SESSION_KEY in session:
            now = int(timezone.now().timestamp())
            signed_in_at = session.get(SIGNED_IN_AT)
            seen_at = session.get(SEEN_AT)
            if not isinstance(signed_in_at, int) or not isinstance(seen_at, int):
                # A session from before these marks existed: its clocks start now.
                session_marks_start(request)
            elif now - seen_at > settings.TELEPATI_SESSION_IDLE_SECONDS:
                logout(request)
                messages.info(
                    request,
                    _(
                        "Sesi Anda berakhir karena tidak ada aktivitas selama %(minutes)d "
                        "menit. Silakan masuk lagi."
                    )
                    % {"minutes": settings.TELEPATI_SESSION_IDLE_SECONDS // 60},
                )
            elif now - signed_in_at > settings.SESSION_COOKIE_AGE:
                logout(request)
                messages.info(
                    request,
                    _("Sesi Anda sudah berlangsung %(hours)d jam. Silakan masuk lagi.")
                    % {"hours": settings.SESSION_COOKIE_AGE // 3600},
                )
            elif now - seen_at >= SEEN_REFRESH_SECONDS:
                session[SEEN_AT] = now
        return self.get_response(request)
