"""Deadline sweeps: escalation of passed deadlines, exactly once, and the auto-close."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest
from django.db import connection, transaction
from freezegun import freeze_time

from telepati.core.models import Holiday, HolidayKind
from telepati.core.workdays import WIB
from telepati.messaging.models import OutboundMessage
from telepati.reports import tasks
from telepati.reports.lifecycle import Status
from telepati.reports.models import Disposition, EventKind, Report, ReportEvent
from telepati.reports.services import sla
from telepati.reports.services.feedback import report_dispute
from telepati.reports.services.sla import (
    SweepResult,
    report_breach_escalate,
    sla_autoclose,
    sla_escalate_breaches,
)

from .test_resolution import DISPUTE_UNTIL, finish, forward, give_phones, officer_texts, verify

VERIFICATION_DUE = datetime(2026, 11, 5, 10, 0, tzinfo=WIB)  # submitted Monday 10:00 + 3 days
RESPONSE_DUE = datetime(2026, 11, 9, 11, 0, tzinfo=WIB)  # forwarded Monday 11:00 + 5 days
RESOLUTION_DUE = datetime(2026, 11, 20, 11, 0, tzinfo=WIB)  # verified Monday 11:00 + 14 days


def late(moment: datetime) -> datetime:
    return moment.replace(minute=moment.minute + 1)


def escalations(report: Report) -> list[ReportEvent]:
    return list(ReportEvent.objects.filter(report=report, kind=EventKind.ESCALATION))


@pytest.fixture
def officers(desk_operator, camat, lurah, agency_liaison, kelurahan_staff):
    give_phones(desk_operator, camat, lurah, agency_liaison, kelurahan_staff)
    return desk_operator, camat, lurah, agency_liaison, kelurahan_staff


# --- Escalation --------------------------------------------------------------------------


def test_a_report_left_unverified_is_escalated_to_the_desk_and_the_camat_once(new_report, officers):
    desk_operator, camat, lurah, agency_liaison, _staff = officers

    assert sla_escalate_breaches(at=VERIFICATION_DUE) == SweepResult()
    result = sla_escalate_breaches(at=late(VERIFICATION_DUE))

    assert result == SweepResult(verification=1)
    new_report.refresh_from_db()
    assert new_report.verification_breached_at == late(VERIFICATION_DUE)
    assert new_report.version == 1  # the sweep's mark is not an officer's change
    (event,) = escalations(new_report)
    assert (event.is_public, event.created_at) == (False, late(VERIFICATION_DUE))
    assert event.data == {"deadline": "verification", "due_at": "2026-11-05T10:00:00+07:00"}
    text = (
        "Batas verifikasi laporan L2611-0001 (5 November 2026, 10.00 WIB) terlewati. "
        "Mohon segera diperiksa di meja layanan."
    )
    assert event.message == text
    assert officer_texts(desk_operator) == [text]
    assert officer_texts(camat) == [text]
    assert officer_texts(lurah) == []
    assert officer_texts(agency_liaison) == []

    outbox = OutboundMessage.objects.count()
    assert sla_escalate_breaches(at=datetime(2026, 11, 6, 9, 0, tzinfo=WIB)) == SweepResult()
    assert len(escalations(new_report)) == 1
    assert OutboundMessage.objects.count() == outbox


def test_a_unit_that_does_not_respond_is_escalated_with_the_camat(
    new_report, officers, desk_operator, dlh
):
    _desk, camat, lurah, agency_liaison, _staff = officers
    forward(new_report, officer=desk_operator, units=[dlh])

    assert sla_escalate_breaches(at=RESPONSE_DUE) == SweepResult()
    result = sla_escalate_breaches(at=late(RESPONSE_DUE))

    assert result == SweepResult(response=1, dispositions=1)
    response, unit = escalations(new_report)
    assert response.data["deadline"] == "response"
    assert (unit.data["deadline"], unit.unit) == ("disposition", dlh)
    assert unit.message == (
        "Disposisi laporan L2611-0001 ke Dinas Lingkungan Hidup melewati batas waktu "
        "9 November 2026, 11.00 WIB. Mohon segera ditindaklanjuti."
    )
    assert officer_texts(agency_liaison) == [response.message, unit.message]
    assert officer_texts(camat) == [response.message, unit.message]
    assert officer_texts(lurah) == []
    assert Disposition.objects.get().breached_at == late(RESPONSE_DUE)


def test_an_overdue_resolution_goes_to_the_camat_and_the_lurah(new_report, officers):
    desk_operator, camat, lurah, _liaison, kelurahan_staff = officers
    verify(new_report)

    result = sla_escalate_breaches(at=late(RESOLUTION_DUE))

    assert result == SweepResult(resolution=1)
    (event,) = escalations(new_report)
    assert event.message == (
        "Laporan L2611-0001 belum selesai; batas penyelesaian 20 November 2026, 11.00 WIB "
        "sudah terlewati. Mohon perhatian pimpinan."
    )
    assert officer_texts(camat) == [event.message]
    assert officer_texts(lurah) == [event.message]
    assert officer_texts(desk_operator) == []
    assert officer_texts(kelurahan_staff) == []


def test_work_done_in_time_is_never_escalated(new_report, officers, desk_operator, dlh):
    forward(new_report, officer=desk_operator, units=[dlh])
    finish(new_report, officer=desk_operator)

    assert sla_escalate_breaches(at=datetime(2026, 12, 31, 9, 0, tzinfo=WIB)) == SweepResult()


def test_a_sweep_with_nothing_due_reads_four_indexed_queries_and_refreshes_the_flags(
    new_report, django_assert_num_queries
):
    # Four candidate queries, then the two UPDATEs of `report_breached_refresh`.
    with django_assert_num_queries(6):
        assert sla_escalate_breaches(at=VERIFICATION_DUE) == SweepResult()


def test_claiming_the_same_breach_twice_escalates_once(new_report, officers):
    desk_operator = officers[0]
    at = late(VERIFICATION_DUE)

    with transaction.atomic():
        first = report_breach_escalate(report_id=new_report.pk, at=at, kind="verification")
    with transaction.atomic():
        second = report_breach_escalate(report_id=new_report.pk, at=at, kind="verification")

    assert (first, second) == (True, False)
    assert len(escalations(new_report)) == 1
    assert len(officer_texts(desk_operator)) == 1


def test_a_failing_item_does_not_block_the_others_and_is_retried_next_time(
    submit, officers, monkeypatch
):
    first, second = submit(), submit()
    real_notify = sla.officer_notify

    def flaky(*, report, **kwargs):
        if report.pk == first.pk:
            raise RuntimeError("outbox down")
        return real_notify(report=report, **kwargs)

    monkeypatch.setattr(sla, "officer_notify", flaky)
    assert sla_escalate_breaches(at=late(VERIFICATION_DUE)) == SweepResult(verification=1)
    first.refresh_from_db()
    assert first.verification_breached_at is None  # the claim rolled back with the failure
    assert escalations(first) == []
    assert len(escalations(second)) == 1

    monkeypatch.setattr(sla, "officer_notify", real_notify)
    assert sla_escalate_breaches(at=late(VERIFICATION_DUE)) == SweepResult(verification=1)
    assert len(escalations(first)) == 1


def test_the_sweep_works_through_several_batches(submit, monkeypatch):
    reports = [submit() for _ in range(5)]
    monkeypatch.setattr(sla, "BATCH_SIZE", 2)

    assert sla_escalate_breaches(at=late(VERIFICATION_DUE)) == SweepResult(verification=5)
    assert all(len(escalations(r)) == 1 for r in reports)


def test_the_periodic_task_runs_the_sweep(new_report):
    with freeze_time("2026-11-05 10:01:00+07:00"):
        result = tasks.sla_sweep.enqueue()

    assert result.return_value == {
        "verification": 1,
        "response": 0,
        "resolution": 0,
        "dispositions": 0,
    }


# --- Holidays ----------------------------------------------------------------------------


@pytest.fixture
def christmas_2026(db) -> None:
    for day, name, kind in [
        (date(2026, 12, 24), "Cuti Bersama Hari Raya Natal", HolidayKind.COLLECTIVE_LEAVE),
        (date(2026, 12, 25), "Hari Raya Natal", HolidayKind.NATIONAL),
        (date(2027, 1, 1), "Tahun Baru 2027 Masehi", HolidayKind.NATIONAL),
    ]:
        Holiday.objects.create(date=day, name=name, kind=kind)


def test_deadlines_skip_the_christmas_cuti_bersama(christmas_2026, submit, officers):
    # Wednesday 23 Dec, 15:00: one office hour left before four days off (24–27 Dec).
    report = submit(submitted_at=datetime(2026, 12, 23, 15, 0, tzinfo=WIB))
    verify(report, at=datetime(2026, 12, 23, 15, 30, tzinfo=WIB))
    report.refresh_from_db()

    assert report.verification_due_at == datetime(2026, 12, 30, 15, 0, tzinfo=WIB)
    assert report.resolution_due_at == datetime(2027, 1, 15, 15, 30, tzinfo=WIB)
    # Without the cuti bersama the clock would have run out on Monday 28 Dec.
    assert sla_escalate_breaches(at=datetime(2026, 12, 28, 15, 1, tzinfo=WIB)) == SweepResult()
    assert sla_escalate_breaches(at=datetime(2027, 1, 15, 15, 30, tzinfo=WIB)) == SweepResult()
    assert sla_escalate_breaches(at=datetime(2027, 1, 15, 15, 31, tzinfo=WIB)) == SweepResult(
        resolution=1
    )


def test_the_dispute_window_skips_christmas_and_new_year(
    christmas_2026, new_report, desk_operator, dlh
):
    forward(new_report, officer=desk_operator, units=[dlh])
    report = finish(new_report, officer=desk_operator, at=datetime(2026, 12, 23, 14, 0, tzinfo=WIB))

    assert report.dispute_until == datetime(2027, 1, 11, 14, 0, tzinfo=WIB)
    assert sla_autoclose(at=datetime(2027, 1, 11, 14, 0, tzinfo=WIB)) == 0
    assert sla_autoclose(at=datetime(2027, 1, 11, 14, 1, tzinfo=WIB)) == 1


# --- Auto-close --------------------------------------------------------------------------


def test_autoclose_closes_undisputed_reports_once(new_report, desk_operator, dlh):
    forward(new_report, officer=desk_operator, units=[dlh])
    report = finish(new_report, officer=desk_operator)

    assert sla_autoclose(at=DISPUTE_UNTIL) == 0
    assert sla_autoclose(at=late(DISPUTE_UNTIL)) == 1
    assert sla_autoclose(at=late(DISPUTE_UNTIL)) == 0

    report.refresh_from_db()
    assert (report.status, report.closed_at) == (Status.CLOSED, late(DISPUTE_UNTIL))
    assert OutboundMessage.objects.filter(dedupe_key__contains=":closed:").count() == 1


def test_autoclose_leaves_a_report_disputed_while_the_sweep_ran(
    new_report, desk_operator, dlh, monkeypatch
):
    forward(new_report, officer=desk_operator, units=[dlh])
    report = finish(new_report, officer=desk_operator)
    real_close = sla.report_close

    def dispute_first(**kwargs: Any) -> Report:
        # The resident's SANGGAH lands between the sweep's query and its close.
        with freeze_time("2026-11-18 13:00:00+07:00"):
            report_dispute(report_id=report.pk, citizen=new_report.reporter, reason="Belum.")
        return real_close(**kwargs)

    monkeypatch.setattr(sla, "report_close", dispute_first)

    assert sla_autoclose(at=late(DISPUTE_UNTIL)) == 0
    report.refresh_from_db()
    assert report.status == Status.IN_PROGRESS


# --- Racing workers (real threads and connections) ---------------------------------------


def run_together(count: int, work: Callable[[], Any]) -> tuple[list[Any], list[BaseException]]:
    """Start `count` threads at one barrier; collect what each returned or raised."""
    barrier = threading.Barrier(count)
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def runner() -> None:
        try:
            barrier.wait(timeout=10)
            outcome = work()
            with lock:
                results.append(outcome)
        except BaseException as exc:
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=runner) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_racing_sweeps_escalate_each_breach_exactly_once(submit, officers, desk_operator, dlh):
    # SQLite runs on a file with IMMEDIATE transactions (config/settings_test.py), so the
    # race is real on both databases; PostgreSQL additionally exercises row locks.
    reports = [submit() for _ in range(4)]
    forward(reports[0], officer=desk_operator, units=[dlh])
    at = late(RESPONSE_DUE)

    results, errors = run_together(4, lambda: sla_escalate_breaches(at=at))

    assert errors == []
    assert sum(r.verification for r in results) == 3
    assert sum(r.response for r in results) == 1
    assert sum(r.dispositions for r in results) == 1
    assert [len(escalations(r)) for r in reports] == [2, 1, 1, 1]
    camat = officers[1]
    assert len(officer_texts(camat)) == 5  # 3 verification + 1 response + 1 disposition


def test_a_unit_that_answered_in_time_is_not_escalated_while_it_finishes_the_work(
    new_report, officers, desk_operator, agency_liaison, dlh
):
    from telepati.reports.services.unit_work import disposition_update

    forward(new_report, officer=desk_operator, units=[dlh])
    disposition = Disposition.objects.get()
    with freeze_time(datetime(2026, 11, 4, 9, 0, tzinfo=WIB)):
        disposition_update(
            user=agency_liaison,
            disposition_id=disposition.pk,
            message="Petugas kebersihan dijadwalkan mengangkut sampah besok pagi.",
        )

    result = sla_escalate_breaches(at=late(RESPONSE_DUE))

    assert result == SweepResult()
    assert escalations(new_report) == []
    disposition.refresh_from_db()
    assert disposition.breached_at is None
