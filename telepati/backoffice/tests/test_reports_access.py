"""Who may open the inbox and the report page, and that nothing leaks to anyone else."""

from __future__ import annotations

import pytest

from telepati.backoffice.tests.test_reports_support import *  # noqa: F403 (fixtures)
from telepati.backoffice.tests.test_reports_support import INBOX, detail_url
from telepati.reports.services.desk import report_verify
from telepati.reports.services.dispositions import report_forward

DESCRIPTION = "Sampah menumpuk di depan gang Mawar sudah tiga hari."


def _assert_no_leak(content: str, report) -> None:
    # The layout echoes the requested path (language switch); the visitor typed that.
    content = content.replace(detail_url(report), "")
    assert report.tracking_number not in content
    assert DESCRIPTION not in content
    assert "Siti Aminah" not in content


# persona → (inbox status, inbox lists the report, page status)
EXPECTED = {
    "desk_operator": (200, True, 200),
    "administrator": (200, True, 200),
    "camat": (200, True, 200),
    "lurah": (200, True, 200),
    "kelurahan_staff": (200, True, 200),
    "superuser": (200, True, 200),
    "section_staff": (200, False, 404),
    "agency_liaison": (200, False, 404),
    "outsider": (200, False, 404),
    "courier": (403, False, 403),
}


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_each_persona_sees_the_inbox_and_page_only_within_their_scope(
    client, request, new_report, persona
):
    inbox_status, listed, page_status = EXPECTED[persona]
    client.force_login(request.getfixturevalue(persona))

    inbox = client.get(INBOX)
    page = client.get(detail_url(new_report))

    assert inbox.status_code == inbox_status
    assert page.status_code == page_status
    if listed:
        assert new_report.tracking_number in inbox.content.decode()
    else:
        _assert_no_leak(inbox.content.decode(), new_report)
    if page_status == 200:
        content = page.content.decode()
        assert f"Laporan {new_report.tracking_number}" in content
        assert DESCRIPTION in content
        assert "Baru" in content
    else:
        _assert_no_leak(page.content.decode(), new_report)


def test_a_visitor_who_is_not_signed_in_is_sent_to_the_login_page(client, new_report):
    inbox = client.get(INBOX)
    page = client.get(detail_url(new_report))

    for response in (inbox, page):
        assert response.status_code == 302
        assert response["Location"].startswith("/kantor/masuk/")
        _assert_no_leak(response.content.decode(), new_report)


@pytest.mark.parametrize("persona", ["agency_liaison", "section_staff"])
def test_a_unit_sees_the_report_once_it_is_forwarded_to_it(
    client, request, new_report, desk_operator, dlh, amplas_trantib, persona
):
    report_verify(user=desk_operator, report_id=new_report.pk)
    report_forward(
        user=desk_operator, report_id=new_report.pk, unit_ids=[dlh.pk, amplas_trantib.pk]
    )
    client.force_login(request.getfixturevalue(persona))

    assert new_report.tracking_number in client.get(INBOX).content.decode()
    page = client.get(detail_url(new_report))
    assert page.status_code == 200
    assert DESCRIPTION in page.content.decode()


def test_a_lurah_sees_an_anonymous_reporter_masked(client, submit, lurah, desk_operator):
    report = submit(is_anonymous=True)

    client.force_login(lurah)
    for content in (
        client.get(INBOX).content.decode(),
        client.get(detail_url(report)).content.decode(),
    ):
        assert "Pelapor anonim" in content
        assert "Siti Aminah" not in content
        assert "7890" not in content

    client.force_login(desk_operator)
    desk_page = client.get(detail_url(report)).content.decode()
    assert "Siti Aminah" in desk_page
    assert "+6281234567890" in desk_page


def test_a_lurah_sees_a_named_reporter_with_a_masked_number(client, new_report, lurah):
    client.force_login(lurah)

    content = client.get(detail_url(new_report)).content.decode()

    assert "Siti Aminah" in content
    assert "+62 ••• •••• 7890" in content
    assert "+6281234567890" not in content


def test_an_unknown_tracking_number_is_a_404(client, desk_operator):
    client.force_login(desk_operator)

    assert client.get("/kantor/laporan/L0000-0000/").status_code == 404
