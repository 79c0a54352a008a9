"""The inbox at a million reports: a covering index for the capped status counts (both
databases) and, on SQLite only, an FTS5 index for the inbox search.

`report_status_counts_idx` holds every column the counts read (status, kelurahan,
kecamatan, breached, id), so PostgreSQL answers them with index-only scans and SQLite from
the index alone.

`reports_report_fts` is an external-content FTS5 table over tracking number, title and
description (the fields PostgreSQL's GIN index of migration 0004 covers), kept in step by
three triggers and filled here ('rebuild'). Without FTS5 in the SQLite build the migration
creates nothing and the search stays the portable substring match
(`reports.search.report_search_apply` checks for the table). On PostgreSQL it does nothing.

A later migration that makes Django rebuild `reports_report` on SQLite (SQLite cannot alter
most columns in place: Django copies the table) drops these triggers with the old table;
such a migration must call `fts_create` again afterwards.
"""

from __future__ import annotations

from django.db import DatabaseError, migrations, models, transaction
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

FTS_TABLE = "reports_report_fts"
# Literal SQL (no interpolation): the virtual table, its triggers, the initial fill.
FTS_CREATE = [
    "CREATE VIRTUAL TABLE reports_report_fts USING fts5("
    "tracking_number, title, description, content='reports_report', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER reports_report_fts_insert AFTER INSERT ON reports_report BEGIN "
    "INSERT INTO reports_report_fts(rowid, tracking_number, title, description) "
    "VALUES (new.id, new.tracking_number, new.title, new.description); END",
    "CREATE TRIGGER reports_report_fts_delete AFTER DELETE ON reports_report BEGIN "
    "INSERT INTO reports_report_fts(reports_report_fts, rowid, tracking_number, title, "
    "description) VALUES ('delete', old.id, old.tracking_number, old.title, "
    "old.description); END",
    "CREATE TRIGGER reports_report_fts_update AFTER UPDATE OF tracking_number, title, "
    "description ON reports_report BEGIN "
    "INSERT INTO reports_report_fts(reports_report_fts, rowid, tracking_number, title, "
    "description) VALUES ('delete', old.id, old.tracking_number, old.title, "
    "old.description); "
    "INSERT INTO reports_report_fts(rowid, tracking_number, title, description) "
    "VALUES (new.id, new.tracking_number, new.title, new.description); END",
    "INSERT INTO reports_report_fts(reports_report_fts) VALUES ('rebuild')",
]
FTS_DROP = [
    "DROP TRIGGER IF EXISTS reports_report_fts_insert",
    "DROP TRIGGER IF EXISTS reports_report_fts_delete",
    "DROP TRIGGER IF EXISTS reports_report_fts_update",
    "DROP TABLE IF EXISTS reports_report_fts",
]


def stats_add(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """On an analyzed SQLite database, analyze the new index too: without statistics of its
    own SQLite takes it for very selective and reads a status tab's page through it (then
    sorts the whole status) instead of `report_status_newest_idx`."""
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone():
            cursor.execute("ANALYZE report_status_counts_idx")


def fts_create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            for statement in FTS_CREATE:
                cursor.execute(statement)
    except DatabaseError:
        # No FTS5 module in this SQLite build: the portable search stays.
        return


def fts_drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for statement in FTS_DROP:
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("reports", "0009_report_breached")]

    operations = [
        migrations.AddIndex(
            model_name="report",
            index=models.Index(
                fields=["status", "kelurahan", "kecamatan", "breached", "id"],
                name="report_status_counts_idx",
            ),
        ),
        migrations.RunPython(stats_add, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(fts_create, fts_drop, elidable=False),
    ]
