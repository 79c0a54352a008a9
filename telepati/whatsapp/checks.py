"""System checks for the WHATSAPP_* settings: refuse a Cloud API setup that cannot work.

With an access token the WA Center talks to Meta, so it needs the phone number id, the App
Secret (to verify webhooks) and the verify token (for the handshake). Without a token it
runs on the simulator, which production should know about. Production talks https only and
never with the fixed development secrets.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register

# The fixed values development signs with (config/settings.py); refused in production.
DEV_APP_SECRET = "telepati-dev-app-secret"  # noqa: S105
DEV_VERIFY_TOKEN = "telepati-dev-verify-token"  # noqa: S105
API_VERSION = re.compile(r"^v\d+\.\d+$")


def _setting(name: str) -> str:
    value = getattr(settings, name, "")
    return value.strip() if isinstance(value, str) else ""


@register()
def check_whatsapp_settings(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """The WHATSAPP_* settings must describe a usable Cloud API setup (or the simulator)."""
    messages: list[CheckMessage] = []
    production = bool(getattr(settings, "PRODUCTION", False))
    token = _setting("WHATSAPP_ACCESS_TOKEN")
    if token:
        for number, name, purpose in (
            ("E001", "WHATSAPP_PHONE_NUMBER_ID", "the business number to send from"),
            ("E002", "WHATSAPP_APP_SECRET", "the secret that verifies webhook signatures"),
            ("E003", "WHATSAPP_VERIFY_TOKEN", "the token of the webhook handshake"),
        ):
            if not _setting(name):
                messages.append(
                    Error(
                        f"{name} is required when WHATSAPP_ACCESS_TOKEN is set.",
                        hint=f"Set {name}: {purpose} (App Dashboard > WhatsApp).",
                        id=f"whatsapp.{number}",
                    )
                )
    elif production:
        messages.append(
            Warning(
                "WhatsApp runs on the simulator: WHATSAPP_ACCESS_TOKEN is not set, so no "
                "message reaches a resident.",
                hint="Set the WHATSAPP_* variables of the Cloud API to go live.",
                id="whatsapp.W001",
            )
        )
    graph_url = urlsplit(_setting("WHATSAPP_GRAPH_URL"))
    if graph_url.scheme not in ("http", "https") or not graph_url.netloc:
        messages.append(
            Error(
                "WHATSAPP_GRAPH_URL is not an http(s) URL.",
                hint="Use https://graph.facebook.com.",
                id="whatsapp.E004",
            )
        )
    elif production and graph_url.scheme != "https":
        messages.append(
            Error(
                "WHATSAPP_GRAPH_URL must use https in production (it carries the access token).",
                hint="Use https://graph.facebook.com.",
                id="whatsapp.E005",
            )
        )
    if not API_VERSION.match(_setting("WHATSAPP_API_VERSION")):
        messages.append(
            Error(
                "WHATSAPP_API_VERSION must read like v25.0.",
                hint="Pin the Graph API version the client was tested with, e.g. v25.0.",
                id="whatsapp.E006",
            )
        )
    if production and (
        _setting("WHATSAPP_APP_SECRET") == DEV_APP_SECRET
        or _setting("WHATSAPP_VERIFY_TOKEN") == DEV_VERIFY_TOKEN
    ):
        messages.append(
            Error(
                "WHATSAPP_APP_SECRET or WHATSAPP_VERIFY_TOKEN uses the development value.",
                hint="Use the App Secret from the App Dashboard and a long random verify token.",
                id="whatsapp.E007",
            )
        )
    rate = getattr(settings, "WHATSAPP_RATE_PER_SECOND", None)
    if isinstance(rate, bool) or not isinstance(rate, int | float) or rate <= 0:
        messages.append(
            Error(
                "WHATSAPP_RATE_PER_SECOND must be a positive number.",
                hint="Meta's default throughput is 80 messages per second.",
                id="whatsapp.E008",
            )
        )
    timeout = getattr(settings, "WHATSAPP_TIMEOUT_SECONDS", None)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
        messages.append(
            Error(
                "WHATSAPP_TIMEOUT_SECONDS must be a positive number of seconds.",
                hint="The default is 15.",
                id="whatsapp.E009",
            )
        )
    return messages
