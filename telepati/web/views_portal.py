"""The citizen portal's report pages: the report form, its success page, the duplicate
suggestions fragment, and the installable-app files (web manifest, service worker, offline
page). Thin: they shape input, call `report_submit` and render.

The form carries a one-time token used as the report's submission key, so a double submit,
or an offline draft sent again by the phone (see static/web/portal.js), makes one report.
A request sent by portal.js (header ``X-Telepati-Fetch: 1``) gets JSON instead of a page.
Submissions are limited per client address (successful ones are counted).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from telepati.core.errors import InvalidInput
from telepati.core.formatting import moment_format
from telepati.core.ratelimit import client_ip, rate_limited
from telepati.org.models import Kecamatan, Kelurahan
from telepati.org.selectors import kelurahan_active
from telepati.reports.duplicates import report_duplicates_suggest
from telepati.reports.models import Category, Channel, Report
from telepati.reports.selectors_public import PUBLIC_STATUS_VALUES, category_list_with_questions
from telepati.reports.services.intake import ReportDraft, report_submit
from telepati.reports.services.media import PreparedUpload, upload_prepare
from telepati.web.forms_portal import MAX_PHOTOS, ReportForm

REPORT_IP_RATE_DEFAULT = "10/h"
SESSION_KEY = "portal_report"
FETCH_HEADER = "X-Telepati-Fetch"
# Bump when the service worker's logic changes; asset changes change the version by themselves.
SERVICE_WORKER_VERSION = "1"
SHELL_STATIC = ("web/telepati.css", "web/portal.css", "web/portal.js", "vendor/htmx/htmx.min.js")
SHELL_PAGES = ("web:home", "web:report_form", "web:offline")

Errors = dict[str, list[str]]


def _is_fetch(request: HttpRequest) -> bool:
    return request.headers.get(FETCH_HEADER) == "1"


def _form(data: Any = None) -> ReportForm:
    kelurahan = list(kelurahan_active().order_by("kecamatan__name", "name"))
    return ReportForm(data, categories=category_list_with_questions(), kelurahan=kelurahan)


@never_cache
@require_http_methods(["GET", "POST"])
def report_form(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _form_page(request, _form())
    form = _form(request.POST)
    ip = client_ip(request)
    rate = str(getattr(settings, "TELEPATI_REPORT_WEB_IP_RATE", REPORT_IP_RATE_DEFAULT))
    group = "web.portal.report.ip"
    if rate_limited(group=group, key=ip, rate=rate, increment=False):
        message = _(
            "Terlalu banyak laporan dari perangkat ini. Coba lagi dalam satu jam, atau laporkan "
            "lewat WhatsApp."
        )
        return _refused(request, form, message=message, errors={}, status=429)
    if not form.is_valid():
        return _refused(request, form, message=_("Periksa isian yang ditandai."), errors={})
    uploads, photo_errors = _uploads(request)
    if photo_errors:
        errors = {"photos": photo_errors}
        return _refused(request, form, message=_("Periksa foto yang dilampirkan."), errors=errors)
    try:
        report = report_submit(draft=_draft(form, uploads))
    except InvalidInput as error:
        return _refused(request, form, message=str(error), errors=error.field_errors)
    rate_limited(group=group, key=ip, rate=rate)
    request.session[SESSION_KEY] = {
        "number": report.tracking_number,
        "due": moment_format(report.verification_due_at) if report.verification_due_at else "",
    }
    done = reverse("web:report_done")
    if _is_fetch(request):
        return JsonResponse({"tracking_number": report.tracking_number, "url": done}, status=201)
    return redirect(done)


def _uploads(request: HttpRequest) -> tuple[list[PreparedUpload], list[str]]:
    files = [f for f in request.FILES.getlist("photos") if f.size]
    if len(files) > MAX_PHOTOS:
        return [], [_("Paling banyak %(n)d foto.") % {"n": MAX_PHOTOS}]
    uploads: list[PreparedUpload] = []
    errors: list[str] = []
    for upload in files:
        try:
            uploads.append(upload_prepare(name=upload.name or "", content=upload.read()))
        except InvalidInput as error:
            errors.append(str(error))
    return uploads, errors


def _draft(form: ReportForm, uploads: list[PreparedUpload]) -> ReportDraft:
    data = form.cleaned_data
    answers, asked = form.answers()
    kelurahan = data["kelurahan"]
    token = data["submission_token"]
    return ReportDraft(
        category_code=data["category"],
        description=data["description"],
        channel=Channel.WEB,
        kelurahan_id=int(kelurahan) if kelurahan.isdigit() else None,
        latitude=data["latitude"] or None,
        longitude=data["longitude"] or None,
        address=data["address"],
        reporter_name=data["reporter_name"],
        reporter_phone=data["reporter_phone"],
        reporter_email=data["reporter_email"],
        is_anonymous=data["is_anonymous"],
        is_confidential=data["is_confidential"],
        uploads=uploads,
        submission_key=f"web:{token}" if token else "",
        answers=answers,
        questions_asked=asked,
    )


def _refused(
    request: HttpRequest, form: ReportForm, *, message: str, errors: Errors, status: int = 200
) -> HttpResponse:
    """The form again with every message in place (or JSON for portal.js)."""
    cleaned = getattr(form, "cleaned_data", None)
    for key, messages in errors.items():
        field = form.error_field(key) if cleaned is not None else None
        for text in messages:
            form.add_error(field, text)
    if _is_fetch(request):
        found = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        return JsonResponse(
            {"message": message, "errors": found}, status=400 if status == 200 else status
        )
    photos_lost = bool(request.FILES)
    return _form_page(request, form, message=message, photos_lost=photos_lost, status=status)


def _form_page(
    request: HttpRequest,
    form: ReportForm,
    *,
    message: str = "",
    photos_lost: bool = False,
    status: int = 200,
) -> HttpResponse:
    context = {
        "form": form,
        "message": message,
        "photos_lost": photos_lost,
        "max_photos": MAX_PHOTOS,
        "leaflet_js": static("vendor/leaflet/leaflet.js"),
        "leaflet_css": static("vendor/leaflet/leaflet.css"),
    }
    return render(request, "web/portal/report_form.html", context, status=status)


@never_cache
@require_GET
def report_done(request: HttpRequest) -> HttpResponse:
    done = request.session.get(SESSION_KEY)
    if not isinstance(done, dict) or not done.get("number"):
        return redirect("web:report_form")
    return render(request, "web/portal/report_done.html", {"done": done})


@never_cache
@require_GET
def form_token(request: HttpRequest) -> JsonResponse:
    """A fresh CSRF token for an offline draft sent later (the cookie is HTTP-only)."""
    return JsonResponse({"csrf": get_token(request)})


@require_GET
def duplicates(request: HttpRequest) -> HttpResponse:
    """Open public reports of the chosen category near the point (or in the kelurahan)."""
    code = request.GET.get("category", "")
    category = next((c for c in category_list_with_questions() if c.code == code), None)
    kelurahan = _kelurahan(request.GET.get("kelurahan", ""))
    latitude, longitude = _point(request.GET.get("latitude", ""), request.GET.get("longitude", ""))
    rows: list[dict[str, Any]] = []
    kecamatan = kelurahan.kecamatan if kelurahan is not None else _default_kecamatan()
    if category is not None and kecamatan is not None:
        rows = _public_candidates(category, kecamatan, kelurahan, latitude, longitude)
    return render(request, "web/portal/duplicates.html", {"rows": rows})


def _kelurahan(value: str) -> Kelurahan | None:
    is_id = value.isascii() and value.isdigit() and len(value) <= 18  # "²" is a digit too
    return kelurahan_active().filter(pk=int(value)).first() if is_id else None


def _default_kecamatan() -> Kecamatan | None:
    code = settings.TELEPATI_DEFAULT_KECAMATAN
    return Kecamatan.objects.filter(code=code, is_active=True).first()


def _point(latitude: str, longitude: str) -> tuple[float | None, float | None]:
    try:
        lat, lon = float(latitude), float(longitude)
    except ValueError:
        return None, None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None, None
    return lat, lon


def _public_candidates(
    category: Category,
    kecamatan: Kecamatan,
    kelurahan: Kelurahan | None,
    latitude: float | None,
    longitude: float | None,
) -> list[dict[str, Any]]:
    """Only reports a public page may show (accepted, not rahasia), never who reported them."""
    candidates = report_duplicates_suggest(
        category_id=category.pk,
        kecamatan_id=kecamatan.pk,
        latitude=latitude,
        longitude=longitude,
        kelurahan_id=kelurahan.pk if kelurahan is not None else None,
        limit=20,
    )
    rows: list[dict[str, Any]] = []
    for candidate in candidates:
        report: Report = candidate.report
        if report.is_confidential or report.status not in PUBLIC_STATUS_VALUES:
            continue
        rows.append(
            {
                "number": report.tracking_number,
                "title": report.title or report.category.name,
                "kelurahan": report.kelurahan.name if report.kelurahan else "",
                "status": report.get_status_display(),
                "submitted_at": report.submitted_at,
                "distance": round(candidate.distance_m) if candidate.distance_m else None,
            }
        )
    return rows[:5]


@never_cache
@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    return render(request, "web/portal/offline.html")


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    data = {
        "name": "TELEPATI",
        "short_name": "TELEPATI",
        "description": _("Lapor masalah, lacak laporan, dan layanan kantor camat."),
        "lang": "id",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#f6f7f9",
        "theme_color": "#0b5d3b",
        "icons": [
            {
                "src": static(f"web/icons/icon-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
            }
            for size in (192, 512)
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker at the site root (its scope is the whole site)."""
    assets = [static(name) for name in SHELL_STATIC]
    pages = [reverse(name) for name in SHELL_PAGES]
    digest = hashlib.sha256("|".join([SERVICE_WORKER_VERSION, *assets, *pages]).encode())
    for name in SHELL_STATIC:  # development serves unhashed names: follow the contents too
        found = finders.find(name)
        if isinstance(found, str):
            with open(found, "rb") as source:
                digest.update(source.read())
    context = {
        "version": digest.hexdigest()[:12],
        "assets": assets,
        "pages": pages,
        "offline": reverse("web:offline"),
        "static_prefix": static(""),
        "portal_js": static("web/portal.js"),
    }
    response = render(
        request, "web/portal/sw.js", context, content_type="application/javascript; charset=utf-8"
    )
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response
