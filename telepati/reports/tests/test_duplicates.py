"""Duplicate suggestions: distance, age window, same category and kecamatan, open only."""

import math
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from telepati.reports.duplicates import (
    EARTH_RADIUS_M,
    bounding_box,
    haversine_m,
    report_duplicates_suggest,
)
from telepati.reports.lifecycle import OPEN_STATES, Status
from telepati.reports.models import Report

from .conftest import MONDAY_MORNING

# Jl. Sisingamangaraja by Terminal Amplas.
LAT, LON = 3.535000, 98.713000


def north_of(metres):
    """The latitude `metres` due north of LAT (a meridian arc), at the stored precision."""
    return Decimal(str(round(LAT + math.degrees(metres / EARTH_RADIUS_M), 6)))


def east_of(metres):
    return Decimal(
        str(round(LON + math.degrees(metres / (EARTH_RADIUS_M * math.cos(math.radians(LAT)))), 6))
    )


# --- Geometry (pure) ----------------------------------------------------------------------


def test_haversine_of_one_degree_of_latitude_is_about_111_km():
    assert haversine_m(0, 0, 1, 0) == pytest.approx(111_195, abs=1)


def test_haversine_is_zero_for_one_point_and_symmetric():
    assert haversine_m(LAT, LON, LAT, LON) == 0
    there = (3.5412, 98.7201)
    assert haversine_m(LAT, LON, *there) == pytest.approx(haversine_m(*there, LAT, LON))


def test_haversine_from_terminal_amplas_to_lapangan_merdeka_is_about_7_km():
    # Terminal Amplas to Lapangan Merdeka Medan (3.5913 N, 98.6778 E): about 7.35 km.
    assert haversine_m(LAT, LON, 3.5913, 98.6778) == pytest.approx(7_354, rel=0.01)


def test_the_bounding_box_holds_the_circle_it_was_made_for():
    box = bounding_box(LAT, LON, 150)

    assert box.min_lat < LAT < box.max_lat
    assert box.min_lon < LON < box.max_lon
    assert haversine_m(LAT, LON, box.max_lat, LON) == pytest.approx(150, abs=0.01)
    assert haversine_m(LAT, LON, LAT, box.max_lon) == pytest.approx(150, abs=0.01)
    # East-west degrees are shorter near the equator's north, so the box is a bit wider.
    assert box.max_lon - LON > box.max_lat - LAT


# --- Suggestions --------------------------------------------------------------------------


@pytest.fixture
def near(submit):
    """Submit a rubbish report at a point; keyword arguments override the draft."""

    def _near(latitude, longitude, **overrides):
        return submit(latitude=latitude, longitude=longitude, **overrides)

    return _near


@pytest.fixture
def suggest(amplas):
    """Suggestions for a new report at (LAT, LON) in Medan Amplas, an hour after the others."""

    def _suggest(category, **overrides):
        arguments = {
            "category_id": category.pk,
            "kecamatan_id": amplas.pk,
            "latitude": LAT,
            "longitude": LON,
            "at": MONDAY_MORNING + timedelta(hours=1),
        }
        arguments.update(overrides)
        return report_duplicates_suggest(**arguments)

    return _suggest


def test_149_metres_away_is_a_duplicate_and_151_is_not(suggest, near, sanitation):
    inside = near(north_of(149), LON)
    near(north_of(151), LON)
    near(LAT, east_of(151))

    candidates = suggest(sanitation)

    assert [c.report for c in candidates] == [inside]
    assert candidates[0].distance_m == pytest.approx(149, abs=0.2)


def test_nearest_first_then_newest(suggest, near, sanitation):
    far = near(north_of(120), LON)
    close_old = near(LAT, east_of(30))
    close_new = near(LAT, east_of(30), submitted_at=MONDAY_MORNING + timedelta(minutes=5))
    middle = near(north_of(60), LON)

    assert [c.report for c in suggest(sanitation)] == [close_new, close_old, middle, far]
    assert [c.report for c in suggest(sanitation, limit=2)] == [close_new, close_old]


def test_the_age_window_is_inclusive_at_its_edge(suggest, near, sanitation, settings):
    settings.TELEPATI_DUPLICATE_MAX_AGE_DAYS = 30
    report = near(LAT, LON)
    edge = report.submitted_at + timedelta(days=30)

    assert [c.report for c in suggest(sanitation, at=edge)] == [report]
    assert suggest(sanitation, at=edge + timedelta(seconds=1)) == []


def test_other_category_kecamatan_and_finished_reports_are_left_out(
    suggest, near, sanitation, drainage, gedung_johor
):
    near(LAT, LON, category_code=drainage.code)
    near(LAT, LON, kelurahan_id=gedung_johor.pk)
    for status in (Status.RESOLVED, Status.CLOSED, Status.MERGED, Status.REJECTED):
        report = near(LAT, LON)
        fields: dict[str, Any] = {"status": status}
        if status == Status.MERGED:
            fields["merged_into"] = report
        if status == Status.REJECTED:
            fields["rejection_reason"] = "Bukan wewenang."
        Report.objects.filter(pk=report.pk).update(**fields)
    still_open = near(LAT, LON)
    Report.objects.filter(pk=still_open.pk).update(status=Status.IN_PROGRESS)

    assert [c.report for c in suggest(sanitation)] == [still_open]


def test_the_report_itself_can_be_left_out(suggest, near, sanitation):
    report = near(LAT, LON)

    assert suggest(sanitation, exclude_report_id=report.pk) == []


def test_without_a_point_the_same_kelurahan_is_suggested_newest_first(
    suggest, near, submit, sanitation, harjosari_i, sitirejo_ii
):
    first = submit()
    second = submit(submitted_at=MONDAY_MORNING + timedelta(minutes=1))
    near(LAT, LON, kelurahan_id=sitirejo_ii.pk)

    candidates = suggest(sanitation, latitude=None, longitude=None, kelurahan_id=harjosari_i.pk)

    assert [(c.report, c.distance_m) for c in candidates] == [(second, None), (first, None)]
    assert suggest(sanitation, latitude=None, longitude=None) == []


def test_one_query_whatever_the_number_of_candidates(
    suggest, near, sanitation, django_assert_num_queries
):
    for metres in range(0, 140, 10):
        near(north_of(metres), LON)

    with django_assert_num_queries(1):
        candidates = suggest(sanitation, limit=20)
        names = [(c.report.category.name, c.report.kelurahan.name) for c in candidates]

    assert len(names) == 14


def test_the_nearby_index_covers_exactly_the_open_states():
    index = next(i for i in Report._meta.indexes if i.name == "report_open_nearby_idx")
    ((lookup, statuses),) = index.condition.children
    assert lookup == "status__in"
    assert sorted(statuses) == sorted(s.value for s in OPEN_STATES)
