from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "telepati.backoffice"
    label = "backoffice"
    verbose_name = _("Kantor (back-office)")
