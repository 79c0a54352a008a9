"""Seeding categories from the data file."""

import json

import pytest

from telepati.org.services import territory_seed
from telepati.reports.models import MAX_RESOLUTION_WORKING_DAYS, Category
from telepati.reports.services.reference import CATEGORIES_FILE, category_seed

pytestmark = pytest.mark.django_db


def test_data_file_lists_ten_categories_within_the_deadline_limit():
    rows = json.loads(CATEGORIES_FILE.read_text(encoding="utf-8"))

    assert [row["code"] for row in rows] == [
        "adminduk",
        "kebersihan-sampah",
        "banjir-drainase",
        "jalan-infrastruktur",
        "penerangan-jalan",
        "kesehatan",
        "umkm",
        "ketertiban-umum",
        "sosial",
        "lainnya",
    ]
    assert all(row["sla_verification_days"] == 3 for row in rows)
    assert all(row["sla_first_response_days"] == 5 for row in rows)
    assert all(1 <= row["sla_resolution_days"] <= MAX_RESOLUTION_WORKING_DAYS for row in rows)


def test_category_seed_links_default_units():
    territory_seed()

    count = category_seed()

    assert (count.created, count.existing) == (10, 0)
    default_unit = Category.objects.get(code="kebersihan-sampah").default_unit
    assert default_unit is not None
    assert default_unit.short_name == "DLH"


def test_category_seed_without_units_leaves_the_default_unit_empty():
    count = category_seed()

    assert count.created == 10
    assert Category.objects.filter(default_unit__isnull=False).count() == 0


def test_private_by_default_for_personal_matters():
    category_seed()

    private = sorted(
        Category.objects.filter(public_by_default=False).values_list("code", flat=True)
    )
    assert private == ["adminduk", "kesehatan", "sosial"]


def test_category_seed_twice_creates_nothing_more():
    category_seed()

    count = category_seed()

    assert (count.created, count.existing) == (0, 10)
