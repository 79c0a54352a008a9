"""Demo complaints: replayed through the services with plausible timelines; idempotent.

The demo is seeded once for the module (60 reports, rolled back at the end) on Monday
2 November 2026, 09:00 WIB; the tests read it.
"""

import random
import statistics
from collections import Counter
from datetime import datetime, timedelta

import pytest
from django.db import transaction
from freezegun import freeze_time

from telepati.citizens.models import Citizen
from telepati.core.phone import phone_normalize
from telepati.core.selectors import work_calendar_get
from telepati.core.workdays import WIB, is_working_day, working_time_between
from telepati.demo.loaders import demo_seed
from telepati.demo.reference import reference_seed
from telepati.messaging.models import OutboundMessage
from telepati.reports import demo, demo_plan
from telepati.reports.duplicates import haversine_m
from telepati.reports.lifecycle import Action, Status
from telepati.reports.models import Channel, Disposition, EventKind, Report, ReportEvent

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=WIB)
LIFECYCLE = ("submitted_at", "verified_at", "forwarded_at", "first_response_at", "resolved_at")
DEADLINES = (
    ("verification_due_at", "verification_breached_at", "verified_at"),
    ("response_due_at", "response_breached_at", "first_response_at"),
    ("resolution_due_at", "resolution_breached_at", "resolved_at"),
)
SWEEP_EVERY = timedelta(minutes=5)


def seed():
    with freeze_time(NOW):
        reference_seed()
        return demo_seed()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with pytest.MonkeyPatch.context() as patch, django_db_blocker.unblock():
        patch.setattr(demo, "DEMO_REPORT_COUNT", 60)
        with transaction.atomic():
            yield seed()
            transaction.set_rollback(True)


@pytest.fixture
def calendar(seeded):
    return work_calendar_get()


def rows(queryset, *fields):
    """The values of `fields` in each row where none of them is empty."""
    for name in fields:
        queryset = queryset.exclude(**{name: None})
    return list(queryset.values_list(*fields))


def in_office_hours(calendar, moment):
    local = moment.astimezone(WIB)
    day = local.date()
    return is_working_day(calendar, day) and (
        calendar.opening(day) <= local <= calendar.closing(day)
    )


def test_every_state_is_represented(seeded):
    assert set(Report.objects.values_list("status", flat=True)) == set(Status)
    assert Report.objects.count() == 60


def test_every_channel_is_used(seeded):
    counts = Counter(Report.objects.values_list("channel", flat=True))

    assert set(counts) == set(Channel)
    assert counts[Channel.WHATSAPP] == max(counts.values())


def test_lifecycle_timestamps_run_forward(seeded):
    rows = Report.objects.values_list(*LIFECYCLE, "dispute_until", "closed_at", "rated_at")

    for *lifecycle, dispute_until, closed_at, rated_at in rows:
        reached = [moment for moment in lifecycle if moment is not None]
        assert reached == sorted(reached)
        resolved_at = lifecycle[-1]
        if closed_at is not None:
            assert closed_at > dispute_until >= resolved_at
        if rated_at is not None:
            assert rated_at > resolved_at


def test_every_timeline_starts_at_submission_and_runs_forward(seeded):
    for report in Report.objects.prefetch_related("events"):
        events = sorted(report.events.all(), key=lambda e: e.pk)
        assert (events[0].kind, events[0].created_at) == (EventKind.SUBMITTED, report.submitted_at)
        moments = [e.created_at for e in events]
        assert moments == sorted(moments)
        assert report.created_at == report.submitted_at


def test_officers_act_in_office_hours_on_working_days(seeded, calendar):
    officer_events = ReportEvent.objects.exclude(actor=None)
    dispositions = Disposition.objects.all()

    assert officer_events.count() > 100
    for event in officer_events:
        assert in_office_hours(calendar, event.created_at), (event.kind, event.created_at)
    for disposition in dispositions:
        for moment in (disposition.forwarded_at, disposition.acknowledged_at, disposition.done_at):
            assert moment is None or in_office_hours(calendar, moment), disposition


