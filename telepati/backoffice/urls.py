"""The back-office at /kantor/: each area owns its URL module, all in one namespace."""

from __future__ import annotations

from django.urls import include, path

from telepati.backoffice import views

app_name = "backoffice"

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("telepati.backoffice.auth.urls")),
    path("laporan/", include("telepati.backoffice.reports.urls")),
    path("unit/", include("telepati.backoffice.units.urls")),
    path("percakapan/", include("telepati.backoffice.conversations.urls")),
    path("dokumen/", include("telepati.backoffice.documents.urls")),
    path("loket/", include("telepati.backoffice.counter.urls")),
    path("dasbor/", include("telepati.backoffice.dashboard.urls")),
    path("pengumuman/", include("telepati.backoffice.announcements.urls")),
    path("program/", include("telepati.backoffice.programs.urls")),
]
