"""The inbox: filters, search on each database, keyset pages, counts, bulk actions, queries."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from telepati.backoffice.tests.test_reports_support import *  # noqa: F403 (fixtures)
from telepati.backoffice.tests.test_reports_support import BULK, INBOX, detail_url
from telepati.reports.lifecycle import Status
from telepati.reports.models import Report
from telepati.reports.search import (
    report_search_apply,
    report_search_fulltext,
    report_search_portable,
)
from telepati.reports.selectors_inbox import (
    Cursor,
    InboxSort,
    report_inbox_counts,
    report_inbox_page,
)
from telepati.reports.services.desk import report_verify
from telepati.reports.services.dispositions import report_forward
from telepati.reports.services.sla import sla_escalate_breaches

NUMBER = re.compile(r">((?:L\d{4}-\d{4})|(?:[A-Z]\d{6}))</a>")


def _numbers(content: str) -> list[str]:
    return NUMBER.findall(content)


def _scope(user):
    from telepati.accounts.selectors import officer_scope_get

    return officer_scope_get(user=user)


def test_the_inbox_filters_by_status_and_counts_every_status(client, submit, desk_operator):
    submit(), submit()
    second = submit()
    report_verify(user=desk_operator, report_id=second.pk)
    client.force_login(desk_operator)

    content = client.get(INBOX, {"status": "verified"}).content.decode()

    assert _numbers(content) == [second.tracking_number]
    assert re.search(r'data-status="new"[^>]*>Baru <span class="count">2</span>', content)
    assert re.search(
        r'data-status="verified"[^>]*>Terverifikasi <span class="count">1</span>', content
    )


def test_a_search_counts_its_matches_by_status_once_and_marks_a_sample(
    client, submit, desk_operator, monkeypatch, django_assert_num_queries
):
    from telepati.reports import selectors_inbox

    for _ in range(2):
        submit(description="Lampu jalan padam di Jalan Garu.")
    verified = submit(description="Lampu taman padam.")
    report_verify(user=desk_operator, report_id=verified.pk)
    submit(description="Sampah menumpuk.")
    scope = _scope(desk_operator)

    # One query; on SQLite the FTS5 search first sizes its match (see report_search_fts).
    with django_assert_num_queries(2 if connection.vendor == "sqlite" else 1):
        counts = report_inbox_counts(user=desk_operator, scope=scope, search="lampu")
    assert counts.by_status == {"new": 2, "verified": 1}
    assert counts.partial is False
    assert (counts.label("new"), counts.label("verified"), counts.total_label()) == ("2", "1", "3")

    # More matches than the sample: lower bounds, shown with "+".
    monkeypatch.setattr(selectors_inbox, "SEARCH_COUNT_LIMIT", 2)
    counts = report_inbox_counts(user=desk_operator, scope=scope, search="lampu")
    assert sum(counts.by_status.values()) == 3
    assert counts.partial is True
    assert counts.total_label() == "3+"
    assert {counts.label(s) for s in counts.by_status} <= {"1+", "2+", "3+"}
    client.force_login(desk_operator)
    content = client.get(INBOX, {"q": "lampu"}).content.decode()
    assert re.search(r'data-status="new"[^>]*>Baru <span class="count">\d\+</span>', content)


def test_the_inbox_filters_by_unit_category_kelurahan_channel_and_assignment(
    client, submit, desk_operator, dlh, drainage, sitirejo_ii
):
    plain = submit()
    forwarded = submit()
    report_verify(user=desk_operator, report_id=forwarded.pk)
    report_forward(user=desk_operator, report_id=forwarded.pk, unit_ids=[dlh.pk])
    flood = submit(category_code=drainage.code)
    elsewhere = submit(kelurahan_id=sitirejo_ii.pk, channel="web")
    from telepati.reports.services.notes import report_assign

    report_assign(user=desk_operator, report_id=plain.pk, assignee_id=desk_operator.pk)
    client.force_login(desk_operator)

    def listed(**params):
        return _numbers(client.get(INBOX, params).content.decode())

    assert listed(unit=dlh.pk) == [forwarded.tracking_number]
    assert listed(category=drainage.pk) == [flood.tracking_number]
    assert listed(kelurahan=sitirejo_ii.pk) == [elsewhere.tracking_number]
    assert listed(channel="web") == [elsewhere.tracking_number]
    assert listed(mine="on") == [plain.tracking_number]
    # Nonsense values are ignored, never an error page.
    assert len(listed(status="nope", unit="x", sort="sideways")) == 4


def test_the_deadline_filter_and_badges(client, submit, desk_operator):
    late, soon, calm = submit(), submit(), submit()
    moment = timezone.now()
    Report.objects.filter(pk=late.pk).update(verification_due_at=moment - timedelta(hours=1))
    Report.objects.filter(pk=soon.pk).update(verification_due_at=moment + timedelta(minutes=30))
    Report.objects.filter(pk=calm.pk).update(verification_due_at=moment + timedelta(days=20))
    # "Lewat batas waktu" reads the flag the SLA sweep keeps (every 5 minutes).
    sla_escalate_breaches()
    client.force_login(desk_operator)

    breached = client.get(INBOX, {"deadline": "breached"}).content.decode()
    due_soon = client.get(INBOX, {"deadline": "due_soon"}).content.decode()

    assert _numbers(breached) == [late.tracking_number]
    assert "Lewat batas waktu</span>" in breached
    assert _numbers(due_soon) == [soon.tracking_number]
    assert "Segera jatuh tempo</span>" in due_soon


def test_the_search_finds_words_in_title_and_description_and_the_tracking_number(
    client, submit, desk_operator
):
    rubbish = submit(description="Sampah menumpuk di depan masjid Al-Ikhlas sejak Senin.")
    light = submit(description="Lampu jalan padam di Jalan Garu tiga malam.")
    client.force_login(desk_operator)

    def found(text):
        return _numbers(client.get(INBOX, {"q": text}).content.decode())

    assert found("lampu") == [light.tracking_number]
    assert found("masjid sampah") == [rubbish.tracking_number]
    assert found(rubbish.tracking_number) == [rubbish.tracking_number]
    assert found("kereta") == []


@pytest.mark.parametrize("search", [report_search_portable, report_search_fulltext])
def test_both_search_paths_run_on_this_database(submit, search):
    from django.db import connection

    if search is report_search_fulltext and connection.vendor != "postgresql":
        pytest.skip("full-text search needs PostgreSQL")
    light = submit(description="Lampu jalan padam di Jalan Garu tiga malam.")
    submit()

    assert list(search(Report.objects.all(), "lampu")) == [light]
    assert list(report_search_apply(Report.objects.all(), "  lampu ")) == [light]


def test_the_portable_search_runs_on_every_database(submit):
    light = submit(description="Lampu jalan padam di Jalan Garu tiga malam.")
    submit()

    assert list(report_search_portable(Report.objects.all(), "PADAM")) == [light]


@pytest.mark.parametrize("sort", list(InboxSort))
def test_keyset_pages_neither_repeat_nor_skip_rows_with_equal_keys(
    reports_bulk, desk_operator, sort
):
    made = reports_bulk(23, same_moment=4)
    # Deadline sort: some rows share a due date, some have none (they come last).
    Report.objects.filter(pk__in=[r.pk for r in made[:6]]).update(resolution_due_at=None)
    Report.objects.filter(pk__in=[r.pk for r in made[6:12]]).update(
        response_due_at=made[0].response_due_at + timedelta(hours=5)
    )
    scope = _scope(desk_operator)
    seen: list[str] = []
    pages = []
    after = ""
    while True:
        page = report_inbox_page(user=desk_operator, scope=scope, sort=sort, after=after, limit=5)
        pages.append(page)
        seen += [row.report.tracking_number for row in page.rows]
        if not page.next_cursor:
            break
        after = page.next_cursor
    assert len(seen) == 23
    assert set(seen) == {r.tracking_number for r in made}

    # And back again with the "previous" cursors.
    back: list[str] = []
    before = pages[-1].prev_cursor
    while before:
        page = report_inbox_page(user=desk_operator, scope=scope, sort=sort, before=before, limit=5)
        back = [row.report.tracking_number for row in page.rows] + back
        before = page.prev_cursor or ""
    assert back == seen[: len(back)]
    assert len(back) == 20


def test_the_newest_sort_puts_the_latest_first_with_ids_breaking_ties(reports_bulk, desk_operator):
    made = reports_bulk(6, same_moment=3)

    page = report_inbox_page(user=desk_operator, scope=_scope(desk_operator), limit=10)

    expected = sorted(made, key=lambda r: (r.submitted_at, r.pk), reverse=True)
    assert [row.report.pk for row in page.rows] == [r.pk for r in expected]
    assert page.next_cursor is None
    assert page.prev_cursor is None


def test_the_inbox_links_next_and_previous_pages(client, reports_bulk, desk_operator):
    reports_bulk(30, same_moment=7)
    client.force_login(desk_operator)

    first = client.get(INBOX).content.decode()
    match = re.search(r'href="(\?[^"]*after=[^"]+)" rel="next"', first)
    assert match is not None
    next_link = match.group(1)
    second = client.get(INBOX + next_link.replace("&amp;", "&")).content.decode()

    assert len(_numbers(first)) == 25
    assert len(_numbers(second)) == 5
    assert not set(_numbers(first)) & set(_numbers(second))
    assert 'rel="prev"' in second
    assert 'rel="next"' not in second


def test_a_malformed_cursor_shows_the_first_page(reports_bulk, desk_operator):
    reports_bulk(3)
    token = Cursor(sort=InboxSort.OLDEST, key=None, pk=1).encode()

    page = report_inbox_page(
        user=desk_operator, scope=_scope(desk_operator), after=token, sort=InboxSort.NEWEST
    )
    also = report_inbox_page(user=desk_operator, scope=_scope(desk_operator), after="!!")

    assert len(page.rows) == 3
    assert len(also.rows) == 3


def test_status_counts_ignore_the_status_filter_but_keep_the_others(
    submit, desk_operator, sitirejo_ii
):
    from telepati.reports.selectors import ReportFilters

    submit()
    verified = submit()
    report_verify(user=desk_operator, report_id=verified.pk)
    submit(kelurahan_id=sitirejo_ii.pk)

    counts = report_inbox_counts(
        user=desk_operator,
        scope=_scope(desk_operator),
        filters=ReportFilters(status="verified", kelurahan_id=verified.kelurahan_id),
    )

    assert counts.by_status == {"new": 1, "verified": 1}
    assert counts.partial is False


def test_htmx_gets_only_the_results_fragment(client, new_report, desk_operator):
    client.force_login(desk_operator)

    fragment = client.get(INBOX, {"status": "new"}, HTTP_HX_REQUEST="true").content.decode()
    full = client.get(INBOX).content.decode()

    assert new_report.tracking_number in fragment
    assert "<html" not in fragment
    assert 'class="inbox-filters"' not in fragment
    assert 'hx-push-url="true"' in full
    assert '<form method="get"' in full


def test_bulk_actions_run_each_row_and_report_each_outcome(client, submit, desk_operator, dlh):
    fresh, other = submit(), submit()
    done = submit()
    report_verify(user=desk_operator, report_id=done.pk)
    client.force_login(desk_operator)

    response = client.post(
        BULK,
        {
            "action": "verify",
            "reports": [fresh.tracking_number, done.tracking_number, other.tracking_number],
            "next": INBOX + "?status=new",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == INBOX + "?status=new"
    content = client.get(INBOX).content.decode()
    assert f"{fresh.tracking_number}: diverifikasi." in content
    assert f"{other.tracking_number}: diverifikasi." in content
    assert (
        f"{done.tracking_number}: Tindakan “Verifikasi” tidak berlaku untuk laporan berstatus "
        "Terverifikasi." in content
    )
    for report in (fresh, other):
        report.refresh_from_db()
        assert report.status == Status.VERIFIED


def test_bulk_assign_to_me_and_refusals_for_officers_who_may_not(
    client, submit, desk_operator, kelurahan_staff
):
    report = submit()
    client.force_login(desk_operator)
    client.post(BULK, {"action": "assign_me", "reports": [report.tracking_number]})
    report.refresh_from_db()
    assert report.assigned_to == desk_operator

    client.force_login(kelurahan_staff)
    client.post(BULK, {"action": "verify", "reports": [report.tracking_number, "L0000-0000"]})
    content = client.get(INBOX).content.decode()
    report.refresh_from_db()
    assert report.status == Status.NEW
    assert "Peran Anda tidak berwenang melakukan tindakan ini pada laporan." in content
    assert "L0000-0000: Laporan tidak ditemukan." in content


def test_bulk_without_rows_asks_to_pick_some(client, desk_operator):
    client.force_login(desk_operator)

    response = client.post(BULK, {"action": "verify"}, follow=True)

    assert "Pilih laporan lebih dulu." in response.content.decode()


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "params", [{}, {"sort": "deadline", "q": "saluran", "deadline": "due_soon"}]
)
def test_the_inbox_takes_the_same_queries_for_10_or_1000_reports(
    client, reports_bulk, desk_operator, params
):
    reports_bulk(10, prefix="A")
    client.force_login(desk_operator)
    small = _queries(client, INBOX, params)

    reports_bulk(990, prefix="C")
    large = _queries(client, INBOX, params)

    assert small == large


def test_the_report_page_takes_the_same_queries_for_10_or_1000_reports(
    client, reports_bulk, desk_operator
):
    made = reports_bulk(10, prefix="A")
    client.force_login(desk_operator)
    page = detail_url(made[0])
    small = _queries(client, page)

    reports_bulk(990, prefix="C")
    large = _queries(client, page)

    assert small == large


def test_postgresql_serves_the_search_from_the_gin_index(submit):
    if connection.vendor != "postgresql":
        pytest.skip("the search index exists on PostgreSQL only")
    submit(description="Lampu jalan padam di Jalan Garu tiga malam.")
    query = report_search_apply(Report.objects.all(), "lampu").only("pk").order_by()
    sql, params = query.query.sql_with_params()

    with connection.cursor() as cursor:
        # A handful of rows: forbid the scans a tiny table prefers so the plan shows what
        # a large one would use.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "report_search_idx" in plan
