"""The counter screen (loket temu cepat) at /kantor/loket/: today's queue of one service.

Thin: reads from `appointments.selectors`, changes through `appointments.services.counter`
(which decide who may work which counter: NotFound outside the officer's scope, Forbidden
for those who see the service but do not serve it). The officer picks a service and names
their counter ("Loket 2", carried in the `loket` query parameter, so two counters of one
service are two browser tabs); the queue refreshes itself every 5 seconds (HTMX fragment).
Every action is a POST answered with a redirect and a message (PRG); a refused walk-in
comes back with what was typed.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from telepati.accounts.capabilities import Capability
from telepati.appointments.models import Booking, OfficeService
from telepati.appointments.selectors import (
    queue_today_for_officer,
    service_get_for_officer,
    services_for_officer,
)
from telepati.appointments.services.counter import (
    booking_mark_no_show,
    queue_call_next,
    queue_check_in,
    queue_recall,
    queue_serve,
    queue_skip,
    queue_walk_in,
)
from telepati.backoffice.access import OfficerRequest, officer_view
from telepati.backoffice.counter.forms import WalkInForm
from telepati.core.errors import Conflict, InvalidInput, InvalidTransition

POLL_SECONDS = 5
COUNTER_NAME_MAX = 40


def _counter_name(request: OfficerRequest, service: OfficeService) -> str:
    raw = request.POST.get("loket") or request.GET.get("loket") or ""
    return " ".join(raw.split())[:COUNTER_NAME_MAX] or service.counter_name


def _queue_url(service_id: int, counter: str) -> str:
    url = reverse("backoffice:counter_queue", kwargs={"service_id": service_id})
    return f"{url}?{urlencode({'loket': counter})}"


@officer_view(Capability.SERVE_COUNTER)
def counter_home(request: OfficerRequest) -> HttpResponse:
    services = services_for_officer(user=request.user)
    return render(request, "backoffice/counter/home.html", {"services": services})


def _queue_context(request: OfficerRequest, service_id: int) -> dict[str, object]:
    service = service_get_for_officer(user=request.user, service_id=service_id)
    counter = _counter_name(request, service)
    return {
        "service": service,
        "queue": queue_today_for_officer(user=request.user, service=service),
        "counter": counter,
        "now": timezone.now(),
        "poll_seconds": POLL_SECONDS,
        "fragment_url": reverse(
            "backoffice:counter_queue_fragment", kwargs={"service_id": service.pk}
        )
        + "?"
        + urlencode({"loket": counter}),
    }


def _page(
    request: OfficerRequest, service_id: int, *, form: WalkInForm | None = None, status: int = 200
) -> HttpResponse:
    context = _queue_context(request, service_id)
    context["form"] = form or WalkInForm()
    return render(request, "backoffice/counter/queue.html", context, status=status)


@officer_view(Capability.SERVE_COUNTER)
def counter_page(request: OfficerRequest, service_id: int) -> HttpResponse:
    return _page(request, service_id)


@officer_view(Capability.SERVE_COUNTER)
def counter_queue_fragment(request: OfficerRequest, service_id: int) -> HttpResponse:
    return render(request, "backoffice/counter/_queue.html", _queue_context(request, service_id))


@officer_view(Capability.SERVE_COUNTER)
@require_POST
def counter_call_next(request: OfficerRequest, service_id: int) -> HttpResponse:
    service = service_get_for_officer(user=request.user, service_id=service_id)
    counter = _counter_name(request, service)
    called = queue_call_next(user=request.user, service_id=service.pk, counter_name=counter)
    if called is None:
        messages.info(request, _("Tidak ada warga yang menunggu."))
    else:
        messages.success(
            request,
            _("Nomor %(number)s (%(name)s) dipanggil ke %(counter)s.")
            % {"number": called.queue_label, "name": called.name, "counter": called.counter_name},
        )
    return redirect(_queue_url(service.pk, counter))


@officer_view(Capability.SERVE_COUNTER)
@require_POST
def counter_walk_in(request: OfficerRequest, service_id: int) -> HttpResponse:
    service = service_get_for_officer(user=request.user, service_id=service_id)
    form = WalkInForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        booking = queue_walk_in(
            user=request.user,
            service_id=service.pk,
            name=data.get("name", ""),
            phone=data.get("phone", ""),
            purpose=data.get("purpose", ""),
        )
    except InvalidInput as error:
        for field, problems in error.field_errors.items():
            form.add_error(field if field in form.fields else None, problems)
        messages.error(request, str(error))
        return _page(request, service_id, form=form, status=400)
    messages.success(
        request,
        _("%(name)s masuk antrean dengan nomor %(number)s.")
        % {"name": booking.name, "number": booking.queue_label},
    )
    return redirect(_queue_url(service.pk, _counter_name(request, service)))


def _act_check_in(request: OfficerRequest, booking_id: int, version: int | None) -> Booking:
    return queue_check_in(user=request.user, booking_id=booking_id, expected_version=version)


def _act_serve(request: OfficerRequest, booking_id: int, version: int | None) -> Booking:
    return queue_serve(user=request.user, booking_id=booking_id, expected_version=version)


def _act_skip(request: OfficerRequest, booking_id: int, version: int | None) -> Booking:
    return queue_skip(user=request.user, booking_id=booking_id, expected_version=version)


def _act_recall(request: OfficerRequest, booking_id: int, version: int | None) -> Booking:
    return queue_recall(
        user=request.user,
        booking_id=booking_id,
        counter_name=" ".join(request.POST.get("loket", "").split())[:COUNTER_NAME_MAX],
        expected_version=version,
    )


def _act_no_show(request: OfficerRequest, booking_id: int, version: int | None) -> Booking:
    return booking_mark_no_show(user=request.user, booking_id=booking_id, expected_version=version)


Act = Callable[[OfficerRequest, int, int | None], Booking]
ACTIONS: dict[str, Act] = {
    "hadir": _act_check_in,
    "selesai": _act_serve,
    "lewati": _act_skip,
    "panggil-ulang": _act_recall,
    "tidak-hadir": _act_no_show,
}


def _success_text(slug: str) -> str:
    texts = {
        "hadir": _("%(number)s (%(name)s) hadir dan masuk antrean."),
        "selesai": _("%(number)s selesai dilayani."),
        "lewati": _("%(number)s dilewati; dapat dipanggil ulang."),
        "panggil-ulang": _("%(number)s dipanggil ulang ke %(counter)s."),
        "tidak-hadir": _("%(number)s (%(name)s) ditandai tidak hadir."),
    }
    return texts[slug]


@officer_view(Capability.SERVE_COUNTER)
@require_POST
def counter_action(
    request: OfficerRequest, service_id: int, booking_id: int, action: str
) -> HttpResponse:
    """One booking of the queue: check in, serve, skip, call again, or no-show."""
    act = ACTIONS.get(action)
    if act is None:
        raise Http404(_("Tindakan tidak dikenal."))
    raw_version = request.POST.get("version", "")
    version = int(raw_version) if raw_version.isdigit() else None
    counter = " ".join(request.POST.get("loket", "").split())[:COUNTER_NAME_MAX]
    try:
        booking = act(request, booking_id, version)
    except (InvalidInput, InvalidTransition, Conflict) as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _success_text(action)
            % {
                "number": booking.queue_label,
                "name": booking.name,
                "counter": booking.counter_name,
            },
        )
        service_id = booking.service_id
    url = reverse("backoffice:counter_queue", kwargs={"service_id": service_id})
    return redirect(f"{url}?{urlencode({'loket': counter})}" if counter else url)
