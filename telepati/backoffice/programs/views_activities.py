"""The activity log in the back-office: the list (program, kelurahan, month), the record
form, and the activity page with its actions — progress (with the end date and the number
of people reached), before/after photos, and the complaints it resolves, linked and
unlinked by tracking number.

Every action is a POST to one service; success: a message and a redirect back (PRG). A
refused form re-renders the page with what was typed (a photo must be picked again — the
page says so) and the errors next to the fields: 400, or 409 when the activity changed first.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from telepati.accounts.capabilities import Capability
from telepati.accounts.models import User
from telepati.backoffice.access import officer_view
from telepati.backoffice.programs.common import (
    PAGE_SIZE,
    kelurahan_choices,
    officer,
    refused,
    version_of,
)
from telepati.backoffice.programs.forms import photo_upload
from telepati.backoffice.programs.forms_activities import (
    ActivityFilterForm,
    ActivityForm,
    ActivityPhotoForm,
    LinkForm,
    ProgressForm,
    activity_initial,
)
from telepati.core.errors import DomainError, Forbidden, NotFound
from telepati.programs.models import Activity
from telepati.programs.selectors import ActivityFilters
from telepati.programs.selectors_officer import (
    ProgramsArea,
    activity_get_for_officer,
    activity_list_for_officer,
    kecamatan_list_for_programs,
    kelurahan_list_for_programs,
)
from telepati.programs.services.activities import (
    activity_link_report,
    activity_photo_add,
    activity_record,
    activity_unlink_report,
    activity_update_progress,
)

MANAGE = Capability.MANAGE_PROGRAMS


def _detail_url(activity_id: int) -> str:
    return reverse("backoffice:program_activity", kwargs={"activity_id": activity_id})


@require_GET
@officer_view(MANAGE)
def activity_list(request: HttpRequest) -> HttpResponse:
    user, scope, area = officer(request)
    kelurahan = kelurahan_choices(kelurahan_list_for_programs(area=area))
    form = ActivityFilterForm(request.GET, kelurahan=kelurahan)
    filters = ActivityFilters(
        program=form.value("program") or "",
        kelurahan_id=form.value("kelurahan"),
        month=form.month(),
    )
    rows = activity_list_for_officer(user=user, filters=filters, scope=scope)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("halaman"))
    query = request.GET.copy()
    query.pop("halaman", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "backoffice/programs/activity_list.html", context)


# --- Recording --------------------------------------------------------------------------------


def _activity_form(area: ProgramsArea, data: Any = None, **kwargs: Any) -> ActivityForm:
    kelurahan = kelurahan_list_for_programs(area=area)
    places: list[tuple[str, str]] = [
        (f"k{k.pk}", _("Lintas kelurahan — Kecamatan %(name)s") % {"name": k.name})
        for k in kecamatan_list_for_programs(area=area)
    ]
    places += [(str(pk), label) for pk, label in kelurahan_choices(kelurahan)]
    kecamatan_of = {k.pk: k.kecamatan_id for k in kelurahan}
    return ActivityForm(data, places=places, kecamatan_of=kecamatan_of, **kwargs)


@require_http_methods(["GET", "POST"])
@officer_view(MANAGE)
def activity_record_view(request: HttpRequest) -> HttpResponse:
    user, _scope, area = officer(request)
    template = "backoffice/programs/activity_form.html"
    if request.method != "POST":
        return render(request, template, {"form": _activity_form(area, initial=activity_initial())})
    form = _activity_form(area, request.POST)
    error: DomainError | None = None
    if form.is_valid():
        try:
            activity = activity_record(actor=user, draft=form.draft())
        except (NotFound, Forbidden):
            raise
        except DomainError as exc:
            error = exc
        else:
            messages.success(
                request,
                _("Kegiatan “%(title)s” dicatat. Tambahkan foto sebelum/sesudah di bawah.")
                % {"title": activity.title},
            )
            return HttpResponseRedirect(_detail_url(activity.pk))
    status = refused(request, form, error, _("Kegiatan"))
    return render(request, template, {"form": form}, status=status)


# --- The activity page --------------------------------------------------------------------------


def _page(
    request: HttpRequest,
    activity: Activity,
    *,
    bound: tuple[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    progress_initial = {
        "expected_version": activity.version,
        "progress_percent": activity.progress_percent,
        "end_date": activity.end_date,
        "people_count": activity.people_count,
    }
    panels: dict[str, forms.Form] = {
        "progress": ProgressForm(initial=progress_initial, auto_id="progress-%s"),
        "photo": ActivityPhotoForm(auto_id="photo-%s"),
        "link": LinkForm(auto_id="link-%s"),
    }
    if bound is not None:
        panels[bound[0]] = bound[1]
    context = {
        "activity": activity,
        "progress_form": panels["progress"],
        "photo_form": panels["photo"],
        "link_form": panels["link"],
        "open": bound[0] if bound else "",
    }
    return render(request, "backoffice/programs/activity_detail.html", context, status=status)


@require_GET
@officer_view(MANAGE)
def activity_detail(request: HttpRequest, activity_id: int) -> HttpResponse:
    user, scope, _area = officer(request)
    return _page(request, activity_get_for_officer(user=user, activity_id=activity_id, scope=scope))


def _act(
    request: HttpRequest, activity_id: int, key: str, form: forms.Form, what: str
) -> HttpResponse:
    """Run the action `key` with the bound `form`; PRG on success, the page on refusal."""
    user, scope, _area = officer(request)
    activity = activity_get_for_officer(user=user, activity_id=activity_id, scope=scope)
    error: DomainError | None = None
    if form.is_valid():
        try:
            text = _run(user, activity, key, form)
        except (NotFound, Forbidden):
            raise
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, text)
            return HttpResponseRedirect(_detail_url(activity.pk))
    status = refused(request, form, error, what)
    activity = activity_get_for_officer(user=user, activity_id=activity_id, scope=scope)
    return _page(request, activity, bound=(key, form), status=status)


def _run(user: User, activity: Activity, key: str, form: forms.Form) -> str:
    data = form.cleaned_data
    if key == "progress":
        saved = activity_update_progress(
            actor=user,
            activity_id=activity.pk,
            progress_percent=data["progress_percent"],
            end_date=data["end_date"],
            people_count=data["people_count"],
            expected_version=version_of(form),
        )
        return _("Progres “%(title)s” kini %(percent)d%%.") % {
            "title": saved.title,
            "percent": saved.progress_percent,
        }
    if key == "photo":
        photo = activity_photo_add(
            actor=user,
            activity_id=activity.pk,
            photo=photo_upload(data["photo"]),  # type: ignore[arg-type]
            stage=data["stage"],
            caption=data["caption"],
        )
        return _("Foto “%(stage)s” ditambahkan.") % {"stage": photo.get_stage_display()}
    if key == "link":
        report = activity_link_report(
            actor=user, activity_id=activity.pk, tracking_number=data["tracking_number"]
        )
        return _("Laporan %(number)s ditautkan ke kegiatan ini.") % {
            "number": report.tracking_number
        }
    number = data["tracking_number"].strip().upper()
    activity_unlink_report(actor=user, activity_id=activity.pk, tracking_number=number)
    return _("Tautan laporan %(number)s dilepas.") % {"number": number}


@require_POST
@officer_view(MANAGE)
def activity_progress(request: HttpRequest, activity_id: int) -> HttpResponse:
    form = ProgressForm(request.POST, auto_id="progress-%s")
    return _act(request, activity_id, "progress", form, _("Progres"))


@require_POST
@officer_view(MANAGE)
def activity_photo(request: HttpRequest, activity_id: int) -> HttpResponse:
    form = ActivityPhotoForm(request.POST, request.FILES, auto_id="photo-%s")
    return _act(request, activity_id, "photo", form, _("Foto kegiatan"))


@require_POST
@officer_view(MANAGE)
def activity_link(request: HttpRequest, activity_id: int) -> HttpResponse:
    form = LinkForm(request.POST, auto_id="link-%s")
    return _act(request, activity_id, "link", form, _("Tautan laporan"))


@require_POST
@officer_view(MANAGE)
def activity_unlink(request: HttpRequest, activity_id: int) -> HttpResponse:
    form = LinkForm(request.POST, auto_id="unlink-%s")
    return _act(request, activity_id, "unlink", form, _("Pelepasan tautan laporan"))
