"""The Open311 GeoReport v2 door: public service requests for partner apps, JSON and XML."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Open311Config(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "telepati.open311"
    label = "open311"
    verbose_name = _("Open311")
