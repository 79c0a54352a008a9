"""The end of a report's life: resolve, dispute, close, reopen and rate.

    … → ditindaklanjuti ──resolve──▶ selesai ──(no dispute within the window)──▶ ditutup
                           ▲            │
                           └──dispute───┘  (reporter or follower, before `dispute_until`)

A report becomes *selesai* when the last unit finishes its disposition (the dispositions
service calls `resolution_apply` inside its own transaction) or when the desk answers it
directly (`report_resolve`). The reporter then has `TELEPATI_DISPUTE_WORKING_DAYS` working
days to rate it (1–5) or to dispute it (SANGGAH). A dispute sends the matter back to the
units that did the last round of work; when the window passes without one, the SLA sweep
closes the report (`report_close` with no user). The desk may close early, or reopen a
resolved, closed or rejected report with a reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from telepati.accounts.capabilities import Capability
from telepati.accounts.models import Role, User
from telepati.accounts.selectors import officer_list_of_kecamatan, officer_list_of_units
from telepati.core.errors import InvalidInput, InvalidTransition
from telepati.reports.lifecycle import Action, Status, transition_target
from telepati.reports.models import (
    OPEN_DISPOSITION_STATES,
    Disposition,
    DispositionStatus,
    EventKind,
    Report,
    ReportEvent,
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
from telepati.reports.services.media import PreparedUpload, evidence_store

MESSAGE_MAX_LENGTH = 4000
REASON_MAX_LENGTH = 2000


# --- Resolve -------------------------------------------------------------------------------


def resolution_apply(
    *,
    report: Report,
    actor: User | None,
    message: str,
    at: datetime,
    uploads: Sequence[PreparedUpload] = (),
) -> None:
    """Mark a LOCKED report resolved inside the caller's transaction and tell its residents.

    The caller has already locked the row, checked access and done its own part (e.g. the
    last open disposition was finished). This sets `resolved_at`, opens the dispute window,
    writes the public resolution event with its evidence and queues the notice that asks for
    a rating and explains how to dispute. Raises before changing anything when the move is
    illegal or the message is empty.
    """
    text = message.strip()
    _message_check(text)
    if len(uploads) > settings.TELEPATI_UPLOAD_MAX_FILES:
        raise InvalidInput(
            _("Paling banyak %(n)d lampiran per laporan.")
            % {"n": settings.TELEPATI_UPLOAD_MAX_FILES},
            field_errors={"uploads": [_("Terlalu banyak lampiran.")]},
        )
    transition_target(Action.RESOLVE, Status(report.status))
    dispute_until = deadline(start=at, days=settings.TELEPATI_DISPUTE_WORKING_DAYS)
    fields: dict[str, object] = {"resolved_at": at, "dispute_until": dispute_until}
    if report.first_response_at is None:
        # An answer that ends the matter is also its first response.
        fields["first_response_at"] = at
    source, target = transition_apply(report, Action.RESOLVE, fields=fields)
    event = event_append(
        report=report,
        kind=EventKind.TRANSITION,
        at=at,
        action=Action.RESOLVE,
        from_status=source,
        to_status=target,
        actor=actor,
        is_public=True,
        message=text,
    )
    evidence_store(report=report, uploads=uploads, event=event, uploaded_by=actor)
    with resident_language():
        notice = _(
            "Laporan %(number)s telah selesai ditindaklanjuti:\n%(message)s\n\n"
            "Balas angka 1–5 untuk menilai penanganannya (1 = sangat kecewa, 5 = sangat puas), "
            "atau ketik SANGGAH %(number)s bila masalah belum selesai, paling lambat %(until)s."
        ) % {
            "number": report.tracking_number,
            "message": text,
            "until": moment_format(dispute_until),
        }
    reporter_notify(
        report=report,
        key=f"resolved:v{report.version}",
        text=notice,
        template_name="laporan_selesai",
        template_params=[report.tracking_number, moment_format(dispute_until)],
    )


def _message_check(text: str) -> None:
    if not text:
        raise InvalidInput(
            _("Tuliskan hasil penanganan untuk pelapor."),
            field_errors={"message": [_("Wajib diisi.")]},
        )
    if len(text) > MESSAGE_MAX_LENGTH:
        raise InvalidInput(
            _("Hasil penanganan terlalu panjang."),
            field_errors={"message": [_("Maksimal %(n)d karakter.") % {"n": MESSAGE_MAX_LENGTH}]},
        )


def report_resolve(
    *,
    user: User,
    report_id: int,
    message: str,
    uploads: Sequence[PreparedUpload] = (),
    expected_version: int | None = None,
) -> Report:
    """The desk resolves a report itself (e.g. answers an information request directly).

    Dispositions still open are withdrawn (the units are told) and the report is resolved
    with the desk's answer as the public result.
    """
    at = now()
    with transaction.atomic():
        report = report_lock(report_id=report_id)
        officer_require(user=user, report=report, capability=Capability.CLOSE_REPORT)
        version_check(report, expected_version)
        _message_check(message.strip())
        transition_target(Action.RESOLVE, Status(report.status))
        withdrawn = list(
            Disposition.objects.select_related("unit")
            .filter(report=report, status__in=OPEN_DISPOSITION_STATES)
            .order_by("pk")
        )
        Disposition.objects.filter(pk__in=[d.pk for d in withdrawn]).update(
            status=DispositionStatus.WITHDRAWN
        )
        resolution_apply(report=report, actor=user, message=message, at=at, uploads=uploads)
        for disposition in withdrawn:
            event_append(
                report=report,
                kind=EventKind.DISPOSITION,
                at=at,
                actor=user,
                unit=disposition.unit,
                message=_("Disposisi ke %(unit)s ditarik: laporan diselesaikan langsung.")
                % {"unit": disposition.unit.name},
                data={"disposition_id": disposition.pk, "status": DispositionStatus.WITHDRAWN},
            )
        if withdrawn:
            with resident_language():
                text = _(
                    "Laporan %(number)s sudah diselesaikan langsung oleh meja layanan; "
                    "disposisi ke unit Anda ditarik. Tidak perlu tindak lanjut lagi."
                ) % {"number": report.tracking_number}
            officer_notify(
                users=officer_list_of_units(unit_ids=[d.unit_id for d in withdrawn]),
                report=report,
                key=f"withdrawn:v{report.version}",
                text=text,
            )
    return report


# --- Dispute, close, reopen --------------------------------------------------------------


def report_close(
    *,
    report_id: int,
    user: User | None = None,
    reason: str = "",
    expected_version: int | None = None,
    at: datetime | None = None,
) -> Report:
    """Close a resolved report: by the desk at any time, or by the system (`user=None`).

    The system closes only once the dispute window has passed (`at`, default now, is after
    `dispute_until`); the SLA sweep passes the version it saw, so a report disputed and
    resolved again meanwhile raises Conflict and is left alone.
    """
    at = at or now()
    with transaction.atomic():
        report = report_lock(report_id=report_id)
        if user is not None:
            officer_require(user=user, report=report, capability=Capability.CLOSE_REPORT)
        version_check(report, expected_version)
        transition_target(Action.CLOSE, Status(report.status))
        if user is None and (report.dispute_until is None or report.dispute_until >= at):
            raise InvalidTransition(
                _("Laporan %(number)s masih dalam masa sanggah hingga %(until)s.")
                % {
                    "number": report.tracking_number,
                    "until": moment_format(report.dispute_until),
                }
            )
        text = reason.strip()[:REASON_MAX_LENGTH]
        source, target = transition_apply(report, Action.CLOSE, fields={"closed_at": at})
        if user is None:
            public_text = _("Laporan ditutup otomatis: tidak ada sanggahan dalam masa sanggah.")
        else:
            public_text = text or _("Laporan ditutup oleh petugas.")
        event_append(
            report=report,
            kind=EventKind.TRANSITION,
            at=at,
            action=Action.CLOSE,
            from_status=source,
            to_status=target,
            actor=user,
            is_public=True,
            message=public_text,
        )
        with resident_language():
            notice = _(
                "Laporan %(number)s kami tutup. Terima kasih telah membantu memperbaiki "
                "layanan di lingkungan kita."
            ) % {"number": report.tracking_number}
            if report.rating is None:
                notice += " " + _(
                    "Anda masih dapat menilai penanganannya: balas angka 1–5 "
                    "(1 = sangat kecewa, 5 = sangat puas)."
                )
        reporter_notify(report=report, key=f"closed:v{report.version}", text=notice)
    return report


def report_reopen(
    *, user: User, report_id: int, reason: str, expected_version: int | None = None
) -> Report:
    """The desk reopens a resolved or closed report (back to work) or a rejected one (back to
    verification, with a fresh verification deadline). A reason is required and shown."""
    at = now()
    with transaction.atomic():
        report = report_lock(report_id=report_id)
        officer_require(user=user, report=report, capability=Capability.CLOSE_REPORT)
        version_check(report, expected_version)
        transition_target(Action.REOPEN, Status(report.status))
        text = reason_clean(reason, field="reason")
        if report.status == Status.REJECTED:
            fields: dict[str, object] = {
                "rejection_reason": "",
                "verification_due_at": deadline(
                    start=at, days=report.category.sla_verification_days
                ),
                "verification_breached_at": None,
            }
        else:
            fields = {"resolved_at": None, "dispute_until": None, "closed_at": None}
        source, target = transition_apply(report, Action.REOPEN, fields=fields)
        event_append(
            report=report,
            kind=EventKind.TRANSITION,
            at=at,
            action=Action.REOPEN,
            from_status=source,
            to_status=target,
            actor=user,
            is_public=True,
            message=text,
        )
        if target == Status.IN_PROGRESS:
            work_resume(report=report, at=at, cause="reopened")
        with resident_language():
            notice = _("Laporan %(number)s dibuka kembali oleh petugas: %(reason)s") % {
                "number": report.tracking_number,
                "reason": text,
            }
        reporter_notify(report=report, key=f"reopened:v{report.version}", text=notice)
    return report


def reason_clean(reason: str, *, field: str) -> str:
    text = reason.strip()
    if not text:
        raise InvalidInput(_("Tuliskan alasannya."), field_errors={field: [_("Wajib diisi.")]})
    if len(text) > REASON_MAX_LENGTH:
        raise InvalidInput(
            _("Alasan terlalu panjang."),
            field_errors={field: [_("Maksimal %(n)d karakter.") % {"n": REASON_MAX_LENGTH}]},
        )
    return text


def work_resume(*, report: Report, at: datetime, cause: str) -> None:
    """Give the last round's dispositions back to their units, or tell the desk if none.

    "The last round" is every disposition finished since the report last came back from
    *selesai*/*ditutup* (its latest dispute or reopen before this one), one per unit. A
    disposition whose deadline has passed gets a fresh one (first-response days of the
    category), so the unit is measured from now rather than escalated at once.
    """
    since = (
        ReportEvent.objects.filter(
            report=report, action__in=[Action.DISPUTE, Action.REOPEN], created_at__lt=at
        )
        .order_by("-created_at", "-pk")
        .values_list("created_at", flat=True)
        .first()
    )
    done = Disposition.objects.filter(report=report, status=DispositionStatus.DONE)
    if since is not None:
        done = done.filter(done_at__gte=since)
    busy_units = set(
        Disposition.objects.filter(report=report, status__in=OPEN_DISPOSITION_STATES).values_list(
            "unit_id", flat=True
        )
    )
    reopened: list[Disposition] = []
    for disposition in done.select_related("unit").order_by("-done_at", "-pk"):
        if disposition.unit_id in busy_units:
            continue
        busy_units.add(disposition.unit_id)
        disposition.status = DispositionStatus.IN_PROGRESS
        disposition.done_at = None
        if disposition.due_at <= at:
            disposition.due_at = deadline(start=at, days=report.category.sla_first_response_days)
            disposition.breached_at = None
        disposition.save(update_fields=["status", "done_at", "due_at", "breached_at"])
        reopened.append(disposition)
    with resident_language():
        if cause == "disputed":
            text = _(
                "Laporan %(number)s disanggah pelapor: masalahnya belum selesai. "
                "Mohon ditindaklanjuti kembali."
            ) % {"number": report.tracking_number}
        else:
            text = _("Laporan %(number)s dibuka kembali dan perlu ditindaklanjuti lagi.") % {
                "number": report.tracking_number
            }
    if reopened:
        for disposition in reopened:
            event_append(
                report=report,
                kind=EventKind.DISPOSITION,
                at=at,
                unit=disposition.unit,
                message=_("Disposisi ke %(unit)s dibuka kembali.")
                % {"unit": disposition.unit.name},
                data={"disposition_id": disposition.pk, "status": disposition.status},
            )
        users = officer_list_of_units(unit_ids=[d.unit_id for d in reopened])
    else:
        # Nothing to give back (the desk answered it itself): the desk picks it up again.
        users = officer_list_of_kecamatan(
            kecamatan_id=report.kecamatan_id, roles=[Role.OPERATOR, Role.ADMINISTRATOR]
        )
    officer_notify(users=users, report=report, key=f"{cause}:v{report.version}", text=text)
