"""URL wiring. Each door (web, admin, later WhatsApp, Open311, API) includes its own module."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from telepati.web import views as web_views
from telepati.web import views_media

admin.site.site_header = "TELEPATI — Administrasi"
admin.site.site_title = "TELEPATI"
admin.site.index_title = "Data referensi dan pengguna"

urlpatterns = [
    path("healthz", web_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("whatsapp/", include("telepati.whatsapp.urls")),
    path("open311/v2/", include("telepati.open311.urls")),
    path("api/v1/", include("telepati.api.urls")),
    path("kantor/", include("telepati.backoffice.urls")),
    # Uploaded files, each to those its owner allows (never the media folder as static files).
    path("media/<path:name>", views_media.media_serve, name="media"),
    path("langganan/", include("telepati.announcements.urls_public")),
    path("", include("telepati.web.urls")),
]

if settings.TELEPATI_SIMULATOR_ENABLED and not settings.PRODUCTION:
    urlpatterns.insert(0, path("simulator/", include("telepati.whatsapp.simulator_urls")))
