"""Stored figures (`reports.figures_store`): what a page reads from the store is exactly what
the live computation gives at the same moment (on the hand-computed dashboard scenario and
on the public statistics), the refresh covers every area and single filter, and a row too
old or of another payload version is computed again."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time

from telepati.accounts.selectors import officer_scope_get
from telepati.core.models import StoredFigures
from telepati.org.models import Kecamatan, Kelurahan
from telepati.reports import statistics as stats
from telepati.reports.figures_store import (
    DASHBOARD,
    MAX_AGE,
    PUBLIC_STATISTICS,
    dashboard_decode,
    dashboard_encode,
    dashboard_figures_refresh,
    dashboard_figures_store,
    dashboard_figures_stored,
    dashboard_key,
    public_decode,
    public_encode,
    public_filters_to_refresh,
    public_key,
    public_statistics_refresh,
    public_statistics_stored,
)
from telepati.reports.selectors_dashboard import (
    DashboardArea,
    dashboard_area_for,
    dashboard_figures_for_officer,
)
from telepati.reports.selectors_transparency import TransparencyFilters, public_statistics
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


def _stored_payload(kind, key):
    return StoredFigures.objects.get(kind=kind, key=key).payload


@freeze_time(MOMENT)
@pytest.mark.parametrize("persona", ["camat", "lurah", "superuser"])
def test_the_refresh_stores_exactly_the_live_dashboard_figures(scenario, persona, request):
    user = request.getfixturevalue(persona)
    live = dashboard_figures_for_officer(user=user, period=NOVEMBER, moment=MOMENT)

    dashboard_figures_refresh()
    area = dashboard_area_for(officer_scope_get(user=user))
    stored = dashboard_decode(_stored_payload(DASHBOARD, dashboard_key(area, NOVEMBER)), area=area)

    assert stored == live
    assert stored.moment == MOMENT


@freeze_time(MOMENT)
def test_the_page_reads_the_hand_computed_figures_back_from_the_store(scenario, camat):
    first = dashboard_figures_stored(user=camat, period=NOVEMBER)  # computed, stored

    again = dashboard_figures_stored(user=camat, period=NOVEMBER)  # read back

    assert StoredFigures.objects.filter(kind=DASHBOARD).count() == 1
    assert again == first
    assert again.headline == stats.Headline(
        new=4, open=4, overdue=3, resolved=2, due=3, on_time=2, rated=2, rating_average=4.0
    )
    assert (again.median_response_days, again.median_resolution_days) == (1.25, 7.0)
    assert again.statuses == {"new": 1, "verified": 1, "forwarded": 1, "in_progress": 1}
    assert again.ratings == {1: 0, 2: 0, 3: 1, 4: 0, 5: 1}
    assert [u.name for u in again.units] == [
        "Dinas SDABMBK",
        "Kantor Lurah Harjosari I",
        "Dinas Lingkungan Hidup",
    ]


def test_the_payload_survives_json_exactly(scenario, camat):
    live = dashboard_figures_for_officer(user=camat, period=NOVEMBER, moment=MOMENT)

    assert dashboard_decode(json.loads(json.dumps(dashboard_encode(live)))) == live


def test_a_row_older_than_its_max_age_or_of_another_version_is_computed_again(scenario, camat):
    with freeze_time(MOMENT) as clock:
        dashboard_figures_stored(user=camat, period=NOVEMBER)
        clock.tick(MAX_AGE[DASHBOARD] - timedelta(seconds=1))
        assert dashboard_figures_stored(user=camat, period=NOVEMBER).moment == MOMENT

        clock.tick(timedelta(seconds=2))
        later = dashboard_figures_stored(user=camat, period=NOVEMBER)
        assert later.moment == timezone.now()

        row = StoredFigures.objects.get(kind=DASHBOARD)
        row.payload = {**row.payload, "version": 0}
        row.save()
        clock.tick(timedelta(seconds=1))
        assert dashboard_figures_stored(user=camat, period=NOVEMBER).moment == timezone.now()


@freeze_time(MOMENT)
def test_the_dashboard_refresh_covers_each_kecamatan_kelurahan_the_territory_and_opened_areas(
    scenario, camat, territory
):
    combined = DashboardArea(
        frozenset({Kecamatan.objects.earliest("pk").pk}),
        frozenset({Kelurahan.objects.earliest("pk").pk}),
        everything=False,
        title="Gabungan",
    )
    dashboard_figures_store(area=combined, period=NOVEMBER, moment=MOMENT - timedelta(hours=1))

    refreshed = dashboard_figures_refresh()

    expected = (
        1
        + Kecamatan.objects.filter(is_active=True).count()
        + Kelurahan.objects.filter(is_active=True).count()
        + 1
    )
    assert refreshed == expected
    assert StoredFigures.objects.filter(kind=DASHBOARD).count() == expected
    assert not StoredFigures.objects.exclude(computed_at=MOMENT).exists()


@freeze_time(MOMENT)
def test_the_public_refresh_stores_exactly_the_live_statistics_for_each_single_filter(scenario):
    refreshed = public_statistics_refresh()

    filters = public_filters_to_refresh()
    assert refreshed == len(filters) > 2
    for each in filters:
        stored = public_decode(_stored_payload(PUBLIC_STATISTICS, public_key(each)))
        assert stored == public_statistics(filters=each, moment=MOMENT)
    assert public_statistics_stored(filters=TransparencyFilters()) == public_statistics(
        filters=TransparencyFilters(), moment=MOMENT
    )


@freeze_time(MOMENT)
def test_the_public_payload_survives_json_exactly(scenario):
    live = public_statistics(filters=TransparencyFilters(), moment=MOMENT)

    assert live.headline.new > 0
    assert public_decode(json.loads(json.dumps(public_encode(live)))) == live


def test_shared_duration_samples_give_the_medians_of_separate_fetches(scenario):
    from telepati.core.selectors import work_calendar_get
    from telepati.reports.models import Report

    reports, calendar = Report.objects.all(), work_calendar_get()
    response, resolution = stats.period_samples(
        reports, period=NOVEMBER, keys=("category_id", "kelurahan_id"), calendar=calendar
    )

    assert response.median() == stats.median_working_days(
        reports.filter(NOVEMBER.q("first_response_at")),
        start="submitted_at",
        end="first_response_at",
        calendar=calendar,
    )
    assert resolution.median() == stats.median_working_days(
        reports.filter(NOVEMBER.q("resolved_at")),
        start="submitted_at",
        end="resolved_at",
        calendar=calendar,
    )
    for key, label in (("category_id", "category__name"), ("kelurahan_id", "kelurahan__name")):
        for days in (calendar, None):
            shared = stats.period_samples(
                reports, period=NOVEMBER, keys=("category_id", "kelurahan_id"), calendar=days
            )
            alone = stats.figures_by(
                reports, key=key, label=label, period=NOVEMBER, moment=MOMENT, calendar=days
            )
            assert alone == stats.figures_by(
                reports,
                key=key,
                label=label,
                period=NOVEMBER,
                moment=MOMENT,
                calendar=days,
                response=shared[0],
                resolution=shared[1],
            )
            assert any(g.median_resolution_days is not None for g in alone)
