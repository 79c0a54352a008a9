"""The desk (WA Center, meja kecamatan): verification and the decisions around it.

A new report waits for the desk (baru). The desk verifies it — correcting category,
kelurahan and title (the "intisari") on the way — which starts the resolution clock; or puts
it on hold (ditunda) with a question for the reporter, whose clarification sends it back to
baru with a fresh verification clock; or rejects it with a reason; or merges a duplicate
into a report already open, whose reporter then follows the survivor. Officers assign a
report to a colleague and add notes: internal, or public updates the reporter receives.

Every function follows the recipe of `services.common`: one transaction, the report locked,
access checked (before the version, so a stale `expected_version` never tells an outsider
that a report exists), the pure lifecycle consulted, an event appended and notices queued.
Forwarding to units lives in `services.dispositions`.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from telepati.accounts.capabilities import Capability
from telepati.accounts.models import User
from telepati.accounts.selectors import officer_scope_get
from telepati.citizens.models import Citizen
from telepati.core.errors import InvalidInput, NotFound
from telepati.org.models import Kelurahan
from telepati.reports.lifecycle import Action, Status, transition_target
from telepati.reports.models import (
    Category,
    EventKind,
    Priority,
    Report,
    ReportFollower,
)
from telepati.reports.services.common import (
    deadline,
    desk_open,
    event_append,
    moment_format,
    now,
    officer_require,
    report_lock,
    report_scope_q,
    reporter_notify,
    resident_language,
    text_required,
    transition_record,
)

TITLE_MAX_LENGTH = 150


def report_verify(
    *,
    user: User,
    report_id: int,
    expected_version: int | None = None,
    category_code: str | None = None,
    kelurahan_id: int | None = None,
    title: str | None = None,
    priority: str | None = None,
) -> Report:
    """Accept a new (or clarified) report, correcting its data; starts the resolution clock."""
    with transaction.atomic():
        report = desk_open(
            user=user,
            report_id=report_id,
            expected_version=expected_version,
            action=Action.VERIFY,
        )
        changes = _corrections(
            report,
            category_code=category_code,
            kelurahan_id=kelurahan_id,
            title=title,
            priority=priority,
        )
        at = now()
        category = changes.get("category", report.category)
        fields: dict[str, Any] = {
            **changes,
            "verified_at": at,
            "resolution_due_at": deadline(start=at, days=category.sla_resolution_days),
            "hold_reason": "",
        }
        before = {name: _shown(getattr(report, name)) for name in changes}
        if "kelurahan" in changes and report.lingkungan_id is not None:
            fields["lingkungan"] = None  # the lingkungan belonged to the old kelurahan
        transition_record(
            report,
            Action.VERIFY,
            at=at,
            user=user,
            fields=fields,
            message=_("Laporan diverifikasi dan akan diteruskan kepada unit yang berwenang."),
        )
        assignee_id = report.assigned_to_id
        if "kelurahan" in changes and assignee_id is not None and _assignment_release(report):
            before["assigned_to"], changes["assigned_to"] = assignee_id, None
        if changes:
            event_append(
                report=report,
                kind=EventKind.EDIT,
                at=at,
                actor=user,
                message=_("Data laporan disesuaikan saat verifikasi."),
                data={
                    name: {"from": before[name], "to": _shown(value)}
                    for name, value in changes.items()
                },
            )
        with resident_language():
            text = _(
                "Laporan Anda %(number)s sudah diverifikasi dan akan diteruskan kepada unit "
                "yang berwenang. Target penyelesaian: %(due)s."
            ) % {"number": report.tracking_number, "due": moment_format(report.resolution_due_at)}
        reporter_notify(report=report, key=f"verified:{report.version}", text=text)
    return report


def _assignment_release(report: Report) -> bool:
    """Release the assignment when the assignee saw the (saved) report only through its old
    kelurahan — a lurah or kelurahan staff cannot open it any more; True if released."""
    assignee = report.assigned_to
    scope = officer_scope_get(user=assignee) if assignee is not None else None
    if scope is None or Report.objects.filter(report_scope_q(scope), pk=report.pk).exists():
        return False
    report.assigned_to = None
    report.save(update_fields=["assigned_to", "updated_at"])
    return True


def _shown(value: Any) -> Any:
    """A corrected value as the EDIT event records it (codes and names, not objects)."""
    if isinstance(value, Category):
        return value.code
    if isinstance(value, Kelurahan):
        return value.name
    return value


def _corrections(
    report: Report,
    *,
    category_code: str | None,
    kelurahan_id: int | None,
    title: str | None,
    priority: str | None,
) -> dict[str, Any]:
    """Validate the desk's corrections; return only the fields that really change."""
    errors: dict[str, list[str]] = {}
    changes: dict[str, Any] = {}
    if category_code is not None and category_code != report.category.code:
        category = Category.objects.filter(code=category_code, is_active=True).first()
        if category is None:
            errors["category"] = [_("Pilih kategori laporan yang tersedia.")]
        else:
            changes["category"] = category
    if kelurahan_id is not None and kelurahan_id != report.kelurahan_id:
        kelurahan = Kelurahan.objects.filter(
            pk=kelurahan_id, is_active=True, kecamatan_id=report.kecamatan_id
        ).first()
        if kelurahan is None:
            errors["kelurahan"] = [_("Pilih kelurahan di kecamatan laporan ini.")]
        else:
            changes["kelurahan"] = kelurahan
    if title is not None:
        clean = " ".join(title.split())
        if not clean:
            errors["title"] = [_("Tulis intisari laporan.")]
        elif len(clean) > TITLE_MAX_LENGTH:
            errors["title"] = [
                _("Intisari terlalu panjang (maksimal %(n)d karakter).") % {"n": TITLE_MAX_LENGTH}
            ]
        elif clean != report.title:
            changes["title"] = clean
    if priority is not None and priority != report.priority:
        if priority not in Priority.values:
            errors["priority"] = [_("Prioritas tidak dikenal.")]
        else:
            changes["priority"] = priority
    if errors:
        raise InvalidInput(_("Periksa isian yang ditandai."), field_errors=errors)
    return changes


