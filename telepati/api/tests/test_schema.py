"""The OpenAPI schema, the reference page, and a schema-driven fuzzing run (schemathesis,
in process through WSGI): no server error on any operation, every answer as documented."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    negative_data_rejection,
    positive_data_acceptance,
)

pytestmark = pytest.mark.django_db


def test_the_schema_is_openapi_3_json_with_every_operation(anonymous):
    response = anonymous("get", "/api/v1/schema/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    operations = {
        (method.upper(), path) for path, item in schema["paths"].items() for method in item
    }
    assert operations == {
        ("GET", "/api/v1/categories/"),
        ("GET", "/api/v1/kelurahan/"),
        ("GET", "/api/v1/reports/"),
        ("POST", "/api/v1/reports/"),
        ("GET", "/api/v1/reports/{tracking_number}/"),
        ("GET", "/api/v1/documents/status/"),
    }
    assert schema["components"]["securitySchemes"]["ApiKey"]["scheme"] == "bearer"


def test_the_reference_page_lists_operations_with_local_assets_only(anonymous):
    response = anonymous("get", "/api/v1/docs/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "<code>/api/v1/reports/{tracking_number}/</code>" in page
    assert "Kirim laporan" in page
    assert 'id="schema-ReportCreateRequest"' in page
    assert "https://" not in page
    assert "<script" not in page


# --- Fuzzing ------------------------------------------------------------------------------


@pytest.fixture
def fuzz_key(settings: Any, app_client, sanitation, questions, public_report) -> str:
    """A valid key with room for the run; anonymous calls unlimited too."""
    client, key = app_client
    client.rate = "100000/m"
    client.save()
    settings.TELEPATI_API_ANONYMOUS_RATE = "100000/m"
    settings.TELEPATI_STATUS_CHECK_IP_RATE = "100000/m"
    return str(key)


@pytest.fixture
def in_process(fuzz_key) -> Iterator[None]:
    # In process, the test's database connection must outlive each request (as in Django's
    # test client, which disconnects the same handlers).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _schema_document() -> dict[str, Any]:
    """The schema /api/v1/schema/ serves, built without a request (and so without a database:
    tests are collected before the test database exists)."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return dict(json.loads(OpenApiJsonRenderer().render(generated)))


schema = schemathesis.openapi.from_dict(_schema_document())
schema.app = get_wsgi_application()  # checks that re-send a request reach it too


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_answers_a_server_error_or_off_schema(
    case: Any, fuzz_key: str, in_process: None
) -> None:
    # Every built-in check (no server error, statuses, content types, headers and bodies as
    # documented, authentication not ignored…) but two about what the schema cannot say:
    # a cursor must come from a previous page and a category must exist (the domain refuses
    # such schema-valid data with a documented 400), and unknown query arguments are
    # ignored, as most HTTP APIs do, so a cache-busting argument never breaks a client.
    # Schema-violating data is still sent, and must never cause a server error.
    case.call_and_validate(
        headers={"Authorization": f"Token {fuzz_key}"},
        excluded_checks=[positive_data_acceptance, negative_data_rejection],
    )


def test_the_served_schema_is_the_fuzzed_one(anonymous):
    assert anonymous("get", "/api/v1/schema/").json() == _schema_document()
