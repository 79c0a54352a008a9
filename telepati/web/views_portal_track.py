"""Tracking a report on the portal (/lacak/): the number alone shows the public timeline of
a public report; with the last four digits of the reporter's WhatsApp number it shows the
reporter's own view (status, reasons, timeline, the messages sent to them).

An unknown number, a report that is not public (without digits) and wrong digits all get
the same answer, and the digits are compared in constant time, so neither numbers nor
phone digits can be probed. Look-ups are limited per client address (every one) and per
number (failed ones only); over either limit the page answers 429 and looks nothing up.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from telepati.core.errors import NotFound
from telepati.core.ratelimit import client_ip, rate_limited
from telepati.messaging.models import OutboundMessage
from telepati.reports.lifecycle import Status
from telepati.reports.models import EventKind, Report, ReportEvent
from telepati.reports.selectors_transparency import PublicReportDetail, public_report_detail
from telepati.web.forms_portal import TrackForm

TRACK_IP_RATE_DEFAULT = "10/10m"
TRACK_NUMBER_RATE_DEFAULT = "5/h"
_DUMMY_LAST4 = "\x00\x00\x00\x00"


@dataclass(frozen=True)
class ReporterEvent:
    created_at: datetime
    label: str
    status_label: str
    message: str
    unit: str


@dataclass(frozen=True)
class ReporterMessage:
    created_at: datetime
    text: str


@dataclass(frozen=True)
class ReporterDetails:
    """What the reporter sees of their own report once they proved the phone digits."""

    number: str
    category: str
    status_label: str
    status_note: str
    submitted_at: datetime
    description: str
    place: str
    is_anonymous: bool
    is_confidential: bool
    events: list[ReporterEvent] = field(default_factory=list)
    messages: list[ReporterMessage] = field(default_factory=list)


def report_reporter_details(*, tracking_number: str, phone_last4: str) -> ReporterDetails:
    """The reporter's view by number and the last four digits of their number; NotFound
    (the same for an unknown number and wrong digits) otherwise."""
    report = (
        Report.objects.filter(tracking_number=tracking_number.strip().upper())
        .select_related("category", "kelurahan", "reporter", "merged_into")
        .first()
    )
    phone = (report.reporter.phone or "") if report and report.reporter else ""
    expected = phone[-4:] if len(phone) >= 4 else _DUMMY_LAST4
    given = (phone_last4 or "").strip()
    matches = hmac.compare_digest(given.encode(), expected.encode())
    if report is None or not matches or len(given) != 4 or not given.isdigit():
        raise NotFound(_("Laporan tidak ditemukan."))
    # The reporter sees what the public sees plus their own actions; never internal notes.
    events = (
        ReportEvent.objects.filter(report=report)
        .filter(Q(is_public=True) | Q(actor_citizen_id=report.reporter_id))
        .exclude(kind=EventKind.NOTE)
        .select_related("unit")
        .order_by("created_at", "id")
    )
    messages = OutboundMessage.objects.filter(
        reference=f"report:{report.tracking_number}", recipient_phone=phone
    ).order_by("created_at", "id")
    return ReporterDetails(
        number=report.tracking_number,
        category=report.category.name,
        status_label=report.get_status_display(),
        status_note=_status_note(report),
        submitted_at=report.submitted_at,
        description=report.description,
        place=", ".join(p for p in [report.address, getattr(report.kelurahan, "name", "")] if p),
        is_anonymous=report.is_anonymous,
        is_confidential=report.is_confidential,
        events=[
            ReporterEvent(
                created_at=event.created_at,
                label=str(EventKind(event.kind).label),
                status_label=str(Status(event.to_status).label) if event.to_status else "",
                message=event.message,
                unit=event.unit.name if event.unit else "",
            )
            for event in events
        ],
        messages=[ReporterMessage(created_at=m.created_at, text=m.text) for m in messages],
    )


def _status_note(report: Report) -> str:
    if report.status == Status.ON_HOLD and report.hold_reason:
        return _("Petugas perlu keterangan: %(question)s") % {"question": report.hold_reason}
    if report.status == Status.REJECTED:
        return _("Alasan penolakan: %(reason)s") % {"reason": report.rejection_reason or "-"}
    if report.status == Status.MERGED and report.merged_into is not None:
        return _("Digabung dengan laporan %(number)s yang membahas masalah yang sama.") % {
            "number": report.merged_into.tracking_number
        }
    return ""


def _rate(name: str, default: str) -> str:
    return str(getattr(settings, name, default))


@never_cache
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        number = request.GET.get("nomor", "")[:20]
        if not number:
            return _page(request, TrackForm())
        form = TrackForm({"number": number})
    else:
        form = TrackForm(request.POST)
    if not form.is_valid():
        return _page(request, form)
    number = form.cleaned_data["number"]
    digits = form.cleaned_data["phone_last4"]
    number_group = "web.portal.track.number"
    number_rate = _rate("TELEPATI_TRACK_NUMBER_RATE", TRACK_NUMBER_RATE_DEFAULT)
    ip_limited = rate_limited(
        group="web.portal.track.ip",
        key=client_ip(request),
        rate=_rate("TELEPATI_TRACK_IP_RATE", TRACK_IP_RATE_DEFAULT),
    )
    if ip_limited or rate_limited(
        group=number_group, key=number, rate=number_rate, increment=False
    ):
        form.add_error(
            None,
            _(
                "Terlalu banyak percobaan lacak laporan. Tunggu beberapa saat lalu coba lagi, "
                "atau tanyakan lewat WhatsApp."
            ),
        )
        return _page(request, form, status=429)
    public: PublicReportDetail | None = None
    details: ReporterDetails | None = None
    try:
        if digits:
            details = report_reporter_details(tracking_number=number, phone_last4=digits)
        else:
            public = public_report_detail(tracking_number=number)
    except NotFound:
        if digits:
            rate_limited(group=number_group, key=number, rate=number_rate)
        form.add_error(
            None,
            _(
                "Laporan tidak ditemukan, atau tidak ditampilkan untuk umum. Periksa nomor "
                "laporan; pelapor dapat melihat rinciannya dengan 4 angka terakhir nomor "
                "WhatsApp yang dipakai saat melapor."
            ),
        )
        return _page(request, form)
    fresh = TrackForm(initial={"number": number})
    return _page(request, fresh, public=public, details=details)


def _page(
    request: HttpRequest,
    form: TrackForm,
    *,
    public: PublicReportDetail | None = None,
    details: ReporterDetails | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {"form": form, "public": public, "details": details}
    return render(request, "web/portal/track.html", context, status=status)
