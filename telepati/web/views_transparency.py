"""Public transparency pages: public reports (list and map), one report's public page, and
the statistics. Thin: they read `reports.selectors_transparency` and render; nothing about a
reporter ever reaches these templates (the selectors hand out plain rows)."""

from __future__ import annotations

from typing import cast

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from telepati.core.errors import NotFound
from telepati.org.models import Kelurahan
from telepati.reports.figures_store import public_statistics_stored
from telepati.reports.models import Category
from telepati.reports.selectors_transparency import (
    TransparencyFilters,
    public_map_points,
    public_report_detail,
    public_report_page,
    transparency_choices,
)

MAP_VIEW = "peta"


def _filters(request: HttpRequest) -> TransparencyFilters:
    kelurahan = request.GET.get("kelurahan", "").strip()
    return TransparencyFilters(
        category_code=request.GET.get("kategori", "").strip()[:40],
        kelurahan_id=int(kelurahan) if _is_id(kelurahan) else None,
        status=request.GET.get("status", "").strip()[:20],
    )


def _filter_context(request: HttpRequest, filters: TransparencyFilters) -> dict[str, object]:
    categories, kelurahan, statuses = transparency_choices()
    query = request.GET.copy()
    query.pop("setelah", None)
    return {
        "filters": filters,
        "categories": categories,
        "kelurahan_list": kelurahan,
        "statuses": statuses,
        "query": query.urlencode(),
    }


@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    context = _filter_context(request, filters)
    if request.GET.get("tampilan") == MAP_VIEW:
        context["points"] = public_map_points(filters=filters)
        context["is_map"] = True
    else:
        context["page"] = public_report_page(
            filters=filters, cursor=request.GET.get("setelah", "")[:200]
        )
    return render(request, "web/transparency/list.html", context)


@require_GET
def report_detail(request: HttpRequest, tracking_number: str) -> HttpResponse:
    try:
        detail = public_report_detail(tracking_number=tracking_number)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    return render(request, "web/transparency/detail.html", {"detail": detail})


@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    context = _filter_context(request, filters)
    # Stored figures for the filters the page offers; anything else typed into the URL is
    # computed each time and never stored (no row per made-up filter value).
    categories = cast("list[Category]", context["categories"])
    kelurahan = cast("list[Kelurahan]", context["kelurahan_list"])
    offered = (
        not filters.category_code or filters.category_code in {c.code for c in categories}
    ) and (filters.kelurahan_id is None or filters.kelurahan_id in {k.pk for k in kelurahan})
    context["figures"] = public_statistics_stored(filters=filters, store=offered)
    return render(request, "web/transparency/statistics.html", context)


def _is_id(value: str) -> bool:
    """A row id as typed in a URL: ASCII digits that fit a 64-bit column ("²" is a digit too)."""
    return value.isascii() and value.isdigit() and len(value) <= 18
