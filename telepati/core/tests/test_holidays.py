"""Seeding and verifying holidays: the service, the command and the admin."""

from datetime import date
from io import StringIO

import holidays
import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from freezegun import freeze_time

from telepati.core.errors import Forbidden, InvalidInput
from telepati.core.models import Holiday, HolidayKind
from telepati.core.services import holiday_mark_verified, holidays_seed

pytestmark = pytest.mark.django_db

SOURCE = f"holidays {holidays.__version__}"


@pytest.fixture
def administrator(django_user_model):
    user = django_user_model.objects.create_user(username="admin.kecamatan", password="x" * 12)
    user.user_permissions.add(Permission.objects.get(codename="change_holiday"))
    return django_user_model.objects.get(pk=user.pk)  # fresh permission cache


@pytest.fixture
def outsider(django_user_model):
    return django_user_model.objects.create_user(username="warga.luar", password="x" * 12)


def rows(year):
    return list(
        Holiday.objects.filter(date__year=year).values_list(
            "date", "name", "kind", "is_day_off", "verified"
        )
    )


def test_seed_2026_adds_every_national_holiday_and_collective_leave_unverified():
    created = holidays_seed(years=[2026])

    assert created == 25
    assert Holiday.objects.count() == 25
    assert set(Holiday.objects.values_list("source", flat=True)) == {SOURCE}
    assert not Holiday.objects.filter(verified=True).exists()
    assert not Holiday.objects.filter(is_day_off=False).exists()
    assert [r for r in rows(2026) if date(2026, 3, 18) <= r[0] <= date(2026, 3, 24)] == [
        (date(2026, 3, 18), "Cuti Bersama Hari Suci Nyepi", "collective_leave", True, False),
        (date(2026, 3, 19), "Hari Suci Nyepi", "national", True, False),
        (date(2026, 3, 20), "Cuti Bersama Hari Raya Idul Fitri", "collective_leave", True, False),
        (date(2026, 3, 21), "Hari Raya Idul Fitri", "national", True, False),
        (date(2026, 3, 22), "Hari kedua dari Hari Raya Idul Fitri", "national", True, False),
        (date(2026, 3, 23), "Cuti Bersama Hari Raya Idul Fitri", "collective_leave", True, False),
        (date(2026, 3, 24), "Cuti Bersama Hari Raya Idul Fitri", "collective_leave", True, False),
    ]
    assert Holiday.objects.filter(kind=HolidayKind.COLLECTIVE_LEAVE).count() == 8


def test_seed_twice_adds_nothing_the_second_time():
    first = holidays_seed(years=[2026, 2027])
    before = list(Holiday.objects.values_list("date", "name", "kind", "updated_at"))

    second = holidays_seed(years=[2026, 2027])

    assert (first, second) == (25 + 26, 0)
    assert list(Holiday.objects.values_list("date", "name", "kind", "updated_at")) == before


def test_seed_does_not_tick_again_a_day_an_administrator_unticked():
    holidays_seed(years=[2026])
    Holiday.objects.filter(date=date(2026, 5, 15)).update(is_day_off=False)

    assert holidays_seed(years=[2026]) == 0
    assert Holiday.objects.get(date=date(2026, 5, 15)).is_day_off is False
    assert Holiday.objects.count() == 25


def test_seed_does_not_add_again_a_holiday_an_administrator_deleted():
    holidays_seed(years=[2026])
    Holiday.objects.filter(date=date(2026, 12, 24)).delete()

    assert holidays_seed(years=[2026]) == 0
    assert not Holiday.objects.filter(date=date(2026, 12, 24)).exists()
    assert Holiday.objects.count() == 24


def test_seed_skips_a_year_that_already_has_rows_and_seeds_the_others():
    Holiday.objects.create(date=date(2027, 3, 10), name="Idul Fitri (SKB)", verified=True)

    created = holidays_seed(years=[2027, 2026])

    assert created == 25
    assert rows(2027) == [(date(2027, 3, 10), "Idul Fitri (SKB)", "national", True, True)]


def test_seed_keeps_the_librarys_estimate_marker_in_names():
    holidays_seed(years=[2027])

    assert Holiday.objects.get(date=date(2027, 3, 10)).name == "Hari Raya Idul Fitri (perkiraan)"
    assert Holiday.objects.get(date=date(2027, 5, 17)).name == "Hari Raya Idul Adha (perkiraan)"


def test_seed_makes_one_row_for_two_holidays_on_one_date():
    holidays_seed(years=[2021])

    row = Holiday.objects.get(date=date(2021, 5, 13))
    assert row.name == "Hari Raya Idul Fitri; Kenaikan Yesus Kristus"
    assert row.kind == HolidayKind.NATIONAL


