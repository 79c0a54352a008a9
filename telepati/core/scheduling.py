"""Periodic jobs: a declarative list in settings, timed by APScheduler, run by the worker.

`settings.TELEPATI_PERIODIC_TASKS` lists (dotted path of a django-tasks task, crontab in
WIB). `manage.py run_scheduler` builds an APScheduler `BlockingScheduler` from it whose jobs
only `.enqueue()` the task; the task worker runs it. The scheduler holds no state and no
job store: after a restart it simply waits for the next tick, and a tick missed while it
was down is run once if it is less than `TELEPATI_SCHEDULER_MISFIRE_GRACE_SECONDS` late
(coalesced, never two at once).

Running two schedulers by mistake is harmless: each tick is enqueued twice and the periodic
tasks claim the rows they act on, so the second run finds nothing left to do.

This module lives in `core` and imports no other TELEPATI app: tasks are named by path.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from django.core.exceptions import ImproperlyConfigured
from django.db import close_old_connections
from django.utils.module_loading import import_string
from django_tasks.base import Task

from telepati.core.workdays import WIB

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PeriodicTask:
    """One entry of TELEPATI_PERIODIC_TASKS, checked: the task exists and the crontab parses."""

    path: str
    crontab: str
    trigger: CronTrigger


def periodic_tasks_parse(
    entries: Iterable[object],
) -> tuple[list[PeriodicTask], list[str]]:
    """Check every entry; returns the valid ones and one readable problem per invalid one."""
    tasks: list[PeriodicTask] = []
    problems: list[str] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        if not (
            isinstance(entry, tuple | list)
            and len(entry) == 2
            and all(isinstance(part, str) for part in entry)
        ):
            problems.append(
                f"entry {index} must be a pair (dotted task path, crontab), got {entry!r}"
            )
            continue
        path, crontab = entry
        if path in seen:
            problems.append(f"{path} is listed twice")
            continue
        seen.add(path)
        try:
            target = import_string(path)
        except ImportError as exc:
            problems.append(f"{path} cannot be imported ({exc})")
            continue
        if not isinstance(target, Task):
            problems.append(f"{path} is not a django-tasks task (decorate it with @task())")
            continue
        try:
            trigger = CronTrigger.from_crontab(crontab, timezone=WIB)
        except ValueError as exc:
            problems.append(
                f"{path}: crontab {crontab!r} is invalid ({exc}); write five fields "
                f'"minute hour day month weekday", e.g. "*/5 * * * *"'
            )
            continue
        tasks.append(PeriodicTask(path=path, crontab=crontab, trigger=trigger))
    return tasks, problems


def periodic_tasks_load(entries: Iterable[object] | None = None) -> list[PeriodicTask]:
    """The periodic tasks from settings (or `entries`); ImproperlyConfigured if any is wrong."""
    source = settings.TELEPATI_PERIODIC_TASKS if entries is None else entries
    tasks, problems = periodic_tasks_parse(source)
    if problems:
        raise ImproperlyConfigured("TELEPATI_PERIODIC_TASKS is invalid: " + "; ".join(problems))
    return tasks


def task_enqueue(path: str) -> str:
    """The job every schedule runs: enqueue the task for the worker; returns the result id.

    Runs in one of the scheduler's threads, so it drops stale database connections before
    and after, as a request would.
    """
    close_old_connections()
    try:
        task: Task[Any, Any] = import_string(path)
        result = task.enqueue()
        logger.info("scheduler: enqueued %s (result %s)", path, result.id)
        return str(result.id)
    finally:
        close_old_connections()


def build_scheduler(
    *, tasks: Sequence[PeriodicTask] | None = None, scheduler: BaseScheduler | None = None
) -> BaseScheduler:
    """A scheduler (not started) with one job per periodic task.

    Jobs are coalesced (a backlog of missed ticks runs once), never overlap themselves, and
    are dropped when more than the grace time late.
    """
    grace = settings.TELEPATI_SCHEDULER_MISFIRE_GRACE_SECONDS
    defaults = {"coalesce": True, "max_instances": 1, "misfire_grace_time": grace}
    if scheduler is None:
        scheduler = BlockingScheduler(timezone=WIB, job_defaults=defaults)
    for periodic in periodic_tasks_load() if tasks is None else tasks:
        scheduler.add_job(
            task_enqueue,
            trigger=periodic.trigger,
            args=[periodic.path],
            id=periodic.path,
            name=f"{periodic.path} [{periodic.crontab}]",
            replace_existing=True,
            **defaults,
        )
    return scheduler


@register()
def check_periodic_tasks(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """Every TELEPATI_PERIODIC_TASKS entry names an importable task and a valid crontab."""
    entries = getattr(settings, "TELEPATI_PERIODIC_TASKS", [])
    if not isinstance(entries, list | tuple):
        return [
            Error(
                "TELEPATI_PERIODIC_TASKS must be a list of (task path, crontab) pairs.",
                id="core.E010",
            )
        ]
    _tasks, problems = periodic_tasks_parse(entries)
    return [
        Error(
            f"TELEPATI_PERIODIC_TASKS is invalid: {problem}",
            hint='Example: ("telepati.reports.tasks.sla_sweep", "*/5 * * * *").',
            id="core.E010",
        )
        for problem in problems
    ]
