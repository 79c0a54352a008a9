"""Fixtures for the complaints domain: categories, a submit helper and reports in each state.

Reports are made through `report_submit` (the real intake), never by hand, so every test
starts from a row the application itself could have produced.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from telepati.core.workdays import WIB
from telepati.reports.models import Category, Channel, Report
from telepati.reports.services.intake import ReportDraft, report_submit

# Monday 2 November 2026, 10:00 WIB: a normal working morning, far from holidays.
MONDAY_MORNING = datetime(2026, 11, 2, 10, 0, tzinfo=WIB)


@pytest.fixture
def sanitation(territory, dlh) -> Category:
    return Category.objects.create(
        code="kebersihan",
        name="Kebersihan & sampah",
        default_unit=dlh,
        sla_verification_days=3,
        sla_first_response_days=5,
        sla_resolution_days=14,
    )


@pytest.fixture
def drainage(territory, roads_agency) -> Category:
    return Category.objects.create(
        code="banjir-drainase",
        name="Banjir & drainase",
        default_unit=roads_agency,
        sla_resolution_days=30,
    )


@pytest.fixture
def submit(sanitation, harjosari_i, resident) -> Callable[..., Report]:
    """Submit a report as the resident by WhatsApp; keyword arguments override the draft."""

    def _submit(**overrides: Any) -> Report:
        fields: dict[str, Any] = {
            "category_code": sanitation.code,
            "description": "Sampah menumpuk di depan gang Mawar sudah tiga hari.",
            "channel": Channel.WHATSAPP,
            "kelurahan_id": harjosari_i.pk,
            "address": "Jl. Garu II, gang Mawar",
            "reporter_name": resident.name,
            "reporter_phone": resident.phone,
            "submitted_at": MONDAY_MORNING,
        }
        fields.update(overrides)
        return report_submit(draft=ReportDraft(**fields))

    return _submit


@pytest.fixture
def new_report(submit) -> Report:
    return submit()
