"""Reference data anyone may read: categories with their questions, and kelurahan."""

from __future__ import annotations

import pytest

from telepati.reports.models import Category

pytestmark = pytest.mark.django_db


def test_categories_list_active_ones_with_their_questions(anonymous, sanitation, questions):
    Category.objects.create(code="lama", name="Kategori lama", is_active=False)

    response = anonymous("get", "/api/v1/categories/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    by_code = {row["code"]: row for row in response.json()}
    assert "lama" not in by_code
    assert by_code["kebersihan"] == {
        "code": "kebersihan",
        "name": "Kebersihan & sampah",
        "description": "",
        "questions": [
            {
                "code": "volume",
                "datatype": "singlevaluelist",
                "required": True,
                "variable": True,
                "order": 1,
                "description": "Seberapa banyak?",
                "hint": "",
                "values": [
                    {"key": "sedikit", "name": "Sedikit"},
                    {"key": "banyak", "name": "Banyak"},
                ],
            },
            {
                "code": "lama",
                "datatype": "number",
                "required": False,
                "variable": True,
                "order": 2,
                "description": "Berapa hari?",
                "hint": "",
                "values": [],
            },
        ],
    }


def test_categories_answer_callers_with_a_key_too(app, sanitation):
    response = app("get", "/api/v1/categories/")

    assert response.status_code == 200
    assert [row["code"] for row in response.json()] == ["kebersihan"]


def test_kelurahan_list_the_active_ones(anonymous, harjosari_i, sitirejo_ii):
    sitirejo_ii.is_active = False
    sitirejo_ii.save()

    response = anonymous("get", "/api/v1/kelurahan/")

    assert response.status_code == 200
    rows = response.json()
    assert {
        "code": "medan-amplas--harjosari-i",
        "name": "Harjosari I",
        "postal_code": harjosari_i.postal_code,
        "kecamatan": "medan-amplas",
        "kecamatan_name": "Medan Amplas",
    } in rows
    assert sitirejo_ii.code not in [row["code"] for row in rows]


def test_reference_lists_refuse_other_methods_in_the_error_shape(anonymous, territory):
    response = anonymous("post", "/api/v1/categories/", {})

    assert response.status_code == 405
    assert response.json() == {
        "error": {
            "code": "method_not_allowed",
            "message": "Metode tidak didukung di alamat ini.",
            "fields": {},
        }
    }


def test_any_accept_header_gets_json(anonymous, territory):
    for accept in ("text/html", "application/xml", "*/*"):
        response = anonymous("get", "/api/v1/kelurahan/", headers={"Accept": accept})
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
    odd_format = anonymous("get", "/api/v1/kelurahan/?format=xml")
    assert odd_format.status_code == 200
    assert odd_format["Content-Type"] == "application/json"


def test_a_body_of_another_type_is_415_in_the_error_shape(app_client, sanitation):
    from telepati.api.tests.conftest import caller, error

    response = caller(app_client[1])(
        "post", "/api/v1/reports/", "kategori=kebersihan", content_type="text/plain"
    )

    assert response.status_code == 415
    assert error(response) == {
        "code": "unsupported_media_type",
        "message": "Kirim badan permintaan sebagai application/json atau multipart/form-data.",
        "fields": {},
    }
