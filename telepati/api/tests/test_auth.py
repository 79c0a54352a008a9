"""Who may call: keys in `Authorization: Token|Bearer`, 401 without or with a bad key,
403 for a read-only client filing, and limits per client and per address (429)."""

from __future__ import annotations

import pytest

from telepati.api.tests.conftest import caller, error, report_body
from telepati.reports.models import Report

pytestmark = pytest.mark.django_db

KEYED = ["/api/v1/reports/", "/api/v1/reports/L2611-0001/", "/api/v1/documents/status/"]


@pytest.mark.parametrize("path", KEYED)
def test_calls_without_a_key_are_401_with_the_scheme_named(anonymous, path):
    response = anonymous("get", path)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Token realm="api"'
    assert error(response) == {
        "code": "not_authenticated",
        "message": "Kirim kunci API di kepala Authorization: Token <kunci>.",
        "fields": {},
    }


@pytest.mark.parametrize("path", [*KEYED, "/api/v1/categories/"])
def test_a_wrong_key_is_401_even_where_no_key_is_needed(territory, path):
    response = caller("bukan-kunci")("get", path)

    assert response.status_code == 401
    assert error(response) == {
        "code": "authentication_failed",
        "message": "Kunci API tidak sah atau sudah dicabut.",
        "fields": {},
    }


def test_a_revoked_key_is_401(revoked_key):
    response = caller(revoked_key)("get", "/api/v1/reports/")

    assert response.status_code == 401
    assert error(response)["code"] == "authentication_failed"


@pytest.mark.parametrize("scheme", ["Token", "Bearer", "bearer"])
def test_the_key_works_as_token_or_bearer(app_client, scheme):
    response = caller(app_client[1], scheme=scheme)("get", "/api/v1/reports/")

    assert response.status_code == 200
    assert response.json() == {"results": [], "next_cursor": None}


def test_an_unknown_scheme_counts_as_no_key(app_client):
    response = caller(app_client[1], scheme="Basic")("get", "/api/v1/reports/")

    assert response.status_code == 401
    assert error(response)["code"] == "not_authenticated"


def test_a_read_only_client_may_read_but_not_file(readonly_client, sanitation, harjosari_i):
    call = caller(readonly_client[1])

    assert call("get", "/api/v1/reports/").status_code == 200
    response = call("post", "/api/v1/reports/", report_body())

    assert response.status_code == 403
    assert error(response) == {
        "code": "forbidden",
        "message": "Klien API ini tidak berhak mengirim laporan.",
        "fields": {},
    }
    assert Report.objects.count() == 0


def test_a_client_over_its_rate_gets_429_and_others_do_not(administrator, amplas, app):
    from telepati.apikeys.services import api_client_create

    _slow, slow_key = api_client_create(
        actor=administrator, name="Pelan", kecamatan=amplas, rate="3/m"
    )
    slow = caller(slow_key)

    statuses = [slow("get", "/api/v1/reports/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    response = slow("get", "/api/v1/categories/")
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert error(response) == {
        "code": "rate_limited",
        "message": "Terlalu banyak permintaan. Coba lagi sebentar lagi.",
        "fields": {},
    }
    assert app("get", "/api/v1/reports/").status_code == 200


def test_anonymous_calls_are_limited_per_address(settings, anonymous, territory):
    settings.TELEPATI_API_ANONYMOUS_RATE = "2/m"

    statuses = [anonymous("get", "/api/v1/kelurahan/").status_code for _ in range(3)]
    other_address = caller()("get", "/api/v1/kelurahan/", REMOTE_ADDR="10.0.0.9")

    assert statuses == [200, 200, 429]
    assert other_address.status_code == 200


def test_wrong_keys_count_against_the_address(settings, territory):
    settings.TELEPATI_API_ANONYMOUS_RATE = "2/m"
    guess = caller("tebakan")

    statuses = [guess("get", "/api/v1/reports/").status_code for _ in range(3)]

    assert statuses == [401, 401, 429]
