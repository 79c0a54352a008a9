"""Trainings in the back-office: the list, the record form, and the training page with its
attendance checklist.

Trainings belong to the kecamatan: every MANAGE_PROGRAMS holder there reads them; only
officers who manage the kecamatan as a whole record them and their attendance (the staff of
a kantor kelurahan see their kelurahan's businesses on the checklist, read-only). The
checklist is one form: every business already invited plus every other business still under
guidance, each marked not invited, invited, or attended; the service records it at once.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from telepati.accounts.capabilities import Capability
from telepati.backoffice.access import officer_view
from telepati.backoffice.programs.common import PAGE_SIZE, officer, refused
from telepati.backoffice.programs.forms import AttendanceForm, TrainingForm, training_initial
from telepati.core.errors import DomainError, Forbidden, NotFound
from telepati.programs.models import Training
from telepati.programs.selectors_officer import (
    kecamatan_list_for_programs,
    training_checklist,
    training_get_for_officer,
    training_list_for_officer,
)
from telepati.programs.services.umkm import training_record, training_record_attendance

MANAGE = Capability.MANAGE_PROGRAMS


def _detail_url(training_id: int) -> str:
    return reverse("backoffice:program_training", kwargs={"training_id": training_id})


@require_GET
@officer_view(MANAGE)
def training_list(request: HttpRequest) -> HttpResponse:
    user, scope, area = officer(request)
    rows = training_list_for_officer(user=user, scope=scope)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("halaman"))
    context = {"page": page, "can_record": area.kecamatan_wide}
    return render(request, "backoffice/programs/training_list.html", context)


@require_http_methods(["GET", "POST"])
@officer_view(MANAGE)
def training_record_view(request: HttpRequest) -> HttpResponse:
    user, _scope, area = officer(request)
    kecamatan = [(k.pk, k.name) for k in kecamatan_list_for_programs(area=area)]
    if not kecamatan:
        raise Forbidden(_("Hanya petugas kecamatan yang dapat mencatat pelatihan."))
    template = "backoffice/programs/training_form.html"
    if request.method != "POST":
        form = TrainingForm(kecamatan=kecamatan, initial=training_initial())
        return render(request, template, {"form": form})
    form = TrainingForm(request.POST, kecamatan=kecamatan)
    error: DomainError | None = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            training = training_record(
                actor=user,
                kecamatan_id=data["kecamatan"],
                title=data["title"],
                date=data["date"],
                place=data["place"],
                organiser=data["organiser"],
                description=data["description"],
            )
        except (NotFound, Forbidden):
            raise
        except DomainError as exc:
            error = exc
        else:
            messages.success(
                request,
                _("Pelatihan “%(title)s” dicatat. Tandai UMKM yang diundang dan yang hadir.")
                % {"title": training.title},
            )
            return HttpResponseRedirect(_detail_url(training.pk))
    status = refused(request, form, error, _("Pelatihan"))
    return render(request, template, {"form": form}, status=status)


def _page(
    request: HttpRequest,
    training: Training,
    *,
    form: AttendanceForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user, scope, area = officer(request)
    if form is None:
        form = AttendanceForm(rows=training_checklist(user=user, training=training, scope=scope))
    context = {
        "training": training,
        "form": form,
        "can_edit": area.manages_kecamatan(training.kecamatan_id),
    }
    return render(request, "backoffice/programs/training_detail.html", context, status=status)


@require_GET
@officer_view(MANAGE)
def training_detail(request: HttpRequest, training_id: int) -> HttpResponse:
    user, scope, _area = officer(request)
    training = training_get_for_officer(user=user, training_id=training_id, scope=scope)
    return _page(request, training)


@require_POST
@officer_view(MANAGE)
def training_attendance(request: HttpRequest, training_id: int) -> HttpResponse:
    user, scope, _area = officer(request)
    training = training_get_for_officer(user=user, training_id=training_id, scope=scope)
    rows = training_checklist(user=user, training=training, scope=scope)
    form = AttendanceForm(request.POST, rows=rows)
    error: DomainError | None = None
    if form.is_valid():
        attendance = form.attendance()
        try:
            training_record_attendance(actor=user, training_id=training.pk, attendance=attendance)
        except (NotFound, Forbidden):
            raise
        except DomainError as exc:
            error = exc
        else:
            attended = sum(attendance.values())
            messages.success(
                request,
                _("Kehadiran disimpan: %(invited)d UMKM diundang, %(attended)d hadir.")
                % {"invited": len(attendance), "attended": attended},
            )
            return HttpResponseRedirect(_detail_url(training.pk))
    status = refused(request, form, error, _("Kehadiran"))
    return _page(request, training, form=form, status=status)
