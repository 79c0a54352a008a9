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
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from telepati.accounts.models import Membership, Role, User
from telepati.core.errors import InvalidInput
from telepati.core.workdays import WIB
from telepati.org.models import UnitKind
from telepati.reports.lifecycle import Action, Status, transition_target
from telepati.reports.models import (
    EventKind,
    Report,
)
from telepati.reports.services.common import (
    deadline,
    event_append,
    reporter_notify,
    resident_language,
    transition_apply,
)
from telepati.reports.services.media import PreparedUpload, attachments_store

MESSAGE_MAX_LENGTH = 4000
REASON_MAX_LENGTH = 2000
RATING_COMMENT_MAX_LENGTH = 1000


# --- Whom to tell (also used by the SLA sweeps) ------------------------------------------


def officers_of_units(*, unit_ids: Sequence[int]) -> list[User]:
    """Active members of these units (couriers excluded), each once, in a stable order."""
    memberships = Membership.objects.filter(
        unit_id__in=list(unit_ids), is_active=True, unit__is_active=True
    ).exclude(role=Role.COURIER)
    return list(
        User.objects.filter(is_active=True, pk__in=memberships.values("user_id")).order_by("pk")
    )


def officers_of_kecamatan(
    *, kecamatan_id: int, roles: Sequence[Role], kelurahan_id: int | None = None
) -> list[User]:
    """Active officers holding one of `roles` in the kantor camat of a kecamatan.

    Kelurahan offices are left out (a lurah is no camat), except the office of `kelurahan_id`
    when given: the lurah of the place a report is about hears about it too.
    """
    where = Q(unit__kecamatan_id=kecamatan_id) & ~Q(unit__kind=UnitKind.KELURAHAN_OFFICE)
    if kelurahan_id is not None:
        where |= Q(unit__kind=UnitKind.KELURAHAN_OFFICE, unit__kelurahan_id=kelurahan_id)
    memberships = Membership.objects.filter(
        where, role__in=list(roles), is_active=True, unit__is_active=True
    )
    return list(
        User.objects.filter(is_active=True, pk__in=memberships.values("user_id")).order_by("pk")
    )


def moment_format(moment: datetime | None) -> str:
    """A deadline as residents read it: "16 November 2026, 10.00 WIB"."""
    if moment is None:
        return "-"
    return date_format(moment.astimezone(WIB), "j F Y, H.i") + " WIB"


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
    if uploads:
        attachments_store(
            report=report,
            uploads=list(uploads),
            event=event,
            is_public=not report.is_anonymous,
            is_evidence=True,
            uploaded_by=actor,
        )
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
