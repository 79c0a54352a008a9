"""Periodic document tasks: thin wrappers the scheduler enqueues and the worker runs.

Idempotent and safe on several workers at once (the service claims each row); see
`telepati.documents.services.reminders`.
"""

from __future__ import annotations

from django_tasks import task

from telepati.documents.services.reminders import application_reminders_sweep


@task()
def reminders_sweep() -> int:
    """Remind applicants whose issued documents still wait to be collected; returns how many."""
    return application_reminders_sweep()
