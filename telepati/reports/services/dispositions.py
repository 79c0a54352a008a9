"""Dispositions (disposisi): the desk forwards a verified report to units, the units work on it.

    terverifikasi ──forward──▶ didisposisikan ──unit update──▶ ditindaklanjuti
          ▲                          │                              │
          └──── last unit returns ───┴──────────────────────────────┤
                 (bukan wewenang)                                   ▼
                                             last unit completes ──▶ selesai (resolution)

One disposition per unit (kecamatan section, kantor kelurahan or city agency); a unit holds
at most one open disposition per report. A disposition moves menunggu → diterima →
dikerjakan → selesai, or is returned as not the unit's authority, or withdrawn when its
report is merged. The report's first-response clock (`response_due_at`) runs from the first
forwarding until a unit answers the resident publicly; when the last open disposition is
finished the report is resolved through `services.resolution.resolution_apply`, and when
the last one is returned the report goes back to the desk (terverifikasi) to be re-forwarded.

Who may act on a disposition: an officer who can see the report and holds a working role
(staff, liaison, leader, administrator, operator) in the disposition's unit — or the desk of
the report's kecamatan (DISPOSE_REPORT) acting on the unit's behalf.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from telepati.accounts.capabilities import Capability
from telepati.accounts.models import Membership, Role, User
from telepati.core.errors import InvalidInput
from telepati.org.models import Unit, UnitKind
from telepati.reports.lifecycle import Action, Status, transition_target
from telepati.reports.models import (
    OPEN_DISPOSITION_STATES,
    Disposition,
    EventKind,
    Report,
)
from telepati.reports.services.common import (
    deadline,
    event_append,
    moment_format,
    now,
    officer_notify,
    officer_require,
    report_lock,
    reporter_notify,
    resident_language,
    transition_apply,
    version_check,
)

# Roles whose members act for their unit on a disposition (couriers never do).
# Roles told about a new disposition: the people who do the unit's work and its head.
NOTIFIED_ROLES = (Role.STAFF, Role.LIAISON, Role.LEADER)
SUMMARY_MAX_LENGTH = 200


def unit_suggest(*, report: Report) -> list[Unit]:
    """Units the desk will probably forward to: the category's default unit, then the kantor
    kelurahan of the report's kelurahan — active and allowed for the report, each once."""
    wanted = Q(pk=report.category.default_unit_id) if report.category.default_unit_id else Q()
    if report.kelurahan_id is not None:
        office = Q(kind=UnitKind.KELURAHAN_OFFICE, kelurahan_id=report.kelurahan_id)
        wanted = wanted | office if wanted else office
    if not wanted:
        return []
    units = Unit.objects.filter(wanted, _unit_allowed_q(report), is_active=True)
    return sorted(units, key=lambda u: (u.pk != report.category.default_unit_id, u.name))


def _unit_allowed_q(report: Report) -> Q:
    """Units a report may be forwarded to: its own kecamatan's, or city-level ones."""
    return Q(kecamatan__isnull=True) | Q(kecamatan_id=report.kecamatan_id)


def report_forward(
    *,
    user: User,
    report_id: int,
    unit_ids: list[int],
    instruction: str = "",
    due_at: datetime | None = None,
    expected_version: int | None = None,
) -> list[Disposition]:
    """Forward a verified (or already forwarded) report to one or more units."""
    with transaction.atomic():
        report = report_lock(report_id=report_id)
        officer_require(user=user, report=report, capability=Capability.DISPOSE_REPORT)
        version_check(report, expected_version)
        transition_target(Action.FORWARD, Status(report.status))
        open_due = dict(
            Disposition.objects.filter(
                report=report, status__in=OPEN_DISPOSITION_STATES
            ).values_list("unit_id", "due_at")
        )
        units = _units_check(report, unit_ids=unit_ids, holding=open_due)
        at = now()
        due = _due_check(report, due_at=due_at, at=at)
        dispositions = Disposition.objects.bulk_create(
            Disposition(
                report=report,
                unit=unit,
                instruction=instruction.strip(),
                due_at=due,
                forwarded_by=user,
                forwarded_at=at,
            )
            for unit in units
        )
        fields: dict[str, Any] = {}
        if report.forwarded_at is None:
            fields["forwarded_at"] = at
        if report.first_response_at is None:
            fields["response_due_at"] = min([due, *open_due.values()])
            if report.response_due_at is None:
                # A fresh clock (first forwarding, or every unit returned the matter): a
                # breach of the previous clock must not keep this one from escalating.
                fields["response_breached_at"] = None
        source, target = transition_apply(report, Action.FORWARD, fields=fields)
        names = ", ".join(unit.name for unit in units)
        event_append(
            report=report,
            kind=EventKind.DISPOSITION,
            at=at,
            action=Action.FORWARD,
            from_status=source,
            to_status=target,
            actor=user,
            unit=units[0] if len(units) == 1 else None,
            is_public=True,
            message=_("Diteruskan ke %(units)s.") % {"units": names},
            data={"dispositions": [d.pk for d in dispositions], "due_at": due.isoformat()},
        )
        with resident_language():
            text = _(
                "Laporan Anda %(number)s sudah diteruskan kepada %(units)s untuk "
                "ditindaklanjuti. Tanggapan pertama paling lambat %(due)s."
            ) % {
                "number": report.tracking_number,
                "units": names,
                "due": moment_format(report.response_due_at),
            }
        reporter_notify(report=report, key=f"forwarded:{report.version}", text=text)
        _units_notify(report=report, dispositions=dispositions)
    return dispositions


