"""The inbox's "lewat batas waktu" filter as a stored flag (docs: /work/draft/s3/inbox.md).

`Report.breached` is true when a breach mark is set (on the report or on one of its
dispositions) or a running deadline has passed — the condition the inbox filter evaluated
on every request (`selectors._breached_q`). The SLA sweep keeps it (`services.sla`); this
migration fills it with one set-based UPDATE, then adds the partial index that turns the
filter into an index range, and the one the sweep reads to clear stale flags.

The column is added with a database default, so rows written outside the ORM (the bench
generator's COPY) get `false`; on SQLite by ``ALTER TABLE … ADD COLUMN`` (a constant
default needs no table rebuild, which Django would otherwise do for a NOT NULL column).
"""

from __future__ import annotations

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps
from django.db.models import Q
from django.utils import timezone

# Frozen copies of lifecycle.OPEN_STATES, AWAITING_VERIFICATION and
# models.OPEN_DISPOSITION_STATES: a migration must not change when the application does.
OPEN_STATES = ["forwarded", "in_progress", "new", "on_hold", "verified"]
AWAITING_VERIFICATION = ["new", "on_hold"]
OPEN_DISPOSITION_STATES = ["acknowledged", "in_progress", "pending"]


def _field(model: type[models.Model]) -> models.BooleanField[bool, bool]:
    field: models.BooleanField[bool, bool] = models.BooleanField(
        "lewat batas waktu", default=False, db_default=False, editable=False
    )
    field.set_attributes_from_name("breached")
    field.model = model
    return field


def column_add(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            'ALTER TABLE "reports_report" ADD COLUMN "breached" bool DEFAULT 0 NOT NULL'
        )
        return
    report = apps.get_model("reports", "Report")
    schema_editor.add_field(report, _field(report))


def column_remove(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute('ALTER TABLE "reports_report" DROP COLUMN "breached"')
        return
    report = apps.get_model("reports", "Report")
    schema_editor.remove_field(report, _field(report))


def breached_q(apps: StateApps, at: object) -> Q:
    """Frozen copy of `selectors._breached_q(moment=at)`."""
    disposition = apps.get_model("reports", "Disposition")
    marked = (
        Q(verification_breached_at__isnull=False)
        | Q(response_breached_at__isnull=False)
        | Q(resolution_breached_at__isnull=False)
        | Q(pk__in=disposition.objects.filter(breached_at__isnull=False).values("report_id"))
    )
    verification = Q(
        status__in=AWAITING_VERIFICATION,
        verification_breached_at=None,
        verification_due_at__lte=at,
    )
    response = Q(first_response_at=None, response_breached_at=None, response_due_at__lte=at)
    resolution = Q(resolved_at=None, resolution_breached_at=None, resolution_due_at__lte=at)
    dispositions = disposition.objects.filter(
        status__in=OPEN_DISPOSITION_STATES, breached_at=None, due_at__lte=at
    ).values("report_id")
    running = Q(status__in=OPEN_STATES) & (
        verification | response | resolution | Q(pk__in=dispositions)
    )
    return marked | running


def backfill(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """One UPDATE over the table (no rows through Python)."""
    report = apps.get_model("reports", "Report")
    db = schema_editor.connection.alias
    report.objects.using(db).filter(breached_q(apps, timezone.now())).update(breached=True)


class Migration(migrations.Migration):
    dependencies = [("reports", "0008_bench_indexes")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="report",
                    name="breached",
                    field=models.BooleanField(
                        db_default=False,
                        default=False,
                        editable=False,
                        verbose_name="lewat batas waktu",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(column_add, column_remove)],
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=False),
        migrations.AddIndex(
            model_name="report",
            index=models.Index(
                condition=models.Q(("breached", True)),
                fields=["-submitted_at", "-id"],
                name="report_breached_newest_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="report",
            index=models.Index(
                condition=models.Q(
                    ("breached", True),
                    ("resolution_breached_at__isnull", True),
                    ("response_breached_at__isnull", True),
                    ("verification_breached_at__isnull", True),
                ),
                fields=["id"],
                name="report_breached_unmarked_idx",
            ),
        ),
    ]
