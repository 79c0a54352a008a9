"""The periodic-job scheduler: built from settings, jobs only enqueue, clear errors, clean stop."""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from datetime import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django_tasks import task

from telepati.core.scheduling import (
    build_scheduler,
    check_periodic_tasks,
    periodic_tasks_load,
    task_enqueue,
)
from telepati.core.workdays import WIB

CALLS: list[str] = []
PING = "telepati.core.tests.test_scheduling.ping"


@task()
def ping() -> str:
    CALLS.append("ping")
    return "pong"


@pytest.fixture(autouse=True)
def _no_calls():
    CALLS.clear()


def test_the_default_schedule_sweeps_deadlines_webhooks_and_the_outbox():
    scheduler = build_scheduler()

    jobs = {job.id: job for job in scheduler.get_jobs()}

    assert list(jobs) == [
        "telepati.reports.tasks.sla_sweep",
        "telepati.reports.tasks.sla_autoclose_sweep",
        "telepati.whatsapp.tasks.webhook_resume_sweep",
        "telepati.messaging.tasks.outbox_sweep_task",
        "telepati.announcements.tasks.announcement_resume_sweep",
        "telepati.appointments.tasks.reminders_sweep",
        "telepati.appointments.tasks.no_show_sweep",
        "telepati.documents.tasks.reminders_sweep",
        "telepati.reports.tasks_figures.dashboard_figures_refresh_task",
        "telepati.reports.tasks_figures.public_statistics_refresh_task",
    ]
    assert str(scheduler.timezone) == "Asia/Jakarta"
    monday = datetime(2026, 11, 2, 10, 1, tzinfo=WIB)
    (
        sweep,
        autoclose,
        resume,
        outbox,
        announcements,
        bookings,
        no_shows,
        reminders,
        dashboard_figures,
        public_statistics,
    ) = jobs.values()
    assert sweep.trigger.get_next_fire_time(None, monday) == datetime(
        2026, 11, 2, 10, 5, tzinfo=WIB
    )
    assert autoclose.trigger.get_next_fire_time(None, monday) == datetime(
        2026, 11, 2, 10, 15, tzinfo=WIB
    )
    assert resume.trigger.get_next_fire_time(None, monday) == datetime(
        2026, 11, 2, 10, 10, tzinfo=WIB
    )
    # Every minute: 10:01 itself is a tick (APScheduler's next fire time is inclusive).
    assert outbox.trigger.get_next_fire_time(None, monday) == monday
    assert announcements.trigger.get_next_fire_time(None, monday) == monday
    assert bookings.trigger.get_next_fire_time(None, monday) == datetime(
        2026, 11, 2, 10, 5, tzinfo=WIB
    )
    assert no_shows.trigger.get_next_fire_time(None, monday) == datetime(
        2026, 11, 2, 10, 10, tzinfo=WIB
    )
    assert reminders.trigger.get_next_fire_time(None, monday) == datetime(
        2026, 11, 2, 10, 30, tzinfo=WIB
    )
    assert dashboard_figures.trigger.get_next_fire_time(None, monday) == datetime(
        2026, 11, 2, 10, 10, tzinfo=WIB
    )
    assert public_statistics.trigger.get_next_fire_time(None, monday) == datetime(
        2026, 11, 2, 10, 30, tzinfo=WIB
    )
    for job in jobs.values():
        assert job.func is task_enqueue
        assert job.args == (job.id,)
        assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, 300)


def test_a_crontab_is_read_in_wib(settings):
    settings.TELEPATI_PERIODIC_TASKS = [(PING, "30 7 * * *")]

    (job,) = build_scheduler().get_jobs()

    after = datetime(2026, 11, 2, 0, 0, tzinfo=WIB)
    assert job.trigger.get_next_fire_time(None, after) == datetime(2026, 11, 2, 7, 30, tzinfo=WIB)


@pytest.mark.django_db
def test_a_job_only_enqueues_its_task_and_logs_it(caplog):
    caplog.set_level(logging.INFO, logger="telepati.core.scheduling")

    result_id = task_enqueue(PING)

    assert CALLS == ["ping"]  # the test backend runs enqueued tasks at once
    ours = [r.getMessage() for r in caplog.records if r.name == "telepati.core.scheduling"]
    assert ours == [f"scheduler: enqueued {PING} (result {result_id})"]


@pytest.mark.django_db
def test_the_scheduled_sweep_job_runs_end_to_end():
    sweep = next(j for j in build_scheduler().get_jobs() if j.id.endswith("sla_sweep"))

    assert sweep.func(*sweep.args)


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        (
            (PING, "*/5 * * *"),
            f"{PING}: crontab '*/5 * * *' is invalid (Wrong number of fields; got 4, "
            'expected 5); write five fields "minute hour day month weekday", e.g. "*/5 * * * *"',
        ),
        (
            ("telepati.reports.tasks.sla_sweeep", "*/5 * * * *"),
            "telepati.reports.tasks.sla_sweeep cannot be imported (Module "
            '"telepati.reports.tasks" does not define a "sla_sweeep" attribute/class)',
        ),
        (
            ("telepati.core.scheduling.build_scheduler", "*/5 * * * *"),
            "telepati.core.scheduling.build_scheduler is not a django-tasks task "
            "(decorate it with @task())",
        ),
        (PING, f"entry 0 must be a pair (dotted task path, crontab), got {PING!r}"),
    ],
)
def test_an_invalid_entry_fails_with_a_clear_error(settings, entry, problem):
    settings.TELEPATI_PERIODIC_TASKS = [entry]

    with pytest.raises(ImproperlyConfigured) as error:
        periodic_tasks_load()
    assert str(error.value) == f"TELEPATI_PERIODIC_TASKS is invalid: {problem}"

    (message,) = check_periodic_tasks()
    assert (message.id, message.msg) == (
        "core.E010",
        f"TELEPATI_PERIODIC_TASKS is invalid: {problem}",
    )

    with pytest.raises(CommandError, match="TELEPATI_PERIODIC_TASKS is invalid"):
        call_command("run_scheduler")


def test_a_task_listed_twice_is_refused(settings):
    settings.TELEPATI_PERIODIC_TASKS = [(PING, "* * * * *"), (PING, "*/2 * * * *")]

    assert [m.msg for m in check_periodic_tasks()] == [
        f"TELEPATI_PERIODIC_TASKS is invalid: {PING} is listed twice"
    ]


def test_the_default_settings_pass_the_check():
    assert check_periodic_tasks() == []


def test_an_empty_schedule_refuses_to_start(settings):
    settings.TELEPATI_PERIODIC_TASKS = []

    with pytest.raises(CommandError, match="nothing to schedule"):
        call_command("run_scheduler")


def test_sigterm_stops_the_scheduler_cleanly(settings, caplog):
    settings.TELEPATI_PERIODIC_TASKS = [(PING, "0 0 1 1 *")]
    caplog.set_level(logging.INFO, logger="telepati.core.scheduling")
    before = signal.getsignal(signal.SIGTERM)
    stop = threading.Timer(1.0, os.kill, args=(os.getpid(), signal.SIGTERM))
    started = time.monotonic()

    stop.start()
    call_command("run_scheduler")

    assert time.monotonic() - started < 10
    assert signal.getsignal(signal.SIGTERM) == before
    ours = [r.getMessage() for r in caplog.records if r.name == "telepati.core.scheduling"]
    assert ours[-2:] == ["scheduler: SIGTERM received, stopping", "scheduler: stopped"]
    assert CALLS == []
