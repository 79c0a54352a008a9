"""Several workers sweeping reminders at once, with real threads and connections.

SQLite tests use a file database (see config/settings_test.py) with the production locking;
PostgreSQL uses row locks. Only the worker whose conditional UPDATE claims the row reminds.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from django.db import connection
from freezegun import freeze_time

from telepati.core.workdays import WIB
from telepati.documents.lifecycle import Status
from telepati.documents.models import ApplicationEvent, EventKind
from telepati.documents.services.pipeline import application_issue
from telepati.documents.services.reminders import application_reminders_sweep
from telepati.messaging.models import OutboundMessage

pytestmark = pytest.mark.django_db(transaction=True)

FIRST_DUE = datetime(2026, 11, 6, 9, 0, tzinfo=WIB)


def run_together(count: int, work: Callable[[int], Any]) -> tuple[list[Any], list[BaseException]]:
    """Start `count` threads at one barrier; collect results and errors."""
    barrier = threading.Barrier(count)
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def runner(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            outcome = work(index)
            with lock:
                results.append(outcome)
        except BaseException as exc:  # collected for the assertion
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


def test_workers_sweeping_at_once_remind_each_application_once(application_at, desk_operator):
    applications = [application_at(Status.SUBMITTED) for _ in range(3)]
    with freeze_time(datetime(2026, 11, 3, 9, 0, tzinfo=WIB)):
        for application in applications:
            application_issue(actor=desk_operator, application_id=application.pk)

    results, errors = run_together(4, lambda _i: application_reminders_sweep(now=FIRST_DUE))

    assert errors == []
    assert sum(results) == 3
    assert OutboundMessage.objects.filter(dedupe_key__contains=":reminder:").count() == 3
    assert ApplicationEvent.objects.filter(kind=EventKind.REMINDER).count() == 3
