"""Public pages for population documents: the service catalogue, the status check and the
pre-registration form. Thin: they call the documents selectors and services and render.

The status check answers only with the code and the last four digits of the WhatsApp number
and is rate-limited twice against enumeration: per client address (every look-up) and per
code (failed look-ups only). Over either limit the page answers 429 and looks nothing up.
Pre-registration carries a one-time token in the form, so a double submit makes one
application, and is limited per client address.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from telepati.core.errors import InvalidInput, NotFound
from telepati.core.ratelimit import client_ip, rate_limited
from telepati.documents.models import Channel
from telepati.documents.selectors import (
    application_status_lookup,
    document_type_get_public,
    document_type_list_public,
)
from telepati.documents.services.registration import ApplicationDraft, application_preregister
from telepati.org.selectors import kelurahan_active
from telepati.web.forms_documents import PreregisterForm, StatusCheckForm

STATUS_IP_RATE_DEFAULT = "10/10m"
STATUS_CODE_RATE_DEFAULT = "5/h"
PREREGISTER_IP_RATE_DEFAULT = "5/h"


def _rate(name: str, default: str) -> str:
    return str(getattr(settings, name, default))


@require_GET
def service_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/documents/service_list.html",
        {"document_types": document_type_list_public()},
    )


@require_GET
def service_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        document_type = document_type_get_public(code=code)
    except NotFound as error:
        raise Http404(str(error)) from None
    return render(request, "web/documents/service_detail.html", {"document_type": document_type})


@never_cache
@require_http_methods(["GET", "POST"])
def status_check(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        form = StatusCheckForm(initial={"code": request.GET.get("kode", "")[:20]})
        return _status_page(request, form)
    form = StatusCheckForm(request.POST)
    if not form.is_valid():
        return _status_page(request, form)
    code = form.cleaned_data["code"]
    ip_limited = rate_limited(
        group="web.documents.status.ip",
        key=client_ip(request),
        rate=_rate("TELEPATI_STATUS_CHECK_IP_RATE", STATUS_IP_RATE_DEFAULT),
    )
    code_rate = _rate("TELEPATI_STATUS_CHECK_CODE_RATE", STATUS_CODE_RATE_DEFAULT)
    code_group = "web.documents.status.code"
    if ip_limited or rate_limited(group=code_group, key=code, rate=code_rate, increment=False):
        form.add_error(
            None,
            _(
                "Terlalu banyak percobaan cek status. Tunggu beberapa saat lalu coba lagi, "
                "atau tanyakan langsung ke kantor camat."
            ),
        )
        return _status_page(request, form, status=429)
    try:
        view = application_status_lookup(code=code, phone_last4=form.cleaned_data["phone_last4"])
    except NotFound:
        rate_limited(group=code_group, key=code, rate=code_rate)
        form.add_error(
            None,
            _(
                "Permohonan tidak ditemukan. Periksa kode permohonan dan 4 angka terakhir "
                "nomor WhatsApp yang Anda daftarkan."
            ),
        )
        return _status_page(request, form)
    return _status_page(request, StatusCheckForm(), result=view)


def _status_page(
    request: HttpRequest, form: StatusCheckForm, *, result: object = None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "web/documents/status_check.html",
        {"form": form, "result": result},
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def preregister(request: HttpRequest) -> HttpResponse:
    document_types = document_type_list_public()
    kecamatan_ids = {t.kecamatan_id for t in document_types}
    kelurahan = list(kelurahan_active().filter(kecamatan_id__in=kecamatan_ids).order_by("name"))
    if request.method != "POST":
        chosen = next((t.pk for t in document_types if t.code == request.GET.get("jenis")), None)
        form = PreregisterForm(
            document_types=document_types,
            kelurahan=kelurahan,
            initial={"document_type": chosen},
        )
        return _preregister_page(request, form)
    form = PreregisterForm(request.POST, document_types=document_types, kelurahan=kelurahan)
    if not form.is_valid():
        return _preregister_page(request, form)
    ip = client_ip(request)
    rate = _rate("TELEPATI_PREREGISTER_IP_RATE", PREREGISTER_IP_RATE_DEFAULT)
    group = "web.documents.preregister.ip"
    if rate_limited(group=group, key=ip, rate=rate, increment=False):
        form.add_error(
            None,
            _(
                "Terlalu banyak pendaftaran dari perangkat ini. Coba lagi dalam satu jam, "
                "atau daftar langsung di kantor camat."
            ),
        )
        return _preregister_page(request, form, status=429)
    data = form.cleaned_data
    token = data["submission_token"]
    draft = ApplicationDraft(
        document_type_id=data["document_type"],
        applicant_name=data["applicant_name"],
        phone=data["phone"],
        nik=data["nik"],
        kelurahan_id=data["kelurahan"],
        address=data["address"],
        submission_key=f"web:{token}" if token else None,
    )
    try:
        application = application_preregister(draft=draft, channel=Channel.WEB)
    except InvalidInput as error:
        for field, messages in error.field_errors.items():
            for message in messages:
                form.add_error(field if field in form.fields else None, message)
        if not error.field_errors:
            form.add_error(None, str(error))
        return _preregister_page(request, form)
    rate_limited(group=group, key=ip, rate=rate)
    return render(
        request,
        "web/documents/preregister_done.html",
        {"application": application, "document_type": application.document_type},
    )


def _preregister_page(
    request: HttpRequest, form: PreregisterForm, *, status: int = 200
) -> HttpResponse:
    return render(request, "web/documents/preregister.html", {"form": form}, status=status)
