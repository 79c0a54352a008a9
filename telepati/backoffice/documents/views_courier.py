"""The courier's round for today, made for a phone: stops by kelurahan, three actions each.

Only couriers (DELIVER_DOCUMENTS) open it, and they see only the deliveries assigned to them
(`courier_day_list`; an application code of someone else's round is a 404). Per stop:
"Berangkat" (`delivery_dispatch`), "Terantar" with the recipient and a proof photo taken with
the phone's camera (`delivery_record`, multipart) and "Gagal antar" with the reason and a new
day (`delivery_fail`). Success: a message and back to the round (PRG); a refusal re-renders
the round with what was typed and the errors next to the fields of that stop.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from telepati.accounts.capabilities import Capability
from telepati.accounts.models import User
from telepati.accounts.scope import OfficerScope
from telepati.backoffice.access import officer_view
from telepati.backoffice.documents.forms import DeliverForm, FailForm, errors_apply
from telepati.core.errors import DomainError, Forbidden, NotFound
from telepati.documents.lifecycle import Action, Status, allowed_actions
from telepati.documents.models import Application
from telepati.documents.selectors import application_get_for_officer
from telepati.documents.selectors_delivery import KelurahanStop, courier_day_list
from telepati.documents.services.delivery import (
    delivery_dispatch,
    delivery_fail,
    delivery_record,
)
from telepati.documents.services.handover import delivery_days_available

COURIER_ACTIONS = (Action.DISPATCH, Action.DELIVER, Action.DELIVERY_FAIL)


def _reschedule_days(user: User, scope: OfficerScope, groups: list[KelurahanStop]) -> list[date]:
    """The days a failed delivery may move to (the same for every stop of the round)."""
    for group in groups:
        for stop in group.stops:
            if not stop.is_done:
                application = application_get_for_officer(user=user, code=stop.code, scope=scope)
                return delivery_days_available(application=application)
    return []


def _round_page(
    request: HttpRequest,
    *,
    bound: tuple[str, Action, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    today = timezone.localdate()
    groups = courier_day_list(courier=user, day=today)
    days = _reschedule_days(user, request.officer_scope, groups)  # type: ignore[attr-defined]
    sections = []
    to_do = done = 0
    for group in groups:
        stops = []
        for stop in group.stops:
            legal = set(allowed_actions(Status(stop.status)))
            offered = [a for a in COURIER_ACTIONS if a in legal]
            ids = f"{stop.code}-%s"  # several stops' forms on one page
            deliver_form: forms.Form = DeliverForm(
                initial={"recipient_name": stop.applicant_name}, auto_id=ids
            )
            fail_form: forms.Form = FailForm(days=days, auto_id=ids)
            is_bound = bound is not None and bound[0] == stop.code
            if bound is not None and is_bound:
                if bound[1] == Action.DELIVER:
                    deliver_form = bound[2]
                elif bound[1] == Action.DELIVERY_FAIL:
                    fail_form = bound[2]
            done += stop.is_done
            to_do += not stop.is_done
            stops.append(
                {
                    "stop": stop,
                    "can_dispatch": Action.DISPATCH in offered,
                    "can_deliver": Action.DELIVER in offered,
                    "can_fail": Action.DELIVERY_FAIL in offered,
                    "deliver_form": deliver_form,
                    "fail_form": fail_form,
                    "open_deliver": is_bound and bound is not None and bound[1] == Action.DELIVER,
                    "open_fail": is_bound
                    and bound is not None
                    and bound[1] == Action.DELIVERY_FAIL,
                }
            )
        sections.append({"name": group.name, "stops": stops})
    context: dict[str, Any] = {
        "today": today,
        "sections": sections,
        "to_do": to_do,
        "done": done,
    }
    return render(request, "backoffice/documents/courier_day.html", context, status=status)


@require_GET
@officer_view(Capability.DELIVER_DOCUMENTS)
def courier_day(request: HttpRequest) -> HttpResponse:
    return _round_page(request)


def _run(request: HttpRequest, application: Application, action: Action) -> str:
    """Call the service for `action`; returns the success message."""
    user: User = request.user  # type: ignore[assignment]
    if action == Action.DISPATCH:
        delivery_dispatch(courier=user, application_id=application.pk)
        return _("Berangkat mengantar %(code)s.") % {"code": application.code}
    if action == Action.DELIVER:
        form: forms.Form = DeliverForm(request.POST, request.FILES)
        form.is_valid()
        data = form.cleaned_data
        delivery_record(
            courier=user,
            application_id=application.pk,
            recipient_name=data.get("recipient_name", ""),
            recipient_relation=data.get("recipient_relation", ""),
            photo=request.FILES.get("photo"),
        )
        return _("Dokumen %(code)s tercatat diserahkan kepada %(name)s.") % {
            "code": application.code,
            "name": data.get("recipient_name", ""),
        }
    form = FailForm(request.POST, days=delivery_days_available(application=application))
    form.is_valid()
    data = form.cleaned_data
    day = data.get("reschedule_to") or ""
    delivery_fail(
        courier=user,
        application_id=application.pk,
        reason=data.get("reason", ""),
        reschedule_to=date.fromisoformat(day) if day else None,
    )
    return _("Pengantaran %(code)s dicatat belum berhasil.") % {"code": application.code}


@require_POST
@officer_view(Capability.DELIVER_DOCUMENTS)
def courier_action(request: HttpRequest, code: str, key: str) -> HttpResponse:
    try:
        action = Action(key)
    except ValueError:
        raise Http404(_("Tindakan tidak dikenal.")) from None
    if action not in COURIER_ACTIONS:
        raise Http404(_("Tindakan tidak dikenal."))
    scope = request.officer_scope  # type: ignore[attr-defined]
    application = application_get_for_officer(user=request.user, code=code, scope=scope)
    try:
        message = _run(request, application, action)
    except (NotFound, Forbidden):
        raise
    except DomainError as error:
        messages.error(
            request,
            _("%(code)s: %(reason)s") % {"code": application.code, "reason": str(error.message)},
        )
        if action == Action.DISPATCH:
            return _round_page(request, status=400)
        form: forms.Form
        ids = f"{application.code}-%s"
        if action == Action.DELIVER:
            form = DeliverForm(request.POST, auto_id=ids)
        else:
            days = delivery_days_available(application=application)
            form = FailForm(request.POST, days=days, auto_id=ids)
        form.is_valid()
        errors_apply(form, error)
        return _round_page(request, bound=(application.code, action, form), status=400)
    messages.success(request, message)
    return HttpResponseRedirect(reverse("backoffice:courier_day") + f"#stop-{application.code}")
