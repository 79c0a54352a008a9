from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "telepati.core"
    label = "core"
    verbose_name = _("Inti: kalender kerja")

    def ready(self) -> None:
        # Registers the system checks for the calendar settings and the periodic jobs.
        from telepati.core import checks, scheduling  # noqa: F401
