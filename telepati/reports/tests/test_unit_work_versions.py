"""A unit's work on a stale page: `expected_version` refuses decisions made on old data."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from telepati.accounts.models import User
from telepati.core.errors import Conflict, NotFound
from telepati.messaging.models import OutboundMessage
from telepati.reports.lifecycle import Status
from telepati.reports.models import (
    Attachment,
    Disposition,
    DispositionStatus,
    Report,
    ReportEvent,
)
from telepati.reports.services.desk import report_verify
from telepati.reports.services.dispositions import report_forward
from telepati.reports.services.media import upload_prepare
from telepati.reports.services.unit_work import (
    disposition_acknowledge,
    disposition_complete,
    disposition_return,
    disposition_update,
)

STALE_MESSAGE = (
    "Laporan {number} baru saja diubah oleh petugas lain. "
    "Muat ulang halaman untuk melihat keadaan terbaru."
)


def _acknowledge(user: User, disposition: Disposition, version: int | None) -> Disposition:
    return disposition_acknowledge(
        user=user, disposition_id=disposition.pk, expected_version=version
    )


def _update(user: User, disposition: Disposition, version: int | None) -> Disposition:
    return disposition_update(
        user=user,
        disposition_id=disposition.pk,
        message="Truk dijadwalkan Rabu pagi.",
        expected_version=version,
    )


def _complete(user: User, disposition: Disposition, version: int | None) -> Disposition:
    return disposition_complete(
        user=user,
        disposition_id=disposition.pk,
        message="Sampah sudah diangkut.",
        uploads=[upload_prepare(name="bukti.pdf", content=b"%PDF-1.4 bukti")],
        expected_version=version,
    )


def _return(user: User, disposition: Disposition, version: int | None) -> Disposition:
    return disposition_return(
        user=user,
        disposition_id=disposition.pk,
        reason="Jalan provinsi.",
        expected_version=version,
    )


ACTIONS: dict[str, Callable[[User, Disposition, int | None], Disposition]] = {
    "acknowledge": _acknowledge,
    "update": _update,
    "complete": _complete,
    "return": _return,
}
# What each action leaves on the disposition when it succeeds.
OUTCOME = {
    "acknowledge": DispositionStatus.ACKNOWLEDGED,
    "update": DispositionStatus.IN_PROGRESS,
    "complete": DispositionStatus.DONE,
    "return": DispositionStatus.RETURNED,
}


@pytest.fixture
def to_dlh(new_report, desk_operator, dlh) -> Disposition:
    report_verify(user=desk_operator, report_id=new_report.pk)
    (disposition,) = report_forward(user=desk_operator, report_id=new_report.pk, unit_ids=[dlh.pk])
    return disposition


def version(disposition: Disposition) -> int:
    return Report.objects.get(pk=disposition.report_id).version


def snapshot(report_id: int) -> tuple[Any, ...]:
    row = Report.objects.get(pk=report_id)
    return (
        row.status,
        row.version,
        row.first_response_at,
        row.response_due_at,
        list(
            Disposition.objects.order_by("pk").values_list(
                "status", "acknowledged_at", "first_response_at", "done_at", "returned_at"
            )
        ),
        ReportEvent.objects.filter(report=row).count(),
        OutboundMessage.objects.count(),
        Attachment.objects.count(),
    )


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_a_unit_acting_on_a_stale_version_gets_a_conflict_and_nothing_changes(
    to_dlh, agency_liaison, action
):
    stale = version(to_dlh) - 1
    before = snapshot(to_dlh.report_id)

    with pytest.raises(Conflict) as refused:
        ACTIONS[action](agency_liaison, to_dlh, stale)

    number = Report.objects.get(pk=to_dlh.report_id).tracking_number
    assert str(refused.value) == STALE_MESSAGE.format(number=number)
    assert snapshot(to_dlh.report_id) == before


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_a_unit_acting_on_the_version_it_saw_succeeds(to_dlh, agency_liaison, action):
    result = ACTIONS[action](agency_liaison, to_dlh, version(to_dlh))

    assert result.status == OUTCOME[action]
    assert Disposition.objects.get(pk=to_dlh.pk).status == OUTCOME[action]


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_without_an_expected_version_the_unit_acts_on_the_current_row(
    to_dlh, agency_liaison, action
):
    ACTIONS[action](agency_liaison, to_dlh, None)

    assert Disposition.objects.get(pk=to_dlh.pk).status == OUTCOME[action]


def test_a_report_changed_by_another_officer_refuses_the_units_update(
    to_dlh, agency_liaison, desk_operator
):
    seen = version(to_dlh)
    disposition_update(
        user=desk_operator, disposition_id=to_dlh.pk, message="Dicek oleh meja kecamatan."
    )
    before = snapshot(to_dlh.report_id)

    with pytest.raises(Conflict):
        _complete(agency_liaison, to_dlh, seen)

    assert snapshot(to_dlh.report_id) == before
    assert Report.objects.get(pk=to_dlh.report_id).status == Status.IN_PROGRESS


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_an_officer_outside_the_unit_learns_nothing_from_a_stale_version(to_dlh, outsider, action):
    """Access is checked before the version: an outsider gets NotFound, never Conflict."""
    before = snapshot(to_dlh.report_id)

    with pytest.raises(NotFound):
        ACTIONS[action](outsider, to_dlh, version(to_dlh) - 1)

    assert snapshot(to_dlh.report_id) == before


def test_the_desk_acting_for_the_unit_is_held_to_the_same_version(to_dlh, desk_operator):
    before = snapshot(to_dlh.report_id)

    with pytest.raises(Conflict):
        _return(desk_operator, to_dlh, version(to_dlh) + 1)

    assert snapshot(to_dlh.report_id) == before
