"""URL patterns of the counter screen (/kantor/loket/, "backoffice" namespace)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from telepati.backoffice.counter import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.counter_home, name="counter"),
    path("<int:service_id>/", views.counter_page, name="counter_queue"),
    path("<int:service_id>/antrean/", views.counter_queue_fragment, name="counter_queue_fragment"),
    path("<int:service_id>/panggil/", views.counter_call_next, name="counter_call_next"),
    path("<int:service_id>/datang/", views.counter_walk_in, name="counter_walk_in"),
    path(
        "<int:service_id>/janji/<int:booking_id>/<slug:action>/",
        views.counter_action,
        name="counter_action",
    ),
]
