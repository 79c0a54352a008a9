"""A GIN expression index for the inbox’s full-text search (PostgreSQL only).

The indexed expression is built from `search.report_search_vector()`, the same
expression the search filters on, so the planner uses the index. Other databases (SQLite)
search with a portable substring match and get no index; the migration does nothing there.
"""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

INDEX_NAME = "report_search_idx"


def _index() -> GinIndex:
    # Frozen copy of search.report_search_vector(): a migration must not change
    # when the application code does.
    vector = SearchVector("tracking_number", "title", "description", config="simple")
    return GinIndex(vector, name=INDEX_NAME)


def index_add(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("reports", "Report"), _index())


def index_remove(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("reports", "Report"), _index())


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_tracking_counter_to_core")]

    operations = [migrations.RunPython(index_add, index_remove, elidable=False)]
