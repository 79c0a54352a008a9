"""Officers (users) and their memberships: a role held in a unit.

What a role may see is decided in `telepati.accounts.scope` (pure) from these rows.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from telepati.accounts.roles import Role
from telepati.core.models import TimeStampedModel
from telepati.core.phone import validate_phone
from telepati.org.models import Unit

__all__ = ["Membership", "Role", "User"]


class User(AbstractUser):
    """A person who signs in to the back-office: an officer, leader, courier or administrator."""

    phone = models.CharField(
        _("nomor WhatsApp"), max_length=20, blank=True, validators=[validate_phone]
    )

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Membership(TimeStampedModel):
    """A user's role in one unit; a user may hold several."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("pengguna")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("unit kerja")
    )
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices)
    title = models.CharField(
        _("jabatan"),
        max_length=100,
        blank=True,
        help_text=_("Misalnya: Camat, Lurah, Kasi Pemerintahan."),
    )
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["user__username", "unit__name"]
        verbose_name = _("keanggotaan unit")
        verbose_name_plural = _("keanggotaan unit")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} @ {self.unit}"
