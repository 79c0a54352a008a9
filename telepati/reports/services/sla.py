"""Deadlines after the fact: escalate what is overdue, close what nobody disputed.

Deadlines are set by the services that start each clock (intake: verification; the desk:
resolution; forwarding: first response and each disposition) as indexed `*_due_at` columns.
Two periodic sweeps, run by the task worker and enqueued by the scheduler, act on them:

- `sla_escalate_breaches` finds what is overdue through the partial indexes on `Report` and
  `Disposition` and escalates each item exactly once: it *claims* the item with a
  conditional UPDATE that sets the breach mark only while it is still empty and the item
  still qualifies (`filter(pk=…, <mark>__isnull=True, …).update(<mark>=at)`). Only the
  worker whose UPDATE changed one row writes the internal ESCALATION event and the officer
  notices, in the same short transaction. Several workers or schedulers running the sweep
  at once are therefore harmless. The mark does not bump the report's `version`: it is the
  sweep's bookkeeping, not an officer's change, and must not make an officer's open form
  stale.
- `sla_autoclose` closes resolved reports whose dispute window has passed, through
  `report_close` (no user), which re-checks the status and the window under the row lock and
  is given the version the sweep saw, so a report disputed meanwhile is left alone.

Each item runs in its own transaction: one failure is logged and never blocks the others.

The stored flag `Report.breached` (the inbox's "lewat batas waktu" filter, an index range
instead of the condition over marks, deadlines and dispositions) is the condition
`selectors._breached_q(moment=at)` as of the last sweep: the escalations set it in the same
UPDATE as the mark, and every sweep ends with `report_breached_refresh`, which flags the
reports whose running deadline passed without a mark (deadlines the escalations do not
stamp, and those that fell due since the last sweep) and clears the flag where the
condition stopped holding (a mark cleared by a hold or reopen, a deadline stopped by a
response, the end of the report or of the disposition). Between two sweeps (5 minutes by
default, `TELEPATI_SLA_SWEEP_CRON`) the flag may lag the condition by that much.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from telepati.accounts.models import Role, User
from telepati.accounts.selectors import officer_list_of_kecamatan, officer_list_of_units
from telepati.core.errors import DomainError
from telepati.core.workdays import WIB
from telepati.reports.lifecycle import AWAITING_VERIFICATION, OPEN_STATES, Status
from telepati.reports.models import OPEN_DISPOSITION_STATES, Disposition, EventKind, Report
from telepati.reports.selectors import _breached_q, _running_due_q
from telepati.reports.services.common import (
    event_append,
    moment_format,
    now,
    officer_notify,
    resident_language,
)
from telepati.reports.services.resolution import report_close

logger = logging.getLogger(__name__)

BATCH_SIZE = 200
AWAITING_RESPONSE = (Status.FORWARDED, Status.IN_PROGRESS)


@dataclass(frozen=True)
class SweepResult:
    """How many items one sweep escalated, per deadline kind."""

    verification: int = 0
    response: int = 0
    resolution: int = 0
    dispositions: int = 0

    @property
    def total(self) -> int:
        return self.verification + self.response + self.resolution + self.dispositions

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


# --- What is overdue (each condition matches a partial index) ------------------------------


def _verification_overdue(at: datetime) -> Q:
    return Q(
        status__in=sorted(AWAITING_VERIFICATION),
        verification_due_at__lt=at,
        verification_breached_at__isnull=True,
    )


def _response_overdue(at: datetime) -> Q:
    return Q(
        status__in=AWAITING_RESPONSE,
        response_due_at__lt=at,
        first_response_at__isnull=True,
        response_breached_at__isnull=True,
    )


def _resolution_overdue(at: datetime) -> Q:
    return Q(
        status__in=sorted(OPEN_STATES),
        resolution_due_at__lt=at,
        resolved_at__isnull=True,
        resolution_breached_at__isnull=True,
    )


def _disposition_overdue(at: datetime) -> Q:
    # A disposition's due date is the unit's deadline to respond: once the unit has posted
    # its first update it is no longer late (the report's resolution deadline runs on).
    return Q(
        status__in=OPEN_DISPOSITION_STATES,
        due_at__lt=at,
        breached_at__isnull=True,
        first_response_at__isnull=True,
    )


# --- The sweep ---------------------------------------------------------------------------


def sla_escalate_breaches(*, at: datetime | None = None) -> SweepResult:
    """Escalate every deadline that passed before `at` (default now), each exactly once."""
    at = at or now()
    result = SweepResult(
        verification=_sweep(
            Report.objects.filter(_verification_overdue(at)).order_by("verification_due_at", "pk"),
            lambda pk: report_breach_escalate(report_id=pk, at=at, kind="verification"),
        ),
        response=_sweep(
            Report.objects.filter(_response_overdue(at)).order_by("response_due_at", "pk"),
            lambda pk: report_breach_escalate(report_id=pk, at=at, kind="response"),
        ),
        resolution=_sweep(
            Report.objects.filter(_resolution_overdue(at)).order_by("resolution_due_at", "pk"),
            lambda pk: report_breach_escalate(report_id=pk, at=at, kind="resolution"),
        ),
        dispositions=_sweep(
            Disposition.objects.filter(_disposition_overdue(at)).order_by("due_at", "pk"),
            lambda pk: disposition_breach_escalate(disposition_id=pk, at=at),
        ),
    )
    try:
        report_breached_refresh(at=at)
    except Exception:
        logger.exception("SLA sweep: refreshing the breached flags failed")
    return result


def _sweep(candidates: QuerySet[Any], handle: Callable[[int], bool]) -> int:
    """Run `handle` on each candidate id, a batch at a time, one transaction per item.

    Claimed items drop out of the query by themselves; ids already tried in this run are
    excluded too, so a failing item is tried once and never loops.
    """
    done = 0
    tried: set[int] = set()
    while True:
        batch = list(candidates.exclude(pk__in=tried).values_list("pk", flat=True)[:BATCH_SIZE])
        if not batch:
            return done
        for pk in batch:
            tried.add(pk)
            try:
                with transaction.atomic():
                    done += handle(pk)
            except Exception:
                logger.exception("SLA sweep: item %s failed; the others go on", pk)


_REPORT_DEADLINES: dict[str, tuple[str, str, Callable[[datetime], Q]]] = {
    # kind: (due column, breach mark, condition)
    "verification": ("verification_due_at", "verification_breached_at", _verification_overdue),
    "response": ("response_due_at", "response_breached_at", _response_overdue),
    "resolution": ("resolution_due_at", "resolution_breached_at", _resolution_overdue),
}


def report_breach_escalate(*, report_id: int, at: datetime, kind: str) -> bool:
    """Claim one report's passed deadline and, if this caller won the claim, escalate it.

    `kind` is "verification", "response" or "resolution". Returns False (and does nothing)
    when the report no longer qualifies: already escalated by another worker, or acted on.
    Call inside a transaction, so the claim and the escalation commit together.
    """
    due_field, mark, overdue = _REPORT_DEADLINES[kind]
    claimed = Report.objects.filter(overdue(at), pk=report_id).update(
        **{mark: at, "breached": True}
    )
    if claimed != 1:
        return False
    report = Report.objects.get(pk=report_id)
    due: datetime = getattr(report, due_field)
    camat = officer_list_of_kecamatan(kecamatan_id=report.kecamatan_id, roles=[Role.LEADER])
    if kind == "verification":
        users = officer_list_of_kecamatan(kecamatan_id=report.kecamatan_id, roles=[Role.OPERATOR])
        users += camat
        with resident_language():
            text = _(
                "Batas verifikasi laporan %(number)s (%(due)s) terlewati. "
                "Mohon segera diperiksa di meja layanan."
            ) % {"number": report.tracking_number, "due": moment_format(due)}
    elif kind == "response":
        unit_ids = list(
            Disposition.objects.filter(
                report=report, status__in=OPEN_DISPOSITION_STATES
            ).values_list("unit_id", flat=True)
        )
        users = officer_list_of_units(unit_ids=unit_ids) + camat
        with resident_language():
            text = _(
                "Laporan %(number)s belum mendapat tindak lanjut pertama; batasnya %(due)s "
                "sudah terlewati."
            ) % {"number": report.tracking_number, "due": moment_format(due)}
    else:
        users = officer_list_of_kecamatan(
            kecamatan_id=report.kecamatan_id,
            roles=[Role.LEADER],
            kelurahan_id=report.kelurahan_id,
        )
        with resident_language():
            text = _(
                "Laporan %(number)s belum selesai; batas penyelesaian %(due)s sudah terlewati. "
                "Mohon perhatian pimpinan."
            ) % {"number": report.tracking_number, "due": moment_format(due)}
    event_append(
        report=report,
        kind=EventKind.ESCALATION,
        at=at,
        message=text,
        data={"deadline": kind, "due_at": due.astimezone(WIB).isoformat()},
    )
    officer_notify(
        users=_unique(users),
        report=report,
        key=f"escalation:{kind}:{due:%Y%m%d%H%M}",
        text=text,
    )
    logger.info("SLA: %s deadline of %s escalated", kind, report.tracking_number)
    return True


def disposition_breach_escalate(*, disposition_id: int, at: datetime) -> bool:
    """Claim one disposition's passed deadline and, if this caller won, escalate it."""
    overdue = Disposition.objects.filter(_disposition_overdue(at), pk=disposition_id)
    if overdue.update(breached_at=at) != 1:
        return False
    disposition = Disposition.objects.select_related("report", "unit").get(pk=disposition_id)
    report = disposition.report
    Report.objects.filter(pk=report.pk).update(breached=True)
    with resident_language():
        text = _(
            "Disposisi laporan %(number)s ke %(unit)s melewati batas waktu %(due)s. "
            "Mohon segera ditindaklanjuti."
        ) % {
            "number": report.tracking_number,
            "unit": disposition.unit.name,
            "due": moment_format(disposition.due_at),
        }
    event_append(
        report=report,
        kind=EventKind.ESCALATION,
        at=at,
        unit=disposition.unit,
        message=text,
        data={
            "deadline": "disposition",
            "disposition_id": disposition.pk,
            "due_at": disposition.due_at.astimezone(WIB).isoformat(),
        },
    )
    users = officer_list_of_units(unit_ids=[disposition.unit_id]) + officer_list_of_kecamatan(
        kecamatan_id=report.kecamatan_id, roles=[Role.LEADER]
    )
    officer_notify(
        users=_unique(users),
        report=report,
        key=f"escalation:disposition:{disposition_id}:{disposition.due_at:%Y%m%d%H%M}",
        text=text,
    )
    logger.info("SLA: disposition %s of %s escalated", disposition_id, report.tracking_number)
    return True


