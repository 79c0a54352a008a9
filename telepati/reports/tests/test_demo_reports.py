"""Demo complaints: made through the services, every state and channel, idempotent."""

import random
from collections import Counter

import pytest
from freezegun import freeze_time

from telepati.citizens.models import Citizen
from telepati.core.phone import phone_normalize
from telepati.demo.loaders import demo_seed
from telepati.demo.reference import reference_seed
from telepati.messaging.models import OutboundMessage
from telepati.reports import demo
from telepati.reports.duplicates import haversine_m
from telepati.reports.lifecycle import Status
from telepati.reports.models import Channel, EventKind, Report, ReportEvent

pytestmark = pytest.mark.django_db

NOW = "2026-11-02 09:00:00+07:00"


def seed():
    with freeze_time(NOW):
        reference_seed()
        return demo_seed()


@pytest.fixture
def seeded(monkeypatch):
    monkeypatch.setattr(demo, "DEMO_REPORT_COUNT", 60)
    return seed()


def test_every_state_is_represented(seeded):
    assert set(Report.objects.values_list("status", flat=True)) == set(Status)
    assert Report.objects.count() == 60


def test_every_channel_is_used(seeded):
    counts = Counter(Report.objects.values_list("channel", flat=True))

    assert set(counts) == set(Channel)
    assert counts[Channel.WHATSAPP] == max(counts.values())


def test_a_few_deadlines_are_breached_by_the_sla_sweep(seeded):
    breached = Report.objects.exclude(verification_breached_at=None)

    assert breached.count() >= 3
    assert set(breached.values_list("status", flat=True)) <= {Status.NEW, Status.ON_HOLD}
    assert ReportEvent.objects.filter(kind=EventKind.ESCALATION).count() >= breached.count()


def test_every_timeline_starts_at_submission_and_runs_forward(seeded):
    for report in Report.objects.prefetch_related("events"):
        events = list(report.events.all())
        assert (events[0].kind, events[0].created_at) == (EventKind.SUBMITTED, report.submitted_at)
        moments = [e.created_at for e in events]
        assert moments == sorted(moments)


def test_merged_reports_joined_an_open_report_of_the_same_kind_nearby(seeded):
    merged = Report.objects.filter(status=Status.MERGED).select_related("merged_into")

    assert merged.exists()
    for report in merged:
        survivor = report.merged_into
        assert survivor is not None
        assert report.latitude is not None
        assert report.longitude is not None
        assert survivor.latitude is not None
        assert survivor.longitude is not None
        assert survivor.category_id == report.category_id
        distance = haversine_m(
            float(report.latitude),
            float(report.longitude),
            float(survivor.latitude),
            float(survivor.longitude),
        )
        assert distance <= 150
        assert survivor.followers.filter(citizen=report.reporter).exists()


def test_residents_have_valid_fictitious_numbers(seeded):
    phones = [p for p in Citizen.objects.values_list("phone", flat=True) if p is not None]

    assert len(phones) == Citizen.objects.count()
    assert all(p.startswith("+62812000") for p in phones)
    assert all(phone_normalize(p).e164 == p for p in phones)


def test_a_second_run_creates_nothing(seeded):
    before = (
        Report.objects.count(),
        ReportEvent.objects.count(),
        OutboundMessage.objects.count(),
        Citizen.objects.count(),
    )

    context = seed()

    after = (
        Report.objects.count(),
        ReportEvent.objects.count(),
        OutboundMessage.objects.count(),
        Citizen.objects.count(),
    )
    assert after == before
    assert "Laporan demo: 0 dibuat, 60 sudah ada" in [str(c) for c in context.counts]


def test_the_plan_is_the_same_on_every_run():
    def plan():
        return [
            (p.key, p.age, p.topic.title, p.address, p.channel, p.phone, p.target)
            for p in demo.demo_report_plans(count=80, rng=random.Random(demo.DEMO_SEED))
        ]

    assert plan() == plan()


@pytest.mark.slow
def test_the_full_demo_has_a_few_hundred_reports():
    context = seed()

    assert "Laporan demo: 200 dibuat, 0 sudah ada" in [str(c) for c in context.counts]
    assert set(Report.objects.values_list("status", flat=True)) == set(Status)
