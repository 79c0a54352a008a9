"""The resident's answer to a resolution: dispute it within the window, or rate it 1–5.

A reporter (or a follower) may dispute a resolved report until `dispute_until`; the units
that finished it get the work back. After resolution or closing, the reporter rates the
handling once; ratings feed the satisfaction figures.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from telepati.citizens.models import Citizen
from telepati.core.errors import Forbidden, InvalidInput
from telepati.reports.lifecycle import Action, Status
from telepati.reports.models import (
    EventKind,
    Report,
    ReportFollower,
)
from telepati.reports.services.common import (
    event_append,
    now,
    report_lock,
    report_touch,
    reporter_notify,
    resident_language,
    transition_apply,
)
from telepati.reports.services.resolution import reason_clean, work_resume

RATING_COMMENT_MAX_LENGTH = 1000


def report_dispute(*, report_id: int, citizen: Citizen, reason: str) -> Report:
    """The reporter (or a follower) says the problem is not solved, within the window.

    The report goes back to *ditindaklanjuti*; the units that did the last round of work get
    their dispositions back (with a fresh deadline when theirs has passed) and are told. The
    public timeline shows that the resolution was disputed; the resident's own words go to an
    internal note, because a free-text reason often carries names, addresses or phone numbers.
    """
    at = now()
    with transaction.atomic():
        report = report_lock(report_id=report_id)
        if not _is_recipient(report, citizen):
            raise Forbidden(_("Hanya pelapor yang dapat menyanggah penyelesaian laporan ini."))
        closed_window = report.status == Status.CLOSED or (
            report.status == Status.RESOLVED
            and report.dispute_until is not None
            and at > report.dispute_until
        )
        if closed_window:
            raise InvalidInput(
                _(
                    "Masa sanggah laporan %(number)s sudah berakhir. Bila masalahnya muncul "
                    "lagi, silakan kirim laporan baru."
                )
                % {"number": report.tracking_number},
                code="dispute_window_closed",
            )
        text = reason_clean(reason, field="reason")
        source, target = transition_apply(
            report, Action.DISPUTE, fields={"resolved_at": None, "dispute_until": None}
        )
        event_append(
            report=report,
            kind=EventKind.TRANSITION,
            at=at,
            action=Action.DISPUTE,
            from_status=source,
            to_status=target,
            actor_citizen=citizen,
            is_public=True,
            message=_("Pelapor menyanggah penyelesaian; laporan ditindaklanjuti kembali."),
        )
        event_append(
            report=report,
            kind=EventKind.NOTE,
            at=at,
            actor_citizen=citizen,
            message=text,
            data={"cause": "dispute"},
        )
        work_resume(report=report, at=at, cause="disputed")
        with resident_language():
            notice = _(
                "Sanggahan atas penyelesaian laporan %(number)s sudah kami terima. Laporan "
                "ditindaklanjuti kembali; kami akan mengabarkan perkembangannya."
            ) % {"number": report.tracking_number}
        reporter_notify(report=report, key=f"disputed:v{report.version}", text=notice)
    return report


def _is_recipient(report: Report, citizen: Citizen) -> bool:
    if report.reporter_id is not None and report.reporter_id == citizen.pk:
        return True
    return ReportFollower.objects.filter(report=report, citizen=citizen).exists()


def report_rate(*, report_id: int, citizen: Citizen, rating: int, comment: str = "") -> Report:
    """The reporter rates the handling of a resolved or closed report, once, from 1 to 5."""
    at = now()
    with transaction.atomic():
        report = report_lock(report_id=report_id)
        if report.reporter_id is None or report.reporter_id != citizen.pk:
            raise Forbidden(_("Hanya pelapor yang dapat menilai penanganan laporan ini."))
        if report.status not in (Status.RESOLVED, Status.CLOSED):
            raise InvalidInput(
                _("Laporan %(number)s baru dapat dinilai setelah selesai ditindaklanjuti.")
                % {"number": report.tracking_number}
            )
        if report.rating is not None:
            raise InvalidInput(
                _("Laporan %(number)s sudah dinilai. Terima kasih.")
                % {"number": report.tracking_number},
                code="already_rated",
            )
        if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
            raise InvalidInput(
                _("Nilai harus berupa angka 1 sampai 5."),
                field_errors={"rating": [_("Pilih angka 1–5.")]},
            )
        text = comment.strip()
        if len(text) > RATING_COMMENT_MAX_LENGTH:
            raise InvalidInput(
                _("Komentar terlalu panjang."),
                field_errors={
                    "comment": [_("Maksimal %(n)d karakter.") % {"n": RATING_COMMENT_MAX_LENGTH}]
                },
            )
        report_touch(report, fields={"rating": rating, "rating_comment": text, "rated_at": at})
        event_append(
            report=report,
            kind=EventKind.RATING,
            at=at,
            actor_citizen=citizen,
            message=text,
            data={"rating": rating},
        )
        with resident_language():
            notice = _(
                "Terima kasih atas penilaian Anda (%(rating)d dari 5) untuk laporan %(number)s. "
                "Masukan Anda membantu kami memperbaiki layanan."
            ) % {"rating": rating, "number": report.tracking_number}
        reporter_notify(report=report, key="rated", text=notice, recipients=[citizen])
    return report
