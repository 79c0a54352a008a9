"""Helpers of the unit-portal tests: reports forwarded to units through the real services.

Test modules import the fixture functions (underscore names; the fixtures are named by
`name=`, so test parameters never shadow an import). Reports are filed through
`report_submit`, like `reports/tests/conftest.py` does. The bulk helper copies one real
forwarded report so page tests can hold a thousand rows without a thousand service calls.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from telepati.accounts.models import Role, User
from telepati.accounts.tests.factories import MembershipFactory, UserFactory
from telepati.org.models import Unit
from telepati.reports.models import Category, Channel, Disposition, Report
from telepati.reports.services.desk import report_verify
from telepati.reports.services.dispositions import report_forward
from telepati.reports.services.intake import ReportDraft, report_submit
from telepati.reports.tests.conftest import MONDAY_MORNING

WASTE = "Sampah menumpuk di depan gang Mawar sudah tiga hari."
DITCH = "Parit tersumbat di Jl. Garu III, air meluap ke jalan."


def forward(report: Report, desk: User, *units: Unit) -> list[Disposition]:
    """Verify the report and forward it to `units` as the kecamatan desk."""
    report_verify(user=desk, report_id=report.pk)
    return report_forward(user=desk, report_id=report.pk, unit_ids=[u.pk for u in units])


@pytest.fixture(name="sanitation")
def _sanitation(territory, dlh) -> Category:
    return Category.objects.create(
        code="kebersihan",
        name="Kebersihan & sampah",
        default_unit=dlh,
        sla_verification_days=3,
        sla_first_response_days=5,
        sla_resolution_days=14,
    )


@pytest.fixture(name="submit")
def _submit(sanitation, harjosari_i, resident) -> Callable[..., Report]:
    """File a report as the resident by WhatsApp; keyword arguments override the draft."""

    def submit(**overrides: Any) -> Report:
        fields: dict[str, Any] = {
            "category_code": sanitation.code,
            "description": WASTE,
            "channel": Channel.WHATSAPP,
            "kelurahan_id": harjosari_i.pk,
            "address": "Jl. Garu II, gang Mawar",
            "reporter_name": resident.name,
            "reporter_phone": resident.phone,
            "submitted_at": MONDAY_MORNING,
        }
        fields.update(overrides)
        return report_submit(draft=ReportDraft(**fields))

    return submit


@pytest.fixture(name="to_dlh")
def _to_dlh(submit, desk_operator, dlh) -> Disposition:
    (disposition,) = forward(submit(), desk_operator, dlh)
    return disposition


@pytest.fixture(name="to_roads")
def _to_roads(submit, desk_operator, roads_agency) -> Disposition:
    report = submit(description=DITCH, address="Jl. Garu III")
    (disposition,) = forward(report, desk_operator, roads_agency)
    return disposition


def _member(username: str, unit: Unit, role: Role) -> User:
    user = UserFactory.create(username=username)
    MembershipFactory.create(user=user, unit=unit, role=role)
    return user


@pytest.fixture(name="roads_liaison")
def _roads_liaison(roads_agency) -> User:
    return _member("penghubung.sdabmbk", roads_agency, Role.LIAISON)


@pytest.fixture(name="roads_staff")
def _roads_staff(roads_agency) -> User:
    return _member("staf.sdabmbk", roads_agency, Role.STAFF)


def dispositions_copy(disposition: Disposition, count: int) -> list[Disposition]:
    """`count` more reports like the disposition's, each forwarded to the same unit."""
    base = Report.objects.get(pk=disposition.report_id)
    reports = []
    offset = Report.objects.filter(tracking_number__startswith="T").count()
    for index in range(offset, offset + count):
        clone = copy.copy(base)
        clone.pk = None
        clone.id = None
        clone.tracking_number = f"T{index:06d}"
        clone.submission_key = None
        reports.append(clone)
    created = Report.objects.bulk_create(reports, batch_size=200)
    rows = []
    for report in created:
        row = copy.copy(disposition)
        row.pk = None
        row.id = None
        row.report_id = report.pk
        rows.append(row)
    return Disposition.objects.bulk_create(rows, batch_size=200)


def page_queries(client, url: str) -> list[str]:
    """The SQL of one GET, without the session bookkeeping of the auth middleware."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [
        q["sql"]
        for q in captured.captured_queries
        if "django_session" not in q["sql"] and "SAVEPOINT" not in q["sql"]
    ]
