"""Spec-shaped errors on GET (400/403/404), rate limits (429) and the jurisdiction rule."""

from __future__ import annotations

import pytest
from django.test import override_settings

from telepati.apikeys.models import ApiClient
from telepati.open311.tests.conftest import AMPLAS, fetch, url, xml_root
from telepati.org.models import Kecamatan


def _errors(status: int, *descriptions: str) -> tuple[int, list[dict]]:
    return status, [{"code": status, "description": text} for text in descriptions]


W3C = "tulis tanggal dan jam W3C, mis. 2026-11-02T10:00:00+07:00."


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"},
            (400, "Rentang start_date sampai end_date paling lama 90 hari."),
        ),
        (
            {"start_date": "2026-11-03T00:00:00Z", "end_date": "2026-11-01T00:00:00Z"},
            (400, "start_date harus sebelum end_date."),
        ),
        ({"start_date": "kemarin"}, (400, f"start_date: {W3C}")),
        ({"end_date": "0001-01-01"}, (400, f"end_date: {W3C}")),
        (
            {"status": "pending"},
            (400, "status: gunakan open, closed, atau keduanya (open,closed)."),
        ),
        ({"jurisdiction_id": "medan-kota"}, (404, "jurisdiction_id tidak dikenal.")),
        (
            {"jurisdiction_id": ""},
            (400, "jurisdiction_id wajib diisi: layanan ini melayani beberapa kecamatan."),
        ),
        ({"api_key": "bukan-kunci"}, (403, "api_key tidak sah atau sudah dicabut.")),
        ({"service_code": "a\x00b"}, (400, "Argumen berisi karakter yang tidak sah.")),
    ],
)
def test_bad_query_arguments_get_spec_shaped_errors(client, public_report, params, expected):
    status, data, root = fetch(client, "requests", **{**AMPLAS, **params})

    assert (status, data) == _errors(*expected)
    assert root == "errors"


def test_an_unknown_request_is_404(client, territory):
    status, data, _root = fetch(client, "request", "L2611-9999", **AMPLAS)

    assert (status, data) == _errors(404, "service_request_id tidak ditemukan.")


def test_an_unknown_format_is_404_in_xml(client, territory):
    for path in ("/open311/v2/services.html", "/open311/v2/requests.JSON"):
        response = client.get(path, AMPLAS)

        assert response.status_code == 404
        assert response["Content-Type"] == "text/xml; charset=utf-8"
        error = xml_root(response)
        assert error.tag == "errors"
        assert [(e.findtext("code"), e.findtext("description")) for e in error] == [
            ("404", "Format tidak dikenal: gunakan .xml atau .json.")
        ]


def test_another_method_is_400(client, territory):
    response = client.delete(url("requests", "json"))

    assert response.status_code == 400
    assert response.json() == [{"code": 400, "description": "Metode tidak didukung di alamat ini."}]


def test_a_single_kecamatan_deployment_needs_no_jurisdiction(client, public_report, amplas):
    Kecamatan.objects.exclude(pk=amplas.pk).update(is_active=False)

    status, data, _root = fetch(client, "requests")

    assert status == 200
    assert [row["service_request_id"] for row in data] == [public_report.tracking_number]


def test_another_kecamatans_reports_stay_out_of_its_jurisdiction(
    client, public_report, gedung_johor
):
    status, data, _root = fetch(client, "requests", jurisdiction_id="medan-johor")

    assert (status, data) == (200, [])
    status, _data, _root = fetch(
        client, "request", public_report.tracking_number, jurisdiction_id="medan-johor"
    )
    assert status == 404


def test_a_client_over_its_rate_gets_429(client, public_report, api_key, api_client_row):
    ApiClient.objects.filter(pk=api_client_row.pk).update(rate="3/m")
    params = {**AMPLAS, "api_key": api_key}

    statuses = [client.get(url("requests", "json"), params).status_code for _ in range(4)]
    limited = client.get(url("requests", "xml"), params)

    assert statuses == [200, 200, 200, 429]
    assert limited.status_code == 429
    assert limited["Retry-After"] == "60"
    root = xml_root(limited)
    assert [(e.findtext("code"), e.findtext("description")) for e in root] == [
        ("429", "Terlalu banyak permintaan. Coba lagi sebentar lagi.")
    ]
    # Other callers are not affected.
    assert client.get(url("requests", "json"), AMPLAS).status_code == 200


@override_settings(TELEPATI_OPEN311_ANONYMOUS_RATE="2/m")
def test_anonymous_calls_are_limited_per_address(client, territory):
    first = client.get(url("services", "json"), AMPLAS, REMOTE_ADDR="10.0.0.1")
    second = client.get(url("services", "json"), AMPLAS, REMOTE_ADDR="10.0.0.1")
    third = client.get(url("services", "json"), AMPLAS, REMOTE_ADDR="10.0.0.1")
    elsewhere = client.get(url("services", "json"), AMPLAS, REMOTE_ADDR="10.0.0.2")

    assert [r.status_code for r in (first, second, third, elsewhere)] == [200, 200, 429, 200]
    assert third.json() == [
        {"code": 429, "description": "Terlalu banyak permintaan. Coba lagi sebentar lagi."}
    ]


@override_settings(TELEPATI_OPEN311_ANONYMOUS_RATE="2/m")
def test_wrong_keys_count_against_the_address(client, territory):
    responses = [
        client.get(url("services", "json"), {**AMPLAS, "api_key": f"tebakan-{n}"}) for n in range(3)
    ]

    assert [r.status_code for r in responses] == [403, 403, 429]


def test_a_nul_character_in_the_path_is_404(client, territory):
    status, data, _root = fetch(client, "request", "L2611\x000001", **AMPLAS)

    assert (status, data) == _errors(404, "Sumber tidak ditemukan.")
