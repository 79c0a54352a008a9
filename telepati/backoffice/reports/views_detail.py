"""The report page and its actions.

The page shows the report as this officer may see it and offers only the actions
`report_actions_for_officer` lists — the ones the services would accept. Every action is a
POST to ``<tracking>/aksi/<action>/`` that calls one service (which decides again: a
hidden action refused there is a 403/404 page). Success: a message and a redirect back to
the page (PRG). A refused call re-renders the page with what was typed and the Indonesian
errors; a stale `expected_version` (Conflict) shows the current report with the typed
input kept and asks the officer to check before sending again.
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
from telepati.accounts.selectors import kelurahan_list_for_officer, officer_list_for_officer
from telepati.backoffice.access import officer_view
from telepati.backoffice.reports import actions
from telepati.backoffice.reports.forms import ActionForm
from telepati.core.errors import Conflict, DomainError, Forbidden, NotFound
from telepati.reports.duplicates import report_duplicates_suggest
from telepati.reports.models import Report
from telepati.reports.selectors import (
    category_list_public,
    report_get_for_officer,
    report_reporter_view,
    report_timeline,
)
from telepati.reports.selectors_inbox import (
    PageAction,
    deadline_badge,
    forward_unit_choices,
    report_actions_for_officer,
    report_dispositions,
    report_photos,
)
from telepati.reports.services.common import deadline, now
from telepati.reports.services.dispositions import unit_suggest
from telepati.reports.services.notes import canned_response_list


def _choices(request: HttpRequest, report: Report, offered: frozenset[PageAction]) -> Any:
    """What the offered forms list (units, officers, categories), read only when needed."""
    user, scope = request.user, request.officer_scope  # type: ignore[attr-defined]
    choices: dict[str, Any] = {}
    if PageAction.VERIFY in offered:
        choices["categories"] = category_list_public()
        choices["kelurahan"] = list(
            kelurahan_list_for_officer(user=user, scope=scope).filter(
                kecamatan_id=report.kecamatan_id
            )
        )
    if PageAction.FORWARD in offered:
        choices["units"] = forward_unit_choices(user=user, scope=scope, report=report)
    if PageAction.ASSIGN in offered:
        choices["officers"] = [
            (officer.pk, officer.get_full_name() or officer.username)
            for officer in officer_list_for_officer(user=user, scope=scope)
        ]
    return choices


def _initial(report: Report, action: PageAction) -> dict[str, Any]:
    initial: dict[str, Any] = {"expected_version": report.version}
    if action == PageAction.VERIFY:
        initial |= {
            "title": report.title,
            "category": report.category.code,
            "kelurahan": report.kelurahan_id,
            "priority": report.priority,
        }
    elif action == PageAction.FORWARD:
        initial["units"] = [unit.pk for unit in unit_suggest(report=report)]
    elif action == PageAction.ASSIGN:
        initial["assignee"] = report.assigned_to_id
    return initial


def _form(
    action: PageAction,
    report: Report,
    choices: dict[str, Any],
    *,
    data: Any = None,
    files: Any = None,
) -> ActionForm:
    spec = actions.SPECS[action]
    kwargs = {name: choices[name] for name in spec.choice_names}
    if data is None:
        return spec.form(initial=_initial(report, action), prefix=action.value, **kwargs)
    return spec.form(data, files, prefix=action.value, **kwargs)


def _page(
    request: HttpRequest,
    report: Report,
    *,
    bound: ActionForm | None = None,
    bound_action: PageAction | None = None,
    status: int = 200,
) -> HttpResponse:
    user, scope = request.user, request.officer_scope  # type: ignore[attr-defined]
    offered = report_actions_for_officer(scope=scope, report=report)
    choices = _choices(request, report, offered)
    action_forms: dict[str, forms.Form] = {}
    for action in PageAction:
        if action in offered:
            action_forms[action.value] = (
                bound
                if action == bound_action and bound is not None
                else _form(action, report, choices)
            )
    at = now()
    context = {
        "report": report,
        "reporter": report_reporter_view(user=user, report=report, scope=scope),
        "badge": deadline_badge(report, at=at, soon_until=deadline(start=at, days=1)),
        "timeline": report_timeline(report=report, include_internal=True, with_attachments=False),
        "dispositions": report_dispositions(report=report),
        "photos": report_photos(report=report),
        "forms": action_forms,
        "open_action": bound_action.value if bound_action else "",
        "duplicates": _duplicates(report) if PageAction.MERGE in offered else [],
        "canned": (
            canned_response_list(category_id=report.category_id, status=report.status)
            if PageAction.REPLY in offered
            else []
        ),
        "action_url": {
            action: reverse(
                "backoffice:report_action",
                kwargs={"tracking_number": report.tracking_number, "action": action},
            )
            for action in action_forms
        },
    }
    return render(request, "backoffice/reports/detail.html", context, status=status)


def _duplicates(report: Report) -> list[Any]:
    return report_duplicates_suggest(
        category_id=report.category_id,
        kecamatan_id=report.kecamatan_id,
        latitude=report.latitude,
        longitude=report.longitude,
        kelurahan_id=report.kelurahan_id,
        exclude_report_id=report.pk,
    )


def _report(request: HttpRequest, tracking_number: str) -> Report:
    return report_get_for_officer(
        user=request.user,
        tracking_number=tracking_number,
        scope=request.officer_scope,  # type: ignore[attr-defined]
    )


@require_GET
@officer_view(Capability.VIEW_REPORTS)
def report_detail(request: HttpRequest, tracking_number: str) -> HttpResponse:
    return _page(request, _report(request, tracking_number))


@require_POST
@officer_view(Capability.VIEW_REPORTS)
def report_action(request: HttpRequest, tracking_number: str, action: str) -> HttpResponse:
    try:
        page_action = PageAction(action)
    except ValueError:
        raise Http404(_("Tindakan tidak dikenal.")) from None
    report = _report(request, tracking_number)
    choices = _choices(request, report, frozenset({page_action}))
    form = _form(page_action, report, choices, data=request.POST, files=request.FILES)
    if not form.is_valid():
        return _page(request, report, bound=form, bound_action=page_action, status=400)
    try:
        done = actions.SPECS[page_action].run(request.user, report, form.cleaned_data)  # type: ignore[arg-type]
    except (NotFound, Forbidden):
        raise  # officer_view turns them into 404/403 pages
    except Conflict as exc:
        fresh = _report(request, tracking_number)
        data = request.POST.copy()
        data[f"{page_action.value}-expected_version"] = str(fresh.version)
        kept = _form(page_action, fresh, choices, data=data, files=request.FILES)
        kept.is_valid()
        messages.error(
            request,
            _("%(error)s Halaman ini sudah menampilkan keadaan terbaru; isian Anda tetap ada.")
            % {"error": exc},
        )
        return _page(request, fresh, bound=kept, bound_action=page_action, status=409)
    except DomainError as exc:
        form.errors_apply(exc)
        return _page(request, report, bound=form, bound_action=page_action, status=400)
    messages.success(request, done.message)
    return HttpResponseRedirect(
        reverse("backoffice:report_detail", kwargs={"tracking_number": done.tracking_number})
    )
