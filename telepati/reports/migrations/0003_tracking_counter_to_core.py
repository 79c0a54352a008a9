"""Tracking-number counters move to core.SequenceCounter (shared with document codes)."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def copy_counters(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    old = apps.get_model("reports", "TrackingCounter")
    new = apps.get_model("core", "SequenceCounter")
    for row in old.objects.all():
        counter, _ = new.objects.get_or_create(prefix=row.prefix, period=row.period)
        if counter.value < row.value:
            counter.value = row.value
            counter.save(update_fields=["value"])


def copy_back(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    old = apps.get_model("reports", "TrackingCounter")
    new = apps.get_model("core", "SequenceCounter")
    for row in new.objects.filter(prefix__regex=r"^[A-Z]+$"):
        old.objects.update_or_create(
            prefix=row.prefix, period=row.period, defaults={"value": row.value}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_sequence_counter"),
        ("reports", "0002_cannedresponse_report_disposition_reportevent_and_more"),
    ]

    operations = [
        migrations.RunPython(copy_counters, copy_back),
        migrations.DeleteModel(name="TrackingCounter"),
    ]
