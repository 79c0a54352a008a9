"""URL patterns of the leaders' dashboard (included at /kantor/dasbor/, "backoffice" namespace)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from telepati.backoffice.dashboard import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.dashboard, name="dashboard"),
    path("excel/", views.dashboard_excel, name="dashboard_excel"),
    path("pdf/", views.dashboard_pdf, name="dashboard_pdf"),
]
