"""Periodic document tasks: thin wrappers the scheduler enqueues and the worker runs.

Idempotent and safe on several workers at once (the service claims each row); see
`telepati.documents.services.reminders`.
"""

from __future__ import annotations

from django_tasks import task

from telepati.documents.services.reminders import application_reminders_sweep

# The bulk-import task lives next to its service; re-exported so every document task is here.
from telepati.documents.tasks_import import import_run_task as import_run_task


@task()
def reminders_sweep() -> int:
    """Remind applicants whose issued documents still wait to be collected; returns how many."""
    return application_reminders_sweep()
