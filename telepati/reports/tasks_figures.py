"""Periodic refresh of the stored figures (see `reports.figures_store`): thin wrappers the
scheduler enqueues (TELEPATI_PERIODIC_TASKS) and the worker runs. Idempotent; two runs at
once only compute the same rows twice (each write replaces the row)."""

from __future__ import annotations

from django_tasks import task

from telepati.reports.figures_store import dashboard_figures_refresh, public_statistics_refresh


@task()
def dashboard_figures_refresh_task() -> int:
    """The current month's dashboard figures of every area; returns how many areas."""
    return dashboard_figures_refresh()


@task()
def public_statistics_refresh_task() -> int:
    """The public statistics unfiltered and for each single filter; returns how many."""
    return public_statistics_refresh()
