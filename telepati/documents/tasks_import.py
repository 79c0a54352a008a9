"""Background processing of an uploaded import batch (queued on commit by `import_upload`)."""

from __future__ import annotations

from django_tasks import task

from telepati.documents.services.imports import import_run


@task()
def import_run_task(*, batch_id: int) -> int:
    """Decide the pending rows of one batch; returns how many rows are decided so far.

    Safe to run again (a lost job, a crash mid-way): decided rows are skipped."""
    return import_run(batch_id=batch_id).processed_rows
