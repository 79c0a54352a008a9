"""Reads of complaint reference data."""

from __future__ import annotations

from telepati.reports.models import Category


def category_list_public() -> list[Category]:
    """Active categories in display order, as residents choose them."""
    return list(Category.objects.filter(is_active=True).order_by("sort_order", "name"))
