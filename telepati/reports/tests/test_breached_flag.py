"""`Report.breached` (the inbox's stored "lewat batas waktu") equals the condition the
inbox evaluated before (`selectors._breached_q`) once the SLA sweep has run, over seeded
random scenarios: marks, running and stopped deadlines, dispositions, time passing and the
changes services make (marks cleared, clocks stopped, reports finished)."""

from __future__ import annotations

import importlib
import random
from datetime import datetime, timedelta

import pytest
from django.apps import apps

from telepati.core.workdays import WIB
from telepati.reports.lifecycle import Status
from telepati.reports.models import Disposition, DispositionStatus, Report
from telepati.reports.selectors import _breached_q
from telepati.reports.services.sla import (
    report_breached_backfill,
    report_breached_refresh,
    sla_escalate_breaches,
)

AT = datetime(2026, 11, 10, 12, 0, tzinfo=WIB)
MARKS = ("verification_breached_at", "response_breached_at", "resolution_breached_at")
DUES = ("verification_due_at", "response_due_at", "resolution_due_at")
_NEED_MORE = (Status.MERGED, Status.REJECTED)  # a target, a reason: not a bare update


def _moment(rng: random.Random, *, none: float = 0.3) -> datetime | None:
    if rng.random() < none:
        return None
    return AT + timedelta(hours=rng.randint(-72, 72))


def _past(rng: random.Random, chance: float) -> datetime | None:
    return AT - timedelta(days=rng.randint(1, 9)) if rng.random() < chance else None


def _scenario(rng: random.Random, template: Report, unit_ids: list[int], user_id: int) -> None:
    for i in range(30):
        report = Report.objects.get(pk=template.pk)
        report.pk = None
        report.tracking_number = f"R{rng.randrange(10**9):09d}{i}"
        report.submission_key = None
        report.status = rng.choice(Status.values)
        report.merged_into = template if report.status == Status.MERGED else None
        report.rejection_reason = "Bukan wewenang." if report.status == Status.REJECTED else ""
        for name in DUES:
            setattr(report, name, _moment(rng))
        for name in MARKS:
            setattr(report, name, _past(rng, 0.15))
        report.first_response_at = _past(rng, 0.4)
        report.resolved_at = _past(rng, 0.3)
        report.save()
        for unit_id in rng.sample(unit_ids, rng.randint(0, len(unit_ids))):
            Disposition.objects.create(
                report=report,
                unit_id=unit_id,
                forwarded_by_id=user_id,
                forwarded_at=AT - timedelta(days=10),
                status=rng.choice(DispositionStatus.values),
                due_at=_moment(rng, none=0) or AT,
                first_response_at=_past(rng, 0.3),
                breached_at=_past(rng, 0.15),
            )


def _changes(rng: random.Random) -> None:
    """What services do between two sweeps (never stamping a mark: only the sweep does)."""
    for report in Report.objects.order_by("pk"):
        roll = rng.random()
        if roll < 0.1:
            Report.objects.filter(pk=report.pk).update(**{rng.choice(MARKS): None})
        elif roll < 0.2:
            status = rng.choice([s for s in Status.values if s not in _NEED_MORE])
            Report.objects.filter(pk=report.pk).update(status=status)
        elif roll < 0.3:
            Report.objects.filter(pk=report.pk).update(**{rng.choice(DUES): _moment(rng)})
        elif roll < 0.4:
            Report.objects.filter(pk=report.pk).update(first_response_at=AT, resolved_at=AT)
    for disposition in Disposition.objects.order_by("pk"):
        roll = rng.random()
        if roll < 0.15:
            disposition.status = rng.choice(DispositionStatus.values)
        elif roll < 0.25:
            disposition.breached_at = None
        elif roll < 0.35:
            disposition.due_at = _moment(rng, none=0) or AT
        disposition.save()


def _flagged() -> set[int]:
    return set(Report.objects.filter(breached=True).values_list("pk", flat=True))


def _condition(at: datetime) -> set[int]:
    return set(Report.objects.filter(_breached_q(moment=at)).values_list("pk", flat=True))


@pytest.mark.parametrize("seed", range(4))
def test_the_flag_equals_the_breached_condition_after_each_sweep(
    seed, new_report, dlh, roads_agency, desk_operator
):
    rng = random.Random(seed)
    _scenario(rng, new_report, [dlh.pk, roads_agency.pk], desk_operator.pk)

    report_breached_backfill(at=AT)
    assert _flagged() == _condition(AT)

    at = AT
    for _ in range(3):
        _changes(rng)
        at += timedelta(hours=rng.randint(1, 48))
        sla_escalate_breaches(at=at)  # stamps marks (with the flag), then refreshes
        assert _flagged() == _condition(at)


def test_the_refresh_alone_follows_time_and_clears_what_stopped(new_report):
    due = new_report.verification_due_at
    assert due is not None

    assert report_breached_refresh(at=due - timedelta(minutes=1)) == (0, 0)
    assert report_breached_refresh(at=due + timedelta(minutes=1)) == (1, 0)
    assert _flagged() == {new_report.pk}
    Report.objects.filter(pk=new_report.pk).update(status=Status.VERIFIED)
    assert report_breached_refresh(at=due + timedelta(minutes=2)) == (0, 1)
    assert _flagged() == set()


def test_an_escalation_sets_the_flag_with_the_mark(new_report):
    due = new_report.verification_due_at
    assert due is not None

    sla_escalate_breaches(at=due + timedelta(minutes=1))

    report = Report.objects.get(pk=new_report.pk)
    assert report.verification_breached_at is not None
    assert report.breached


@pytest.mark.parametrize("seed", range(2))
def test_the_migration_backfill_uses_the_same_condition(
    seed, new_report, dlh, roads_agency, desk_operator
):
    _scenario(random.Random(seed), new_report, [dlh.pk, roads_agency.pk], desk_operator.pk)
    migration = importlib.import_module("telepati.reports.migrations.0009_report_breached")

    frozen = Report.objects.filter(migration.breached_q(apps, AT)).values_list("pk", flat=True)

    assert set(frozen) == _condition(AT)
