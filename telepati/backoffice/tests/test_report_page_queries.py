"""The report page reads the report's attachments once (its photos): the timeline shows no
attachments, so it does not prefetch them."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from telepati.backoffice.tests.test_reports_support import *  # noqa: F403 (fixtures)
from telepati.backoffice.tests.test_reports_support import detail_url


def test_the_page_reads_attachments_once(client, new_report, desk_operator):
    client.force_login(desk_operator)
    client.get(detail_url(new_report))

    with CaptureQueriesContext(connection) as captured:
        response = client.get(detail_url(new_report))

    assert response.status_code == 200
    reads = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]
    assert len([sql for sql in reads if 'FROM "reports_attachment"' in sql]) == 1
