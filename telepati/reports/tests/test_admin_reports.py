"""The reports admin: a scoped, read-only view of reports; canned responses for administrators."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from telepati.messaging.models import OutboundMessage
from telepati.reports.lifecycle import Status
from telepati.reports.models import CannedResponse, Disposition, Report, ReportEvent

from .conftest import MONDAY_MORNING

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:reports_report_changelist"


@pytest.fixture
def amplas_and_johor(submit, gedung_johor, sitirejo_ii, superuser, dlh):
    harjosari = submit(title="Sampah Harjosari")
    Disposition.objects.create(
        report=harjosari,
        unit=dlh,
        due_at=MONDAY_MORNING + timedelta(days=7),
        forwarded_by=superuser,
        forwarded_at=MONDAY_MORNING + timedelta(hours=1),
    )
    sitirejo = submit(title="Parit Sitirejo", kelurahan_id=sitirejo_ii.pk)
    johor = submit(title="Sampah Johor", kelurahan_id=gedung_johor.pk)
    return {"harjosari": harjosari, "sitirejo": sitirejo, "johor": johor}


def listed(response):
    return sorted(r.title for r in response.context["cl"].queryset)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("administrator", ["Parit Sitirejo", "Sampah Harjosari"]),
        ("outsider", ["Sampah Johor"]),
        ("superuser", ["Parit Sitirejo", "Sampah Harjosari", "Sampah Johor"]),
    ],
)
def test_each_administrator_lists_the_reports_of_their_kecamatan(
    request, client, amplas_and_johor, persona, expected
):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse(CHANGELIST))

    assert response.status_code == 200
    assert listed(response) == expected


def test_officers_without_the_administrator_role_have_no_admin(
    client, amplas_and_johor, desk_operator
):
    client.force_login(desk_operator)

    response = client.get(reverse(CHANGELIST))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_list_shows_the_chosen_columns_and_searches_by_tracking_number(
    client, amplas_and_johor, administrator
):
    client.force_login(administrator)
    number = amplas_and_johor["sitirejo"].tracking_number

    response = client.get(reverse(CHANGELIST), {"q": number})

    assert listed(response) == ["Parit Sitirejo"]
    assert list(response.context["cl"].list_display) == [
        "tracking_number",
        "category",
        "kelurahan",
        "status",
        "channel",
        "submitted_at",
        "verification_due_at",
    ]
    assert "delete_selected" not in response.context["cl"].model_admin.get_actions(
        response.wsgi_request
    )


def test_the_kelurahan_filter_offers_only_kelurahan_the_administrator_has_reports_in(
    client, amplas_and_johor, administrator
):
    client.force_login(administrator)

    response = client.get(reverse(CHANGELIST))

    kelurahan_filter = next(
        spec for spec in response.context["cl"].filter_specs if spec.field_path == "kelurahan"
    )
    assert sorted(label for _pk, label in kelurahan_filter.lookup_choices) == [
        "Kelurahan Harjosari I",
        "Kelurahan Sitirejo II",
    ]


def test_the_list_costs_the_same_queries_for_few_or_many_reports(client, submit, administrator):
    client.force_login(administrator)
    submit()
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(CHANGELIST)).status_code == 200
    for _ in range(12):
        submit()
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse(CHANGELIST)).status_code == 200

    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_report_page_shows_its_timeline_dispositions_and_fields_read_only(
    client, amplas_and_johor, administrator
):
    client.force_login(administrator)
    report = amplas_and_johor["harjosari"]

    response = client.get(reverse("admin:reports_report_change", args=[report.pk]))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Laporan diterima melalui WhatsApp." in content
    assert "Dinas Lingkungan Hidup" in content
    assert report.tracking_number in content
    assert 'name="status"' not in content
    assert 'name="tracking_number"' not in content
    assert 'name="_save"' not in content


def test_a_report_of_another_kecamatan_cannot_be_opened(client, amplas_and_johor, administrator):
    client.force_login(administrator)
    report = amplas_and_johor["johor"]

    response = client.get(reverse("admin:reports_report_change", args=[report.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def snapshot(report):
    report.refresh_from_db()
    return (
        report.status,
        report.version,
        report.tracking_number,
        report.verification_due_at,
        ReportEvent.objects.filter(report=report).count(),
        OutboundMessage.objects.count(),
    )


def test_not_even_a_superuser_changes_adds_or_deletes_a_report(client, amplas_and_johor, superuser):
    client.force_login(superuser)
    report = amplas_and_johor["harjosari"]
    before = snapshot(report)

    change = client.post(
        reverse("admin:reports_report_change", args=[report.pk]),
        {"status": Status.CLOSED, "version": 99, "tracking_number": "L0000-0000"},
    )
    add = client.get(reverse("admin:reports_report_add"))
    delete = client.post(reverse("admin:reports_report_delete", args=[report.pk]), {"post": "yes"})

    assert (change.status_code, add.status_code, delete.status_code) == (403, 403, 403)
    assert snapshot(report) == before
    assert Report.objects.count() == 3


def test_inlines_offer_no_add_change_or_delete(client, amplas_and_johor, superuser):
    client.force_login(superuser)
    report = amplas_and_johor["harjosari"]

    response = client.get(reverse("admin:reports_report_change", args=[report.pk]))

    for formset in response.context["inline_admin_formsets"]:
        assert (
            formset.has_add_permission,
            formset.has_change_permission,
            formset.has_delete_permission,
            formset.has_view_permission,
        ) == (False, False, False, True)


# --- Canned responses ---------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["administrator", "outsider", "superuser"])
def test_every_administrator_writes_canned_responses(request, client, sanitation, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.post(
        reverse("admin:reports_cannedresponse_add"),
        {
            "title": "Sampah sudah diangkut",
            "body": "Sampah sudah diangkut petugas DLH pagi ini.",
            "category": sanitation.pk,
            "status": Status.RESOLVED,
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    reply = CannedResponse.objects.get()
    assert (reply.title, reply.category, reply.status) == (
        "Sampah sudah diangkut",
        sanitation,
        Status.RESOLVED,
    )


def test_canned_responses_filter_by_category_and_status(client, administrator, sanitation):
    CannedResponse.objects.create(title="A", body="a", category=sanitation, status="resolved")
    CannedResponse.objects.create(title="B", body="b", status="on_hold")
    client.force_login(administrator)

    response = client.get(
        reverse("admin:reports_cannedresponse_changelist"), {"category__id__exact": sanitation.pk}
    )
    by_status = client.get(
        reverse("admin:reports_cannedresponse_changelist"), {"status__exact": "on_hold"}
    )

    assert [r.title for r in response.context["cl"].queryset] == ["A"]
    assert [r.title for r in by_status.context["cl"].queryset] == ["B"]


def test_only_a_superuser_deletes_a_canned_response(client, administrator, superuser):
    reply = CannedResponse.objects.create(title="A", body="a")
    url = reverse("admin:reports_cannedresponse_delete", args=[reply.pk])

    client.force_login(administrator)
    assert client.post(url, {"post": "yes"}).status_code == 403
    client.force_login(superuser)
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert CannedResponse.objects.count() == 0


def test_officers_without_the_administrator_role_cannot_open_canned_responses(
    client, desk_operator
):
    client.force_login(desk_operator)

    response = client.get(reverse("admin:reports_cannedresponse_changelist"))

    assert response.status_code == 302
