"""The application page and its actions.

The page shows the application as this officer may see it (NIK masked unless they handle
it), its full timeline, and only the actions `desk_actions_for` offers. Every action is a
POST to ``<code>/tindakan/<action>/`` carrying the version the officer saw; it calls one
service (which decides again). Success: a message and a redirect back to the page (PRG). A
refused call re-renders the page with what was typed and the Indonesian errors next to the
fields (400; 409 when someone else changed the application first).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from telepati.accounts.capabilities import Capability
from telepati.accounts.roles import Role
from telepati.accounts.selectors import officer_list_of_kecamatan
from telepati.backoffice.access import officer_view
from telepati.backoffice.documents.actions import (
    ASSIGN,
    BY_KEY,
    DeskAction,
    desk_actions_for,
)
from telepati.backoffice.documents.forms import (
    AssignForm,
    DeliveryForm,
    HandOverForm,
    errors_apply,
)
from telepati.core.errors import Conflict, DomainError, Forbidden, NotFound
from telepati.documents.models import Application
from telepati.documents.selectors import (
    application_get_for_officer,
    application_nik_display,
    application_timeline,
)
from telepati.documents.selectors_delivery import (
    application_delivery_attempts,
)
from telepati.documents.services.handover import delivery_days_available


def _form_kwargs(application: Application, action: DeskAction) -> dict[str, Any]:
    """Choices a form needs, read only for the forms the page shows."""
    if action.form is DeliveryForm:
        return {"days": delivery_days_available(application=application)}
    if action.form is AssignForm:
        couriers = officer_list_of_kecamatan(
            kecamatan_id=application.kecamatan_id, roles=[Role.COURIER]
        )
        return {"couriers": [(c.pk, c.get_full_name() or c.username) for c in couriers]}
    return {}


def _initial(application: Application, action: DeskAction) -> dict[str, Any]:
    initial: dict[str, Any] = {"expected_version": application.version}
    if action.form is HandOverForm:
        initial["received_by_name"] = application.applicant_name
    elif action.form is DeliveryForm:
        initial["address"] = application.delivery_address or application.address
        if application.delivery_date:
            initial["day"] = application.delivery_date.isoformat()
    elif action.key == ASSIGN and application.courier_id:
        initial["courier_id"] = application.courier_id
    return initial


def _page(
    request: HttpRequest,
    application: Application,
    *,
    bound: tuple[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    scope = request.officer_scope  # type: ignore[attr-defined]
    offered = desk_actions_for(scope=scope, application=application)
    panels = []
    for action in offered:
        if bound is not None and bound[0] == action.key:
            form = bound[1]
        else:
            form = action.form(
                initial=_initial(application, action),
                auto_id=f"{action.key}-%s",
                **_form_kwargs(application, action),
            )
        is_bound = bound is not None and bound[0] == action.key
        panels.append({"action": action, "form": form, "open": action.primary or is_bound})
    context = {
        "application": application,
        "nik": application_nik_display(scope=scope, application=application),
        "timeline": application_timeline(application=application, public_only=False),
        "attempts": application_delivery_attempts(application=application),
        "panels": panels,
        "read_only": not offered,
    }
    return render(request, "backoffice/documents/detail.html", context, status=status)


@require_GET
@officer_view(Capability.MANAGE_DOCUMENTS)
def detail(request: HttpRequest, code: str) -> HttpResponse:
    scope = request.officer_scope  # type: ignore[attr-defined]
    application = application_get_for_officer(user=request.user, code=code, scope=scope)
    return _page(request, application)


@require_POST
@officer_view(Capability.MANAGE_DOCUMENTS)
def action(request: HttpRequest, code: str, key: str) -> HttpResponse:
    spec = BY_KEY.get(key)
    if spec is None:
        raise Http404(_("Tindakan tidak dikenal."))
    user, scope = request.user, request.officer_scope  # type: ignore[attr-defined]
    application = application_get_for_officer(user=user, code=code, scope=scope)
    form = spec.form(request.POST, auto_id=f"{spec.key}-%s", **_form_kwargs(application, spec))
    status = 400
    reason = _("Periksa isian formulir.")
    if form.is_valid():
        try:
            message = spec.run(user, application, form.cleaned_data)  # type: ignore[arg-type]
        except (NotFound, Forbidden):
            raise
        except DomainError as error:
            errors_apply(form, error)
            reason = str(error.message)
            status = 409 if isinstance(error, Conflict) else 400
        else:
            messages.success(request, message)
            return HttpResponseRedirect(
                reverse("backoffice:document_detail", kwargs={"code": application.code})
            )
    messages.error(
        request,
        _("“%(action)s” belum tersimpan: %(reason)s") % {"action": spec.label, "reason": reason},
    )
    # Show the current state (the service may have refused because the application moved on).
    application = application_get_for_officer(user=user, code=code, scope=scope)
    return _page(request, application, bound=(spec.key, form), status=status)
