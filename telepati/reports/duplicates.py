"""Possible duplicates of a new report: open reports of the same kind nearby and recent.

Residents often report the same pile of rubbish or broken street light several times. At
intake and at the desk, `report_duplicates_suggest` lists open reports of the same category
in the same kecamatan, submitted within `TELEPATI_DUPLICATE_MAX_AGE_DAYS`, within
`TELEPATI_DUPLICATE_RADIUS_METERS` of the new point, nearest first, so the resident may follow
one instead of filing again or the desk may merge. SQL narrows the rows by a bounding box on
the indexed latitude/longitude columns (portable, no GIS extension); the exact great-circle
distance is computed here. Without a point the suggestion falls back to the same kelurahan.

The geometry helpers are pure (no database access).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from django.conf import settings

from telepati.reports.lifecycle import OPEN_STATES
from telepati.reports.models import Report
from telepati.reports.services.common import now

EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius (IUGG)
_COORDINATE_STEP = Decimal("0.000001")  # the stored precision of latitude/longitude


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres between two points given in decimal degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True, slots=True)
class BoundingBox:
    """A latitude/longitude rectangle, in decimal degrees, holding a circle."""

    min_lat: float
    max_lat: float
    min_lon: float
    max_lon: float


def bounding_box(lat: float, lon: float, radius_m: float) -> BoundingBox:
    """The smallest latitude/longitude rectangle containing every point within `radius_m`.

    Adequate away from the poles and the antimeridian (Indonesia is neither).
    """
    d_lat = math.degrees(radius_m / EARTH_RADIUS_M)
    d_lon = math.degrees(radius_m / (EARTH_RADIUS_M * math.cos(math.radians(lat))))
    return BoundingBox(
        min_lat=lat - d_lat, max_lat=lat + d_lat, min_lon=lon - d_lon, max_lon=lon + d_lon
    )


@dataclass(frozen=True)
class DuplicateCandidate:
    """An open report that may describe the same problem; `distance_m` None without a point."""

    report: Report
    distance_m: float | None


def _outward(value: float, rounding: str) -> Decimal:
    """Round a bound to the stored precision without shrinking the box."""
    return Decimal(repr(value)).quantize(_COORDINATE_STEP, rounding=rounding)


def report_duplicates_suggest(
    *,
    category_id: int,
    kecamatan_id: int,
    latitude: Decimal | float | None,
    longitude: Decimal | float | None,
    kelurahan_id: int | None = None,
    at: datetime | None = None,
    exclude_report_id: int | None = None,
    limit: int = 5,
) -> list[DuplicateCandidate]:
    """Open reports of the same category and kecamatan that may be the same problem.

    With a point: those within the configured radius, nearest first (ties: newest first).
    Without one: those of the same kelurahan, newest first, distance None; nothing when the
    kelurahan is unknown too. One query either way.
    """
    moment = at or now()
    cutoff = moment - timedelta(days=settings.TELEPATI_DUPLICATE_MAX_AGE_DAYS)
    reports = Report.objects.filter(
        category_id=category_id,
        kecamatan_id=kecamatan_id,
        status__in=sorted(s.value for s in OPEN_STATES),
        submitted_at__gte=cutoff,
    ).select_related("category", "kelurahan")
    if exclude_report_id is not None:
        reports = reports.exclude(pk=exclude_report_id)

    if latitude is None or longitude is None:
        if kelurahan_id is None:
            return []
        rows = reports.filter(kelurahan_id=kelurahan_id).order_by("-submitted_at", "-id")[:limit]
        return [DuplicateCandidate(report=row, distance_m=None) for row in rows]

    lat, lon = float(latitude), float(longitude)
    radius = float(settings.TELEPATI_DUPLICATE_RADIUS_METERS)
    box = bounding_box(lat, lon, radius)
    nearby = reports.filter(
        latitude__gte=_outward(box.min_lat, ROUND_FLOOR),
        latitude__lte=_outward(box.max_lat, ROUND_CEILING),
        longitude__gte=_outward(box.min_lon, ROUND_FLOOR),
        longitude__lte=_outward(box.max_lon, ROUND_CEILING),
    )
    found: list[tuple[float, Report]] = []
    for row in nearby:
        if row.latitude is None or row.longitude is None:  # excluded by the box; for typing
            continue
        distance = haversine_m(lat, lon, float(row.latitude), float(row.longitude))
        if distance <= radius:
            found.append((distance, row))
    found.sort(key=lambda item: (item[0], -item[1].submitted_at.timestamp(), -item[1].pk))
    return [DuplicateCandidate(report=row, distance_m=distance) for distance, row in found[:limit]]
