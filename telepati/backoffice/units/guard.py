"""Stale-page protection for the unit portal's actions.

The unit-work services (`reports.services.unit_work`) take no `expected_version` yet, so
the door holds the report's row lock and compares the version the officer saw before it
calls them; the service then runs inside the same transaction (a savepoint). The access check
comes first (the officer's own units, `NotFound` otherwise), so a stale version never reveals
a report outside the scope. Remove this once the services accept `expected_version`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction

from telepati.accounts.scope import OfficerScope
from telepati.accounts.selectors import AnyUser
from telepati.reports.selectors_units import disposition_get_for_unit_officer
from telepati.reports.services.common import report_lock, version_check


@contextmanager
def report_version_held(
    *, user: AnyUser, disposition_id: int, expected_version: int | None, scope: OfficerScope
) -> Iterator[None]:
    """Inside: one transaction in which the report is locked and still at `expected_version`."""
    with transaction.atomic():
        disposition = disposition_get_for_unit_officer(
            user=user, disposition_id=disposition_id, scope=scope
        )
        report = report_lock(report_id=disposition.report_id)
        version_check(report, expected_version)
        yield