def report_hold(
    *, user: User, report_id: int, question: str, expected_version: int | None = None
) -> Report:
    """Put verification on hold and ask the reporter what is missing."""
    with transaction.atomic():
        report = desk_open(
            user=user,
            report_id=report_id,
            expected_version=expected_version,
            action=Action.HOLD,
        )
        question = text_required(
            question, field="question", message=_("Tulis keterangan yang perlu dilengkapi pelapor.")
        )
        at = now()
        transition_record(
            report,
            Action.HOLD,
            at=at,
            user=user,
            fields={"hold_reason": question},
            message=_("Verifikasi ditunda, menunggu keterangan pelapor: %(question)s")
            % {"question": question},
        )
        with resident_language():
            text = _(
                "Laporan Anda %(number)s belum dapat kami verifikasi. Mohon lengkapi: "
                "%(question)s Balas pesan ini dengan keterangan Anda."
            ) % {"number": report.tracking_number, "question": question}
        reporter_notify(report=report, key=f"hold:{report.version}", text=text)
    return report


def report_clarify(
    *,
    report_id: int,
    message: str,
    citizen: Citizen | None = None,
    user: User | None = None,
) -> Report:
    """The reporter (or the desk, for a clarification by phone) answers the hold question.

    The report goes back to baru with a fresh verification clock. The answer itself is kept
    in an internal note (it may carry personal data); the public timeline only shows that
    the reporter answered.
    """
    if (citizen is None) == (user is None):
        raise ValueError("report_clarify needs exactly one of citizen or user")
    with transaction.atomic():
        report = report_lock(report_id=report_id)
        if user is not None:
            officer_require(user=user, report=report, capability=Capability.VERIFY_REPORT)
        elif citizen is not None and not _citizen_follows(citizen, report):
            raise NotFound(_("Laporan tidak ditemukan."))
        transition_target(Action.CLARIFY, Status(report.status))
        text = text_required(
            message, field="message", message=_("Tuliskan keterangan yang diminta petugas.")
        )
        at = now()
        question = report.hold_reason
        transition_record(
            report,
            Action.CLARIFY,
            at=at,
            user=user,
            citizen=citizen,
            message=_("Pelapor melengkapi keterangan; laporan kembali menunggu verifikasi."),
            fields={
                "hold_reason": "",
                "verification_due_at": deadline(
                    start=at, days=report.category.sla_verification_days
                ),
                "verification_breached_at": None,
            },
        )
        event_append(
            report=report,
            kind=EventKind.NOTE,
            at=at,
            actor=user,
            actor_citizen=citizen,
            message=text,
            data={"question": question, "recorded_by_officer": user is not None},
        )
        with resident_language():
            notice = _(
                "Terima kasih, keterangan Anda untuk laporan %(number)s sudah kami terima. "
                "Petugas akan memeriksanya paling lambat %(due)s."
            ) % {
                "number": report.tracking_number,
                "due": moment_format(report.verification_due_at),
            }
        reporter_notify(
            report=report,
            key=f"clarified:{report.version}",
            text=notice,
            recipients=[citizen] if citizen is not None else None,
        )
    return report


def _citizen_follows(citizen: Citizen, report: Report) -> bool:
    if citizen.pk == report.reporter_id:
        return True
    return ReportFollower.objects.filter(report=report, citizen=citizen).exists()


def report_reject(
    *, user: User, report_id: int, reason: str, expected_version: int | None = None
) -> Report:
    """Refuse a report with a reason the reporter reads; its deadlines stop."""
    with transaction.atomic():
        report = desk_open(
            user=user,
            report_id=report_id,
            expected_version=expected_version,
            action=Action.REJECT,
        )
        reason = text_required(reason, field="reason", message=_("Tulis alasan penolakan."))
        at = now()
        transition_record(
            report,
            Action.REJECT,
            at=at,
            user=user,
            message=reason,
            fields={
                "rejection_reason": reason,
                "response_due_at": None,
                "resolution_due_at": None,
            },
        )
        with resident_language():
            text = _(
                "Mohon maaf, laporan Anda %(number)s tidak dapat kami tindak lanjuti. "
                "Alasan: %(reason)s"
            ) % {"number": report.tracking_number, "reason": reason}
        reporter_notify(report=report, key=f"rejected:{report.version}", text=text)
    return report
