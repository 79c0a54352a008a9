"""The calendar built from the database and settings, and deadlines on real 2026 data."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured

from telepati.core.models import Holiday, HolidayKind
from telepati.core.selectors import holiday_years_present, work_calendar_get
from telepati.core.services import holidays_seed
from telepati.core.workdays import (
    WIB,
    add_working_days,
    clock_start,
    is_working_day,
    working_time_between,
)

pytestmark = pytest.mark.django_db


def wib(year, month, day, hour=0, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=WIB)


@pytest.fixture
def seeded_calendar():
    holidays_seed(years=[2026, 2027])
    return work_calendar_get()


def test_work_calendar_get_takes_one_query(django_assert_num_queries):
    Holiday.objects.create(date=date(2026, 8, 17), name="Hari Kemerdekaan")
    Holiday.objects.create(date=date(2026, 12, 25), name="Hari Raya Natal")

    with django_assert_num_queries(1):
        cal = work_calendar_get()

    assert cal.holidays == frozenset({date(2026, 8, 17), date(2026, 12, 25)})


def test_work_calendar_get_ignores_days_an_administrator_unticked():
    Holiday.objects.create(date=date(2026, 5, 14), name="Kenaikan Yesus Kristus")
    Holiday.objects.create(
        date=date(2026, 5, 15),
        name="Cuti Bersama Kenaikan Yesus Kristus",
        kind=HolidayKind.COLLECTIVE_LEAVE,
        is_day_off=False,
    )

    cal = work_calendar_get()

    assert cal.holidays == frozenset({date(2026, 5, 14)})
    assert is_working_day(cal, date(2026, 5, 15)) is True


def test_work_calendar_get_reads_office_hours_and_weekend_from_settings(settings):
    settings.TELEPATI_OFFICE_HOURS = "07:30-15:00"
    settings.TELEPATI_WEEKEND_DAYS = [4, 5]

    cal = work_calendar_get()

    assert (cal.opens_at, cal.closes_at) == (time(7, 30), time(15, 0))
    assert cal.weekend_days == frozenset({4, 5})
    assert cal.day_length == timedelta(hours=7, minutes=30)


def test_work_calendar_get_defaults_to_eight_to_four_monday_to_friday():
    cal = work_calendar_get()

    assert (cal.opens_at, cal.closes_at) == (time(8, 0), time(16, 0))
    assert cal.weekend_days == frozenset({5, 6})
    assert cal.holidays == frozenset()


def test_work_calendar_get_refuses_invalid_office_hours(settings):
    settings.TELEPATI_OFFICE_HOURS = "16:00-08:00"

    with pytest.raises(ImproperlyConfigured, match="closing time must be after opening time"):
        work_calendar_get()


def test_holiday_years_present_lists_only_years_with_rows():
    Holiday.objects.create(date=date(2027, 3, 10), name="Hari Raya Idul Fitri")

    assert holiday_years_present(years=[2026, 2027, 2028]) == {2027}
    assert holiday_years_present(years=[]) == set()


def test_report_on_nyepi_in_lebaran_2026_starts_the_clock_on_wednesday_25_march(
    seeded_calendar,
):
    # 18-24 March 2026: cuti bersama Nyepi, Nyepi, cuti bersama and Idul Fitri, weekend.
    assert [d for d in range(16, 27) if is_working_day(seeded_calendar, date(2026, 3, d))] == [
        16,
        17,
        25,
        26,
    ]
    report_at = wib(2026, 3, 19, 10, 0)  # Thursday, Hari Suci Nyepi

    assert clock_start(seeded_calendar, report_at) == wib(2026, 3, 25, 8, 0)
    assert add_working_days(seeded_calendar, start=report_at, days=3) == wib(2026, 3, 27, 16, 0)


def test_report_just_before_lebaran_2026_resumes_after_the_collective_leave(seeded_calendar):
    report_at = wib(2026, 3, 17, 14, 0)  # Tuesday, last working day before the break

    assert add_working_days(seeded_calendar, start=report_at, days=3) == wib(2026, 3, 27, 14, 0)
    assert working_time_between(
        seeded_calendar, start=report_at, end=wib(2026, 3, 25, 16, 0)
    ) == timedelta(hours=2 + 8)


def test_ascension_thursday_and_friday_collective_leave_2026_make_a_long_weekend(
    seeded_calendar,
):
    assert add_working_days(seeded_calendar, start=wib(2026, 5, 13, 14, 0), days=2) == wib(
        2026, 5, 19, 14, 0
    )


def test_year_boundary_2026_skips_new_year_and_isra_mikraj_2027(seeded_calendar):
    # 1 January 2027 is a Friday holiday; Tuesday 5 January 2027 is Isra Mikraj.
    assert add_working_days(seeded_calendar, start=wib(2026, 12, 30, 10, 0), days=3) == wib(
        2027, 1, 6, 10, 0
    )


def test_christmas_2026_collective_leave_and_holiday_close_thursday_and_friday(
    seeded_calendar,
):
    assert add_working_days(seeded_calendar, start=wib(2026, 12, 23, 20, 0), days=1) == wib(
        2026, 12, 28, 16, 0
    )
