"""URL patterns of this back-office area (included into the "backoffice" namespace)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
