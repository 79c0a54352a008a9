"""The waiting-room TV display of temu cepat at /layar/<service code>/ (no sign-in).

Who is called to which counter (the latest number per counter) and the next numbers; the
page polls a fragment every 3 seconds with HTMX. Queue numbers and counter names only,
never names, initials or phone numbers: the screen faces a public room.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from telepati.appointments.selectors import DisplayEntry, display_state_public
from telepati.appointments.selectors_screens import service_get_public
from telepati.core.errors import NotFound

DISPLAY_POLL_SECONDS = 3


def _display_context(service_code: str) -> dict[str, Any]:
    try:
        service = service_get_public(code=service_code)
    except NotFound as error:
        raise Http404(str(error)) from None
    state = display_state_public(service=service)
    counters: list[DisplayEntry] = []
    seen: set[str] = set()
    for entry in state.now_serving:  # latest call first: one number per counter
        if entry.counter not in seen:
            seen.add(entry.counter)
            counters.append(entry)
    return {
        "service": service,
        "state": state,
        "counters": counters,
        "latest": counters[0] if counters else None,
        "poll_seconds": DISPLAY_POLL_SECONDS,
    }


@never_cache
@require_GET
def queue_display(request: HttpRequest, service_code: str) -> HttpResponse:
    return render(request, "web/appointments/display.html", _display_context(service_code))


@never_cache
@require_GET
def queue_display_fragment(request: HttpRequest, service_code: str) -> HttpResponse:
    return render(request, "web/appointments/_display.html", _display_context(service_code))
