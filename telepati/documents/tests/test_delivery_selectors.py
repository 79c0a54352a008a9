"""The courier's day: their stops, grouped by kelurahan, with map links, in constant queries."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from telepati.core.errors import Forbidden
from telepati.core.workdays import WIB
from telepati.documents.lifecycle import Status
from telepati.documents.selectors_delivery import courier_day_list, map_link
from telepati.documents.tests.handover_fixtures import *  # noqa: F403
from telepati.documents.tests.handover_fixtures import (
    TUESDAY,
    WEDNESDAY,
)


def test_a_day_lists_the_couriers_stops_by_kelurahan_then_code(
    make_application, courier, desk_operator, harjosari_i, sitirejo_ii
):
    late = make_application(Status.DELIVERY_SCHEDULED, courier=courier, kelurahan=sitirejo_ii)
    first = make_application(Status.DELIVERY_SCHEDULED, courier=courier)
    second = make_application(Status.OUT_FOR_DELIVERY, courier=courier)
    done = make_application(
        Status.HANDED_OVER,
        courier=courier,
        handed_over_at=datetime(2026, 11, 3, 23, 30, tzinfo=WIB),
        received_by_name="Siti Aminah",
    )
    # Not on the list: another day, another courier, no courier, delivered another day.
    make_application(Status.DELIVERY_SCHEDULED, courier=courier, delivery_date=WEDNESDAY)
    make_application(Status.DELIVERY_SCHEDULED, courier=desk_operator)
    make_application(Status.DELIVERY_SCHEDULED)
    make_application(
        Status.HANDED_OVER, courier=courier, handed_over_at=datetime(2026, 11, 4, 0, 0, tzinfo=WIB)
    )

    groups = courier_day_list(courier=courier, day=TUESDAY)

    assert [g.name for g in groups] == ["Harjosari I", "Sitirejo II"]
    assert [s.code for s in groups[0].stops] == [first.code, second.code, done.code]
    assert [s.code for s in groups[1].stops] == [late.code]
    stop = groups[0].stops[0]
    assert (stop.applicant_name, stop.phone, stop.address, stop.document) == (
        "Siti Aminah",
        "+6281234567890",
        "Jl. Garu II No. 12, Harjosari I",
        "KTP-el",
    )
    assert stop.map_link == (
        "https://www.google.com/maps/search/?api=1&query="
        "Jl.+Garu+II+No.+12,+Harjosari+I,+Harjosari+I,+Medan+Amplas,+Kota+Medan"
    )
    assert [s.is_done for s in groups[0].stops] == [False, False, True]
    assert groups[0].stops[2].received_by_name == "Siti Aminah"


def test_a_known_position_makes_an_exact_map_link():
    link = map_link(latitude=Decimal("3.534100"), longitude=Decimal("98.706200"), address="x")
    assert link == "https://www.google.com/maps/search/?api=1&query=3.534100,98.706200"


def test_stops_without_a_kelurahan_come_last(make_application, courier):
    make_application(Status.DELIVERY_SCHEDULED, courier=courier, kelurahan=None)
    make_application(Status.DELIVERY_SCHEDULED, courier=courier)
    assert [g.name for g in courier_day_list(courier=courier, day=TUESDAY)] == ["Harjosari I", ""]


def test_only_couriers_have_a_day_list(desk_operator):
    with pytest.raises(Forbidden):
        courier_day_list(courier=desk_operator, day=TUESDAY)


@pytest.mark.parametrize("stops", [3, 30])
def test_the_day_list_takes_two_queries_whatever_the_number_of_stops(
    make_application, courier, harjosari_i, sitirejo_ii, django_assert_num_queries, stops
):
    for number in range(stops):
        make_application(
            Status.DELIVERY_SCHEDULED,
            courier=courier,
            kelurahan=harjosari_i if number % 2 else sitirejo_ii,
        )
    with django_assert_num_queries(2):
        groups = courier_day_list(courier=courier, day=TUESDAY)
    assert sum(len(g.stops) for g in groups) == stops
