"""Working-day arithmetic for deadlines (SLA), pure: no database, no settings.

A deadline of N working days means N × (length of one office day) of office time, counted
from the moment the clock starts. The clock runs only during office hours on working days:
a report made during office hours starts it at once; before opening, at that day's opening;
at or after closing, on a weekend or on a day off, at the next working day's opening.
So Monday 10:00 + 3 days is Thursday 10:00, and Friday 20:00 + 3 days is Wednesday at
closing. Callers build a `WorkCalendar` once (see `telepati.core.selectors`) and pass it in.

All moments must be timezone-aware; they are converted to the calendar's zone (WIB) and
results come back in that zone. The zone is assumed to have no daylight-saving change
during office hours (true for Asia/Jakarta since 1964).
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")
DEFAULT_WEEKEND_DAYS: frozenset[int] = frozenset({5, 6})  # Saturday, Sunday
DEFAULT_OPENS_AT = time(8, 0)
DEFAULT_CLOSES_AT = time(16, 0)

_ONE_DAY = timedelta(days=1)
_OFFICE_HOURS_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True, slots=True)
class WorkCalendar:
    """Which days the office works and when it is open; the input of every deadline."""

    holidays: frozenset[date] = frozenset()
    weekend_days: frozenset[int] = DEFAULT_WEEKEND_DAYS
    opens_at: time = DEFAULT_OPENS_AT
    closes_at: time = DEFAULT_CLOSES_AT
    tz: ZoneInfo = field(default=WIB)

    def __post_init__(self) -> None:
        # Refuse calendars on which the loops below could never find a working moment.
        if not all(isinstance(d, int) and 0 <= d <= 6 for d in self.weekend_days):
            raise ValueError(f"weekend_days must be weekday numbers 0-6, got {self.weekend_days}")
        if len(self.weekend_days) >= 7:
            raise ValueError("weekend_days must leave at least one working weekday")
        if self.opens_at.tzinfo is not None or self.closes_at.tzinfo is not None:
            raise ValueError("opens_at and closes_at must be naive local times")
        if self.closes_at <= self.opens_at:
            raise ValueError(
                f"closing time {self.closes_at:%H:%M} must be after opening time "
                f"{self.opens_at:%H:%M}"
            )

    @property
    def day_length(self) -> timedelta:
        """Office time in one working day (8 hours for 08:00-16:00)."""
        return datetime.combine(date.min, self.closes_at) - datetime.combine(
            date.min, self.opens_at
        )

    def opening(self, day: date) -> datetime:
        """The aware moment the office opens on `day`."""
        return datetime.combine(day, self.opens_at, tzinfo=self.tz)

    def closing(self, day: date) -> datetime:
        """The aware moment the office closes on `day`."""
        return datetime.combine(day, self.closes_at, tzinfo=self.tz)


def parse_office_hours(value: str) -> tuple[time, time]:
    """Read office hours written "HH:MM-HH:MM" (e.g. the TELEPATI_OFFICE_HOURS setting)."""
    match = _OFFICE_HOURS_RE.match(value or "")
    if match is None:
        raise ValueError(f'office hours must be written "HH:MM-HH:MM", got {value!r}')
    open_h, open_m, close_h, close_m = (int(part) for part in match.groups())
    try:
        opens_at, closes_at = time(open_h, open_m), time(close_h, close_m)
    except ValueError:
        raise ValueError(f"office hours contain an impossible time: {value!r}") from None
    if closes_at <= opens_at:
        raise ValueError(
            f"office closing time must be after opening time, got {value!r} "
            "(office hours cannot span midnight)"
        )
    return opens_at, closes_at


def is_working_day(cal: WorkCalendar, day: date) -> bool:
    """Whether the office works on `day`: not a weekend day and not a day off."""
    return day.weekday() not in cal.weekend_days and day not in cal.holidays


def next_working_day(cal: WorkCalendar, day: date) -> date:
    """The first working day strictly after `day`."""
    candidate = day + _ONE_DAY
    while not is_working_day(cal, candidate):
        candidate += _ONE_DAY
    return candidate


def _to_local(cal: WorkCalendar, moment: datetime, name: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got naive {moment!r}")
    return moment.astimezone(cal.tz)


def clock_start(cal: WorkCalendar, moment: datetime) -> datetime:
    """When a deadline clock starting at `moment` really starts running (see module doc)."""
    local = _to_local(cal, moment, "moment")
    day = local.date()
    if is_working_day(cal, day):
        if local < cal.opening(day):
            return cal.opening(day)
        if local < cal.closing(day):
            return local
    return cal.opening(next_working_day(cal, day))


def add_working_days(cal: WorkCalendar, *, start: datetime, days: int) -> datetime:
    """The deadline `days` working days after `start`: that much office time, in WIB.

    The result is always inside office hours on a working day or exactly at closing.
    """
    if days < 0:
        raise ValueError(f"days must not be negative, got {days}")
    moment = clock_start(cal, start)
    remaining = cal.day_length * days
    while True:
        available = cal.closing(moment.date()) - moment
        if remaining <= available:
            return moment + remaining
        remaining -= available
        moment = cal.opening(next_working_day(cal, moment.date()))


def working_time_between(cal: WorkCalendar, *, start: datetime, end: datetime) -> timedelta:
    """Office time elapsed from `start` to `end`; zero when `end` is not after `start`.

    Constant time whatever the span: office time since a fixed origin is a function of the
    moment (`_office_microseconds`), so the span is the difference of two of them. Same
    result, to the microsecond, as adding up each day's overlap with office hours."""
    return timedelta(microseconds=_working_microseconds(cal, start, end))


