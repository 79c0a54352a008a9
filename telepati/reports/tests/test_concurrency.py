"""Races that must not happen, run with real threads and connections on both databases.

SQLite tests use a file database (see config/settings_test.py) with the production locking:
WAL, busy timeout and IMMEDIATE transactions. PostgreSQL uses row locks.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from telepati.reports.models import Report

pytestmark = pytest.mark.django_db(transaction=True)


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


def test_simultaneous_submissions_get_distinct_consecutive_tracking_numbers(submit):
    def work(index: int) -> str:
        return submit(
            description=f"Sampah menumpuk di gang nomor {index} sejak kemarin."
        ).tracking_number

    numbers, errors = run_together(8, work)

    assert errors == []
    assert sorted(numbers) == [f"L2611-{n:04d}" for n in range(1, 9)]
    assert Report.objects.count() == 8


def test_a_resent_submission_racing_itself_makes_one_report(submit):
    results, errors = run_together(4, lambda _i: submit(submission_key="wamid.RACE").pk)

    assert errors == []
    assert len(set(results)) == 1
    assert Report.objects.count() == 1
