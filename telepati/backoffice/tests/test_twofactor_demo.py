"""The demo administrator's authenticator app: fixed public key, printed by seed_demo."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

from telepati.accounts.models import User
from telepati.backoffice.tests.test_auth_support import HOME, VERIFY, code_now
from telepati.demo.loaders import DemoContext, demo_accounts_load
from telepati.demo.reference import reference_seed
from telepati.demo.twofactor_demo import DEMO_ADMIN_TOTP_SECRET, demo_admin_totp_load
from telepati.reports import demo

pytestmark = pytest.mark.django_db

URI = (
    "otpauth://totp/TELEPATI%3Aadmin?secret=DEMOTELEPATIADMINKHUSUSDEMOSAJA2"
    "&algorithm=SHA1&digits=6&period=30&issuer=TELEPATI"
)


@pytest.fixture
def demo_accounts():
    reference_seed()
    context = DemoContext()
    demo_accounts_load(context)
    return context


def test_seed_demo_prints_the_demo_key_and_uri_next_to_the_admin(monkeypatch):
    monkeypatch.setattr(demo, "DEMO_REPORT_COUNT", 5)
    out = StringIO()
    with freeze_time("2026-03-02 09:00:00+07:00"):
        call_command("seed_demo", stdout=out)

    lines = out.getvalue().splitlines()
    assert (
        "  Akun admin wajib memakai kode dua langkah. Tambahkan kunci demo ini ke aplikasi "
        "autentikator (khusus demo, bukan untuk produksi): " + DEMO_ADMIN_TOTP_SECRET
    ) in lines
    assert f"  Atau pindai/buka URI ini: {URI}" in lines
    table = [line.split() for line in lines]
    assert ["admin", "Administrator", "Pimpinan", "amplas-admin-demo"] in table


def test_only_the_demo_admin_gets_a_device_once(demo_accounts):
    demo_admin_totp_load(demo_accounts)
    demo_admin_totp_load(DemoContext())

    assert list(TOTPDevice.objects.values_list("user__username", "confirmed")) == [("admin", True)]


def test_demo_admin_signs_in_with_a_code_from_the_printed_key(client, demo_accounts, settings):
    settings.TELEPATI_ADMIN_2FA_REQUIRED = True
    demo_admin_totp_load(demo_accounts)
    from base64 import b32decode

    with freeze_time("2026-03-02 09:00:00+07:00"):
        client.post("/kantor/masuk/", {"username": "admin", "password": "amplas-admin-demo"})
        response = client.post(VERIFY, {"code": code_now(b32decode(DEMO_ADMIN_TOTP_SECRET).hex())})

    assert response["Location"] == HOME


def test_refused_in_production(demo_accounts, settings):
    settings.PRODUCTION = True

    with pytest.raises(ImproperlyConfigured):
        demo_admin_totp_load(demo_accounts)

    assert not TOTPDevice.objects.exists()
    assert User.objects.filter(username="admin").exists()
