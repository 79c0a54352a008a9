"""URL patterns of the document desk and the courier view (in the "backoffice" namespace,
under /kantor/dokumen/). Fixed paths come before `<code>/`."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from telepati.backoffice.documents import views_courier, views_desk, views_detail, views_import

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views_desk.desk, name="document_desk"),
    path("baru/", views_desk.register, name="document_register"),
    path("impor/", views_import.import_page, name="document_import"),
    path("impor/<int:batch_id>/", views_import.import_detail, name="document_import_detail"),
    path("antar/", views_courier.courier_day, name="courier_day"),
    path("antar/<str:code>/<slug:key>/", views_courier.courier_action, name="courier_action"),
    path("<str:code>/", views_detail.detail, name="document_detail"),
    path("<str:code>/tindakan/<slug:key>/", views_detail.action, name="document_action"),
]
