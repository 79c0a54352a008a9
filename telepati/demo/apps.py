from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Seeding: reference data for every deployment and demo data for development."""

    name = "telepati.demo"
    label = "demo"
    verbose_name = _("Data awal dan demo")
