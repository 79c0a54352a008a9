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
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal
from math import log

from django.db import transaction
from django.utils.translation import gettext as _
from freezegun import freeze_time

from telepati.accounts.models import Membership, User
from telepati.core.selectors import work_calendar_get
from telepati.core.workdays import WorkCalendar, clock_start, is_working_day, next_working_day
from telepati.core.workdays import working_time_between as office_time
from telepati.org.models import Kelurahan, Unit
from telepati.org.services import SeedCount
from telepati.reports import demo_data as data
from telepati.reports.duplicates import report_duplicates_suggest
from telepati.reports.lifecycle import Status
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

DEMO_KEY_PREFIX = "demo-"
DEMO_REPORT_COUNT = 200
DEMO_SEED = 2611
DESK_USERNAME = "operator"  # the demo WA Center operator (telepati.demo.loaders)
SWEEP_MINUTES = 5  # the scheduler's SLA sweep (TELEPATI_PERIODIC_TASKS)
AUTOCLOSE_MINUTES = 15  # and its auto-close sweep
S = Status


@dataclass(frozen=True)
class Pace:
    """How soon each step follows the one before: office time for officers, hours for residents."""

    look_hours: float  # the desk reads a new report (or a unit its disposition)
    forward_hours: float  # the desk forwards a verified report
    response_days: float  # the unit's first public follow-up
    finish_days: float  # the unit finishes after its first follow-up
    reply_hours: float  # the resident clarifies, disputes or rates
    late: frozenset[str]  # deadlines missed: data.VERIFICATION, RESPONSE, RESOLUTION

    def brisk(self) -> Pace:
        """The same pace without delays: every deadline kept, resolved within days."""
        return replace(
            self,
            look_hours=min(self.look_hours, 3),
            forward_hours=min(self.forward_hours, 3),
            response_days=min(self.response_days, 1),
            finish_days=min(self.finish_days, 1.5),
            late=frozenset(),
        )


@dataclass
class Plan:
    """One demo report: what the resident submits, how far it gets and how fast."""

    key: str
    age: timedelta
    topic: data.Topic
    kelurahan: str
    address: str
    point: tuple[Decimal, Decimal] | None
    channel: Channel
    name: str
    phone: str
    fate: Status
    pace: Pace
    anonymous: bool = False
    held_first: bool = False
    disputed: bool = False
    rating: int | None = None
    progress_update: bool = True  # the unit posts an update before finishing
    acknowledged: bool = True  # the unit confirms receipt before its first update
    text: int = 0  # picks the hold question, rejection reason, dispute and comment
    duplicate_of: Plan | None = field(default=None, repr=False)


