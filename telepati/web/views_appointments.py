"""Public pages of temu cepat (appointments at the kecamatan office). Thin: they call the
appointments selectors and services and render.

- /temu/: choose a service → a day → a slot, as one GET form (works without JavaScript;
  with HTMX each choice swaps the steps below it), then the booking form (POST /temu/pesan/)
  with a one-time token as the submission key, so a double submit makes one booking. A slot
  that filled up meanwhile is answered with the nearest free slots to pick from; a person who
  already holds a booking of the service is shown its code and where to manage it. Bookings
  are limited per client address.
- /temu/kelola/: the code and the last four digits of the WhatsApp number show a booking,
  which may be cancelled or moved to another slot (POST only, so the digits never sit in a
  URL). Limited per client address (every attempt) and per code (failed attempts).
- /layar/<code>/: the TV display (`views_display`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from telepati.appointments.lifecycle import Status
from telepati.appointments.models import Booking, Channel, OfficeService
from telepati.appointments.notices import slot_label
from telepati.appointments.schedule import SlotOption
from telepati.appointments.selectors import (
    booking_lookup,
    days_available,
    services_active,
    slots_available,
)
from telepati.appointments.selectors_screens import service_get_public
from telepati.appointments.services.booking import (
    booking_cancel,
    booking_create,
    booking_reschedule,
)
from telepati.appointments.services.common import AlreadyBooked, SlotFull
from telepati.core.errors import InvalidInput, InvalidTransition, NotFound
from telepati.core.ratelimit import client_ip, rate_limited
from telepati.core.selectors import work_calendar_get
from telepati.core.workdays import WIB
from telepati.web.forms_appointments import (
    BookingForm,
    LookupForm,
    RescheduleForm,
    day_parse,
    slot_value,
)

BOOKING_IP_RATE_DEFAULT = "5/h"
MANAGE_IP_RATE_DEFAULT = "20/10m"
MANAGE_CODE_RATE_DEFAULT = "5/h"
MANAGE_IP_GROUP = "web.appointments.manage.ip"
MANAGE_CODE_GROUP = "web.appointments.manage.code"
BOOKING_IP_GROUP = "web.appointments.booking.ip"
# The service's field names of `field_errors` that are the slot on these pages.
_SLOT_FIELDS = frozenset({"slot_start", "day"})


def _rate(name: str, default: str) -> str:
    return str(getattr(settings, name, default))


def _hx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


# --- Choosing a slot ----------------------------------------------------------------------


@dataclass
class Steps:
    """Where the resident is in choosing: each step only when the one before is chosen."""

    services: list[OfficeService]
    service: OfficeService | None = None
    days: list[tuple[date, int]] = field(default_factory=list)
    day: date | None = None
    slots: list[SlotOption] = field(default_factory=list)
    slot: SlotOption | None = None


def steps_from(params: QueryDict) -> Steps:
    """The choices in `params` (layanan, hari, jam), each kept only when still on offer."""
    steps = Steps(services=list(services_active()))
    code = params.get("layanan", "")
    steps.service = next((s for s in steps.services if s.code == code), None)
    if steps.service is None:
        return steps
    calendar = work_calendar_get()
    steps.days = days_available(service=steps.service, calendar=calendar)
    day = day_parse(params.get("hari", ""))
    steps.day = day if day in {d for d, _free in steps.days} else None
    if steps.day is None:
        return steps
    steps.slots = slots_available(service=steps.service, day=steps.day, calendar=calendar)
    hour = params.get("jam", "")
    steps.slot = next(
        (o for o in steps.slots if o.start.astimezone(WIB).strftime("%H:%M") == hour), None
    )
    return steps


@never_cache
@require_GET
def booking_start(request: HttpRequest) -> HttpResponse:
    steps = steps_from(request.GET)
    form = None
    if steps.service is not None and steps.slot is not None:
        form = BookingForm(
            initial={"service": steps.service.code, "slot": slot_value(steps.slot.start)}
        )
    context = {"steps": steps, "form": form}
    template = "web/appointments/_steps.html" if _hx(request) else "web/appointments/start.html"
    return render(request, template, context)


@never_cache
@require_POST
def booking_submit(request: HttpRequest) -> HttpResponse:
    form = BookingForm(request.POST)
    try:
        service = service_get_public(code=request.POST.get("service", ""))
    except NotFound:
        raise Http404(_("Layanan tidak ditemukan.")) from None
    if not form.is_valid():
        return _book_page(request, form, service)
    ip = client_ip(request)
    rate = _rate("TELEPATI_BOOKING_IP_RATE", BOOKING_IP_RATE_DEFAULT)
    if rate_limited(group=BOOKING_IP_GROUP, key=ip, rate=rate, increment=False):
        form.add_error(
            None,
            _(
                "Terlalu banyak janji temu dari perangkat ini. Coba lagi dalam satu jam, atau "
                "datang langsung ke kantor camat."
            ),
        )
        return _book_page(request, form, service, status=429)
    data = form.cleaned_data
    start: datetime = data["slot"]
    token = data["submission_token"]
    try:
        booking = booking_create(
            service_id=service.pk,
            day=start.date(),
            slot_start=start,
            name=data["name"],
            phone=data["phone"],
            purpose=data["purpose"],
            channel=Channel.WEB,
            submission_key=f"web:{token}" if token else None,
        )
    except AlreadyBooked as error:
        return _book_page(request, form, service, already=error.existing, problem=str(error))
    except SlotFull as error:
        return _book_page(
            request, form, service, alternatives=error.alternatives, problem=str(error)
        )
    except InvalidInput as error:
        _errors_onto(form, error)
        return _book_page(request, form, service)
    except NotFound as error:
        raise Http404(str(error)) from None
    rate_limited(group=BOOKING_IP_GROUP, key=ip, rate=rate)
    return render(request, "web/appointments/done.html", _booking_context(booking))


def _errors_onto(form: BookingForm, error: InvalidInput) -> None:
    for name, problems in error.field_errors.items():
        target = "slot" if name in _SLOT_FIELDS else name
        for problem in problems:
            form.add_error(target if target in form.fields else None, problem)
    if not error.field_errors:
        form.add_error(None, str(error))


def _book_page(
    request: HttpRequest,
    form: BookingForm,
    service: OfficeService,
    *,
    alternatives: list[SlotOption] | None = None,
    already: Booking | None = None,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    start = form.cleaned_data.get("slot") if hasattr(form, "cleaned_data") else None
    context = {
        "form": form,
        "service": service,
        "start": start,
        "alternatives": [(slot_value(o.start), o) for o in alternatives or []],
        "already": already,
        "problem": problem,
        "manage_url": _manage_url(already.code) if already is not None else "",
        "restart_url": reverse("web:appointments") + "?" + urlencode({"layanan": service.code}),
    }
    return render(request, "web/appointments/book.html", context, status=status)


def _booking_context(booking: Booking) -> dict[str, Any]:
    bring = [line.strip() for line in booking.service.what_to_bring.splitlines() if line.strip()]
    return {
        "booking": booking,
        "when": slot_label(booking),
        "bring": bring,
        "manage_url": _manage_url(booking.code),
    }


def _manage_url(code: str) -> str:
    return reverse("web:appointment_manage") + "?" + urlencode({"kode": code})


# --- Managing a booking -------------------------------------------------------------------


def _manage_limited(request: HttpRequest, code: str) -> bool:
    """Count this attempt for the address; peek at the code's failures."""
    ip_limited = rate_limited(
        group=MANAGE_IP_GROUP,
        key=client_ip(request),
        rate=_rate("TELEPATI_BOOKING_LOOKUP_IP_RATE", MANAGE_IP_RATE_DEFAULT),
    )
    code_rate = _rate("TELEPATI_BOOKING_LOOKUP_CODE_RATE", MANAGE_CODE_RATE_DEFAULT)
    return ip_limited or rate_limited(
        group=MANAGE_CODE_GROUP, key=code, rate=code_rate, increment=False
    )


