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


def test_two_officers_deciding_at_once_one_wins_and_the_other_gets_a_conflict(
    new_report, desk_operator, administrator
):
    from telepati.core.errors import Conflict
    from telepati.reports.lifecycle import Status
    from telepati.reports.models import ReportEvent
    from telepati.reports.services.desk import report_reject, report_verify

    def work(index: int) -> str:
        if index == 0:
            report_verify(user=desk_operator, report_id=new_report.pk, expected_version=1)
            return "verified"
        report_reject(
            user=administrator,
            report_id=new_report.pk,
            reason="Bukan kewenangan kecamatan.",
            expected_version=1,
        )
        return "rejected"

    results, errors = run_together(2, work)

    assert len(results) == 1
    assert [type(e) for e in errors] == [Conflict]
    new_report.refresh_from_db()
    assert new_report.version == 2
    assert (
        new_report.status == {"verified": Status.VERIFIED, "rejected": Status.REJECTED}[results[0]]
    )
    assert ReportEvent.objects.filter(report=new_report, kind="transition").count() == 1
