"""Merging duplicates (digabung): one problem, one report, every reporter informed.

The desk merges a duplicate into a report that is still open in the same kecamatan. Both rows
are locked in id order (no deadlock when two officers merge in opposite directions); the
duplicate becomes digabung and points at the survivor; its reporter and followers follow the
survivor from then on, so they receive its updates; its open dispositions are withdrawn.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from telepati.accounts.capabilities import Capability
from telepati.accounts.models import User
from telepati.core.errors import InvalidInput
from telepati.reports.lifecycle import OPEN_STATES, Action, Status, transition_target
from telepati.reports.models import (
    OPEN_DISPOSITION_STATES,
    Disposition,
    DispositionStatus,
    EventKind,
    Report,
    ReportFollower,
)
from telepati.reports.services.common import (
    event_append,
    now,
    officer_require,
    report_lock,
    report_touch,
    reporter_notify,
    resident_language,
    transition_record,
    version_check,
)


def report_merge(
    *, user: User, report_id: int, into_report_id: int, expected_version: int | None = None
) -> Report:
    """Merge a duplicate into an open report of the same kecamatan; returns the duplicate.

    Both rows are locked, lower id first, so two desks merging in opposite directions wait
    for each other instead of deadlocking. The duplicate's reporter and followers follow the
    survivor from now on; units still holding the duplicate are released (ditarik).
    """
    if report_id == into_report_id:
        message = _("Laporan tidak dapat digabung dengan dirinya sendiri.")
        raise InvalidInput(message, field_errors={"into_report": [message]})
    with transaction.atomic():
        locked = {pk: report_lock(report_id=pk) for pk in sorted((report_id, into_report_id))}
        duplicate, survivor = locked[report_id], locked[into_report_id]
        scope = officer_require(user=user, report=duplicate, capability=Capability.VERIFY_REPORT)
        officer_require(
            user=user, report=survivor, capability=Capability.VERIFY_REPORT, scope=scope
        )
        version_check(duplicate, expected_version)
        transition_target(Action.MERGE, Status(duplicate.status))
        if survivor.kecamatan_id != duplicate.kecamatan_id or survivor.status not in OPEN_STATES:
            message = _("Laporan tujuan harus laporan yang masih terbuka di kecamatan yang sama.")
            raise InvalidInput(message, field_errors={"into_report": [message]})
        at = now()
        moved = _followers_move(duplicate=duplicate, survivor=survivor)
        withdrawn = Disposition.objects.filter(
            report=duplicate, status__in=OPEN_DISPOSITION_STATES
        ).update(status=DispositionStatus.WITHDRAWN)
        report_touch(survivor, fields={})
        transition_record(
            duplicate,
            Action.MERGE,
            at=at,
            user=user,
            fields={"merged_into": survivor, "response_due_at": None, "resolution_due_at": None},
            message=_("Digabung dengan laporan %(number)s yang menangani masalah yang sama.")
            % {"number": survivor.tracking_number},
            data={"into": survivor.tracking_number, "withdrawn_dispositions": withdrawn},
        )
        event_append(
            report=survivor,
            kind=EventKind.EDIT,
            at=at,
            actor=user,
            message=_("Laporan %(number)s digabung ke laporan ini.")
            % {"number": duplicate.tracking_number},
            data={"merged": duplicate.tracking_number, "followers_added": moved},
        )
        with resident_language():
            text = _(
                "Laporan Anda %(number)s sama dengan laporan %(survivor)s yang sudah ditangani, "
                "sehingga keduanya kami gabungkan. Kabar selanjutnya kami kirim untuk laporan "
                "%(survivor)s; ketik “cek %(survivor)s” untuk melihat perkembangannya."
            ) % {"number": duplicate.tracking_number, "survivor": survivor.tracking_number}
        reporter_notify(report=duplicate, key=f"merged:{survivor.pk}", text=text)
    return duplicate


def _followers_move(*, duplicate: Report, survivor: Report) -> int:
    """Make the duplicate's reporter and followers followers of the survivor; returns how many."""
    wanted: list[int] = []
    if duplicate.reporter_id is not None:
        wanted.append(duplicate.reporter_id)
    wanted += ReportFollower.objects.filter(report=duplicate).values_list("citizen_id", flat=True)
    present = set(
        ReportFollower.objects.filter(report=survivor).values_list("citizen_id", flat=True)
    )
    present.add(survivor.reporter_id or 0)
    rows = []
    for citizen_id in dict.fromkeys(wanted):
        if citizen_id not in present:
            rows.append(
                ReportFollower(report=survivor, citizen_id=citizen_id, source_report=duplicate)
            )
    ReportFollower.objects.bulk_create(rows)
    return len(rows)
