"""Programs selectors: program figures against counts made by hand, and public list pages
in a fixed number of queries."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from telepati.programs.models import (
    ActivityPhoto,
    Product,
    Retailer,
    Training,
    TrainingAttendance,
)
from telepati.programs.selectors_figures import Period, program_figures
from telepati.programs.tests.conftest import activity_make, business_make
from telepati.reports.lifecycle import Status
from telepati.reports.models import Report

pytestmark = pytest.mark.django_db

OCTOBER = Period(date(2026, 10, 1), date(2026, 10, 31))


def test_program_figures_match_counts_made_by_hand(
    amplas, harjosari_i, johor, gedung_johor, submit
):
    statuses = ["active"] * 4 + ["independent"] * 2 + ["candidate", "inactive"]
    businesses = [
        business_make(harjosari_i, name=f"Usaha {i}", guidance_status=status)
        for i, status in enumerate(statuses)
    ]
    business_make(gedung_johor, name="Usaha Johor")  # another kecamatan
    inside = Training.objects.create(
        kecamatan=amplas, title="A", date=date(2026, 10, 3), place="Aula", organiser="Dinas"
    )
    Training.objects.create(  # outside the period
        kecamatan=amplas, title="B", date=date(2026, 9, 3), place="Aula", organiser="Dinas"
    )
    for business, attended in zip(businesses[:5], [True, True, False, True, False], strict=True):
        TrainingAttendance.objects.create(training=inside, business=business, attended=attended)
    works = [
        activity_make(
            amplas,
            program="infrastruktur",
            kind="alley_paving",
            progress_percent=p,
            budget_amount=b,
            date=date(2026, 10, d),
        )
        for p, b, d in ((100, 70_000_000, 2), (50, 30_000_000, 9), (25, None, 20))
    ]
    vaccinations = [
        activity_make(
            amplas,
            program="kesehatan",
            kind="vaccination",
            people_count=n,
            target_group="Lansia",
            date=date(2026, 10, 12),
        )
        for n in (142, 98)
    ]
    sweep = activity_make(amplas, program="kebersihan", kind="sweep", date=date(2026, 10, 30))
    activity_make(amplas, program="kebersihan", kind="sweep", date=date(2026, 11, 1))
    activity_make(johor, program="kebersihan", kind="sweep", date=date(2026, 10, 5))
    resolved, open_report = submit(), submit(description="Sampah di ujung gang.")
    Report.objects.filter(pk=resolved.pk).update(status=Status.CLOSED)
    sweep.reports.set([resolved, open_report])
    works[0].reports.set([resolved])

    figures = program_figures(kecamatan=amplas, period=OCTOBER)

    assert figures.umkm_by_status == {"active": 4, "independent": 2, "candidate": 1, "inactive": 1}
    assert (figures.umkm_total, figures.umkm_guided) == (8, 6)
    assert (figures.trainings, figures.training_invitations, figures.training_attended) == (1, 5, 3)
    assert figures.activities_by_program == {
        "kebersihan": 1,
        "drainase": 0,
        "infrastruktur": 3,
        "kesehatan": 2,
        "umkm": 0,
    }
    assert figures.activities_total == 6
    assert (figures.vaccination_events, figures.people_vaccinated) == (len(vaccinations), 240)
    assert figures.infrastructure_works == 3
    assert figures.infrastructure_completed == 1
    assert figures.infrastructure_progress_avg == round((100 + 50 + 25) / 3)
    assert figures.infrastructure_budget == 100_000_000
    assert (figures.reports_linked, figures.reports_resolved) == (2, 1)


def test_program_figures_of_an_empty_kecamatan_are_zero(johor):
    figures = program_figures(kecamatan=johor.pk, period=(date(2026, 1, 1), date(2026, 12, 31)))

    assert figures.umkm_total == 0
    assert figures.activities_total == 0
    assert figures.infrastructure_progress_avg is None
    assert figures.people_vaccinated == 0


def _catalogue_rows(kelurahan, start: int, stop: int, retailer: Retailer) -> None:
    for i in range(start, stop):
        business = business_make(kelurahan, name=f"Usaha {i:03d}", owner_phone="")
        business.retailers.add(retailer)
        Product.objects.create(business=business, name="Produk", photo="programs/products/x.jpg")


def _timeline_rows(kecamatan, start: int, stop: int, report: Report) -> None:
    for i in range(start, stop):
        activity = activity_make(
            kecamatan, title=f"Kegiatan {i}", latitude="3.54", longitude="98.71"
        )
        activity.reports.add(report)
        ActivityPhoto.objects.create(activity=activity, photo="programs/activities/x.jpg")


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("url", ["/umkm/", "/program/"])
def test_public_list_pages_take_the_same_queries_for_10_and_100_rows(
    client, amplas, harjosari_i, submit, url
):
    retailer = Retailer.objects.create(kecamatan=amplas, name="Indogrosir", kind="minimarket")
    report = submit()
    _catalogue_rows(harjosari_i, 0, 10, retailer)
    _timeline_rows(amplas, 0, 10, report)
    client.get(url)  # warm caches (site settings, translations)
    few = _queries(client, url)

    _catalogue_rows(harjosari_i, 10, 100, retailer)
    _timeline_rows(amplas, 10, 100, report)
    many = _queries(client, url)

    assert few == many
    assert few <= 8
