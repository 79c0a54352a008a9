"""Public pages of the priority programs: the UMKM catalogue (/umkm/) and the activity
timeline and map (/program/). Thin: they read filters, call the programs selectors and
render. The selectors return only public columns, so no owner or resident data can reach
these templates.
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from telepati.core.errors import NotFound
from telepati.org.selectors import kelurahan_active
from telepati.programs.models import Program, Sector
from telepati.programs.selectors import (
    ActivityFilters,
    CatalogueFilters,
    activity_get_public,
    activity_map_points_public,
    activity_months_public,
    activity_page_public,
    business_get_public,
    business_page_public,
)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _page(request: HttpRequest) -> int:
    return _int(request.GET.get("halaman")) or 1


def _month(value: str | None) -> dt.date | None:
    try:
        return dt.datetime.strptime(value or "", "%Y-%m").date()
    except ValueError:
        return None


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("halaman", None)
    return query.urlencode()


@require_GET
def umkm_catalogue(request: HttpRequest) -> HttpResponse:
    sector = request.GET.get("sektor", "")
    filters = CatalogueFilters(
        sector=sector if sector in Sector.values else "",
        kelurahan_id=_int(request.GET.get("kelurahan")),
        # PostgreSQL refuses a NUL in text; nobody searches for one.
        query=request.GET.get("q", "").replace("\x00", "")[:80],
    )
    return render(
        request,
        "web/programs/catalogue.html",
        {
            "page": business_page_public(filters=filters, page=_page(request)),
            "filters": filters,
            "sectors": Sector.choices,
            "kelurahan_list": list(kelurahan_active().order_by("name")),
            "query": _query_without_page(request),
        },
    )


@require_GET
def umkm_detail(request: HttpRequest, business_id: int) -> HttpResponse:
    try:
        business = business_get_public(business_id=business_id)
    except NotFound as error:
        raise Http404(str(error)) from None
    return render(request, "web/programs/business.html", {"business": business})


@require_GET
def activity_timeline(request: HttpRequest) -> HttpResponse:
    program = request.GET.get("program", "")
    filters = ActivityFilters(
        program=program if program in Program.values else "",
        kelurahan_id=_int(request.GET.get("kelurahan")),
        month=_month(request.GET.get("bulan")),
    )
    points = activity_map_points_public(filters=filters)
    return render(
        request,
        "web/programs/timeline.html",
        {
            "page": activity_page_public(filters=filters, page=_page(request)),
            "filters": filters,
            "programs": Program.choices,
            "kelurahan_list": list(kelurahan_active().order_by("name")),
            "months": activity_months_public(),
            "points": [
                {
                    "url": reverse("web:program_activity", args=[p.id]),
                    "title": p.title,
                    "program": p.program_label,
                    "date": p.date.isoformat(),
                    "lat": p.latitude,
                    "lng": p.longitude,
                }
                for p in points
            ],
            "query": _query_without_page(request),
        },
    )


@require_GET
def activity_detail(request: HttpRequest, activity_id: int) -> HttpResponse:
    try:
        activity = activity_get_public(activity_id=activity_id)
    except NotFound as error:
        raise Http404(str(error)) from None
    return render(request, "web/programs/activity.html", {"activity": activity})
