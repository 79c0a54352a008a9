"""Residents as contacts: how TELEPATI reaches the person behind a report or application."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from telepati.core.models import TimeStampedModel


class Citizen(TimeStampedModel):
    """A resident known by WhatsApp number and/or WhatsApp business-scoped user id.

    WhatsApp may withhold the number of a user who adopted a username; then only the
    business-scoped user id (BSUID) identifies them. Neither is required for a web report
    with e-mail only, but at least one way back to the person must exist.
    """

    name = models.CharField(_("nama"), max_length=120, blank=True)
    phone = models.CharField(
        _("nomor WhatsApp"),
        max_length=20,
        null=True,
        blank=True,
        unique=True,
        help_text=_("Format internasional, misalnya +6281234567890."),
    )
    wa_bsuid = models.CharField(
        _("ID pengguna WhatsApp"), max_length=100, null=True, blank=True, unique=True
    )
    email = models.EmailField(_("surel"), blank=True)

    class Meta:
        verbose_name = _("warga")
        verbose_name_plural = _("warga")
        constraints = [
            models.CheckConstraint(
                condition=Q(phone__isnull=False) | Q(wa_bsuid__isnull=False) | ~Q(email=""),
                name="citizen_has_a_contact",
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.phone or self.wa_bsuid or self.email