def _working_microseconds(cal: WorkCalendar, start: datetime, end: datetime) -> int:
    start_local = _to_local(cal, start, "start")
    end_local = _to_local(cal, end, "end")
    if end_local <= start_local:
        return 0
    index = _day_index(cal)
    return _office_microseconds(index, end_local) - _office_microseconds(index, start_local)


@dataclass(frozen=True, slots=True)
class _DayIndex:
    """What counting office time needs, computed once per calendar (`_day_index`)."""

    working_weekday: tuple[bool, ...]  # by weekday, Monday first
    working_before_weekday: tuple[int, ...]  # working weekdays among a week's first n days
    working_per_week: int
    days_off: tuple[int, ...]  # sorted ordinals of the days off that fall on working weekdays
    day_microseconds: int
    opens_microseconds: int


_last_index: tuple[WorkCalendar, _DayIndex] | None = None


def _day_index(cal: WorkCalendar) -> _DayIndex:
    """The calendar's `_DayIndex`; the last one is kept (callers reuse one calendar for a
    whole page, so hashing its holidays on every call would cost more than the sum)."""
    global _last_index
    last = _last_index
    if last is not None and last[0] is cal:
        return last[1]
    index = _day_index_build(cal)
    _last_index = (cal, index)
    return index


@functools.lru_cache(maxsize=32)
def _day_index_build(cal: WorkCalendar) -> _DayIndex:
    working = tuple(weekday not in cal.weekend_days for weekday in range(7))
    before = [0]
    for is_working in working:
        before.append(before[-1] + is_working)
    opens = cal.opens_at
    return _DayIndex(
        working_weekday=working,
        working_before_weekday=tuple(before),
        working_per_week=before[7],
        days_off=tuple(
            sorted(d.toordinal() for d in cal.holidays if d.weekday() not in cal.weekend_days)
        ),
        day_microseconds=cal.day_length // timedelta(microseconds=1),
        opens_microseconds=((opens.hour * 60 + opens.minute) * 60 + opens.second) * 1_000_000
        + opens.microsecond,
    )


def _office_microseconds(index: _DayIndex, local: datetime) -> int:
    """Office time from the origin (1 January of year 1, a Monday) to `local`, a moment in
    the calendar's zone, in µs: the working days before its day, plus the part of its
    day's office hours already past when that day is a working day. Wall-clock time, as
    the day-by-day sum reads it."""
    ordinal = local.toordinal()
    weeks, weekday = divmod(ordinal - 1, 7)
    days_off = index.days_off
    off_before = bisect.bisect_left(days_off, ordinal)
    working_days = weeks * index.working_per_week + index.working_before_weekday[weekday]
    total = (working_days - off_before) * index.day_microseconds
    is_day_off = off_before < len(days_off) and days_off[off_before] == ordinal
    if index.working_weekday[weekday] and not is_day_off:
        clock = ((local.hour * 60 + local.minute) * 60 + local.second) * 1_000_000
        clock += local.microsecond - index.opens_microseconds
        total += min(max(clock, 0), index.day_microseconds)
    return total


def working_days_between(cal: WorkCalendar, *, start: datetime, end: datetime) -> float:
    """Office time from `start` to `end` in working days (1.5 = one and a half office days)."""
    return _working_microseconds(cal, start, end) / _day_index(cal).day_microseconds
