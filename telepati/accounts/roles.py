"""The roles an officer may hold in a unit. Kept apart from the models so pure modules
(`scope`, `capabilities`) can use them without the app registry."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """A role held in a unit; what it may see is decided in `telepati.accounts.scope`."""

    ADMINISTRATOR = "administrator", _("Administrator")
    OPERATOR = "operator", _("Operator WA Center")
    STAFF = "staff", _("Petugas unit")
    LIAISON = "liaison", _("Penghubung OPD")
    LEADER = "leader", _("Pimpinan (camat/lurah)")
    COURIER = "courier", _("Kurir dokumen")
