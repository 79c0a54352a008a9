"""Periodic complaint tasks: thin wrappers the scheduler enqueues and the worker runs.

Both are idempotent and safe to run on several workers at once (the services claim rows);
see `telepati.reports.services.sla`.
"""

from __future__ import annotations

from django_tasks import task

from telepati.reports.services.sla import sla_autoclose, sla_escalate_breaches


@task()
def sla_sweep() -> dict[str, int]:
    """Escalate every deadline that has passed (verification, response, resolution, units)."""
    return sla_escalate_breaches().as_dict()


@task()
def sla_autoclose_sweep() -> int:
    """Close resolved reports whose dispute window has ended; returns how many."""
    return sla_autoclose()
