"""System checks for the working-day calendar settings."""

import pytest
from django.core.checks import Error, run_checks

from telepati.core.checks import check_work_calendar_settings


def test_default_settings_pass_the_calendar_check():
    assert check_work_calendar_settings() == []


@pytest.mark.parametrize("value", ["16:00-08:00", "8-16", "", "08:00-24:00"])
def test_invalid_office_hours_are_a_system_check_error(settings, value):
    settings.TELEPATI_OFFICE_HOURS = value

    errors = check_work_calendar_settings()

    assert [e.id for e in errors] == ["core.E001"]
    assert isinstance(errors[0], Error)
    assert errors[0].msg.startswith("TELEPATI_OFFICE_HOURS is invalid: ")
    assert errors[0].hint == 'Write the office hours in WIB as "HH:MM-HH:MM", e.g. "08:00-16:00".'


@pytest.mark.parametrize("value", [[0, 1, 2, 3, 4, 5, 6], [5, 7], ["sabtu"]])
def test_invalid_weekend_days_are_a_system_check_error(settings, value):
    settings.TELEPATI_WEEKEND_DAYS = value

    assert [e.id for e in check_work_calendar_settings()] == ["core.E002"]


def test_the_calendar_check_is_registered_with_django(settings):
    settings.TELEPATI_OFFICE_HOURS = "16:00-08:00"

    assert "core.E001" in [message.id for message in run_checks()]
