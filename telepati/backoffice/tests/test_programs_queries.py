"""Programs pages cost the same number of queries for 10 or 200 rows (lists and pages)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from telepati.programs.models import (
    Activity,
    ActivityPhoto,
    Business,
    Product,
    Retailer,
    Training,
    TrainingAttendance,
)
from telepati.programs.tests.conftest import activity_make, business_make

pytestmark = pytest.mark.django_db


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def businesses_add(kelurahan_list, n: int, start: int) -> list[Business]:
    rows = [
        Business(
            kecamatan=kelurahan_list[i % 2].kecamatan,
            kelurahan=kelurahan_list[i % 2],
            name=f"Usaha {i:04d}",
            sector="kuliner",
            owner_name=f"Pemilik {i}",
            guidance_status="active",
            registered_at=date(2026, 1, 5),
        )
        for i in range(start, start + n)
    ]
    return Business.objects.bulk_create(rows)


def activities_add(kecamatan, kelurahan_list, n: int, start: int) -> None:
    activities = Activity.objects.bulk_create(
        Activity(
            kecamatan=kecamatan,
            kelurahan=kelurahan_list[i % 3] if i % 3 < 2 else None,
            program="drainase",
            kind="inlet_cleaning",
            title=f"Kegiatan {i:04d}",
            date=date(2026, 10, 1) + timedelta(days=i % 28),
            place_name="Jl. Garu II",
        )
        for i in range(start, start + n)
    )
    ActivityPhoto.objects.bulk_create(
        ActivityPhoto(activity=a, photo=f"programs/activities/{a.pk}.jpg") for a in activities
    )


@pytest.fixture
def warm(client, desk_operator):
    client.force_login(desk_operator)
    client.get(reverse("backoffice:home"))  # the first request of a session saves it
    return client


def test_the_umkm_list_costs_the_same_for_10_or_200_businesses(warm, harjosari_i, sitirejo_ii):
    url = reverse("backoffice:programs")
    businesses_add([harjosari_i, sitirejo_ii], 10, 0)
    few = queries(warm, url)
    businesses_add([harjosari_i, sitirejo_ii], 190, 10)

    assert queries(warm, url) == few
    assert queries(warm, f"{url}?q=usaha&sector=kuliner&kelurahan={harjosari_i.pk}") == few


def test_the_business_page_costs_the_same_for_10_or_200_products_and_trainings(
    warm, harjosari_i, amplas
):
    business = business_make(harjosari_i)
    url = reverse("backoffice:program_business", args=[business.pk])

    def grow(n: int, start: int) -> None:
        Product.objects.bulk_create(
            Product(
                business=business,
                name=f"Produk {i:04d}",
                photo=f"programs/products/{i}.jpg",
                thumbnail=f"programs/products/thumbs/{i}.jpg",
            )
            for i in range(start, start + n)
        )
        trainings = Training.objects.bulk_create(
            Training(
                kecamatan=amplas,
                title=f"Pelatihan {i}",
                date=date(2026, 1, 1),
                place="Aula",
                organiser="Dinas Koperasi UKM",
            )
            for i in range(start, start + n)
        )
        TrainingAttendance.objects.bulk_create(
            TrainingAttendance(training=t, business=business, attended=True) for t in trainings
        )
        business.retailers.add(
            *Retailer.objects.bulk_create(
                Retailer(kecamatan=amplas, name=f"Mitra {i}", kind="koperasi")
                for i in range(start, start + n)
            )
        )

    grow(10, 0)
    few = queries(warm, url)
    grow(190, 10)

    assert queries(warm, url) == few


def test_the_training_pages_cost_the_same_for_10_or_200_trainings_and_businesses(
    warm, amplas, harjosari_i, sitirejo_ii
):
    training = Training.objects.create(
        kecamatan=amplas,
        title="Pelatihan pengemasan",
        date=date(2026, 10, 14),
        place="Aula",
        organiser="Dinas Koperasi UKM",
    )
    detail = reverse("backoffice:program_training", args=[training.pk])
    listing = reverse("backoffice:program_trainings")

    def grow(n: int, start: int) -> None:
        invited = businesses_add([harjosari_i, sitirejo_ii], n, start)
        TrainingAttendance.objects.bulk_create(
            TrainingAttendance(training=training, business=b, attended=i % 2 == 0)
            for i, b in enumerate(invited[: n // 2])
        )
        Training.objects.bulk_create(
            Training(
                kecamatan=amplas,
                title=f"Pelatihan {i}",
                date=date(2026, 1, 1),
                place="Aula",
                organiser="Dinas Koperasi UKM",
            )
            for i in range(start, start + n)
        )

    grow(10, 0)
    few = (queries(warm, listing), queries(warm, detail))
    grow(190, 10)

    assert (queries(warm, listing), queries(warm, detail)) == few
    assert warm.get(detail).content.decode().count('<select name="b') == 200


def test_the_activity_pages_cost_the_same_for_10_or_200_activities_photos_and_links(
    warm, amplas, harjosari_i, sitirejo_ii
):
    listing = reverse("backoffice:program_activities")
    activity = activity_make(amplas, kelurahan=harjosari_i)
    detail = reverse("backoffice:program_activity", args=[activity.pk])

    def grow(n: int, start: int) -> None:
        activities_add(amplas, [harjosari_i, sitirejo_ii], n, start)
        ActivityPhoto.objects.bulk_create(
            ActivityPhoto(
                activity=activity,
                photo=f"programs/activities/x{i}.jpg",
                thumbnail=f"programs/activities/thumbs/x{i}.jpg",
                stage="before" if i % 2 else "after",
            )
            for i in range(start, start + n)
        )

    grow(10, 0)
    few = (queries(warm, listing), queries(warm, f"{listing}?bulan=2026-10&program=drainase"))
    few_detail = queries(warm, detail)
    grow(190, 10)

    assert (
        queries(warm, listing),
        queries(warm, f"{listing}?bulan=2026-10&program=drainase"),
    ) == few
    assert queries(warm, detail) == few_detail