# --- The stored breached flag -------------------------------------------------------------


def report_breached_refresh(*, at: datetime | None = None) -> tuple[int, int]:
    """Bring `Report.breached` in line with the breached condition at `at` (default now);
    returns how many reports were flagged and unflagged. Two set-based UPDATEs:

    - flag what a running deadline makes breached: the candidates come from the partial
      indexes on the running deadlines (report and disposition), a few thousand rows;
    - unflag what no longer qualifies among the flagged reports without a mark of their
      own (`report_breached_unmarked_idx`): marks on the report itself never go away but
      through a service that clears them, so the candidates are the rows flagged for a
      running deadline or a disposition's mark — and a report whose own mark was cleared.

    A mark is set only by the escalations above, which set the flag with it."""
    at = at or now()
    running = _running_due_q(after=None, until=at)
    flagged = Report.objects.filter(running, breached=False).update(breached=True)
    unmarked = Report.objects.filter(
        breached=True,
        verification_breached_at__isnull=True,
        response_breached_at__isnull=True,
        resolution_breached_at__isnull=True,
    )
    unflagged = unmarked.exclude(pk__in=unmarked.filter(_breached_q(moment=at)).values("pk"))
    cleared = unflagged.update(breached=False)
    if flagged or cleared:
        logger.info("SLA: breached flag set on %d reports, cleared on %d", flagged, cleared)
    return flagged, cleared


