"""URL patterns of announcements (in the "backoffice" namespace, under /kantor/pengumuman/).
Fixed paths come before `<id>/`."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from telepati.backoffice.announcements import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.announcement_list, name="announcement_list"),
    path("baru/", views.announcement_compose, name="announcement_compose"),
    path("parameter/", views.announcement_params, name="announcement_params"),
    path("jumlah-penerima/", views.announcement_count, name="announcement_count"),
    path("<int:announcement_id>/", views.announcement_detail, name="announcement_detail"),
    path("<int:announcement_id>/ubah/", views.announcement_edit, name="announcement_edit"),
    path("<int:announcement_id>/kirim/", views.announcement_send, name="announcement_send"),
    path("<int:announcement_id>/batalkan/", views.announcement_cancel, name="announcement_cancel"),
]
