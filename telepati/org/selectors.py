"""Reads of territory and units. Officer-facing reads take the officer and apply its scope."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from telepati.org.models import Kecamatan, Kelurahan


def kecamatan_list_public() -> list[Kecamatan]:
    """Active kecamatan with their active kelurahan, for public pages (no personal data)."""
    kelurahan = Kelurahan.objects.filter(is_active=True).order_by("name")
    return list(
        Kecamatan.objects.filter(is_active=True)
        .prefetch_related(Prefetch("kelurahan_set", queryset=kelurahan, to_attr="active_kelurahan"))
        .order_by("city", "name")
    )


def kelurahan_active() -> QuerySet[Kelurahan]:
    return Kelurahan.objects.filter(is_active=True, kecamatan__is_active=True).select_related(
        "kecamatan"
    )
