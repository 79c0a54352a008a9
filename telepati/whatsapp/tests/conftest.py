"""Fixtures of the WhatsApp door: webhook payloads and a loopback Graph API.

`graph_stand_in` starts a real HTTP server on 127.0.0.1 (`telepati.whatsapp.testing`) and
points the WHATSAPP_* settings at it, so the real client runs end to end without leaving
the machine. `wa_payload("text")` loads `payloads/text.json`; `wa_payload_names` lists them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from telepati.whatsapp.client import GraphClient, graph_client_from_settings
from telepati.whatsapp.testing import GraphStandIn

PAYLOADS = Path(__file__).resolve().parent / "payloads"
STAND_IN_TOKEN = "stand-in-token"
STAND_IN_PHONE_NUMBER_ID = "106540352242922"
# The client gives up after this long; a scripted timeout holds the answer longer.
CLIENT_TIMEOUT_SECONDS = 0.5


def payload_load(name: str) -> dict[str, Any]:
    return json.loads((PAYLOADS / f"{name}.json").read_text())


def payload_names() -> list[str]:
    return sorted(path.stem for path in PAYLOADS.glob("*.json"))


@pytest.fixture
def wa_payload() -> Callable[[str], dict[str, Any]]:
    return payload_load


@pytest.fixture
def graph_stand_in(settings) -> Iterator[GraphStandIn]:
    with GraphStandIn(
        api_version="v25.0",
        phone_number_id=STAND_IN_PHONE_NUMBER_ID,
        access_token=STAND_IN_TOKEN,
        timeout_delay=CLIENT_TIMEOUT_SECONDS * 4,
    ) as stand_in:
        settings.WHATSAPP_GRAPH_URL = stand_in.base_url
        settings.WHATSAPP_API_VERSION = "v25.0"
        settings.WHATSAPP_PHONE_NUMBER_ID = STAND_IN_PHONE_NUMBER_ID
        settings.WHATSAPP_ACCESS_TOKEN = STAND_IN_TOKEN
        settings.WHATSAPP_TIMEOUT_SECONDS = CLIENT_TIMEOUT_SECONDS
        yield stand_in


@pytest.fixture
def graph_client(graph_stand_in) -> Iterator[GraphClient]:
    with graph_client_from_settings() as client:
        yield client
