"""URL patterns of the complaints desk (included at /kantor/laporan/, "backoffice" namespace)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from telepati.backoffice.reports import views, views_detail

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.report_inbox, name="report_inbox"),
    path("massal/", views.report_bulk, name="report_bulk"),
    path("<str:tracking_number>/", views_detail.report_detail, name="report_detail"),
    path(
        "<str:tracking_number>/aksi/<slug:action>/",
        views_detail.report_action,
        name="report_action",
    ),
]