def _manage_failed(code: str) -> None:
    code_rate = _rate("TELEPATI_BOOKING_LOOKUP_CODE_RATE", MANAGE_CODE_RATE_DEFAULT)
    rate_limited(group=MANAGE_CODE_GROUP, key=code, rate=code_rate)


def _too_many() -> str:
    return _(
        "Terlalu banyak percobaan. Tunggu beberapa saat lalu coba lagi, atau tanyakan "
        "langsung ke kantor camat."
    )


def _not_found() -> str:
    return _(
        "Janji temu tidak ditemukan. Periksa kode janji temu dan 4 angka terakhir nomor "
        "WhatsApp yang Anda daftarkan."
    )


@never_cache
@require_http_methods(["GET", "POST"])
def booking_manage(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        form = LookupForm(initial={"code": request.GET.get("kode", "")[:20]})
        return _manage_page(request, form)
    form = LookupForm(request.POST)
    if not form.is_valid():
        return _manage_page(request, form)
    return _manage_lookup(request, form, day=form.cleaned_data["day"])


def _manage_lookup(
    request: HttpRequest,
    form: LookupForm,
    *,
    day: date | None = None,
    alternatives: list[SlotOption] | None = None,
    counted: bool = False,
    status: int = 200,
) -> HttpResponse:
    """Show the booking of the form's code and digits (`counted`: this request's attempt
    was already counted by the action that failed)."""
    code = form.cleaned_data["code"]
    if not counted and _manage_limited(request, code):
        form.add_error(None, _too_many())
        return _manage_page(request, form, status=429)
    try:
        booking = booking_lookup(code=code, phone_last4=form.cleaned_data["phone_last4"])
    except NotFound:
        _manage_failed(code)
        form.add_error(None, _not_found())
        return _manage_page(request, form)
    days: list[tuple[date, int]] = []
    slots: list[SlotOption] = list(alternatives or [])
    if booking.status == Status.BOOKED:
        calendar = work_calendar_get()
        days = days_available(service=booking.service, calendar=calendar)
        if day is not None and not slots:
            slots = slots_available(service=booking.service, day=day, calendar=calendar)
    context = {
        "booking": booking,
        "when": slot_label(booking),
        "digits": form.cleaned_data["phone_last4"],
        "can_change": booking.status == Status.BOOKED,
        "days": days,
        "day": day,
        "slots": [(slot_value(o.start), o) for o in slots if o.start != booking.slot_start],
        "alternatives": bool(alternatives),
    }
    return _manage_page(request, form, result=context, status=status)


def _manage_page(
    request: HttpRequest,
    form: LookupForm,
    *,
    result: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request, "web/appointments/manage.html", {"form": form, "result": result}, status=status
    )


@never_cache
@require_POST
def booking_cancel_view(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.POST)
    if not form.is_valid():
        return _manage_page(request, form)
    code = form.cleaned_data["code"]
    if _manage_limited(request, code):
        form.add_error(None, _too_many())
        return _manage_page(request, form, status=429)
    try:
        booking = booking_cancel(code=code, phone_last4=form.cleaned_data["phone_last4"])
    except NotFound:
        _manage_failed(code)
        form.add_error(None, _not_found())
        return _manage_page(request, form)
    except InvalidTransition as error:
        messages.error(request, str(error))
        return redirect(_manage_url(code))
    messages.success(request, _("Janji temu %(code)s dibatalkan.") % {"code": booking.code})
    return redirect(_manage_url(booking.code))


@never_cache
@require_POST
def booking_reschedule_view(request: HttpRequest) -> HttpResponse:
    form = RescheduleForm(request.POST)
    if not form.is_valid():
        if form.has_error("slot") and {"code", "phone_last4"} <= form.cleaned_data.keys():
            # No slot picked: the booking again with the message, counted as a look-up.
            return _manage_lookup(request, form, day=form.cleaned_data.get("day"))
        return _manage_page(request, form)
    code = form.cleaned_data["code"]
    if _manage_limited(request, code):
        form.add_error(None, _too_many())
        return _manage_page(request, form, status=429)
    start: datetime = form.cleaned_data["slot"]
    try:
        booking = booking_reschedule(
            code=code,
            day=start.date(),
            slot_start=start,
            phone_last4=form.cleaned_data["phone_last4"],
        )
    except NotFound:
        _manage_failed(code)
        form.add_error(None, _not_found())
        return _manage_page(request, form)
    except SlotFull as error:
        form.add_error(None, str(error))
        return _manage_lookup(request, form, alternatives=error.alternatives, counted=True)
    except (InvalidInput, InvalidTransition) as error:
        form.add_error(None, str(error))
        return _manage_lookup(request, form, day=start.date(), counted=True)
    messages.success(
        request,
        _("Janji temu %(code)s dipindahkan ke %(time)s. Nomor antrean: %(number)s.")
        % {"code": booking.code, "time": slot_label(booking), "number": booking.queue_label},
    )
    return redirect(_manage_url(booking.code))
