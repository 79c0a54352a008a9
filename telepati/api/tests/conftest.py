"""Fixtures for the REST API: three API clients of Medan Amplas (two that may file reports,
one read-only) with their keys, a caller that sends `Authorization: Token <key>`, category
questions, reports in public and non-public states, and documents' applications.
"""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO
from typing import Any

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from telepati.apikeys.models import ApiClient
from telepati.apikeys.services import api_client_create, api_client_revoke
from telepati.documents.tests.conftest import (  # noqa: F401 (fixtures)
    amplas_government,
    application,
    ktp_type,
    register,
)
from telepati.reports.models import CategoryQuestion, Report
from telepati.reports.services.desk import report_verify
from telepati.reports.tests.conftest import *  # noqa: F403 (sanitation, submit…)

Call = Callable[..., Any]


@pytest.fixture(autouse=True)
def fresh_rate_counts(db) -> None:
    caches["ratelimit"].clear()


def _client(administrator, amplas, name: str, **options: Any) -> tuple[ApiClient, str]:
    return api_client_create(actor=administrator, name=name, kecamatan=amplas, **options)


@pytest.fixture
def app_client(administrator, amplas) -> tuple[ApiClient, str]:
    """The mobile app's client and key."""
    return _client(administrator, amplas, "Aplikasi TELEPATI", rate="1000/m")


@pytest.fixture
def partner_client(administrator, amplas) -> tuple[ApiClient, str]:
    """Another partner (a city app) filing reports with its own key."""
    return _client(administrator, amplas, "Medan Rumah Kita", rate="1000/m")


@pytest.fixture
def readonly_client(administrator, amplas) -> tuple[ApiClient, str]:
    return _client(administrator, amplas, "Dasbor kampus", rate="1000/m", can_write=False)


@pytest.fixture
def revoked_key(administrator, amplas) -> str:
    client, key = _client(administrator, amplas, "Aplikasi lama")
    api_client_revoke(actor=administrator, client=client)
    return key


def caller(key: str | None = None, *, scheme: str = "Token") -> Call:
    """`call(method, path, **kwargs)` through Django's test client with the key's header."""
    http = Client()
    headers = {"Authorization": f"{scheme} {key}"} if key is not None else {}

    def call(method: str, path: str, data: Any = None, **kwargs: Any) -> Any:
        kwargs.setdefault("headers", {})
        kwargs["headers"] = {**headers, **kwargs["headers"]}
        if method == "post" and "content_type" not in kwargs and not kwargs.pop("multipart", False):
            kwargs["content_type"] = "application/json"
        return getattr(http, method)(path, data, **kwargs)

    return call


@pytest.fixture
def app(app_client) -> Call:
    return caller(app_client[1])


@pytest.fixture
def partner(partner_client) -> Call:
    return caller(partner_client[1])


@pytest.fixture
def anonymous() -> Call:
    return caller()


@pytest.fixture
def questions(sanitation) -> list[CategoryQuestion]:
    return [
        CategoryQuestion.objects.create(
            category=sanitation,
            code="volume",
            datatype="singlevaluelist",
            required=True,
            order=1,
            description="Seberapa banyak?",
            values=[{"key": "sedikit", "name": "Sedikit"}, {"key": "banyak", "name": "Banyak"}],
        ),
        CategoryQuestion.objects.create(
            category=sanitation,
            code="lama",
            datatype="number",
            order=2,
            description="Berapa hari?",
        ),
    ]


@pytest.fixture
def verify(desk_operator) -> Callable[[Report], Report]:
    def _verify(report: Report) -> Report:
        return report_verify(user=desk_operator, report_id=report.pk)

    return _verify


@pytest.fixture
def public_report(submit, verify) -> Report:
    """A WhatsApp report by the resident, verified: public, not the API clients' own."""
    return verify(submit(latitude="3.541200", longitude="98.700500"))


def report_body(category: str = "kebersihan", **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "category": category,
        "description": "Sampah menumpuk di depan gang Mawar sudah tiga hari.",
        "kelurahan": "medan-amplas--harjosari-i",
        "address": "Jl. Garu II, gang Mawar",
        "reporter_name": "Siti Aminah",
        "reporter_phone": "081234567890",
    }
    body.update(overrides)
    return body


def jpeg(name: str = "foto.jpg") -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def error(response: Any) -> dict[str, Any]:
    """The error object of a refusal; asserts the one shape."""
    data = response.json()
    assert set(data) == {"error"}
    assert set(data["error"]) == {"code", "message", "fields"}
    return dict(data["error"])
