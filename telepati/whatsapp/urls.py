"""URLs of the WhatsApp door (mounted at /whatsapp/)."""

from __future__ import annotations

from django.urls import path

from telepati.whatsapp import views

app_name = "whatsapp"

urlpatterns = [
    path("webhook/", views.webhook, name="webhook"),
]
