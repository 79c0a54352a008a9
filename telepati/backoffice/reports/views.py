"""The complaints inbox: filters, search, sorting, keyset pages, status counts, bulk actions.

A plain GET form drives the list; with HTMX a filter change swaps only the results fragment
(`_inbox_results.html`) and pushes the URL, so the page works the same without JavaScript.
Bulk actions send each picked row through its service on its own; one refused row does not
stop the others, and every row's outcome is shown as a message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from telepati.accounts.capabilities import Capability
from telepati.accounts.models import User
from telepati.accounts.selectors import kelurahan_list_for_officer, unit_list_for_officer
from telepati.backoffice.access import officer_view
from telepati.backoffice.reports.forms import BulkForm, InboxFilterForm
from telepati.core.errors import DomainError
from telepati.reports.lifecycle import Status
from telepati.reports.models import Report
from telepati.reports.selectors import category_list_public, report_get_for_officer
from telepati.reports.selectors_inbox import (
    PAGE_SIZE,
    report_inbox_counts,
    report_inbox_page,
)
from telepati.reports.services.desk import report_verify
from telepati.reports.services.notes import report_assign

RESULTS_TEMPLATE = "backoffice/reports/_inbox_results.html"


def _query(params: QueryDict, **changes: str | None) -> str:
    """The current query string with some parameters replaced (None removes them)."""
    query = params.copy()
    for name in ("after", "before", *changes):
        query.pop(name, None)
    for name, value in changes.items():
        if value:
            query[name] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@require_GET
@officer_view(Capability.VIEW_REPORTS)
def report_inbox(request: HttpRequest) -> HttpResponse:
    user, scope = request.user, request.officer_scope  # type: ignore[attr-defined]
    form = InboxFilterForm(
        request.GET,
        categories=category_list_public(),
        kelurahan=list(kelurahan_list_for_officer(user=user, scope=scope)),
        units=list(unit_list_for_officer(user=user, scope=scope)),
    )
    filters, search = form.report_filters(), form.search_text()
    page = report_inbox_page(
        user=user,
        scope=scope,
        filters=filters,
        search=search,
        sort=form.sort_order(),
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
    )
    counts = report_inbox_counts(user=user, scope=scope, filters=filters, search=search)
    status_links = [
        {
            "value": value,
            "label": label,
            "count": counts.label(value),
            "query": _query(request.GET, status=value),
            "current": filters.status == value,
        }
        for value, label in Status.choices
    ]
    context = {
        "form": form,
        "page": page,
        "status_links": status_links,
        "all_query": _query(request.GET, status=None),
        "total": counts.total_label(),
        "next_query": _query(request.GET, after=page.next_cursor) if page.next_cursor else "",
        "prev_query": _query(request.GET, before=page.prev_cursor) if page.prev_cursor else "",
        "can_bulk": scope.can(Capability.VERIFY_REPORT),
        "here": request.get_full_path(),
    }
    htmx = request.headers.get("HX-Request") and not request.headers.get("HX-Boosted")
    template = RESULTS_TEMPLATE if htmx else "backoffice/reports/inbox.html"
    return render(request, template, context)


BulkAction = Callable[[User, Report], str]


def _assign_me(user: User, report: Report) -> str:
    report_assign(user=user, report_id=report.pk, assignee_id=user.pk)
    return _("%(number)s: ditugaskan kepada Anda.") % {"number": report.tracking_number}


def _verify(user: User, report: Report) -> str:
    report_verify(user=user, report_id=report.pk)
    return _("%(number)s: diverifikasi.") % {"number": report.tracking_number}


BULK_ACTIONS: dict[str, BulkAction] = {"assign_me": _assign_me, "verify": _verify}


@require_POST
@officer_view(Capability.VIEW_REPORTS)
def report_bulk(request: HttpRequest) -> HttpResponse:
    user, scope = cast(User, request.user), request.officer_scope  # type: ignore[attr-defined]
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("backoffice:report_inbox")
    form = BulkForm(request.POST, max_rows=PAGE_SIZE * 2)
    if not form.is_valid():
        if "reports" in form.errors and not request.POST.getlist("reports"):
            messages.error(request, _("Pilih laporan lebih dulu."))
        else:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, str(error))
        return HttpResponseRedirect(back)
    act = BULK_ACTIONS[form.cleaned_data["action"]]
    for number in form.cleaned_data["reports"]:
        try:
            report = report_get_for_officer(user=user, tracking_number=number, scope=scope)
            messages.success(request, act(user, report))
        except DomainError as exc:
            messages.error(request, f"{number}: {exc}")
    return HttpResponseRedirect(back)
