"""The inbox search on SQLite: the FTS5 table of migration 0010 follows every insert,
update and delete of a report (triggers), and the search reads it with PostgreSQL's
``websearch`` meaning; without the table the portable substring match answers."""

from __future__ import annotations

import pytest
from django.db import connection

from telepati.reports.models import Report
from telepati.reports.search import (
    fts_match_expression,
    report_search_apply,
    report_search_portable,
)

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the FTS5 table exists on SQLite only"
)


def _found(text: str) -> set[int]:
    return set(report_search_apply(Report.objects.all(), text).values_list("pk", flat=True))


def _indexed(word: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM reports_report_fts WHERE reports_report_fts MATCH %s",
            [f'"{word}"'],
        )
        return cursor.fetchone()[0]


def test_an_insert_an_update_and_a_delete_keep_the_index_right(submit):
    report = submit(description="Lampu jalan padam di Jalan Garu tiga malam.")
    assert _found("lampu garu") == {report.pk}
    assert _indexed("padam") == 1

    report.description = "Saluran air tersumbat sampah."
    report.save()
    Report.objects.filter(pk=report.pk).update(title="Drainase macet")
    assert _found("lampu") == set()
    assert _found("saluran") == {report.pk}
    assert _found("drainase") == {report.pk}
    assert _indexed("padam") == 0

    Report.objects.filter(pk=report.pk).delete()
    assert _found("saluran") == set()
    assert _indexed("saluran") == 0


def test_the_search_means_what_the_postgresql_search_means(submit):
    lamp = submit(description="Lampu jalan padam di Jalan Garu.")
    flood = submit(description="Banjir setinggi lutut di Marindal.")

    assert _found("garu lampu") == {lamp.pk}  # every word, any order
    assert _found("lamp") == set()  # whole words, as the 'simple' configuration
    assert _found("banjir or lampu") == {lamp.pk, flood.pk}
    assert _found("jalan -garu") == set()
    assert _found('"padam lampu"') == set()  # a phrase, in order
    assert _found('"lampu jalan"') == {lamp.pk}
    assert _found(lamp.tracking_number.lower()) == {lamp.pk}
    assert _found('"; DROP TABLE reports_report; -- *') == set()


def test_without_the_table_the_portable_match_answers(submit, monkeypatch):
    from telepati.reports import search

    lamp = submit(description="Lampu jalan padam.")
    monkeypatch.setattr(search, "_fts_available", lambda alias: False)

    assert _found("amp") == {lamp.pk}  # a substring, as report_search_portable
    assert set(report_search_portable(Report.objects.all(), "amp")) == {lamp}


def test_a_query_without_words_matches_no_text():
    assert fts_match_expression("!!! - or") == ""
    assert fts_match_expression('a"b') == '("a""b")'
