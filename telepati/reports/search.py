"""Text search over complaints: tracking number, title and description.

One function, `report_search_apply`, chooses by the connection's vendor:

- PostgreSQL: full-text (``simple`` configuration, websearch syntax), served by the GIN
  expression index of migration 0004 (`report_search_vector` is that very expression);
- SQLite: the FTS5 table of migration 0010, kept in step by triggers, with the same
  meaning (whole words, "phrases", ``or``, ``-word``) and newest-first in the cheapest order;
- anything else, or a SQLite build without FTS5: a portable case-insensitive substring match.

Every path also finds a report by its exact tracking number.
"""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connections
from django.db.models import BigIntegerField, F, Func, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.lookups import In

from telepati.reports.models import Report

SEARCH_CONFIG = "simple"
SEARCH_FIELDS = ("tracking_number", "title", "description")


def report_search_vector() -> SearchVector:
    """The document searched on PostgreSQL; migration 0004 indexes this very expression."""
    return SearchVector(*SEARCH_FIELDS, config=SEARCH_CONFIG)


def report_search_fulltext(reports: QuerySet[Report], text: str) -> QuerySet[Report]:
    """PostgreSQL full-text match (words in any order), or the exact tracking number."""
    query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
    return reports.annotate(search_document=report_search_vector()).filter(
        Q(search_document=query) | Q(tracking_number=text.upper())
    )


def report_search_portable(reports: QuerySet[Report], text: str) -> QuerySet[Report]:
    """Every word, in any order, as a case-insensitive substring of one of the fields; runs
    on any database (SQLite and the like)."""
    for word in text.split()[:10]:
        condition = Q()
        for name in SEARCH_FIELDS:
            condition |= Q(**{f"{name}__icontains": word})
        reports = reports.filter(condition)
    return reports


FTS_TABLE = "reports_report_fts"  # SQLite FTS5, migration 0010
_fts_tables: dict[str, bool] = {}
_FTS_TERM = re.compile(r'(-?)"([^"]*)"|(-?)(\S+)')


def _fts_available(alias: str) -> bool:
    """Whether the SQLite database has the FTS5 table of migration 0010 (looked up once per
    database, on the driver's connection so it never shows among a page's queries)."""
    connection = connections[alias]
    key = f"{alias}:{connection.settings_dict['NAME']}"
    if key not in _fts_tables:
        connection.ensure_connection()
        found = connection.connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (FTS_TABLE,)
        ).fetchone()
        _fts_tables[key] = found is not None
    return _fts_tables[key]


def fts_match_expression(text: str) -> str:
    """`text` as an FTS5 query with PostgreSQL's ``websearch`` meaning: words (or "quoted
    phrases") all required, ``or`` between alternatives, ``-word`` excluded; each term is
    quoted, so nothing the user types is FTS5 syntax. Empty when no term has a word."""
    alternatives: list[list[str]] = [[]]
    excluded: list[list[str]] = [[]]
    for match in _FTS_TERM.finditer(text):
        negative = bool(match.group(1) or match.group(3))
        term = match.group(2) if match.group(2) is not None else match.group(4)
        if match.group(4) is not None and term.lower() == "or" and not negative:
            alternatives.append([])
            excluded.append([])
            continue
        if not re.search(r"\w", term):
            continue
        quoted = '"' + term.replace('"', '""') + '"'
        (excluded if negative else alternatives)[-1].append(quoted)
    groups = []
    for required, left_out in zip(alternatives, excluded, strict=True):
        if not required:
            continue
        group = " AND ".join(required[:10])
        if left_out:
            group = f"{group} NOT ({' OR '.join(left_out[:10])})"
        groups.append(f"({group})")
    return " OR ".join(groups)


FTS_COMMON = 2000


def report_search_fts(reports: QuerySet[Report], text: str) -> QuerySet[Report]:
    """SQLite FTS5 match (as the PostgreSQL full-text path: whole words, any order), or the
    exact tracking number.

    Newest first either way, but read in the order that stops soonest: a text matching
    fewer than `FTS_COMMON` reports is read by id from the matches and sorted; a common one
    ("lampu": tens of thousands) lets the page walk its newest-first index and keep the
    matching rows (``+id`` keeps SQLite from driving the query by the match list), so it
    stops after a page. One bounded count over the FTS index decides."""
    condition = Q(tracking_number=text.upper())
    expression = fts_match_expression(text)
    if expression:
        # The table name is a constant; the user's text goes in as a parameter.
        matching = RawSQL(  # noqa: S611
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",  # noqa: S608
            [expression],
        )
        with connections[reports.db].cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {FTS_TABLE} "  # noqa: S608
                f"WHERE {FTS_TABLE} MATCH %s LIMIT %s)",
                [expression, FTS_COMMON],
            )
            common = cursor.fetchone()[0] >= FTS_COMMON
        pk = Func(F("pk"), template="+%(expressions)s", output_field=BigIntegerField())
        condition |= Q(In(pk if common else F("pk"), matching))
    return reports.filter(condition)


def report_search_apply(reports: QuerySet[Report], text: str) -> QuerySet[Report]:
    """Narrow `reports` to those matching `text` (blank text: unchanged)."""
    text = " ".join(text.split())
    if not text:
        return reports
    vendor = connections[reports.db].vendor
    if vendor == "postgresql":
        return report_search_fulltext(reports, text)
    if vendor == "sqlite" and _fts_available(reports.db):
        return report_search_fts(reports, text)
    return report_search_portable(reports, text)


# --- Inbox -------------------------------------------------------------------------------
