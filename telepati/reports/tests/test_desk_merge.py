"""Merging a duplicate report into the one that survives."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from telepati.core.errors import Conflict, Forbidden, InvalidInput, InvalidTransition, NotFound
from telepati.messaging.models import OutboundMessage
from telepati.reports.lifecycle import Action, Status
from telepati.reports.models import (
    Disposition,
    DispositionStatus,
    EventKind,
    Report,
    ReportEvent,
    ReportFollower,
)
from telepati.reports.services.desk import report_reject, report_verify
from telepati.reports.services.dispositions import report_forward
from telepati.reports.services.merge import report_merge
from telepati.reports.tests.test_concurrency import run_together

NEIGHBOUR_PHONE = "+6281299990000"
THIRD_PHONE = "+6281377770000"


def snapshot(*reports: Report) -> tuple[object, ...]:
    rows = [Report.objects.get(pk=r.pk) for r in reports]
    return (
        [(row.status, row.version, row.merged_into_id) for row in rows],
        ReportEvent.objects.count(),
        OutboundMessage.objects.count(),
        ReportFollower.objects.count(),
        list(Disposition.objects.values_list("status", flat=True)),
    )


def followers(report: Report) -> list[tuple[str | None, str]]:
    return list(
        ReportFollower.objects.filter(report=report)
        .order_by("pk")
        .values_list("citizen__phone", "source_report__tracking_number")
    )


def test_a_duplicate_is_merged_and_its_residents_follow_the_survivor(
    submit, desk_operator, dlh, resident
):
    survivor = submit()
    duplicate = submit(reporter_phone=NEIGHBOUR_PHONE, reporter_name="Budi")
    earlier = submit(reporter_phone=THIRD_PHONE, reporter_name="Rina")
    report_merge(user=desk_operator, report_id=earlier.pk, into_report_id=duplicate.pk)
    report_verify(user=desk_operator, report_id=duplicate.pk)
    report_forward(user=desk_operator, report_id=duplicate.pk, unit_ids=[dlh.pk])

    merged = report_merge(
        user=desk_operator, report_id=duplicate.pk, into_report_id=survivor.pk, expected_version=4
    )

    merged.refresh_from_db()
    survivor.refresh_from_db()
    assert (merged.status, merged.merged_into, merged.version) == (Status.MERGED, survivor, 5)
    assert (merged.response_due_at, merged.resolution_due_at) == (None, None)
    assert survivor.version == 2
    assert followers(survivor) == [(NEIGHBOUR_PHONE, "L2611-0002"), (THIRD_PHONE, "L2611-0002")]
    assert Disposition.objects.get(report=merged).status == DispositionStatus.WITHDRAWN
    merge_event = ReportEvent.objects.filter(report=merged).latest("pk")
    assert (merge_event.kind, merge_event.action, merge_event.is_public, merge_event.message) == (
        EventKind.TRANSITION,
        Action.MERGE,
        True,
        "Digabung dengan laporan L2611-0001 yang menangani masalah yang sama.",
    )
    survivor_event = ReportEvent.objects.filter(report=survivor).latest("pk")
    assert (survivor_event.kind, survivor_event.is_public, survivor_event.data) == (
        EventKind.EDIT,
        False,
        {"merged": "L2611-0002", "followers_added": 2},
    )
    notices = OutboundMessage.objects.filter(dedupe_key__contains=f":merged:{survivor.pk}:")
    assert sorted(notices.values_list("recipient_phone", flat=True)) == [
        NEIGHBOUR_PHONE,
        THIRD_PHONE,
    ]
    assert notices.values_list("text", flat=True)[0] == (
        "Laporan Anda L2611-0002 sama dengan laporan L2611-0001 yang sudah ditangani, "
        "sehingga keduanya kami gabungkan. Kabar selanjutnya kami kirim untuk laporan "
        "L2611-0001; ketik “cek L2611-0001” untuk melihat perkembangannya."
    )
    assert resident.phone not in notices.values_list("recipient_phone", flat=True)


def test_the_survivors_own_reporter_and_existing_followers_are_not_added_twice(
    submit, desk_operator
):
    survivor = submit()
    same_resident = submit()
    neighbour_first = submit(reporter_phone=NEIGHBOUR_PHONE)
    neighbour_again = submit(reporter_phone=NEIGHBOUR_PHONE)
    report_merge(user=desk_operator, report_id=neighbour_first.pk, into_report_id=survivor.pk)

    report_merge(user=desk_operator, report_id=same_resident.pk, into_report_id=survivor.pk)
    report_merge(user=desk_operator, report_id=neighbour_again.pk, into_report_id=survivor.pk)

    assert followers(survivor) == [(NEIGHBOUR_PHONE, "L2611-0003")]


def test_merge_locks_both_reports_lower_id_first(submit, desk_operator):
    first = submit()
    second = submit()

    with CaptureQueriesContext(connection) as queries:
        report_merge(user=desk_operator, report_id=second.pk, into_report_id=first.pk)

    locked = [
        int(match.group(1))
        for query in queries.captured_queries
        if (
            match := re.search(
                r'FROM "reports_report" .*WHERE "reports_report"."id" = (\d+)', query["sql"]
            )
        )
    ]
    assert locked[:2] == [first.pk, second.pk]


@pytest.mark.parametrize("end", ["rejected", "merged"])
def test_the_survivor_must_still_be_open(submit, desk_operator, end):
    survivor = submit()
    duplicate = submit()
    if end == "rejected":
        report_reject(user=desk_operator, report_id=survivor.pk, reason="Bukan pengaduan.")
    else:
        report_merge(user=desk_operator, report_id=survivor.pk, into_report_id=submit().pk)
    before = snapshot(survivor, duplicate)

    with pytest.raises(InvalidInput) as excinfo:
        report_merge(user=desk_operator, report_id=duplicate.pk, into_report_id=survivor.pk)

    assert excinfo.value.field_errors == {
        "into_report": ["Laporan tujuan harus laporan yang masih terbuka di kecamatan yang sama."]
    }
    assert snapshot(survivor, duplicate) == before


def test_the_survivor_must_be_in_the_same_kecamatan(submit, superuser, gedung_johor):
    amplas_report = submit()
    johor_report = submit(kelurahan_id=gedung_johor.pk)
    before = snapshot(amplas_report, johor_report)

    with pytest.raises(InvalidInput):
        report_merge(user=superuser, report_id=amplas_report.pk, into_report_id=johor_report.pk)

    assert snapshot(amplas_report, johor_report) == before


def test_a_survivor_the_desk_cannot_see_is_not_found(submit, desk_operator, gedung_johor):
    amplas_report = submit()
    johor_report = submit(kelurahan_id=gedung_johor.pk)

    with pytest.raises(NotFound):
        report_merge(user=desk_operator, report_id=amplas_report.pk, into_report_id=johor_report.pk)


def test_a_report_cannot_be_merged_into_itself(new_report, desk_operator):
    with pytest.raises(InvalidInput):
        report_merge(user=desk_operator, report_id=new_report.pk, into_report_id=new_report.pk)


def test_a_closed_duplicate_cannot_be_merged(submit, desk_operator):
    survivor = submit()
    duplicate = submit()
    report_reject(user=desk_operator, report_id=duplicate.pk, reason="Ganda.")
    before = snapshot(survivor, duplicate)

    with pytest.raises(InvalidTransition):
        report_merge(user=desk_operator, report_id=duplicate.pk, into_report_id=survivor.pk)

    assert snapshot(survivor, duplicate) == before


@pytest.mark.parametrize(("persona", "error"), [("camat", Forbidden), ("outsider", NotFound)])
def test_only_the_desk_merges(submit, persona, error, request):
    survivor = submit()
    duplicate = submit()
    before = snapshot(survivor, duplicate)

    with pytest.raises(error):
        report_merge(
            user=request.getfixturevalue(persona),
            report_id=duplicate.pk,
            into_report_id=survivor.pk,
        )

    assert snapshot(survivor, duplicate) == before


def test_merging_a_duplicate_changed_meanwhile_is_a_conflict(submit, desk_operator):
    survivor = submit()
    duplicate = submit()
    report_verify(user=desk_operator, report_id=duplicate.pk)
    before = snapshot(survivor, duplicate)

    with pytest.raises(Conflict):
        report_merge(
            user=desk_operator,
            report_id=duplicate.pk,
            into_report_id=survivor.pk,
            expected_version=1,
        )

    assert snapshot(survivor, duplicate) == before


@pytest.mark.django_db(transaction=True)
def test_two_desks_merging_a_pair_in_opposite_directions_do_not_deadlock(
    submit, desk_operator, administrator
):
    first = submit()
    second = submit()
    moves = [(desk_operator, second, first), (administrator, first, second)]

    def work(index: int) -> str:
        user, duplicate, survivor = moves[index]
        report_merge(user=user, report_id=duplicate.pk, into_report_id=survivor.pk)
        return duplicate.tracking_number

    merged, errors = run_together(2, work)

    # Whoever locked first wins; the other then sees its survivor already merged.
    assert len(merged) == 1
    assert [type(e) for e in errors] == [InvalidInput]
    statuses = sorted(Report.objects.values_list("status", flat=True))
    assert statuses == sorted([Status.MERGED, Status.NEW])
