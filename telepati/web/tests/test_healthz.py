"""GET /healthz: readiness for load balancers and the worker's supervisor."""

from __future__ import annotations

import logging

import pytest
from django.db import OperationalError, connections
from django.test import Client
from pytest_django.fixtures import Settings

NEVER_CACHED = "max-age=0, no-cache, no-store, must-revalidate, private"


@pytest.mark.django_db
def test_healthz_answers_ok_when_the_database_answers(client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database:default": "ok"}}
    assert response["Cache-Control"] == NEVER_CACHED


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_is_unavailable(
    client: Client, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def refuse() -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr(connections["default"], "cursor", refuse)

    with caplog.at_level(logging.ERROR, logger="telepati.web.views"):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database:default": "unavailable"},
    }
    assert response["Cache-Control"] == NEVER_CACHED
    assert [(r.name, r.getMessage()) for r in caplog.records] == [
        ("telepati.web.views", "Health check: database default unavailable"),
        ("django.request", "Service Unavailable: /healthz"),
    ]


def test_healthz_accepts_only_get(client: Client) -> None:
    response = client.post("/healthz")

    assert response.status_code == 405
    assert response["Allow"] == "GET"


@pytest.mark.django_db
def test_healthz_is_not_redirected_to_https_when_the_site_is(
    client: Client, settings: Settings
) -> None:
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301
