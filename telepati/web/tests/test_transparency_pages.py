"""Public transparency pages over the demo data: no personal data anywhere, rahasia reports
absent, anonim places coarsened, only public states; plus filters and paging.

The demo is seeded once for the module (60 reports, rolled back at the end); three of its
public reports are then made rahasia and two anonymous reports get a precise point.
"""

import re
from datetime import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from freezegun import freeze_time

from telepati.citizens.models import Citizen
from telepati.core.workdays import WIB
from telepati.demo.loaders import demo_seed
from telepati.demo.reference import reference_seed
from telepati.reports import demo
from telepati.reports.lifecycle import PUBLIC_STATES
from telepati.reports.models import Report, ReportEvent

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=WIB)
PUBLIC = sorted(s.value for s in PUBLIC_STATES)
LISTED = r'<li class="card"><a href="[^"]+"><strong>([^<]+)</strong>'
PRECISE = (Decimal("3.541234"), Decimal("98.702468"))


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with pytest.MonkeyPatch.context() as patch, django_db_blocker.unblock():
        patch.setattr(demo, "DEMO_REPORT_COUNT", 60)
        with transaction.atomic():
            with freeze_time(NOW):
                reference_seed()
                demo_seed()
            public = Report.objects.filter(status__in=PUBLIC).order_by("pk")
            confidential = list(public.filter(is_anonymous=False)[:3].values_list("pk", flat=True))
            Report.objects.filter(pk__in=confidential).update(is_confidential=True)
            anonymous = list(public.exclude(pk__in=confidential)[:2].values_list("pk", flat=True))
            Report.objects.filter(pk__in=anonymous).update(
                is_anonymous=True, latitude=PRECISE[0], longitude=PRECISE[1]
            )
            yield {"confidential": confidential, "anonymous": anonymous}
            transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def personal_data():
    """Every demo resident's name, number (as written several ways) and e-mail."""
    needles = set()
    for name, phone, email in Citizen.objects.values_list("name", "phone", "email"):
        if name and len(name) >= 5:
            needles.add(name)
        if phone:
            digits = phone.removeprefix("+")
            needles.update({phone, digits, "0" + digits.removeprefix("62")})
        if email:
            needles.add(email)
    return needles


def public_pages(client):
    """(url, body) of every public transparency page: list pages, map, each report,
    statistics under every filter."""
    pages = []
    url: str | None = reverse("web:public_reports")
    while url:
        body = client.get(url).content.decode()
        pages.append((url, body))
        match = re.search(r'href="\?(?:[^"]*&amp;)?setelah=([^"]+)" rel="next"', body)
        url = f"{reverse('web:public_reports')}?setelah={match.group(1)}" if match else None
    pages.append(
        ("map", client.get(reverse("web:public_reports"), {"tampilan": "peta"}).content.decode())
    )
    for number in Report.objects.values_list("tracking_number", flat=True):
        response = client.get(reverse("web:public_report", args=[number]))
        pages.append((number, response.content.decode()))
    statistics = reverse("web:public_statistics")
    pages.append((statistics, client.get(statistics).content.decode()))
    for kelurahan in Report.objects.values_list("kelurahan_id", flat=True).distinct():
        response = client.get(statistics, {"kelurahan": kelurahan})
        pages.append((f"{statistics}?{kelurahan}", response.content.decode()))
    for code in Report.objects.values_list("category__code", flat=True).distinct():
        response = client.get(statistics, {"kategori": code})
        pages.append((f"{statistics}?{code}", response.content.decode()))
    try:
        open311 = reverse("open311:requests", kwargs={"fmt": "json"})
    except NoReverseMatch:
        open311 = None
    if open311:
        pages.append((open311, client.get(open311).content.decode()))
    return pages


def test_no_public_page_contains_personal_data_of_demo_residents(client, seeded):
    needles = personal_data()
    pages = public_pages(client)

    assert len(needles) > 100
    assert len(pages) > 60
    leaks = [(url, needle) for url, body in pages for needle in needles if needle in body]
    assert leaks == []


def test_the_list_shows_exactly_the_public_reports_that_are_not_rahasia(client, seeded):
    expected = set(
        Report.objects.filter(status__in=PUBLIC, is_confidential=False).values_list(
            "tracking_number", flat=True
        )
    )
    shown = set()
    url: str | None = reverse("web:public_reports")
    while url:
        body = client.get(url).content.decode()
        shown |= set(re.findall(LISTED, body))
        match = re.search(r'setelah=([^"]+)" rel="next"', body)
        url = f"{reverse('web:public_reports')}?setelah={match.group(1)}" if match else None

    assert shown == expected
    assert len(expected) > 20


def test_rahasia_and_unaccepted_reports_have_no_public_page(client, seeded):
    hidden = Report.objects.exclude(status__in=PUBLIC) | Report.objects.filter(
        pk__in=seeded["confidential"]
    )

    for number in hidden.values_list("tracking_number", flat=True):
        assert client.get(reverse("web:public_report", args=[number])).status_code == 404
    map_body = client.get(reverse("web:public_reports"), {"tampilan": "peta"}).content.decode()
    for number in hidden.values_list("tracking_number", flat=True):
        assert number not in map_body


def test_anonim_places_are_rounded_to_the_grid_and_their_address_left_out(client, seeded):
    report = Report.objects.get(pk=seeded["anonymous"][0])

    body = client.get(reverse("web:public_report", args=[report.tracking_number])).content.decode()
    map_body = client.get(reverse("web:public_reports"), {"tampilan": "peta"}).content.decode()

    assert 'data-lat="3.540" data-lng="98.700"' in body
    assert "3.541234" not in body
    assert "98.702468" not in body
    assert "3.541234" not in map_body
    assert "98.702468" not in map_body
    assert report.address
    assert report.address not in body
    assert "Disamarkan (laporan anonim)" in body


def test_the_public_timeline_holds_only_public_events(client, seeded):
    report = (
        Report.objects.filter(status__in=PUBLIC, is_confidential=False, events__is_public=False)
        .exclude(events__message="")
        .order_by("pk")
        .earliest("pk")
    )
    internal = ReportEvent.objects.filter(report=report, is_public=False).exclude(message="")
    public = ReportEvent.objects.filter(report=report, is_public=True).exclude(message="")

    body = client.get(reverse("web:public_report", args=[report.tracking_number])).content.decode()

    assert internal.exists()
    for event in internal:
        assert event.message not in body
    for event in public.exclude(kind="rating"):
        assert event.message.splitlines()[0] in body


def test_the_filters_narrow_the_list(client, seeded):
    report = Report.objects.filter(status__in=PUBLIC, is_confidential=False).earliest("pk")
    expected = set(
        Report.objects.filter(
            status=report.status,
            kelurahan=report.kelurahan,
            category=report.category,
            is_confidential=False,
        ).values_list("tracking_number", flat=True)
    )

    body = client.get(
        reverse("web:public_reports"),
        {
            "status": report.status,
            "kelurahan": report.kelurahan_id,
            "kategori": report.category.code,
        },
    ).content.decode()

    assert set(re.findall(LISTED, body)) == expected


def test_a_status_outside_the_public_states_filters_nothing_in(client, seeded):
    body = client.get(reverse("web:public_reports"), {"status": "new"}).content.decode()

    for number in Report.objects.filter(status="new").values_list("tracking_number", flat=True):
        assert number not in body
