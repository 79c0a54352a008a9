"""The unit portal (/kantor/unit/): dispositions a unit received and its work on them.

Thin: reads come from `reports.selectors_units` (the officer's own units only), changes from
`reports.services.unit_work`. Every action is a POST carrying the report version the officer
saw (`expected_version`, checked by the services). The portal is for the officer's own
units, so a disposition of another unit answers 404 before any service runs (the kecamatan
desk acts on the report page instead). A refused action re-renders the page with the
message and what was typed; a successful one redirects back to the page (POST/redirect/GET)
with a success message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from telepati.accounts.capabilities import Capability
from telepati.backoffice.access import OfficerRequest, officer_view
from telepati.backoffice.units.forms import (
    AcknowledgeForm,
    CompleteForm,
    InboxFilterForm,
    ReturnForm,
    UpdateForm,
)
from telepati.core.errors import Conflict, InvalidInput, InvalidTransition
from telepati.reports.models import OPEN_DISPOSITION_STATES
from telepati.reports.selectors_units import (
    disposition_get_for_unit_officer,
    disposition_list_for_unit_officer,
    unit_report_view,
)
from telepati.reports.services.media import PreparedUpload, upload_prepare
from telepati.reports.services.unit_work import (
    disposition_acknowledge,
    disposition_complete,
    disposition_return,
    disposition_update,
)

# Any role that handles complaints (couriers do not); the selectors narrow it to own units.
PORTAL_CAPABILITY = Capability.VIEW_REPORTS

FORMS: dict[str, type[forms.Form]] = {
    "acknowledge": AcknowledgeForm,
    "update": UpdateForm,
    "complete": CompleteForm,
    "return": ReturnForm,
}


@officer_view(PORTAL_CAPABILITY)
def unit_inbox(request: OfficerRequest) -> HttpResponse:
    scope = request.officer_scope
    filter_form = InboxFilterForm(request.GET or None)
    page = disposition_list_for_unit_officer(
        user=request.user,
        filters=filter_form.filters(),
        cursor=request.GET.get("setelah", ""),
        scope=scope,
    )
    context = {
        "filter_form": filter_form,
        "page": page,
        "now": timezone.now(),
        "open_states": OPEN_DISPOSITION_STATES,
        "is_later_page": bool(request.GET.get("setelah")),
    }
    return render(request, "backoffice/units/inbox.html", context)


def _detail_render(
    request: OfficerRequest,
    disposition_id: int,
    *,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    view = unit_report_view(
        user=request.user,
        disposition_id=disposition_id,
        scope=request.officer_scope,
    )
    initial = {"expected_version": view.report.version}
    action_forms = {
        name: (bound or {}).get(name) or form_class(initial=initial, auto_id=f"{name}_%s")
        for name, form_class in FORMS.items()
    }
    context = {
        "view": view,
        "disposition": view.disposition,
        "report": view.report,
        "forms": action_forms,
        "now": timezone.now(),
        "open_states": OPEN_DISPOSITION_STATES,
    }
    return render(request, "backoffice/units/detail.html", context, status=status)


@officer_view(PORTAL_CAPABILITY)
def unit_detail(request: OfficerRequest, disposition_id: int) -> HttpResponse:
    return _detail_render(request, disposition_id)


def _uploads(files: list[Any]) -> list[PreparedUpload]:
    """Check and clean photos outside any transaction (CPU work)."""
    return [upload_prepare(name=file.name or "", content=file.read()) for file in files]


def _act(
    request: OfficerRequest,
    disposition_id: int,
    *,
    name: str,
    call: Callable[[dict[str, Any], list[PreparedUpload]], object],
    success: str,
) -> HttpResponse:
    # The portal's own rule (own units only) before anything is read from the form.
    disposition_get_for_unit_officer(
        user=request.user, disposition_id=disposition_id, scope=request.officer_scope
    )
    form = FORMS[name](request.POST, request.FILES, auto_id=f"{name}_%s")
    if not form.is_valid():
        messages.error(request, _("Periksa kembali isian formulir."))
        return _detail_render(request, disposition_id, bound={name: form}, status=400)
    data = form.cleaned_data
    try:
        uploads = _uploads(data.get("photos") or [])
        call(data, uploads)
    except InvalidInput as exc:
        for field, errors in exc.field_errors.items():
            form.add_error(field if field in form.fields else None, errors)
        messages.error(request, str(exc))
        return _detail_render(request, disposition_id, bound={name: form}, status=400)
    except (Conflict, InvalidTransition) as exc:
        messages.error(request, str(exc))
        return _detail_render(request, disposition_id, bound={name: form}, status=409)
    messages.success(request, success)
    return redirect("backoffice:unit_detail", disposition_id=disposition_id)


@officer_view(PORTAL_CAPABILITY)
@require_POST
def unit_acknowledge(request: OfficerRequest, disposition_id: int) -> HttpResponse:
    def call(data: dict[str, Any], uploads: list[PreparedUpload]) -> object:
        return disposition_acknowledge(
            user=request.user,
            disposition_id=disposition_id,
            expected_version=data.get("expected_version"),
        )

    return _act(
        request,
        disposition_id,
        name="acknowledge",
        call=call,
        success=_("Disposisi ditandai diterima."),
    )


@officer_view(PORTAL_CAPABILITY)
@require_POST
def unit_update(request: OfficerRequest, disposition_id: int) -> HttpResponse:
    def call(data: dict[str, Any], uploads: list[PreparedUpload]) -> object:
        return disposition_update(
            user=request.user,
            disposition_id=disposition_id,
            message=data["message"],
            is_public=data["is_public"],
            uploads=uploads,
            expected_version=data.get("expected_version"),
        )

    return _act(
        request,
        disposition_id,
        name="update",
        call=call,
        success=_("Pembaruan tindak lanjut tersimpan."),
    )


@officer_view(PORTAL_CAPABILITY)
@require_POST
def unit_complete(request: OfficerRequest, disposition_id: int) -> HttpResponse:
    def call(data: dict[str, Any], uploads: list[PreparedUpload]) -> object:
        return disposition_complete(
            user=request.user,
            disposition_id=disposition_id,
            message=data["message"],
            uploads=uploads,
            expected_version=data.get("expected_version"),
        )

    return _act(
        request,
        disposition_id,
        name="complete",
        call=call,
        success=_("Disposisi ditandai selesai. Terima kasih."),
    )


@officer_view(PORTAL_CAPABILITY)
@require_POST
def unit_return(request: OfficerRequest, disposition_id: int) -> HttpResponse:
    def call(data: dict[str, Any], uploads: list[PreparedUpload]) -> object:
        return disposition_return(
            user=request.user,
            disposition_id=disposition_id,
            reason=data["reason"],
            expected_version=data.get("expected_version"),
        )

    return _act(
        request,
        disposition_id,
        name="return",
        call=call,
        success=_("Disposisi dikembalikan ke meja kecamatan (bukan wewenang)."),
    )
