"""The pure working-day arithmetic, on hand-made calendars (no database)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from telepati.core.workdays import (
    WIB,
    WorkCalendar,
    add_working_days,
    clock_start,
    is_working_day,
    next_working_day,
    parse_office_hours,
    working_days_between,
    working_time_between,
)

# May 2026: Thursday 14 is Ascension Day, Friday 15 is cuti bersama — a four-day weekend.
ASCENSION_LONG_WEEKEND = frozenset({date(2026, 5, 14), date(2026, 5, 15)})
# Christmas 2026 (Thursday cuti bersama, Friday holiday) and New Year 2027 (a Friday).
YEAR_END = frozenset({date(2026, 12, 24), date(2026, 12, 25), date(2027, 1, 1)})
# Lebaran and Nyepi 2026 together: Wednesday 18 to Tuesday 24 March are all days off.
LEBARAN_2026 = frozenset(date(2026, 3, d) for d in range(18, 25))

CAL = WorkCalendar(holidays=ASCENSION_LONG_WEEKEND | YEAR_END | LEBARAN_2026)


def wib(year, month, day, hour=0, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=WIB)


def test_default_calendar_is_monday_to_friday_eight_to_four_in_wib():
    cal = WorkCalendar()

    assert cal.weekend_days == frozenset({5, 6})
    assert (cal.opens_at, cal.closes_at) == (time(8, 0), time(16, 0))
    assert cal.tz == ZoneInfo("Asia/Jakarta")
    assert cal.day_length == timedelta(hours=8)


def test_weekends_and_days_off_are_not_working_days():
    assert is_working_day(CAL, date(2026, 5, 13)) is True  # Wednesday
    assert is_working_day(CAL, date(2026, 5, 14)) is False  # Ascension Day
    assert is_working_day(CAL, date(2026, 5, 15)) is False  # cuti bersama
    assert is_working_day(CAL, date(2026, 5, 16)) is False  # Saturday
    assert is_working_day(CAL, date(2026, 5, 17)) is False  # Sunday


def test_next_working_day_is_strictly_after_and_skips_a_long_weekend():
    assert next_working_day(CAL, date(2026, 5, 12)) == date(2026, 5, 13)
    assert next_working_day(CAL, date(2026, 5, 13)) == date(2026, 5, 18)
    assert next_working_day(CAL, date(2026, 5, 16)) == date(2026, 5, 18)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (wib(2026, 3, 2, 10, 15), wib(2026, 3, 2, 10, 15)),  # Monday, office open
        (wib(2026, 3, 2, 8, 0), wib(2026, 3, 2, 8, 0)),  # exactly at opening
        (wib(2026, 3, 2, 6, 30), wib(2026, 3, 2, 8, 0)),  # before opening
        (wib(2026, 3, 2, 16, 0), wib(2026, 3, 3, 8, 0)),  # exactly at closing
        (wib(2026, 3, 6, 20, 0), wib(2026, 3, 9, 8, 0)),  # Friday evening
        (wib(2026, 3, 7, 11, 0), wib(2026, 3, 9, 8, 0)),  # Saturday
        (wib(2026, 5, 14, 9, 0), wib(2026, 5, 18, 8, 0)),  # holiday, long weekend
    ],
)
def test_clock_starts_at_the_next_office_moment(moment, expected):
    assert clock_start(CAL, moment) == expected


def test_monday_morning_plus_three_working_days_is_thursday_same_time():
    assert add_working_days(CAL, start=wib(2026, 3, 2, 10, 0), days=3) == wib(2026, 3, 5, 10, 0)


def test_friday_after_hours_plus_three_is_wednesday_at_closing():
    assert add_working_days(CAL, start=wib(2026, 3, 6, 20, 0), days=3) == wib(2026, 3, 11, 16, 0)


def test_deadline_started_on_a_weekend_runs_from_monday_opening():
    assert add_working_days(CAL, start=wib(2026, 3, 7, 11, 0), days=1) == wib(2026, 3, 9, 16, 0)


def test_deadline_started_before_opening_runs_from_that_days_opening():
    assert add_working_days(CAL, start=wib(2026, 3, 2, 6, 30), days=1) == wib(2026, 3, 2, 16, 0)


def test_deadline_started_exactly_at_closing_counts_as_after_hours():
    assert add_working_days(CAL, start=wib(2026, 3, 2, 16, 0), days=1) == wib(2026, 3, 3, 16, 0)
    assert add_working_days(CAL, start=wib(2026, 3, 2, 15, 59), days=1) == wib(2026, 3, 3, 15, 59)


def test_deadline_skips_thursday_holiday_and_friday_collective_leave():
    assert add_working_days(CAL, start=wib(2026, 5, 13, 14, 0), days=2) == wib(2026, 5, 19, 14, 0)


def test_deadline_across_the_year_boundary_skips_new_year():
    assert add_working_days(CAL, start=wib(2026, 12, 30, 10, 0), days=3) == wib(2027, 1, 5, 10, 0)


def test_deadline_across_lebaran_week_of_days_off():
    assert add_working_days(CAL, start=wib(2026, 3, 17, 14, 0), days=3) == wib(2026, 3, 27, 14, 0)


def test_sixty_working_days_across_a_long_holiday_run_end_at_closing_of_the_sixtieth():
    # 17 working days from 2 March 2026 (18-24 off), 22 in April, 19 in May (14-15 off),
    # so the 60th is Tuesday 2 June.
    assert add_working_days(CAL, start=wib(2026, 3, 2, 8, 0), days=60) == wib(2026, 6, 2, 16, 0)


def test_zero_days_returns_the_normalised_start():
    assert add_working_days(CAL, start=wib(2026, 3, 7, 11, 0), days=0) == wib(2026, 3, 9, 8, 0)
    assert add_working_days(CAL, start=wib(2026, 3, 2, 9, 5), days=0) == wib(2026, 3, 2, 9, 5)


def test_negative_days_are_rejected():
    with pytest.raises(ValueError, match="must not be negative"):
        add_working_days(CAL, start=wib(2026, 3, 2, 10, 0), days=-1)


def test_naive_datetimes_are_rejected():
    naive = datetime(2026, 3, 2, 10, 0)

    with pytest.raises(ValueError, match="timezone-aware"):
        add_working_days(CAL, start=naive, days=1)
    with pytest.raises(ValueError, match="timezone-aware"):
        working_time_between(CAL, start=naive, end=wib(2026, 3, 3, 10, 0))
    with pytest.raises(ValueError, match="timezone-aware"):
        working_time_between(CAL, start=wib(2026, 3, 2, 10, 0), end=naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        clock_start(CAL, naive)


def test_utc_input_is_read_in_wib_and_the_deadline_comes_back_in_wib():
    monday_ten_wib = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)

    deadline = add_working_days(CAL, start=monday_ten_wib, days=3)

    assert deadline == wib(2026, 3, 5, 10, 0)
    assert deadline.tzinfo == WIB
    assert deadline.utcoffset() == timedelta(hours=7)
    assert deadline.isoformat() == "2026-03-05T10:00:00+07:00"


def test_utc_afternoon_that_is_after_closing_in_wib_starts_next_working_day():
    friday_half_past_four_wib = datetime(2026, 3, 6, 9, 30, tzinfo=UTC)

    deadline = add_working_days(CAL, start=friday_half_past_four_wib, days=1)

    assert deadline == wib(2026, 3, 9, 16, 0)


def test_utc_late_evening_that_is_already_tomorrow_in_wib():
    sunday_evening_utc_is_monday_morning_wib = datetime(2026, 3, 1, 18, 0, tzinfo=UTC)

    assert clock_start(CAL, sunday_evening_utc_is_monday_morning_wib) == wib(2026, 3, 2, 8, 0)


def test_working_time_between_counts_office_hours_across_a_night():
    assert working_time_between(
        CAL, start=wib(2026, 3, 2, 15, 0), end=wib(2026, 3, 3, 9, 0)
    ) == timedelta(hours=2)


def test_working_time_between_skips_the_weekend():
    assert working_time_between(
        CAL, start=wib(2026, 3, 6, 15, 0), end=wib(2026, 3, 9, 9, 30)
    ) == timedelta(hours=1 + 1, minutes=30)  # Friday 15-16, Monday 8-9:30


def test_working_time_between_skips_holidays_and_collective_leave():
    assert working_time_between(
        CAL, start=wib(2026, 5, 13, 8, 0), end=wib(2026, 5, 19, 12, 0)
    ) == timedelta(hours=8 + 8 + 4)


def test_working_time_between_a_whole_week_is_five_office_days():
    assert working_time_between(
        CAL, start=wib(2026, 3, 2, 0, 0), end=wib(2026, 3, 9, 0, 0)
    ) == timedelta(hours=40)


def test_working_time_between_outside_office_hours_is_zero():
    assert working_time_between(
        CAL, start=wib(2026, 3, 6, 16, 0), end=wib(2026, 3, 9, 8, 0)
    ) == timedelta(0)


def test_working_time_between_is_zero_when_end_is_not_after_start():
    assert working_time_between(
        CAL, start=wib(2026, 3, 3, 10, 0), end=wib(2026, 3, 2, 10, 0)
    ) == timedelta(0)
    assert working_time_between(
        CAL, start=wib(2026, 3, 3, 10, 0), end=wib(2026, 3, 3, 10, 0)
    ) == timedelta(0)


def test_working_time_between_accepts_moments_in_different_zones():
    start = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # Monday 09:00 WIB
    end = datetime(2026, 3, 2, 22, 0, tzinfo=ZoneInfo("America/New_York"))  # Tue 10:00 WIB

    assert working_time_between(CAL, start=start, end=end) == timedelta(hours=9)


def test_working_days_between_is_office_time_in_office_days():
    assert working_days_between(CAL, start=wib(2026, 3, 2, 8, 0), end=wib(2026, 3, 4, 12, 0)) == 2.5


def test_custom_office_hours_and_weekend_are_respected():
    # Friday-Saturday weekend, office 07:30-15:00 (7.5 hours).
    cal = WorkCalendar(weekend_days=frozenset({4, 5}), opens_at=time(7, 30), closes_at=time(15))

    assert cal.day_length == timedelta(hours=7, minutes=30)
    assert add_working_days(cal, start=wib(2026, 3, 5, 14, 0), days=1) == wib(2026, 3, 8, 14, 0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("08:00-16:00", (time(8, 0), time(16, 0))),
        (" 7:30 - 15:30 ", (time(7, 30), time(15, 30))),
        ("00:00-23:59", (time(0, 0), time(23, 59))),
    ],
)
def test_parse_office_hours_reads_opening_and_closing(text, expected):
    assert parse_office_hours(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", 'must be written "HH:MM-HH:MM"'),
        ("08:00", 'must be written "HH:MM-HH:MM"'),
        ("8-16", 'must be written "HH:MM-HH:MM"'),
        ("08.00-16.00", 'must be written "HH:MM-HH:MM"'),
        ("08:00–16:00", 'must be written "HH:MM-HH:MM"'),  # en dash
        ("25:00-26:00", "impossible time"),
        ("08:60-16:00", "impossible time"),
        ("16:00-08:00", "closing time must be after opening time"),
        ("08:00-08:00", "closing time must be after opening time"),
    ],
)
def test_parse_office_hours_rejects_bad_input_with_a_clear_message(text, message):
    with pytest.raises(ValueError, match=message):
        parse_office_hours(text)


def test_calendar_rejects_closing_before_opening():
    with pytest.raises(ValueError, match="must be after opening time"):
        WorkCalendar(opens_at=time(16), closes_at=time(8))


@pytest.mark.parametrize("weekend", [frozenset(range(7)), frozenset({5, 7}), frozenset({-1})])
def test_calendar_rejects_impossible_weekends(weekend):
    with pytest.raises(ValueError, match="weekend_days"):
        WorkCalendar(weekend_days=weekend)


@st.composite
def calendars(draw):
    opening_minute = draw(st.integers(0, 22 * 60))
    closing_minute = draw(st.integers(opening_minute + 1, 23 * 60 + 59))
    return WorkCalendar(
        holidays=draw(st.frozensets(st.dates(date(2025, 12, 1), date(2028, 12, 31)), max_size=120)),
        weekend_days=draw(st.frozensets(st.integers(0, 6), max_size=6)),
        opens_at=time(*divmod(opening_minute, 60)),
        closes_at=time(*divmod(closing_minute, 60)),
    )


moments = st.datetimes(
    min_value=datetime(2026, 1, 1),
    max_value=datetime(2027, 12, 31),
    timezones=st.sampled_from([WIB, UTC, ZoneInfo("America/New_York"), ZoneInfo("Asia/Tokyo")]),
)


@settings(max_examples=300, deadline=None)
@given(cal=calendars(), start=moments, days=st.integers(0, 60))
def test_deadline_is_inside_office_hours_and_holds_exactly_the_promised_office_time(
    cal, start, days
):
    deadline = add_working_days(cal, start=start, days=days)

    assert deadline.tzinfo == WIB
    assert deadline >= start
    assert is_working_day(cal, deadline.date())
    assert cal.opening(deadline.date()) <= deadline <= cal.closing(deadline.date())
    assert working_time_between(cal, start=start, end=deadline) == cal.day_length * days


@settings(max_examples=200, deadline=None)
@given(cal=calendars(), start=moments, hours=st.integers(0, 24 * 30))
def test_working_time_between_never_exceeds_wall_time_and_splits_at_any_midpoint(cal, start, hours):
    # Elapsed time, not wall-clock: `start + timedelta` drops `fold`, so from the second
    # 01:00 of a New York autumn night "+ 0 hours" would land an hour earlier.
    end = (start.astimezone(UTC) + timedelta(hours=hours)).astimezone(start.tzinfo)
    middle = (start.astimezone(UTC) + timedelta(hours=hours / 3)).astimezone(start.tzinfo)

    total = working_time_between(cal, start=start, end=end)

    assert timedelta(0) <= total <= end.astimezone(UTC) - start.astimezone(UTC)
    assert total == working_time_between(cal, start=start, end=middle) + working_time_between(
        cal, start=middle, end=end
    )


def _working_time_day_by_day(cal, *, start, end):
    """The former implementation (each day's overlap with office hours, added up): the
    reference the constant-time one must match to the microsecond."""
    start_local, end_local = start.astimezone(cal.tz), end.astimezone(cal.tz)
    total = timedelta(0)
    if end_local <= start_local:
        return total
    day = start_local.date()
    while day <= end_local.date():
        if is_working_day(cal, day):
            lower = max(start_local, cal.opening(day))
            upper = min(end_local, cal.closing(day))
            if upper > lower:
                total += upper - lower
        day += timedelta(days=1)
    return total


@st.composite
def calendars_anywhere(draw):
    """Calendars with any hours (to the second), weekend, days off and zone."""
    opening = draw(st.integers(0, 86_398))
    closing = draw(st.integers(opening + 1, 86_399))
    return WorkCalendar(
        holidays=draw(st.frozensets(st.dates(date(2024, 6, 1), date(2029, 6, 30)), max_size=150)),
        weekend_days=draw(st.frozensets(st.integers(0, 6), max_size=6)),
        opens_at=time(opening // 3600, opening // 60 % 60, opening % 60),
        closes_at=time(closing // 3600, closing // 60 % 60, closing % 60),
        tz=draw(st.sampled_from([WIB, UTC, ZoneInfo("America/New_York")])),
    )


wide_moments = st.datetimes(
    min_value=datetime(2024, 1, 1),
    max_value=datetime(2029, 12, 31),
    timezones=st.sampled_from([WIB, UTC, ZoneInfo("America/New_York"), ZoneInfo("Asia/Tokyo")]),
)


@settings(max_examples=1500, deadline=None)
@given(cal=calendars_anywhere(), start=wide_moments, end=wide_moments)
def test_working_time_between_equals_the_day_by_day_sum(cal, start, end):
    assert working_time_between(cal, start=start, end=end) == _working_time_day_by_day(
        cal, start=start, end=end
    )


@settings(max_examples=500, deadline=None)
@given(
    cal=calendars_anywhere(),
    start=wide_moments,
    span=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=9)),
)
def test_working_time_between_equals_the_day_by_day_sum_over_short_spans(cal, start, span):
    end = start + span
    assert working_time_between(cal, start=start, end=end) == _working_time_day_by_day(
        cal, start=start, end=end
    )


@settings(max_examples=300, deadline=None)
@given(cal=calendars_anywhere(), other=calendars_anywhere(), start=wide_moments, end=wide_moments)
def test_working_days_between_is_the_reference_over_the_day_length_on_any_calendar(
    cal, other, start, end
):
    # Alternating two calendars: the kept index must follow the calendar passed.
    for calendar in (cal, other, cal):
        expected = _working_time_day_by_day(calendar, start=start, end=end) / calendar.day_length
        assert working_days_between(calendar, start=start, end=end) == expected
