"""The document desk: the list of applications and the counter's register form.

Both are for officers who manage documents (administrator, operator, staff); leaders,
liaisons and couriers get the 403 page. The list shows only what the officer's scope holds
(`application_list_for_officer`), 50 rows a page, the NIK masked unless this officer handles
the application (`application_nik_display`). Registering calls `application_register`; a
refused draft re-renders the form with what was typed and the errors next to the fields.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from telepati.accounts.capabilities import Capability
from telepati.accounts.scope import OfficerScope
from telepati.accounts.selectors import kelurahan_list_for_officer
from telepati.backoffice.access import officer_view
from telepati.backoffice.documents.forms import DeskFilterForm, RegisterForm, errors_apply
from telepati.core.errors import DomainError, Forbidden, NotFound
from telepati.documents.models import DocumentType
from telepati.documents.selectors import (
    ApplicationFilters,
    application_list_for_officer,
    application_nik_display,
)
from telepati.documents.services.registration import ApplicationDraft, application_register

PAGE_SIZE = 50


def document_type_choices(scope: OfficerScope) -> list[tuple[int, str]]:
    """The active document types of the kecamatan where the officer works."""
    types = DocumentType.objects.filter(is_active=True).order_by("sort_order", "name")
    if not scope.is_superuser:
        types = types.filter(kecamatan_id__in=sorted(scope.home_kecamatan_ids))
    return [(pk, name) for pk, name in types.values_list("pk", "name")]


def kelurahan_choices(request: HttpRequest) -> list[tuple[int, str]]:
    user, scope = request.user, request.officer_scope  # type: ignore[attr-defined]
    return [(k.pk, k.name) for k in kelurahan_list_for_officer(user=user, scope=scope)]


@require_GET
@officer_view(Capability.MANAGE_DOCUMENTS)
def desk(request: HttpRequest) -> HttpResponse:
    user, scope = request.user, request.officer_scope  # type: ignore[attr-defined]
    form = DeskFilterForm(
        request.GET,
        document_types=document_type_choices(scope),
        kelurahan=kelurahan_choices(request),
    )
    filters = ApplicationFilters(
        status=form.value("status") or None,
        document_type_id=form.value("document_type") or None,
        kelurahan_id=form.value("kelurahan") or None,
        search=(form.value("q") or "").strip(),
    )
    applications = application_list_for_officer(user=user, filters=filters, scope=scope)
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("halaman"))
    rows = [
        {"application": a, "nik": application_nik_display(scope=scope, application=a)}
        for a in page.object_list
    ]
    query = request.GET.copy()
    query.pop("halaman", None)
    context: dict[str, Any] = {
        "form": form,
        "rows": rows,
        "page": page,
        "query": query.urlencode(),
    }
    return render(request, "backoffice/documents/desk.html", context)


@require_http_methods(["GET", "POST"])
@officer_view(Capability.MANAGE_DOCUMENTS)
def register(request: HttpRequest) -> HttpResponse:
    scope = request.officer_scope  # type: ignore[attr-defined]
    document_types = document_type_choices(scope)
    kelurahan = kelurahan_choices(request)
    if request.method != "POST":
        form = RegisterForm(
            initial={"submission_key": uuid.uuid4().hex},
            document_types=document_types,
            kelurahan=kelurahan,
        )
        return render(request, "backoffice/documents/register.html", {"form": form})
    form = RegisterForm(request.POST, document_types=document_types, kelurahan=kelurahan)
    if form.is_valid():
        data = form.cleaned_data
        draft = ApplicationDraft(
            document_type_id=data["document_type"],
            applicant_name=data["applicant_name"],
            phone=data["phone"],
            nik=data["nik"],
            kelurahan_id=data["kelurahan"],
            address=data["address"],
            notes=data["notes"],
            submission_key=(
                f"counter:{data['submission_key']}" if data["submission_key"] else None
            ),
        )
        try:
            application = application_register(actor=request.user, draft=draft)  # type: ignore[arg-type]
        except (NotFound, Forbidden):
            raise
        except DomainError as error:
            errors_apply(form, error)
        else:
            messages.success(
                request,
                _("Permohonan %(code)s dicatat; pemohon menerima kode lewat WhatsApp.")
                % {"code": application.code},
            )
            return HttpResponseRedirect(
                reverse("backoffice:document_detail", kwargs={"code": application.code})
            )
    messages.error(request, _("Permohonan belum tercatat. Periksa isian yang ditandai."))
    return render(request, "backoffice/documents/register.html", {"form": form}, status=400)
