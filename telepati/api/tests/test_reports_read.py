"""Reading reports: a client lists only its own (keyset pages, filters), sees any public
report in its public form and its own in full; others' *rahasia* and not-yet-accepted
reports are 404; a reporter's identity never appears."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from telepati.api.tests.conftest import error, report_body
from telepati.reports.models import Report
from telepati.reports.services.desk import report_reject

pytestmark = pytest.mark.django_db


def _file(call, **overrides) -> str:
    response = call("post", "/api/v1/reports/", report_body(**overrides))
    assert response.status_code == 201, response.json()
    return str(response.json()["tracking_number"])


def test_each_client_lists_only_its_own_reports(app, partner, public_report, harjosari_i):
    mine = [_file(app), _file(app)]
    theirs = _file(partner)

    my_list = app("get", "/api/v1/reports/").json()
    their_list = partner("get", "/api/v1/reports/").json()

    assert [row["tracking_number"] for row in my_list["results"]] == mine[::-1]
    assert [row["tracking_number"] for row in their_list["results"]] == [theirs]
    assert my_list["next_cursor"] is None
    assert my_list["results"][0] == {
        "tracking_number": mine[1],
        "status": "new",
        "status_label": "Baru",
        "category": "kebersihan",
        "category_name": "Kebersihan & sampah",
        "kelurahan": "medan-amplas--harjosari-i",
        "submitted_at": my_list["results"][0]["submitted_at"],
        "updated_at": my_list["results"][0]["updated_at"],
    }


def test_the_own_list_pages_by_cursor(app, sanitation, harjosari_i):
    numbers = [_file(app) for _ in range(5)][::-1]

    first = app("get", "/api/v1/reports/", {"limit": 2}).json()
    second = app("get", "/api/v1/reports/", {"limit": 2, "cursor": first["next_cursor"]}).json()
    third = app("get", "/api/v1/reports/", {"limit": 2, "cursor": second["next_cursor"]}).json()

    pages = [first, second, third]
    assert [[r["tracking_number"] for r in page["results"]] for page in pages] == [
        numbers[0:2],
        numbers[2:4],
        numbers[4:5],
    ]
    assert third["next_cursor"] is None


def test_the_own_list_filters_by_status_and_updated_since(
    app, sanitation, harjosari_i, desk_operator
):
    kept, rejected = _file(app), _file(app)
    report = Report.objects.get(tracking_number=rejected)
    report_reject(user=desk_operator, report_id=report.pk, reason="Bukan wewenang kecamatan.")
    Report.objects.filter(tracking_number=kept).update(
        updated_at=timezone.now() - timedelta(days=3)
    )
    since = (timezone.now() - timedelta(days=1)).isoformat()

    by_status = app("get", "/api/v1/reports/", {"status": "rejected"}).json()
    by_update = app("get", "/api/v1/reports/", {"updated_since": since}).json()

    assert [r["tracking_number"] for r in by_status["results"]] == [rejected]
    assert [r["tracking_number"] for r in by_update["results"]] == [rejected]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "hilang"}, "status"),
        ({"updated_since": "kemarin"}, "updated_since"),
        ({"limit": "0"}, "limit"),
        ({"cursor": "bukan-kursor"}, "cursor"),
    ],
)
def test_bad_list_arguments_are_400_naming_the_field(app, params, field):
    response = app("get", "/api/v1/reports/", params)

    assert response.status_code == 400
    assert list(error(response)["fields"]) == [field]


def test_a_public_report_of_anyone_shows_its_public_view(app, public_report):
    response = app("get", f"/api/v1/reports/{public_report.tracking_number.lower()}/")

    assert response.status_code == 200
    data = response.json()
    assert data["tracking_number"] == public_report.tracking_number
    assert data["status"] == "verified"
    assert data["is_own"] is False
    assert data["own"] is None
    assert data["latitude"] == 3.5412
    assert [entry["status"] for entry in data["timeline"]] == ["new", "verified"]
    assert "Siti" not in response.content.decode()
    assert "7890" not in response.content.decode()


def test_reports_not_yet_accepted_are_404_unless_own(app, partner, submit, harjosari_i):
    theirs = submit()
    mine = _file(app)

    refused = app("get", f"/api/v1/reports/{theirs.tracking_number}/")
    own = app("get", f"/api/v1/reports/{mine}/")
    not_theirs = partner("get", f"/api/v1/reports/{mine}/")

    assert refused.status_code == 404
    assert error(refused) == {
        "code": "not_found",
        "message": "Laporan tidak ditemukan.",
        "fields": {},
    }
    assert own.status_code == 200
    assert not_theirs.status_code == 404


def test_rahasia_reports_show_only_to_their_own_client(
    app, partner, verify, sanitation, harjosari_i
):
    number = _file(app, is_confidential=True)
    verify(Report.objects.get(tracking_number=number))

    own = app("get", f"/api/v1/reports/{number}/")
    other = partner("get", f"/api/v1/reports/{number}/")

    assert own.status_code == 200
    assert own.json()["own"]["is_confidential"] is True
    assert other.status_code == 404


def test_an_anonymous_report_never_names_its_reporter(
    app, partner, verify, sanitation, harjosari_i
):
    number = _file(app, is_anonymous=True)
    verify(Report.objects.get(tracking_number=number))

    for call in (app, partner):
        response = call("get", f"/api/v1/reports/{number}/")
        assert response.status_code == 200
        body = response.content.decode()
        assert "Siti" not in body
        assert "081234567890" not in body
        assert "7890" not in body


def test_the_own_view_carries_the_rejection_reason(app, desk_operator, sanitation, harjosari_i):
    number = _file(app)
    report = Report.objects.get(tracking_number=number)
    report_reject(user=desk_operator, report_id=report.pk, reason="Bukan wewenang kecamatan.")

    data = app("get", f"/api/v1/reports/{number}/").json()

    assert data["status"] == "rejected"
    assert data["own"]["rejection_reason"] == "Bukan wewenang kecamatan."