def report_breached_backfill(*, at: datetime | None = None) -> tuple[int, int]:
    """Recompute `Report.breached` for every report (rows written outside the services,
    e.g. a bulk load); two set-based UPDATEs over the table."""
    at = at or now()
    condition = _breached_q(moment=at)
    flagged = Report.objects.filter(condition, breached=False).update(breached=True)
    matching = Report.objects.filter(condition).values("pk")
    cleared = Report.objects.filter(breached=True).exclude(pk__in=matching).update(breached=False)
    return flagged, cleared


def _unique(users: Iterable[User]) -> list[User]:
    seen: dict[int, User] = {}
    for user in users:
        seen.setdefault(user.pk, user)
    return list(seen.values())


# --- Auto-close --------------------------------------------------------------------------


def sla_autoclose(*, at: datetime | None = None) -> int:
    """Close every resolved report whose dispute window ended before `at`; returns how many."""
    at = at or now()
    candidates = Report.objects.filter(status=Status.RESOLVED, dispute_until__lt=at).order_by(
        "dispute_until", "pk"
    )
    closed = 0
    tried: set[int] = set()
    while True:
        batch = list(candidates.exclude(pk__in=tried).values_list("pk", "version")[:BATCH_SIZE])
        if not batch:
            return closed
        for pk, version in batch:
            tried.add(pk)
            try:
                report_close(report_id=pk, user=None, expected_version=version, at=at)
            except DomainError as exc:
                # Disputed, reopened or closed by someone else since the query: not ours.
                logger.info("SLA auto-close: report %s skipped (%s)", pk, exc.code)
                continue
            except Exception:
                logger.exception("SLA auto-close: report %s failed; the others go on", pk)
                continue
            closed += 1
