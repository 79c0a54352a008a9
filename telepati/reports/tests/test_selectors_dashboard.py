"""Dashboard figures: every number equals the count worked out by hand from the scenario
(`dashboard_scenario`), per area (camat: the kecamatan; lurah: their kelurahan), and who
may open it at all."""

from decimal import Decimal

import pytest
from django.db import connection

from telepati.core.errors import Forbidden
from telepati.reports import statistics as stats
from telepati.reports.models import Report
from telepati.reports.selectors_dashboard import (
    dashboard_figures_for_officer,
    dashboard_rows_for_officer,
)
from telepati.reports.tests.dashboard_scenario import MOMENT, NOVEMBER, build_scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(harjosari_i, sitirejo_ii, gedung_johor, dlh, roads_agency, harjosari_i_office, camat):
    return build_scenario(
        harjosari_i=harjosari_i,
        sitirejo_ii=sitirejo_ii,
        gedung_johor=gedung_johor,
        dlh=dlh,
        roads_agency=roads_agency,
        office=harjosari_i_office,
        actor=camat,
    )


def figures(user):
    return dashboard_figures_for_officer(user=user, period=NOVEMBER, moment=MOMENT)


def test_the_camat_sees_the_headline_of_the_whole_kecamatan(scenario, camat):
    result = figures(camat)

    assert result.area.title == "Kecamatan Medan Amplas"
    assert result.headline == stats.Headline(
        new=4, open=4, overdue=3, resolved=2, due=3, on_time=2, rated=2, rating_average=4.0
    )
    assert result.headline.compliance == pytest.approx(2 / 3)
    assert result.median_response_days == 1.25  # R1 1.0 and R2 1.5 working days
    assert result.median_resolution_days == 7.0  # R1 3.0 and R3 11.0 working days
    assert result.statuses == {"new": 1, "verified": 1, "forwarded": 1, "in_progress": 1}
    assert result.ratings == {1: 0, 2: 0, 3: 1, 4: 0, 5: 1}


def test_the_lurah_sees_only_their_kelurahan(
    scenario, lurah, dlh, roads_agency, harjosari_i_office
):
    result = figures(lurah)

    assert result.area.title == "Kelurahan Harjosari I"
    assert result.headline == stats.Headline(
        new=2, open=2, overdue=2, resolved=2, due=2, on_time=2, rated=2, rating_average=4.0
    )
    assert [g.label for g in result.by_kelurahan] == ["Harjosari I"]
    assert [(u.unit_id, u.open, u.overdue, u.done) for u in result.units] == [
        (roads_agency.pk, 1, 1, 0),
        (harjosari_i_office.pk, 0, 0, 1),
        (dlh.pk, 0, 0, 1),
    ]
    numbers = {
        row.tracking_number
        for row in dashboard_rows_for_officer(user=lurah, period=NOVEMBER, moment=MOMENT)
    }
    assert numbers == {"R1", "R3", "R4", "R8"}


def test_breakdowns_by_category_and_kelurahan(scenario, camat):
    result = figures(camat)

    by_category = {
        g.label: (g.new, g.open, g.overdue, g.resolved, g.due, g.on_time)
        for g in result.by_category
    }
    assert by_category == {
        "Kebersihan & sampah": (2, 1, 1, 2, 2, 2),
        "Banjir & drainase": (2, 3, 2, 0, 1, 0),
    }
    by_kelurahan = {g.label: (g.new, g.open, g.overdue, g.resolved) for g in result.by_kelurahan}
    assert by_kelurahan == {"Harjosari I": (2, 2, 2, 2), "Sitirejo II": (2, 2, 1, 0)}
    sanitation = next(g for g in result.by_category if g.label == "Kebersihan & sampah")
    assert (sanitation.median_response_days, sanitation.median_resolution_days) == (1.0, 7.0)


def test_units_slowest_first_without_returned_dispositions_or_other_kecamatan(
    scenario, camat, dlh, roads_agency, harjosari_i_office
):
    units = figures(camat).units

    assert [
        (u.unit_id, u.open, u.overdue, u.done, u.due, u.on_time, u.median_resolution_days)
        for u in units
    ] == [
        (roads_agency.pk, 2, 2, 0, 1, 0, None),
        (harjosari_i_office.pk, 0, 0, 1, 1, 0, 9.0),
        (dlh.pk, 0, 0, 1, 1, 1, 2.0),
    ]


def test_trend_ageing_and_hotspots(scenario, camat):
    result = figures(camat)

    assert [(t.period.code, t.submitted, t.resolved) for t in result.trend] == [
        ("2026-06", 0, 0),
        ("2026-07", 0, 0),
        ("2026-08", 0, 0),
        ("2026-09", 1, 0),
        ("2026-10", 2, 0),
        ("2026-11", 4, 2),
    ]
    assert [b.count for b in result.ageing] == [2, 0, 1, 0, 1]
    assert result.hotspots == [
        stats.HotSpot(Decimal("3.540"), Decimal("98.700"), 2),
        stats.HotSpot(Decimal("3.550"), Decimal("98.710"), 1),
    ]


def test_export_rows_are_every_report_a_figure_counts(scenario, camat):
    rows = dashboard_rows_for_officer(user=camat, period=NOVEMBER, moment=MOMENT)

    assert [row.tracking_number for row in rows] == ["R8", "R3", "R1", "R2", "R4", "R5"]
    r1 = rows[2]
    assert (r1.category, r1.kelurahan, r1.status, r1.units) == (
        "Kebersihan & sampah",
        "Harjosari I",
        "Selesai",
        "Dinas Lingkungan Hidup",
    )
    assert (r1.response_days, r1.resolution_days, r1.on_time) == (1.0, 3.0, True)
    assert [row.on_time for row in rows] == [False, True, True, False, None, None]


@pytest.mark.parametrize("persona", ["desk_operator", "administrator"])
def test_the_kecamatan_desk_sees_the_kecamatan(scenario, persona, request):
    assert figures(request.getfixturevalue(persona)).headline.new == 4


@pytest.mark.parametrize(
    "persona", ["section_staff", "kelurahan_staff", "agency_liaison", "courier"]
)
def test_roles_without_the_dashboard_are_forbidden(scenario, persona, request):
    with pytest.raises(Forbidden):
        figures(request.getfixturevalue(persona))
    with pytest.raises(Forbidden):
        dashboard_rows_for_officer(user=request.getfixturevalue(persona), period=NOVEMBER)


def test_the_other_kecamatan_sees_only_its_own(scenario, outsider):
    result = figures(outsider)

    assert (result.headline.new, result.headline.open, result.headline.overdue) == (1, 1, 1)


def test_median_paths_agree(scenario):
    reports = Report.objects.filter(NOVEMBER.q("first_response_at"), kecamatan__code="medan-amplas")

    python = stats.median_calendar_days(
        reports, start="submitted_at", end="first_response_at", method="python"
    )

    assert python == 1.08  # 24 h and 28 h
    if connection.vendor == "postgresql":
        database = stats.median_calendar_days(
            reports, start="submitted_at", end="first_response_at", method="database"
        )
        assert database == python
        assert (
            stats.median_calendar_days(reports, start="submitted_at", end="first_response_at")
            == python
        )


def test_figures_take_a_fixed_number_of_queries(scenario, camat, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        figures(camat)