def test_seed_refuses_years_the_library_does_not_cover_and_adds_nothing():
    with pytest.raises(InvalidInput, match="1900"):
        holidays_seed(years=[2026, 1900])

    assert Holiday.objects.count() == 0


def test_seed_with_no_years_adds_nothing():
    assert holidays_seed(years=[]) == 0
    assert Holiday.objects.count() == 0


def test_administrator_marks_holidays_verified(administrator):
    holidays_seed(years=[2026])
    lebaran = list(
        Holiday.objects.filter(date__range=(date(2026, 3, 20), date(2026, 3, 24))).values_list(
            "pk", flat=True
        )
    )
    Holiday.objects.filter(pk=lebaran[0]).update(verified=True)

    updated = holiday_mark_verified(holiday_ids=lebaran, actor=administrator)

    assert updated == 4
    assert set(Holiday.objects.filter(verified=True).values_list("pk", flat=True)) == set(lebaran)


def test_outsider_cannot_mark_holidays_verified_and_nothing_changes(outsider):
    holidays_seed(years=[2026])
    ids = list(Holiday.objects.values_list("pk", flat=True))

    with pytest.raises(Forbidden):
        holiday_mark_verified(holiday_ids=ids, actor=outsider)

    assert Holiday.objects.filter(verified=True).count() == 0


def test_seed_holidays_command_reports_in_indonesian_and_is_idempotent():
    out = StringIO()
    call_command("seed_holidays", "--year", "2026", "--year", "2027", stdout=out)

    assert out.getvalue().splitlines() == [
        "Tahun 2026: 25 hari libur dan cuti bersama ditambahkan.",
        "Tahun 2027: 26 hari libur dan cuti bersama ditambahkan.",
        "Selesai: 51 baris baru. Periksa dan verifikasi di halaman admin.",
    ]

    again = StringIO()
    call_command("seed_holidays", "--year", "2026", stdout=again)

    assert again.getvalue().splitlines() == [
        "Tahun 2026: dilewati, sudah ada data hari libur.",
        "Selesai: 0 baris baru. Periksa dan verifikasi di halaman admin.",
    ]
    assert Holiday.objects.count() == 51


@freeze_time("2026-12-31T18:00:00Z")  # already 1 January 2027, 01:00 in WIB
def test_seed_holidays_command_defaults_to_this_and_next_year_in_wib():
    call_command("seed_holidays", stdout=StringIO())

    assert sorted(Holiday.objects.dates("date", "year")) == [date(2027, 1, 1), date(2028, 1, 1)]


def test_seed_holidays_command_refuses_an_uncovered_year():
    with pytest.raises(CommandError, match="1900"):
        call_command("seed_holidays", "--year", "1900", stdout=StringIO())


def test_admin_lists_holidays_with_indonesian_weekday_names(admin_client):
    holidays_seed(years=[2026])

    response = admin_client.get("/admin/core/holiday/", {"date__year": "2026", "q": "Idul Fitri"})

    assert response.status_code == 200
    assert response.context["cl"].result_count == 5
    content = response.content.decode()
    assert "Jumat" in content  # 20 March 2026
    assert "Tandai sudah diverifikasi" in content


def test_admin_action_marks_selected_holidays_verified(admin_client):
    holidays_seed(years=[2026])
    christmas = list(
        Holiday.objects.filter(date__month=12).values_list("pk", flat=True).order_by("pk")
    )

    response = admin_client.post(
        "/admin/core/holiday/",
        {"action": "mark_verified", "_selected_action": christmas},
        follow=True,
    )

    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [
        "2 hari libur ditandai sudah diverifikasi."
    ]
    assert sorted(Holiday.objects.filter(verified=True).values_list("pk", flat=True)) == christmas


def test_admin_can_edit_a_holiday(admin_client):
    holiday = Holiday.objects.create(date=date(2026, 5, 15), name="Cuti Bersama")

    response = admin_client.post(
        f"/admin/core/holiday/{holiday.pk}/change/",
        {
            "date": "2026-05-15",
            "name": "Cuti Bersama Kenaikan Yesus Kristus",
            "kind": "collective_leave",
            "verified": "on",
            "source": "SKB 3 Menteri 2026",
            "note": "",
        },
    )

    assert response.status_code == 302
    holiday.refresh_from_db()
    assert (holiday.name, holiday.kind, holiday.is_day_off, holiday.verified) == (
        "Cuti Bersama Kenaikan Yesus Kristus",
        "collective_leave",
        False,
        True,
    )
