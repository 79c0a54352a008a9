"""Demo complaints for Kecamatan Medan Amplas: about two hundred reports with real timelines.

Every report is made and moved through the real services — `report_submit`, then the desk
(verify, hold, clarify, reject, merge), dispositions (forward, acknowledge, update,
complete), resolution and feedback (dispute, rate) — so the demo shows rows the application
itself produces. The services stamp their own `now()`, so the loader *replays* the last
~4 months: each step runs under a frozen clock (freezegun) set to the moment it happened,
all reports' steps in time order, with the SLA sweeps (`sla_escalate_breaches`,
`sla_autoclose`) run at the scheduler's ticks right after each deadline, as the worker would
have run them. Freezing happens here only; the services are untouched.

A plan gives each report its fate (how far it gets: closed, rejected, or stuck somewhere)
and its pace: officers act in office hours on working days a few hours or days after the
previous step (most on time, some after the deadline — then the sweep has escalated it
first); residents answer at any hour. Steps that would fall after the real now do not
happen, so young reports are still early in the lifecycle and overdue open ones carry their
breach marks. Nothing is stamped after the moment the loader started.

Deterministic (`random.Random(2611)`), idempotent (submission keys start with "demo-"; when
one exists the loader does nothing). About a thousand service calls and 450 sweeps: some ten
seconds on SQLite, nearly all of it inside the services.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import random
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.utils.translation import gettext as _
from freezegun import freeze_time

from telepati.accounts.models import Membership, User
from telepati.core.selectors import work_calendar_get
from telepati.core.workdays import WorkCalendar
from telepati.org.models import Kelurahan, Unit
from telepati.org.services import SeedCount
from telepati.reports import demo_data as data
from telepati.reports.demo_plan import (
    AUTOCLOSE_MINUTES,
    DEMO_KEY_PREFIX,
    DEMO_REPORT_COUNT,
    DEMO_SEED,
    DESK_USERNAME,
    SWEEP_MINUTES,
    Plan,
    S,
    _office_after,
    _office_hours_before,
    _office_step,
    _tick_after,
    demo_report_plans,
)
from telepati.reports.duplicates import report_duplicates_suggest
from telepati.reports.models import (
    OPEN_DISPOSITION_STATES,
    Channel,
    Classification,
    Disposition,
    Report,
)
from telepati.reports.services.common import now
from telepati.reports.services.desk import report_clarify, report_hold, report_reject, report_verify
from telepati.reports.services.dispositions import report_forward
from telepati.reports.services.feedback import report_dispute, report_rate
from telepati.reports.services.intake import ReportDraft, report_submit
from telepati.reports.services.merge import report_merge
from telepati.reports.services.resolution import report_resolve
from telepati.reports.services.sla import sla_autoclose, sla_escalate_breaches
from telepati.reports.services.unit_work import (
    disposition_acknowledge,
    disposition_complete,
    disposition_update,
)

# --- The replay ------------------------------------------------------------------------------

Story = Generator[datetime, None, None]


class Replay:
    """Runs the demo's steps in time order under a frozen clock, with the periodic sweeps.

    A story (one report's generator) yields the moment of its next step; resumed with the
    clock at that moment, it takes the step through a service. Steps at or after `until`
    never happen. `watch` schedules the sweeps that notice a report's deadlines pass.
    """

    def __init__(self, *, until: datetime) -> None:
        self.until = until
        self._queue: list[tuple[datetime, int, Story | Callable[[], object]]] = []
        self._order = itertools.count()
        self._ticks: set[tuple[int, datetime]] = set()

    def add(self, moment: datetime, item: Story | Callable[[], object]) -> None:
        if moment < self.until:
            heapq.heappush(self._queue, (moment, next(self._order), item))

    def story(self, story: Story) -> None:
        self.add(next(story), story)

    def watch(self, report_id: int) -> None:
        """Sweep right after each deadline of the report (and its open dispositions)."""
        row = Report.objects.values(
            "status", "verification_due_at", "response_due_at", "resolution_due_at",
            "dispute_until",
        ).get(pk=report_id)  # fmt: skip
        dues = [row["verification_due_at"], row["response_due_at"], row["resolution_due_at"]]
        dues += Disposition.objects.filter(
            report_id=report_id, status__in=OPEN_DISPOSITION_STATES
        ).values_list("due_at", flat=True)
        for due in filter(None, dues):
            self._tick(_tick_after(due, SWEEP_MINUTES), SWEEP_MINUTES)
        if row["status"] == S.RESOLVED and row["dispute_until"] is not None:
            self._tick(_tick_after(row["dispute_until"], AUTOCLOSE_MINUTES), AUTOCLOSE_MINUTES)

    def _tick(self, at: datetime, minutes: int) -> None:
        if (minutes, at) not in self._ticks:
            self._ticks.add((minutes, at))
            job = sla_escalate_breaches if minutes == SWEEP_MINUTES else sla_autoclose
            self.add(at, lambda: job(at=at))

    def run(self) -> None:
        with freeze_time(self.until) as clock:
            while self._queue:
                moment, _order, item = heapq.heappop(self._queue)
                clock.move_to(moment)
                if callable(item):
                    item()
                    continue
                following = next(item, None)
                if following is not None:
                    assert following >= moment, "a story must not go back in time"
                    self.add(following, item)
        sla_escalate_breaches(at=self.until)  # what fell due in the last few minutes
        sla_autoclose(at=self.until)


@contextmanager
def _quiet_sweeps() -> Iterator[None]:
    """The replayed sweeps escalate hundreds of deadlines: keep their log lines out."""
    sweep_log = logging.getLogger("telepati.reports.services.sla")
    level = sweep_log.level
    sweep_log.setLevel(logging.WARNING)
    try:
        yield
    finally:
        sweep_log.setLevel(level)


# --- Making the reports through the services --------------------------------------------


@dataclass
class Cast:
    """Who acts: the desk operator, and the first working member of each unit."""

    desk: User
    members: dict[int, User]

    def for_unit(self, unit_id: int) -> User:
        return self.members.get(unit_id, self.desk)  # the desk acts for units without one


@dataclass
class Demo:
    """What the stories share."""

    cast: Cast
    calendar: WorkCalendar
    kelurahan: dict[str, int]
    replay: Replay
    made: list[Report] = field(default_factory=list)


def _cast() -> Cast:
    members: dict[int, User] = {}
    rows = Membership.objects.filter(
        is_active=True, user__is_active=True, role__in=["staff", "liaison"]
    ).select_related("user")
    for membership in rows.order_by("pk"):
        members.setdefault(membership.unit_id, membership.user)
    return Cast(desk=User.objects.get(username=DESK_USERNAME), members=members)


@transaction.atomic
def demo_reports_seed(*, count: int | None = None) -> SeedCount:
    """Make the demo reports unless some exist already; `count` defaults to DEMO_REPORT_COUNT."""
    seeded = SeedCount(_("Laporan demo"))
    existing = Report.objects.filter(submission_key__startswith=DEMO_KEY_PREFIX).count()
    if existing:
        seeded.existing = existing
    else:
        seeded.created = len(demo_reports_build(count=count or DEMO_REPORT_COUNT))
    return seeded


def demo_reports_build(*, count: int) -> list[Report]:
    """Replay the planned reports up to now; returns them in submission order."""
    rng = random.Random(DEMO_SEED)  # noqa: S311 - demo content, not security
    until = now()
    demo = Demo(
        cast=_cast(),
        calendar=work_calendar_get(),
        kelurahan=dict(Kelurahan.objects.filter(code__in=data.PLACES).values_list("code", "pk")),
        replay=Replay(until=until),
    )
    for plan in demo_report_plans(count=count, rng=rng):
        demo.replay.story(_story(plan, demo, until - plan.age))
    with _quiet_sweeps():
        demo.replay.run()
    return demo.made


def _story(plan: Plan, demo: Demo, moment: datetime) -> Story:
    """One report from submission to where its fate and the clock let it get."""
    entered_by = None
    moment = moment.replace(second=0, microsecond=0)
    if plan.channel in (Channel.COUNTER, Channel.PHONE):  # typed in by the desk
        entered_by, moment = demo.cast.desk, _office_hours_before(demo.calendar, moment)
    yield moment
    report = _submit(plan, demo, entered_by=entered_by)
    demo.made.append(report)
    demo.replay.watch(report.pk)
    if plan.fate == S.NEW:
        return
    verified = yield from _desk_story(plan, demo, report)
    if verified is None or plan.fate == S.VERIFIED:
        return
    if (yield from _unit_story(plan, demo, verified)):
        yield from _resident_story(plan, demo, verified)


def _desk_story(plan: Plan, demo: Demo, report: Report) -> Generator[datetime, None, Report | None]:
    """The desk looks at the report: merges, holds, rejects or verifies it."""
    cal, desk, pk, reporter = demo.calendar, demo.cast.desk, report.pk, report.reporter
    look = timedelta(hours=plan.pace.look_hours)
    late = data.VERIFICATION in plan.pace.late
    yield _office_step(cal, report.submitted_at, look, due=report.verification_due_at, late=late)
    if plan.fate == S.MERGED:
        if not _merge(report, cast=demo.cast):  # the first report was dealt with already
            report_reject(user=desk, report_id=pk, reason=data.DUPLICATE_DONE)
        return None
    if plan.held_first or plan.fate == S.ON_HOLD:
        report_hold(user=desk, report_id=pk, question=_pick(data.HOLD_QUESTIONS, plan))
        if plan.fate == S.ON_HOLD:
            return None  # the resident never answers
        answer = f"Lokasinya di {plan.address}."
        yield now() + timedelta(hours=plan.pace.reply_hours)
        if reporter is not None:
            report = report_clarify(report_id=pk, message=answer, citizen=reporter)
        else:  # an anonymous reporter called the desk back
            yield _office_after(cal, now(), timedelta(0))
            report = report_clarify(report_id=pk, message=answer, user=desk)
        demo.replay.watch(pk)
        yield _office_step(cal, now(), look, due=report.verification_due_at, late=False)
    if plan.fate == S.REJECTED:
        report_reject(user=desk, report_id=pk, reason=_pick(data.REJECT_REASONS, plan))
        return None
    report = report_verify(user=desk, report_id=pk)
    demo.replay.watch(pk)
    return report


def _unit_story(plan: Plan, demo: Demo, report: Report) -> Generator[datetime, None, bool]:
    """The desk forwards the report and the unit works on it; True once it is resolved."""
    cal, desk, pace, pk = demo.calendar, demo.cast.desk, plan.pace, report.pk
    yield _office_after(cal, now(), timedelta(hours=pace.forward_hours))
    units = _units(report)
    if plan.topic.classification == Classification.INFORMATION or not units:
        report_resolve(user=desk, report_id=pk, message=plan.topic.done)  # answered at once
        demo.replay.watch(pk)
        return True
    (disposition,) = report_forward(user=desk, report_id=pk, unit_ids=units)
    demo.replay.watch(pk)
    actor, due = demo.cast.for_unit(disposition.unit_id), disposition.due_at
    if plan.acknowledged:
        yield _office_step(cal, now(), timedelta(hours=pace.look_hours), due=due, late=False)
        disposition_acknowledge(user=actor, disposition_id=disposition.pk)
    if plan.fate == S.FORWARDED:
        return False  # the unit never answers
    response = cal.day_length * pace.response_days
    yield _office_step(cal, now(), response, due=due, late=data.RESPONSE in pace.late)
    if plan.progress_update:
        disposition_update(user=actor, disposition_id=disposition.pk, message=plan.topic.update)
        if plan.fate == S.IN_PROGRESS:
            return False  # still at work
        finish = cal.day_length * pace.finish_days
        late = data.RESOLUTION in pace.late
        yield _office_step(cal, now(), finish, due=report.resolution_due_at, late=late)
    disposition_complete(user=actor, disposition_id=disposition.pk, message=plan.topic.done)
    demo.replay.watch(pk)
    return True


def _resident_story(plan: Plan, demo: Demo, report: Report) -> Story:
    """The resolved report: perhaps disputed (and finished again), perhaps rated."""
    pk, reporter, reply = report.pk, report.reporter, timedelta(hours=plan.pace.reply_hours)
    if reporter is None:
        return
    if plan.disputed:
        until = Report.objects.values_list("dispute_until", flat=True).get(pk=pk)
        assert until is not None
        yield min(now() + reply, until - timedelta(hours=1))
        report_dispute(report_id=pk, citizen=reporter, reason=_pick(data.DISPUTES, plan))
        demo.replay.watch(pk)
        again = demo.calendar.day_length * min(plan.pace.finish_days, 2.5)
        yield _office_after(demo.calendar, now(), again)
        _redo(pk, plan, demo)
        demo.replay.watch(pk)
    if plan.rating is not None:
        yield now() + reply
        comment = _pick(data.COMMENTS, plan)
        report_rate(report_id=pk, citizen=reporter, rating=plan.rating, comment=comment)


def _pick(texts: tuple[str, ...], plan: Plan) -> str:
    return texts[plan.text % len(texts)]


def _submit(plan: Plan, demo: Demo, *, entered_by: User | None) -> Report:
    return report_submit(
        draft=ReportDraft(
            category_code=plan.topic.category,
            title=plan.topic.title,
            description=plan.topic.description.format(n=3, spot=plan.address.split(", ")[-1]),
            channel=plan.channel,
            classification=plan.topic.classification,
            kelurahan_id=demo.kelurahan[plan.kelurahan],
            latitude=plan.point[0] if plan.point else None,
            longitude=plan.point[1] if plan.point else None,
            address=plan.address,
            reporter_name=plan.name,
            reporter_phone=plan.phone,
            is_anonymous=plan.anonymous,
            submitted_at=now(),
            submission_key=plan.key,
        ),
        entered_by=entered_by,
    )


def _units(report: Report) -> list[int]:
    unit = report.category.default_unit
    if (unit is None or not unit.is_active) and report.kelurahan_id is not None:
        unit = Unit.objects.filter(kelurahan_id=report.kelurahan_id, is_active=True).first()
    return [unit.pk] if unit is not None else []


def _redo(report_id: int, plan: Plan, demo: Demo) -> None:
    """After a dispute the units finish again (or the desk answers, if it answered before)."""
    reopened = Disposition.objects.filter(report_id=report_id, status__in=OPEN_DISPOSITION_STATES)
    for again in reopened.order_by("pk"):
        disposition_complete(
            user=demo.cast.for_unit(again.unit_id),
            disposition_id=again.pk,
            message=f"Sudah ditindaklanjuti ulang. {plan.topic.done}",
        )
    if Report.objects.get(pk=report_id).status == S.IN_PROGRESS:
        report_resolve(user=demo.cast.desk, report_id=report_id, message=plan.topic.done)


def _merge(report: Report, *, cast: Cast) -> bool:
    """Merge a duplicate into the nearest open report the duplicate finder suggests, if any."""
    candidates = report_duplicates_suggest(
        category_id=report.category_id,
        kecamatan_id=report.kecamatan_id,
        latitude=report.latitude,
        longitude=report.longitude,
        kelurahan_id=report.kelurahan_id,
        at=report.submitted_at,
        exclude_report_id=report.pk,
        limit=1,
    )
    if candidates:
        report_merge(user=cast.desk, report_id=report.pk, into_report_id=candidates[0].report.pk)
    return bool(candidates)
