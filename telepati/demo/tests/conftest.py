"""The demo seeding tests check accounts and lingkungan: a small set of demo reports keeps
them fast (the reports loader has its own tests in `telepati.reports.tests`)."""

import pytest

from telepati.reports import demo


@pytest.fixture(autouse=True)
def few_demo_reports(monkeypatch):
    monkeypatch.setattr(demo, "DEMO_REPORT_COUNT", 20)