def test_residents_and_the_system_act_at_any_hour(seeded, calendar):
    resident_moments = ReportEvent.objects.exclude(actor_citizen=None).values_list(
        "created_at", flat=True
    )

    assert any(not in_office_hours(calendar, moment) for moment in resident_moments)


def test_nothing_is_stamped_after_now(seeded):
    stamps = [
        *Report.objects.values_list(*LIFECYCLE, "closed_at", "rated_at", "created_at"),
        *Report.objects.values_list(
            "updated_at",
            "verification_breached_at",
            "response_breached_at",
            "resolution_breached_at",
        ),
        *Disposition.objects.values_list(
            "forwarded_at", "acknowledged_at", "first_response_at", "done_at", "breached_at"
        ),
        *ReportEvent.objects.values_list("created_at"),
        *OutboundMessage.objects.values_list("created_at", "next_attempt_at"),
        *Citizen.objects.values_list("created_at"),
    ]

    latest = max(moment for row in stamps for moment in row if moment is not None)
    assert latest <= NOW


def test_the_sweep_marked_each_breach_within_minutes_of_its_deadline(seeded):
    marks = 0
    for report in Report.objects.all():
        for due_name, mark_name, done_name in DEADLINES:
            due, mark, done = (getattr(report, n) for n in (due_name, mark_name, done_name))
            if mark is not None:
                marks += 1
                assert due < mark <= due + SWEEP_EVERY, (report, mark_name)
                assert report.events.filter(kind=EventKind.ESCALATION, created_at=mark).exists()
            if due is not None and done is not None and done > due:
                assert mark is not None, (report, mark_name)  # handled late: escalated first
                assert mark <= done
    for due, mark in rows(Disposition.objects.all(), "due_at", "breached_at"):
        assert due < mark <= due + SWEEP_EVERY
    assert marks >= 5


def test_open_reports_past_their_deadlines_are_marked_breached(seeded):
    waiting = Report.objects.filter(
        status__in=[Status.NEW, Status.ON_HOLD], verification_due_at__lt=NOW
    )
    unfinished = Report.objects.filter(
        status__in=[Status.VERIFIED, Status.FORWARDED, Status.IN_PROGRESS],
        resolution_due_at__lt=NOW,
    )

    assert waiting.exists()
    assert unfinished.exists()
    assert not waiting.filter(verification_breached_at=None).exists()
    assert not unfinished.filter(resolution_breached_at=None).exists()


def test_most_deadlines_are_kept_and_some_missed(seeded):
    verified = rows(Report.objects.all(), "verified_at", "verification_due_at")
    late = [done for done, due in verified if done > due]
    resolved = rows(Report.objects.all(), "resolved_at", "resolution_due_at")
    resolved_late = [done for done, due in resolved if done > due]

    assert 0 < len(late) < len(verified) * 0.2
    assert len(resolved_late) < len(resolved) * 0.3


def test_verification_takes_a_few_office_hours(seeded, calendar):
    hours = [
        working_time_between(calendar, start=submitted, end=verified) / timedelta(hours=1)
        for submitted, verified in rows(Report.objects.all(), "submitted_at", "verified_at")
    ]

    assert 1 <= statistics.median(hours) <= 5


def test_resolved_reports_close_by_themselves_after_the_dispute_window(seeded):
    closed = Report.objects.filter(status=Status.CLOSED)

    assert closed.exists()
    for pk, dispute_until, closed_at in rows(closed, "pk", "dispute_until", "closed_at"):
        event = ReportEvent.objects.get(report_id=pk, action=Action.CLOSE)
        assert (event.actor, event.created_at) == (None, closed_at)
        assert dispute_until < closed_at <= dispute_until + timedelta(minutes=15)
    assert not Report.objects.filter(status=Status.RESOLVED, dispute_until__lt=NOW).exists()


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
            (p.key, p.age, p.topic.title, p.address, p.channel, p.phone, p.fate, p.pace)
            for p in demo_plan.demo_report_plans(count=80, rng=random.Random(demo_plan.DEMO_SEED))
        ]

    assert plan() == plan()
