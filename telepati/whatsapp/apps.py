from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WhatsAppConfig(AppConfig):
    name = "telepati.whatsapp"
    label = "whatsapp"
    verbose_name = _("WhatsApp Center")

    def ready(self) -> None:
        # Registers the system checks for the WHATSAPP_* settings and the simulator.
        from telepati.whatsapp import checks, simulator  # noqa: F401
