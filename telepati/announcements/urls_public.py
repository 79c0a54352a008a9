"""Public URL of announcements: include at "langganan/" in config/urls.py."""

from __future__ import annotations

from django.urls import URLPattern, path

from telepati.announcements import views_public

app_name = "announcements"

urlpatterns: list[URLPattern] = [
    path("", views_public.subscribe_page, name="subscribe"),
]
