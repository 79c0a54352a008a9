"""The tracking-number counters survive their move to core.SequenceCounter."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("core", "0002_sequence_counter"),
    ("reports", "0002_cannedresponse_report_disposition_reportevent_and_more"),
]
AFTER = [("reports", "0003_tracking_counter_to_core")]


@pytest.mark.django_db(transaction=True)
def test_counters_keep_their_values_so_no_tracking_number_is_handed_out_twice() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    old_apps.get_model("reports", "TrackingCounter").objects.create(
        prefix="L", period="2611", value=41
    )
    old_apps.get_model("core", "SequenceCounter").objects.create(prefix="D", period="2611", value=7)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new_apps = executor.loader.project_state(AFTER).apps
    counters = new_apps.get_model("core", "SequenceCounter").objects.order_by("prefix")
    assert [(c.prefix, c.period, c.value) for c in counters] == [
        ("D", "2611", 7),
        ("L", "2611", 41),
    ]

    # Leave the database at the latest state for the tests that follow.
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
