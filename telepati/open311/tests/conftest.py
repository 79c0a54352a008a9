"""Fixtures for the Open311 door: an API client with its key, questions of all six datatypes,
reports in public and non-public states, and helpers that fetch an endpoint in both formats.

Time stands at Wednesday 4 November 2026, 09:00 WIB (ticking), two days after the reports
fixture's Monday-morning submissions, so the default 90-day window holds them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from io import BytesIO
from typing import Any

import pytest
from defusedxml import ElementTree as SafeET  # type: ignore[import-untyped]
from django.core.cache import caches
from django.urls import reverse
from freezegun import freeze_time
from PIL import Image

from telepati.apikeys.models import ApiClient
from telepati.apikeys.services import api_client_create
from telepati.core.workdays import WIB
from telepati.open311.render import ITEM_TAGS
from telepati.reports.models import CategoryQuestion, Report
from telepati.reports.services.desk import report_verify
from telepati.reports.services.media import upload_prepare
from telepati.reports.tests.conftest import *  # noqa: F403 (sanitation, drainage, submit…)
from telepati.reports.tests.conftest import MONDAY_MORNING

__all__ = ["MONDAY_MORNING"]

NOW = datetime(2026, 11, 4, 9, 0, tzinfo=WIB)
AMPLAS = {"jurisdiction_id": "medan-amplas"}


@pytest.fixture(autouse=True)
def frozen_now() -> Iterator[Any]:
    with freeze_time(NOW, tick=True) as frozen:
        yield frozen


@pytest.fixture(autouse=True)
def fresh_rate_counts(db) -> None:
    caches["ratelimit"].clear()


@pytest.fixture
def api_key(administrator, amplas) -> str:
    _client, key = api_client_create(
        actor=administrator, name="Aplikasi Medan Rumah Kita", kecamatan=amplas, rate="100/m"
    )
    return key


@pytest.fixture
def api_client_row(api_key) -> ApiClient:
    return ApiClient.objects.get()


@pytest.fixture
def questions(sanitation) -> list[CategoryQuestion]:
    """One question of each Open311 datatype on the sanitation category, plus an info text."""
    rows: list[dict[str, Any]] = [
        {"code": "lama", "datatype": "number", "required": True, "description": "Berapa hari?"},
        {"code": "mulai", "datatype": "datetime", "description": "Sejak kapan?"},
        {"code": "patokan", "datatype": "string", "description": "Patokan terdekat?"},
        {"code": "catatan", "datatype": "text", "description": "Catatan lain?"},
        {
            "code": "volume",
            "datatype": "singlevaluelist",
            "description": "Seberapa banyak?",
            "values": [{"key": "sedikit", "name": "Sedikit"}, {"key": "banyak", "name": "Banyak"}],
        },
        {
            "code": "jenis",
            "datatype": "multivaluelist",
            "description": "Jenis sampah?",
            "values": [
                {"key": "rumah", "name": "Rumah tangga"},
                {"key": "puing", "name": "Puing"},
                {"key": "daun", "name": "Daun"},
            ],
        },
        {
            "code": "info",
            "datatype": "text",
            "variable": False,
            "description": "Jangan membakar sampah.",
        },
    ]
    return [
        CategoryQuestion.objects.create(category=sanitation, order=index, **row)
        for index, row in enumerate(rows, start=1)
    ]


@pytest.fixture
def verify(desk_operator) -> Callable[[Report], Report]:
    def _verify(report: Report) -> Report:
        return report_verify(user=desk_operator, report_id=report.pk)

    return _verify


@pytest.fixture
def public_report(submit, verify) -> Report:
    return verify(submit(latitude="3.541200", longitude="98.700500"))


def photo_upload() -> Any:
    buffer = BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, "JPEG")
    return upload_prepare(name="foto.jpg", content=buffer.getvalue())


# --- Calling the endpoints --------------------------------------------------------------


def url(name: str, fmt: str, *args: str) -> str:
    return reverse(f"open311:{name}", args=[*args, fmt])


def xml_data(element: Any) -> Any:
    """An XML element back as plain data: item lists by `ITEM_TAGS`, leaves as text."""
    if element.tag in ITEM_TAGS:
        return [xml_data(child) for child in element]
    if len(element):
        return {child.tag: xml_data(child) for child in element}
    return element.text


def as_text(value: Any) -> Any:
    """JSON data as the XML carries it: every leaf a string, empty strings as no text."""
    if isinstance(value, dict):
        return {key: as_text(child) for key, child in value.items()}
    if isinstance(value, list):
        return [as_text(child) for child in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None or value == "":
        return None
    return str(value)


def fetch(
    client: Any, name: str, *args: str, method: str = "get", **params: Any
) -> tuple[int, Any, str]:
    """Call an endpoint as JSON and as XML; assert both agree; return (status, data, XML root).

    XML is parsed with defusedxml; its root element must be the spec's, and JSON mapped to
    text must equal it (the spec's mechanical JSON ↔ XML mapping).
    """
    send = getattr(client, method)
    as_json = send(url(name, "json", *args), params)
    as_xml = send(url(name, "xml", *args), params)
    assert as_json.status_code == as_xml.status_code
    assert as_json["Content-Type"] == "application/json; charset=utf-8"
    assert as_xml["Content-Type"] == "text/xml; charset=utf-8"
    assert as_xml.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    assert not as_json.cookies
    assert not as_xml.cookies
    data = as_json.json()
    root = SafeET.fromstring(as_xml.content)
    assert as_text(data) == xml_data(root)
    return as_json.status_code, data, root.tag


def xml_root(response: Any) -> Any:
    return SafeET.fromstring(response.content)
