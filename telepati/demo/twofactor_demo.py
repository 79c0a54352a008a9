"""The demo administrator's authenticator app: a TOTP device with a fixed, public key.

The key below is printed by `seed_demo` and written in the README, so anyone can compute the
demo admin's codes: it exists only in demo data, and this loader refuses to run in
production. Other demo accounts have no second factor (it is optional for them).
"""

from __future__ import annotations

from base64 import b32decode
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from telepati.org.services import SeedCount

if TYPE_CHECKING:
    from telepati.demo.loaders import DemoContext

# Base32 as authenticator apps take it; reads "demo TELEPATI admin, khusus demo saja".
DEMO_ADMIN_TOTP_SECRET = "DEMOTELEPATIADMINKHUSUSDEMOSAJA2"  # noqa: S105 (public, demo only)
DEMO_DEVICE_NAME = "Demo (kunci publik, bukan untuk produksi)"


def demo_admin_totp_key() -> str:
    """The demo secret as the hex key django-otp stores."""
    return b32decode(DEMO_ADMIN_TOTP_SECRET).hex()


@transaction.atomic
def demo_admin_totp_load(context: DemoContext) -> None:
    """Enrol the demo administrator's authenticator app (once) and print how to add it."""
    if settings.PRODUCTION:
        raise ImproperlyConfigured("The demo two-factor key must never be loaded in production.")
    admin = context.administrator()
    count = SeedCount(_("Perangkat 2FA demo"))
    device = TOTPDevice.objects.filter(user=admin, name=DEMO_DEVICE_NAME).first()
    count.add(created=device is None)
    if device is None:
        device = TOTPDevice.objects.create(
            user=admin, name=DEMO_DEVICE_NAME, key=demo_admin_totp_key(), confirmed=True
        )
    context.counts.append(count)
    context.notes.append(
        _(
            "Akun %(username)s wajib memakai kode dua langkah. Tambahkan kunci demo ini ke "
            "aplikasi autentikator (khusus demo, bukan untuk produksi): %(secret)s"
        )
        % {"username": admin.username, "secret": DEMO_ADMIN_TOTP_SECRET}
    )
    context.notes.append(_("Atau pindai/buka URI ini: %(uri)s") % {"uri": device.config_url})
