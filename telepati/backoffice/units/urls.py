"""URL patterns of the unit portal (/kantor/unit/, in the "backoffice" namespace)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from telepati.backoffice.units import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.unit_inbox, name="unit_inbox"),
    path("<int:disposition_id>/", views.unit_detail, name="unit_detail"),
    path("<int:disposition_id>/terima/", views.unit_acknowledge, name="unit_acknowledge"),
    path("<int:disposition_id>/kabar/", views.unit_update, name="unit_update"),
    path("<int:disposition_id>/selesai/", views.unit_complete, name="unit_complete"),
    path("<int:disposition_id>/kembalikan/", views.unit_return, name="unit_return"),
]
