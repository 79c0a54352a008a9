"""The slots of a service on a day, from its hours and the working-day calendar. Pure.

A service is offered on its weekdays when the office works (`is_working_day`: weekends and
days off close it). Slots run from opening, `slot_minutes` long, and must end by closing
(on Fridays by `friday_closes_at` when set); a slot that overlaps the break is left out.
All moments are aware, in WIB.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol

from telepati.core.workdays import WIB, WorkCalendar, is_working_day

FRIDAY = 4


class Hours(Protocol):
    """What the schedule needs of an `OfficeService`."""

    weekdays: list[int]
    opens_at: time
    closes_at: time
    break_starts_at: time | None
    break_ends_at: time | None
    friday_closes_at: time | None
    slot_minutes: int
    book_days_ahead: int


@dataclass(frozen=True, slots=True)
class SlotOption:
    """A slot a resident may take: when it starts and ends, and how many places are free."""

    start: datetime
    end: datetime
    free: int


def day_is_open(calendar: WorkCalendar, hours: Hours, day: date) -> bool:
    """Whether the service is offered on `day`: a working day and one of its weekdays."""
    weekdays = hours.weekdays if isinstance(hours.weekdays, list) else []
    return is_working_day(calendar, day) and day.weekday() in weekdays


def closing_time(hours: Hours, day: date) -> time:
    if day.weekday() == FRIDAY and hours.friday_closes_at is not None:
        return hours.friday_closes_at
    return hours.closes_at


def slot_starts(hours: Hours, day: date) -> list[datetime]:
    """Every slot start of the day by the hours alone (the calendar is not consulted)."""
    length = timedelta(minutes=max(int(hours.slot_minutes), 1))
    moment = datetime.combine(day, hours.opens_at, tzinfo=WIB)
    closing = datetime.combine(day, closing_time(hours, day), tzinfo=WIB)
    pause: tuple[datetime, datetime] | None = None
    if hours.break_starts_at is not None and hours.break_ends_at is not None:
        pause = (
            datetime.combine(day, hours.break_starts_at, tzinfo=WIB),
            datetime.combine(day, hours.break_ends_at, tzinfo=WIB),
        )
    starts: list[datetime] = []
    while moment + length <= closing:
        if pause is not None and moment < pause[1] and moment + length > pause[0]:
            moment = pause[1]  # the next slot starts when the break ends
            continue
        starts.append(moment)
        moment += length
    return starts


def slot_end(hours: Hours, start: datetime) -> datetime:
    return start + timedelta(minutes=int(hours.slot_minutes))


def last_bookable_day(hours: Hours, today: date) -> date:
    """The furthest day that may be booked: `book_days_ahead` calendar days from today."""
    return today + timedelta(days=int(hours.book_days_ahead))


def bookable_days(calendar: WorkCalendar, hours: Hours, today: date) -> list[date]:
    """The days from today to the last bookable one on which the service is offered."""
    last = last_bookable_day(hours, today)
    days: list[date] = []
    day = today
    while day <= last:
        if day_is_open(calendar, hours, day):
            days.append(day)
        day += timedelta(days=1)
    return days


def previous_working_day(calendar: WorkCalendar, day: date) -> date:
    """The last working day strictly before `day`."""
    candidate = day - timedelta(days=1)
    while not is_working_day(calendar, candidate):
        candidate -= timedelta(days=1)
    return candidate
