"""The public page /langganan/: what residents can subscribe to, and how (on WhatsApp).

Opting in on the web without proving the number would let anyone subscribe someone else,
so the page hands over to WhatsApp: a wa.me link with "langganan" already typed. The page
shows topics only — never a resident's data.
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from telepati.announcements.selectors import topic_list_active

SUBSCRIBE_WORD = "langganan"


def wa_link(text: str) -> str:
    """A wa.me link to the WA Center with `text` prefilled; "" when no number is configured."""
    number = "".join(
        ch for ch in getattr(settings, "TELEPATI_WA_CENTER_NUMBER", "") if ch.isdigit()
    )
    return f"https://wa.me/{number}?text={quote(text)}" if number else ""


@require_GET
def subscribe_page(request: HttpRequest) -> HttpResponse:
    context = {
        "topics": topic_list_active(),
        "wa_link": wa_link(SUBSCRIBE_WORD),
        "word": SUBSCRIBE_WORD,
    }
    return render(request, "announcements/subscribe.html", context)
