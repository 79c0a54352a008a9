"""The project's URLs plus the public subscription page (until config/urls.py includes it)."""

from __future__ import annotations

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("langganan/", include("telepati.announcements.urls_public")),
    *project_urlpatterns,
]
