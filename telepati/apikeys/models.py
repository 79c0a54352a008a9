"""Partners and apps that call TELEPATI's integration doors, each with its own key and limit."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from telepati.core.models import TimeStampedModel
from telepati.org.models import Kecamatan


class ApiClient(TimeStampedModel):
    """One integration partner (a city app, SP4N-LAPOR! bridge, a mobile app build).

    The key is shown once when created; only its SHA-256 digest is stored (keys are long
    random strings, so a fast digest is enough and lets a request find its client by index).
    """

    name = models.CharField(_("nama klien"), max_length=120)
    kecamatan = models.ForeignKey(
        Kecamatan,
        on_delete=models.PROTECT,
        related_name="api_clients",
        verbose_name=_("kecamatan"),
        help_text=_("Laporan yang dikirim klien ini masuk ke kecamatan ini."),
    )
    key_prefix = models.CharField(
        _("awalan kunci"), max_length=12, help_text=_("Untuk mengenali kunci tanpa membukanya.")
    )
    key_digest = models.CharField(max_length=64, unique=True)
    rate = models.CharField(
        _("batas permintaan"),
        max_length=20,
        default="60/m",
        help_text=_("Format django-ratelimit, mis. 60/m atau 1000/h."),
    )
    can_write = models.BooleanField(_("boleh mengirim laporan"), default=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)
    contact = models.CharField(_("kontak penanggung jawab"), max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("klien API")
        verbose_name_plural = _("klien API")

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"