def _units_check(report: Report, *, unit_ids: Sequence[int], holding: dict[int, Any]) -> list[Unit]:
    """The requested units, in the order given; InvalidInput names every refused one."""
    wanted = list(dict.fromkeys(unit_ids))
    if not wanted:
        message = _("Pilih minimal satu unit tujuan.")
        raise InvalidInput(message, field_errors={"unit_ids": [message]})
    found = {
        unit.pk: unit
        for unit in Unit.objects.filter(_unit_allowed_q(report), pk__in=wanted, is_active=True)
    }
    errors: list[str] = []
    if len(found) != len(wanted):
        errors.append(_("Unit tujuan tidak aktif atau bukan unit kecamatan laporan ini."))
    for pk in wanted:
        if pk in found and pk in holding:
            errors.append(
                _("%(unit)s masih memegang disposisi laporan ini yang belum selesai.")
                % {"unit": found[pk].name}
            )
    if errors:
        raise InvalidInput(" ".join(errors), field_errors={"unit_ids": errors})
    return [found[pk] for pk in wanted]


def _due_check(report: Report, *, due_at: datetime | None, at: datetime) -> datetime:
    if due_at is None:
        return deadline(start=at, days=report.category.sla_first_response_days)
    if due_at.tzinfo is None or due_at <= at:
        message = _("Batas waktu harus di masa mendatang.")
        raise InvalidInput(message, field_errors={"due_at": [message]})
    return due_at


def _units_notify(*, report: Report, dispositions: Sequence[Disposition]) -> None:
    """Tell each unit's working members about their new disposition.

    The notice names the matter and the place; the reporter only when the report is not
    anonymous (an anonymous reporter's identity stays with the desk).
    """
    members: dict[int, list[User]] = {}
    for membership in (
        Membership.objects.filter(
            unit_id__in=[d.unit_id for d in dispositions],
            role__in=NOTIFIED_ROLES,
            is_active=True,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("user_id")
    ):
        members.setdefault(membership.unit_id, []).append(membership.user)
    place = report.address or (report.kelurahan.name if report.kelurahan is not None else "-")
    with resident_language():
        if report.is_anonymous or report.reporter is None:
            reporter = _("dirahasiakan (laporan anonim)") if report.is_anonymous else "-"
            summary = report.title or report.category.name
        else:
            reporter = f"{report.reporter.name} ({report.reporter.phone or '-'})"
            summary = report.title or report.description[:SUMMARY_MAX_LENGTH]
        for disposition in dispositions:
            text = _(
                "Disposisi baru untuk %(unit)s: laporan %(number)s (%(category)s).\n"
                "%(summary)s\nLokasi: %(place)s\nPelapor: %(reporter)s\n"
                "Instruksi: %(instruction)s\nBatas tanggapan pertama: %(due)s."
            ) % {
                "unit": disposition.unit.name,
                "number": report.tracking_number,
                "category": report.category.name,
                "summary": summary,
                "place": place,
                "reporter": reporter,
                "instruction": disposition.instruction or "-",
                "due": moment_format(disposition.due_at),
            }
            officer_notify(
                users=members.get(disposition.unit_id, []),
                report=report,
                key=f"disposition:{disposition.pk}",
                text=text,
            )
