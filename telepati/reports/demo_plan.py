"""The demo's plan: each report's fate and pace, and moments on the office calendar.

Pure apart from reading the demo texts: `demo_report_plans` decides, from a seeded random
generator, what happens to each demo report and how fast; the helpers below turn "a few
office hours later" into moments on the working-day calendar. `telepati.reports.demo`
replays the plans through the services.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal
from math import log

from telepati.core.workdays import WorkCalendar, clock_start, is_working_day, next_working_day
from telepati.core.workdays import working_time_between as office_time
from telepati.reports import demo_data as data
from telepati.reports.lifecycle import Status
from telepati.reports.models import (
    Channel,
    Classification,
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
