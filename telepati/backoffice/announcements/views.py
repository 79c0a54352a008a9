"""Announcements in the back-office: list, compose (template parameters and the live
recipient count through HTMX), the announcement page (progress polled every 2 seconds,
per-recipient status with masked numbers), send and cancel (POST, confirmed).

Views are thin: the services decide and refuse; a refused form keeps what was typed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from telepati.accounts.capabilities import Capability
from telepati.accounts.models import User
from telepati.announcements.lifecycle import Status
from telepati.announcements.models import Announcement
from telepati.announcements.selectors import (
    announcement_get_for_officer,
    announcement_kecamatan_id_for_officer,
    announcement_list_for_officer,
    announcement_progress,
    announcement_recipient_count,
    announcement_recipient_list,
)
from telepati.announcements.services.announcements import (
    announcement_cancel as cancel_service,
)
from telepati.announcements.services.announcements import (
    announcement_create,
    announcement_update,
)
from telepati.announcements.services.announcements import (
    announcement_send as send_service,
)
from telepati.announcements.services.common import template_render
from telepati.backoffice.access import officer_view
from telepati.backoffice.announcements.forms import ComposeForm, errors_apply
from telepati.core.errors import DomainError, Forbidden, NotFound
from telepati.core.phone import mask_phone
from telepati.messaging.models import MessageStatus

PER_PAGE = 50
POLL_SECONDS = 2


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _detail_url(announcement: Announcement) -> str:
    return reverse("backoffice:announcement_detail", kwargs={"announcement_id": announcement.pk})


@require_GET
@officer_view(Capability.SEND_ANNOUNCEMENTS)
def announcement_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(announcement_list_for_officer(user=_user(request)), PER_PAGE).get_page(
        request.GET.get("halaman")
    )
    return render(request, "backoffice/announcements/list.html", {"page": page})


def _compose(request: HttpRequest, *, announcement: Announcement | None = None) -> HttpResponse:
    user = _user(request)
    kecamatan_id = (
        announcement.kecamatan_id
        if announcement
        else announcement_kecamatan_id_for_officer(user=user)
    )
    status = 200
    if request.method == "POST":
        form = ComposeForm(request.POST, kecamatan_id=kecamatan_id)
        if form.is_valid():
            try:
                if announcement is None:
                    saved = announcement_create(actor=user, draft=form.draft())
                else:
                    saved = announcement_update(
                        actor=user,
                        announcement_id=announcement.pk,
                        expected_version=form.cleaned_data.get("expected_version"),
                        draft=form.draft(),
                    )
            except (NotFound, Forbidden):
                raise
            except DomainError as error:
                errors_apply(form, error)
            else:
                messages.success(
                    request, _("Draf pengumuman disimpan. Periksa isinya, lalu tekan Kirim.")
                )
                return HttpResponseRedirect(_detail_url(saved))
        messages.error(request, _("Pengumuman belum disimpan. Periksa pesan di formulir."))
        status = 400
    elif announcement is not None:
        initial: dict[str, Any] = {
            "title": announcement.title,
            "template": announcement.template_id,
            "topics": [t.pk for t in announcement.topics.all()],
            "kelurahan": [k.pk for k in announcement.kelurahan.all()],
            "expected_version": announcement.version,
        }
        initial.update({f"param_{n}": v for n, v in enumerate(announcement.params, start=1)})
        form = ComposeForm(kecamatan_id=kecamatan_id, initial=initial)
    else:
        form = ComposeForm(kecamatan_id=kecamatan_id)
    context = {
        "form": form,
        "announcement": announcement,
        "count": _count(form, kecamatan_id),
    }
    return render(request, "backoffice/announcements/compose.html", context, status=status)


def _count(form: ComposeForm, kecamatan_id: int) -> int:
    source = form.data if form.is_bound else form.initial

    def ids(name: str) -> list[int]:
        values = source.getlist(name) if hasattr(source, "getlist") else source.get(name, [])
        return [int(v) for v in values if str(v).isdigit()]

    return announcement_recipient_count(
        kecamatan_id=kecamatan_id, topic_ids=ids("topics"), kelurahan_ids=ids("kelurahan")
    )


@require_http_methods(["GET", "POST"])
@officer_view(Capability.SEND_ANNOUNCEMENTS)
def announcement_compose(request: HttpRequest) -> HttpResponse:
    return _compose(request)


@require_http_methods(["GET", "POST"])
@officer_view(Capability.SEND_ANNOUNCEMENTS)
def announcement_edit(request: HttpRequest, announcement_id: int) -> HttpResponse:
    announcement = announcement_get_for_officer(
        user=_user(request), announcement_id=announcement_id
    )
    if announcement.status != Status.DRAFT:
        messages.error(request, _("Hanya draf yang dapat diubah."))
        return HttpResponseRedirect(_detail_url(announcement))
    return _compose(request, announcement=announcement)


@require_GET
@officer_view(Capability.SEND_ANNOUNCEMENTS)
def announcement_params(request: HttpRequest) -> HttpResponse:
    """HTMX: the parameter fields of the chosen template."""
    kecamatan_id = announcement_kecamatan_id_for_officer(user=_user(request))
    form = ComposeForm(request.GET, kecamatan_id=kecamatan_id)
    return render(request, "backoffice/announcements/_params.html", {"form": form})


@require_GET
@officer_view(Capability.SEND_ANNOUNCEMENTS)
def announcement_count(request: HttpRequest) -> HttpResponse:
    """HTMX: how many residents the chosen topics and kelurahan reach."""
    kecamatan_id = announcement_kecamatan_id_for_officer(user=_user(request))
    form = ComposeForm(request.GET, kecamatan_id=kecamatan_id)
    context = {"count": _count(form, kecamatan_id)}
    return render(request, "backoffice/announcements/_count.html", context)


def _progress_context(request: HttpRequest, announcement: Announcement) -> dict[str, Any]:
    progress = announcement_progress(announcement=announcement)
    page = Paginator(announcement_recipient_list(announcement=announcement), PER_PAGE).get_page(
        request.GET.get("halaman")
    )
    rows = [
        {
            "phone": mask_phone(r.citizen.phone) if r.citizen.phone else _("(ID WhatsApp)"),
            "status": MessageStatus(r.message.status).label if r.message else _("Tanpa kontak"),
            "status_code": r.message.status if r.message else "",
            "error": r.message.last_error_code if r.message else "",
            "moment": r.message.sent_at if r.message else None,
        }
        for r in page.object_list
    ]
    running = announcement.status == Status.SENDING or (
        announcement.status == Status.SENT and progress.waiting > 0
    )
    return {
        "announcement": announcement,
        "progress": progress,
        "counts": [
            (MessageStatus.QUEUED.label, progress.queued),
            (MessageStatus.SENDING.label, progress.sending),
            (MessageStatus.SENT.label, progress.sent),
            (MessageStatus.DELIVERED.label, progress.delivered),
            (MessageStatus.READ.label, progress.read),
            (MessageStatus.FAILED.label, progress.failed),
            (MessageStatus.CANCELLED.label, progress.cancelled),
        ],
        "rows": rows,
        "page": page,
        "running": running,
        "can_cancel": announcement.status in (Status.DRAFT, Status.SENDING)
        or (announcement.status == Status.SENT and progress.queued > 0),
        "poll_seconds": POLL_SECONDS,
        "progress_url": _detail_url(announcement),
    }


@require_GET
@officer_view(Capability.SEND_ANNOUNCEMENTS)
def announcement_detail(request: HttpRequest, announcement_id: int) -> HttpResponse:
    announcement = announcement_get_for_officer(
        user=_user(request), announcement_id=announcement_id
    )
    context = _progress_context(request, announcement)
    if request.headers.get("HX-Request"):
        return render(request, "backoffice/announcements/_progress.html", context)
    context["text"] = template_render(announcement.template.body, announcement.params)
    if announcement.status == Status.DRAFT:
        context["count"] = announcement_recipient_count(
            kecamatan_id=announcement.kecamatan_id,
            topic_ids=[t.pk for t in announcement.topics.all()],
            kelurahan_ids=[k.pk for k in announcement.kelurahan.all()],
        )
    return render(request, "backoffice/announcements/detail.html", context)


def _version(request: HttpRequest) -> int | None:
    value = request.POST.get("expected_version", "")
    return int(value) if value.isdigit() else None


@require_POST
@officer_view(Capability.SEND_ANNOUNCEMENTS)
def announcement_send(request: HttpRequest, announcement_id: int) -> HttpResponse:
    try:
        announcement = send_service(
            actor=_user(request),
            announcement_id=announcement_id,
            expected_version=_version(request),
        )
    except (NotFound, Forbidden):
        raise
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Pengumuman sedang dikirim ke %(n)d warga.") % {"n": announcement.recipient_total},
        )
    return HttpResponseRedirect(
        reverse("backoffice:announcement_detail", kwargs={"announcement_id": announcement_id})
    )


@require_POST
@officer_view(Capability.SEND_ANNOUNCEMENTS)
def announcement_cancel(request: HttpRequest, announcement_id: int) -> HttpResponse:
    try:
        announcement = cancel_service(
            actor=_user(request),
            announcement_id=announcement_id,
            expected_version=_version(request),
        )
    except (NotFound, Forbidden):
        raise
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _(
                "Pengumuman dibatalkan. %(n)d pesan yang belum terkirim tidak akan dikirim; "
                "pesan yang sudah terkirim tidak dikirim ulang."
            )
            % {"n": announcement.cancelled_messages},
        )
    return HttpResponseRedirect(
        reverse("backoffice:announcement_detail", kwargs={"announcement_id": announcement_id})
    )
