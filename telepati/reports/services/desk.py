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

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from telepati.accounts.capabilities import Capability
from telepati.accounts.models import User
from telepati.accounts.selectors import officer_scope_get
from telepati.citizens.models import Citizen
from telepati.core.errors import InvalidInput, NotFound
from telepati.core.workdays import WIB
from telepati.org.models import Kelurahan
from telepati.reports.lifecycle import OPEN_STATES, Action, Status, transition_target
from telepati.reports.models import (
    OPEN_DISPOSITION_STATES,
    CannedResponse,
    Category,
    Disposition,
    DispositionStatus,
    EventKind,
    Priority,
    Report,
    ReportFollower,
)
from telepati.reports.services.common import (
    deadline,
    event_append,
    now,
    officer_notify,
    officer_require,
    report_lock,
    report_scope_q,
    report_touch,
    reporter_notify,
    resident_language,
    transition_apply,
    version_check,
)
from telepati.reports.services.media import PreparedUpload, attachments_store

TITLE_MAX_LENGTH = 150


def moment_format(moment: datetime | None) -> str:
    """A deadline as residents read it: "5 November 2026, 10.00 WIB"."""
    if moment is None:
        return "-"
    return date_format(moment.astimezone(WIB), "j F Y, H.i") + " WIB"


def text_required(value: str, *, field: str, message: str) -> str:
    """The stripped text, or InvalidInput naming `field` when it is blank."""
    text = (value or "").strip()
    if not text:
        raise InvalidInput(message, field_errors={field: [message]})
    return text


def _desk_open(
    *, user: User, report_id: int, expected_version: int | None, action: Action
) -> Report:
    """Lock the report, check access, version and that `action` is legal now (in that order)."""
    report = report_lock(report_id=report_id)
    officer_require(user=user, report=report, capability=Capability.VERIFY_REPORT)
    version_check(report, expected_version)
    transition_target(action, Status(report.status))
    return report


def _transition(
    report: Report,
    action: Action,
    *,
    at: datetime,
    message: str,
    fields: dict[str, Any] | None = None,
    user: User | None = None,
    citizen: Citizen | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    """Apply a lifecycle move to the locked report and record it on the public timeline."""
    source, target = transition_apply(report, action, fields=fields)
    event_append(
        report=report,
        kind=EventKind.TRANSITION,
        at=at,
        action=action,
        from_status=source,
        to_status=target,
        actor=user,
        actor_citizen=citizen,
        is_public=True,
        message=message,
        data=data,
    )


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
        report = _desk_open(
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
        _transition(
            report,
            Action.VERIFY,
            at=at,
            user=user,
            fields=fields,
            message=_("Laporan diverifikasi dan akan diteruskan kepada unit yang berwenang."),
        )
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
        report = _desk_open(
            user=user,
            report_id=report_id,
            expected_version=expected_version,
            action=Action.HOLD,
        )
        question = text_required(
            question, field="question", message=_("Tulis keterangan yang perlu dilengkapi pelapor.")
        )
        at = now()
        _transition(
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
        _transition(
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
        report = _desk_open(
            user=user,
            report_id=report_id,
            expected_version=expected_version,
            action=Action.REJECT,
        )
        reason = text_required(reason, field="reason", message=_("Tulis alasan penolakan."))
        at = now()
        _transition(
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
        _transition(
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
                "%(survivor)s; ketik \u201ccek %(survivor)s\u201d untuk melihat perkembangannya."
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


def report_assign(*, user: User, report_id: int, assignee_id: int | None) -> Report:
    """The desk hands a report to an officer who can see it (or clears the assignment)."""
    with transaction.atomic():
        report = report_lock(report_id=report_id)
        officer_require(user=user, report=report, capability=Capability.VERIFY_REPORT)
        if assignee_id == report.assigned_to_id:
            return report
        assignee = None
        if assignee_id is not None:
            assignee = User.objects.filter(pk=assignee_id, is_active=True).first()
            if assignee is None or not _officer_sees(assignee, report):
                message = _("Petugas ini tidak dapat menangani laporan ini.")
                raise InvalidInput(message, field_errors={"assignee": [message]})
        at = now()
        report_touch(report, fields={"assigned_to": assignee})
        event_append(
            report=report,
            kind=EventKind.EDIT,
            at=at,
            actor=user,
            message=(
                _("Ditugaskan kepada %(name)s.") % {"name": assignee}
                if assignee is not None
                else _("Penugasan dilepas.")
            ),
            data={"assigned_to": assignee_id},
        )
        if assignee is not None:
            with resident_language():
                text = _("Laporan %(number)s ditugaskan kepada Anda.") % {
                    "number": report.tracking_number
                }
            officer_notify(
                users=[assignee], report=report, key=f"assigned:{report.version}", text=text
            )
    return report


def _officer_sees(officer: User, report: Report) -> bool:
    scope = officer_scope_get(user=officer)
    return Report.objects.filter(report_scope_q(scope), pk=report.pk).exists()


def report_note_add(
    *,
    user: User,
    report_id: int,
    message: str,
    is_public: bool = False,
    uploads: Sequence[PreparedUpload] = (),
) -> Report:
    """An internal note, or a public update the reporter and followers receive.

    A note does not change the report's data, so its version stays (an officer adding a note
    never makes a colleague's pending decision stale).
    """
    with transaction.atomic():
        report = report_lock(report_id=report_id)
        officer_require(user=user, report=report, capability=Capability.FOLLOW_UP)
        if report.status == Status.MERGED:
            raise InvalidInput(_("Laporan ini sudah digabung; tulis catatan di laporan tujuan."))
        text = text_required(message, field="message", message=_("Tulis isi catatan."))
        event = event_append(
            report=report,
            kind=EventKind.UPDATE if is_public else EventKind.NOTE,
            at=now(),
            actor=user,
            is_public=is_public,
            message=text,
        )
        if uploads:
            attachments_store(
                report=report,
                uploads=list(uploads),
                event=event,
                is_public=is_public,
                uploaded_by=user,
            )
        if is_public:
            with resident_language():
                notice = _("Kabar terbaru laporan %(number)s: %(message)s") % {
                    "number": report.tracking_number,
                    "message": text,
                }
            reporter_notify(report=report, key=f"note:{event.pk}", text=notice)
    return report


def canned_response_list(*, category_id: int | None, status: str) -> list[CannedResponse]:
    """Active ready-made replies for a category and state (rows for all categories or all
    states included), the most specific first."""
    rows = CannedResponse.objects.filter(is_active=True).filter(
        Q(category__isnull=True) | Q(category_id=category_id),
        Q(status="") | Q(status=status),
    )
    return sorted(rows, key=lambda r: (r.category_id is None, r.status == "", r.title))
