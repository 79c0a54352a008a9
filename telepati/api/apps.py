"""The REST API door (/api/v1/): categories, kelurahan, reports and document status as JSON
for the mobile app and integrations, with an OpenAPI schema and a local reference page."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "telepati.api"
    label = "api"
    verbose_name = _("REST API")
