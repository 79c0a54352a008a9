"""GET /api/v1/documents/status/: the public status check by code and the last four digits,
limited per client and address (every look-up) and per code (failed look-ups, shared with
the web page)."""

from __future__ import annotations

import pytest

from telepati.api.tests.conftest import caller, error

pytestmark = pytest.mark.django_db

PATH = "/api/v1/documents/status/"


def test_the_status_shows_without_personal_data(app, application):
    response = app("get", PATH, {"code": application.code.lower(), "phone_last4": "7890"})

    assert response.status_code == 200
    data = response.json()
    assert data["code"] == application.code
    assert data["status"] == "received"
    assert data["document_name"] == application.document_type.name
    assert data["applicant_initials"] == "S*** A***"
    body = response.content.decode()
    assert application.nik not in body
    assert "Aminah" not in body
    assert "3456" not in body


def test_wrong_digits_and_unknown_codes_are_the_same_404(app, application):
    wrong = app("get", PATH, {"code": application.code, "phone_last4": "0000"})
    unknown = app("get", PATH, {"code": "D2611-9999", "phone_last4": "7890"})

    assert wrong.status_code == unknown.status_code == 404
    assert (
        error(wrong)
        == error(unknown)
        == {
            "code": "not_found",
            "message": "Permohonan tidak ditemukan. Periksa kode dan 4 angka terakhir nomor.",
            "fields": {},
        }
    )


def test_the_digits_must_be_four(app, application):
    response = app("get", PATH, {"code": application.code, "phone_last4": "789"})

    assert response.status_code == 400
    assert list(error(response)["fields"]) == ["phone_last4"]


def test_failed_guesses_at_one_code_lock_it_for_every_caller(app, partner, application):
    for _ in range(5):
        assert (
            app("get", PATH, {"code": application.code, "phone_last4": "0000"}).status_code == 404
        )

    locked = partner("get", PATH, {"code": application.code, "phone_last4": "7890"})

    assert locked.status_code == 429
    assert error(locked)["code"] == "rate_limited"


def test_look_ups_are_limited_per_client_and_address(settings, app, partner, application):
    settings.TELEPATI_STATUS_CHECK_IP_RATE = "2/m"
    query = {"code": application.code, "phone_last4": "7890"}

    statuses = [app("get", PATH, query).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    assert partner("get", PATH, query).status_code == 200


def test_the_status_needs_a_key(application):
    response = caller()("get", PATH, {"code": application.code, "phone_last4": "7890"})

    assert response.status_code == 401