def _weighted(rng: random.Random, weights: dict[Status, int] | dict[Channel, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _spread(rng: random.Random, median: float, low: float, high: float) -> float:
    """A skewed duration: usually near `median`, sometimes much longer."""
    return min(high, max(low, rng.lognormvariate(log(median), 0.8)))


def demo_report_plans(*, count: int, rng: random.Random) -> list[Plan]:
    """The reports to make, oldest first: pure, deterministic for a given generator."""
    ages = [(fate, timedelta(days=days), True) for fate, days in data.FORCED]
    while len(ages) < count - count // 25:
        # More reports lately (the channel is catching on): ages skewed towards today.
        age = timedelta(minutes=40 + data.DEMO_DAYS * 24 * 60 * rng.random() ** 1.6)
        weights = next(w for bound, w in data.FATES if age < timedelta(days=bound))
        ages.append((Status(_weighted(rng, weights)), age, False))
    plans = [_plan(rng, index, *spec) for index, spec in enumerate(ages)]
    survivors = [
        p
        for p in plans
        if p.fate in (S.FORWARDED, S.IN_PROGRESS, S.CLOSED)
        and p.point
        and p.topic.classification != Classification.INFORMATION
        and timedelta(days=3) < p.age < timedelta(days=25)
    ]
    chosen = rng.sample(survivors, min(len(survivors), count // 25))
    plans += [_duplicate(rng, len(plans) + n, survivor) for n, survivor in enumerate(chosen)]
    return sorted(plans, key=lambda p: (-p.age, p.key))


def _plan(rng: random.Random, index: int, fate: Status, age: timedelta, brisk: bool) -> Plan:
    topic = rng.choice(data.TOPICS)
    kelurahan = rng.choice(sorted(data.PLACES))
    lat, lon, streets = data.PLACES[kelurahan]
    street = rng.choice(streets)
    point = None
    channel = Channel(_weighted(rng, data.CHANNELS))
    if index < len(data.CHANNELS):  # the first (forced) plans use every channel once
        channel = list(data.CHANNELS)[index]
    if channel in (Channel.WHATSAPP, Channel.API) and rng.random() < 0.7:
        point = (
            Decimal(f"{lat + rng.uniform(-0.003, 0.003):.6f}"),
            Decimal(f"{lon + rng.uniform(-0.003, 0.003):.6f}"),
        )
    resident = rng.randrange(180)  # residents report more than once
    pace = Pace(
        look_hours=_spread(rng, 2.0, 0.2, 12),
        forward_hours=_spread(rng, 2.5, 0.3, 12),
        response_days=_spread(rng, 1.2, 0.1, 4.5),
        finish_days=_spread(rng, 3.0, 0.3, 40),
        reply_hours=_spread(rng, 5.0, 0.2, 60),
        late=frozenset(kind for kind, share in data.LATE.items() if rng.random() < share),
    )
    return Plan(
        key=f"{DEMO_KEY_PREFIX}{index:04d}",
        age=age,
        topic=topic,
        kelurahan=kelurahan,
        address=f"{street}, {rng.choice(data.SPOTS)}",
        point=point,
        channel=channel,
        name=f"{data.FIRST[resident % len(data.FIRST)]} {data.LAST[resident % len(data.LAST)]}",
        phone=f"+62812{resident + 1:08d}",  # +62 812 0000 0001 … : fictitious numbers
        fate=fate,
        pace=pace.brisk() if brisk else pace,
        anonymous=rng.random() < 0.08,
        held_first=fate not in (S.NEW, S.ON_HOLD) and rng.random() < 0.1 and not brisk,
        disputed=fate == S.CLOSED and rng.random() < 0.08 and not brisk,
        rating=rng.choice((3, 4, 4, 5, 5, 5, 2)) if rng.random() < 0.5 else None,
        progress_update=fate == S.IN_PROGRESS or rng.random() < 0.6,
        acknowledged=rng.random() < 0.7,
        text=rng.randrange(1000),
    )


def _duplicate(rng: random.Random, index: int, survivor: Plan) -> Plan:
    assert survivor.point is not None
    lat, lon = survivor.point
    # A neighbour reports the same problem a few hours or days after the first resident.
    plan = _plan(rng, index, S.MERGED, survivor.age - timedelta(days=rng.uniform(0.2, 2)), False)
    plan.topic, plan.kelurahan, plan.address = survivor.topic, survivor.kelurahan, survivor.address
    plan.point = (lat + Decimal("0.000150"), lon - Decimal("0.000100"))  # ~20 m away
    plan.channel, plan.duplicate_of = Channel.WHATSAPP, survivor
    return plan


# --- Moments on the office calendar -------------------------------------------------------


def _minute_up(moment: datetime) -> datetime:
    rounded = moment.replace(second=0, microsecond=0)
    return rounded if rounded == moment else rounded + timedelta(minutes=1)


def _office_after(cal: WorkCalendar, start: datetime, span: timedelta) -> datetime:
    """The moment `span` of office time after `start` (whole minute, inside office hours)."""
    moment = clock_start(cal, start)
    while span >= cal.closing(moment.date()) - moment:
        span -= cal.closing(moment.date()) - moment
        moment = cal.opening(next_working_day(cal, moment.date()))
    return min(_minute_up(moment + span), cal.closing(moment.date()))


def _office_step(
    cal: WorkCalendar, start: datetime, span: timedelta, *, due: datetime | None, late: bool
) -> datetime:
    """An officer's next step: `span` after `start`, kept before `due` — or, when this step is
    late, `span` after `due` (the sweep has escalated it by then)."""
    if due is not None and late:
        return _office_after(cal, max(start, due), span)
    moment = _office_after(cal, start, span)
    if due is not None and moment >= due - timedelta(minutes=1):
        moment = _office_after(cal, start, office_time(cal, start=start, end=due) * 0.7)
    return moment


def _office_hours_before(cal: WorkCalendar, moment: datetime) -> datetime:
    """`moment` when the office is open then, else one on the last working day before it."""
    local = moment.astimezone(cal.tz)
    day = local.date()
    if is_working_day(cal, day) and local < cal.closing(day):
        if local >= cal.opening(day):
            return local
        day -= timedelta(days=1)
    while not is_working_day(cal, day):
        day -= timedelta(days=1)
    return cal.closing(day) - timedelta(minutes=15 + local.minute * 7 % 400)


def _tick_after(moment: datetime, minutes: int) -> datetime:
    """The first tick of a sweep run every `minutes` strictly after `moment`."""
    base = moment.replace(second=0, microsecond=0)
    return base + timedelta(minutes=minutes - base.minute % minutes)


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
