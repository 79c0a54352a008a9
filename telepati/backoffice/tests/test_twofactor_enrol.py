"""Enrolling an authenticator app on the account security page; administrators must."""

from __future__ import annotations

from base64 import b32encode

import pytest
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

from telepati.backoffice.auth.views_security import ENROL_KEY
from telepati.backoffice.tests.test_auth_support import (
    HOME,
    SECURITY,
    VERIFY,
    code_now,
    device_code,
    enrol,
    sign_in,
)

pytestmark = pytest.mark.django_db

START = "2026-03-02 09:00:00+07:00"
MUST = "Administrator wajib memakai verifikasi dua langkah. Aktifkan sekarang untuk melanjutkan."


@pytest.fixture(autouse=True)
def admin_2fa_required(settings):
    settings.TELEPATI_ADMIN_2FA_REQUIRED = True


def shown_key(client) -> str:
    return client.session[ENROL_KEY]


def test_enrolment_page_shows_a_qr_code_and_the_key_as_text(client, camat):
    client.force_login(camat)

    page = client.get(SECURITY).content.decode()

    as_text = b32encode(bytes.fromhex(shown_key(client))).decode()
    assert '<svg width="' in page
    assert "<title>Kode QR untuk aplikasi autentikator</title>" in page
    grouped = " ".join(as_text[i : i + 4] for i in range(0, 32, 4))
    assert f'<code id="totp-key">{grouped}</code>' in page
    assert '<label for="id_code">Kode verifikasi</label>' in page


def test_reloading_keeps_the_same_key_and_stores_nothing(client, camat):
    client.force_login(camat)
    client.get(SECURITY)
    first = shown_key(client)

    client.get(SECURITY)

    assert shown_key(client) == first
    assert not TOTPDevice.objects.exists()


def test_officer_enrols_with_a_code_and_sees_backup_codes_once(client, camat):
    with freeze_time(START):
        client.force_login(camat)
        client.get(SECURITY)
        key = shown_key(client)

        response = client.post(SECURITY, {"action": "enrol", "code": code_now(key)})
        verified_with = client.session.get("otp_device_id")
        again = client.get(SECURITY).content.decode()

    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "Verifikasi dua langkah aktif. Mulai sekarang, setiap kali masuk Anda diminta kode." in page
    )
    codes = list(StaticToken.objects.filter(device__user=camat).values_list("token", flat=True))
    assert len(codes) == 10
    assert all(f"<code>{code}</code>" in page for code in codes)
    device = TOTPDevice.objects.get(user=camat)
    assert (device.confirmed, device.key) == (True, key)
    assert verified_with == device.persistent_id
    assert "Sisa kode cadangan: 10." in again
    assert not any(code in again for code in codes)


def test_wrong_enrolment_code_keeps_the_key_and_says_why(client, camat):
    client.force_login(camat)
    client.get(SECURITY)
    key = shown_key(client)

    response = client.post(SECURITY, {"action": "enrol", "code": "123"})

    assert (
        "Kode tidak cocok. Pastikan jam ponsel tepat, lalu masukkan kode yang sedang tampil di "
        "aplikasi." in response.content.decode()
    )
    assert shown_key(client) == key
    assert not TOTPDevice.objects.exists()


def test_second_factor_is_optional_for_other_officers(client, camat):
    client.force_login(camat)

    home = client.get(HOME)
    security = client.get(SECURITY).content.decode()

    assert home.status_code == 200
    assert "Boleh diaktifkan, tidak wajib." in security


def test_officer_may_switch_it_off(client, camat):
    with freeze_time(START) as frozen:
        device, _codes = enrol(camat)
        sign_in(client, camat)
        frozen.tick(30)
        client.post(VERIFY, {"code": device_code(device)})

        response = client.post(SECURITY, {"action": "disable"}, follow=True)

    assert "Verifikasi dua langkah dinonaktifkan." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=camat).exists()
    assert not StaticToken.objects.filter(device__user=camat).exists()


def test_new_backup_codes_replace_the_old_ones(client, camat):
    with freeze_time(START) as frozen:
        device, old = enrol(camat)
        sign_in(client, camat)
        frozen.tick(30)
        client.post(VERIFY, {"code": device_code(device)})

        response = client.post(SECURITY, {"action": "backup_codes"})

    page = response.content.decode()
    assert "Kode cadangan baru sudah dibuat. Kode lama tidak berlaku lagi." in page
    new = set(StaticToken.objects.filter(device__user=camat).values_list("token", flat=True))
    assert len(new) == 10
    assert new.isdisjoint(old)
    assert all(f"<code>{code}</code>" in page for code in new)


def test_administrator_without_an_app_is_sent_to_enrolment_first(client, administrator):
    response = sign_in(client, administrator)
    home = client.get(HOME)
    page = client.get(home["Location"]).content.decode()

    assert response["Location"] == HOME
    assert home.status_code == 302
    assert home["Location"] == f"{SECURITY}?next=%2Fkantor%2F"
    assert MUST in page
    assert "Nonaktifkan" not in page


def test_superuser_without_an_app_is_sent_to_enrolment_too(client, superuser):
    client.force_login(superuser)

    response = client.get(HOME)

    assert response["Location"] == f"{SECURITY}?next=%2Fkantor%2F"


def test_administrator_reaches_the_back_office_after_enrolling(client, administrator):
    with freeze_time(START):
        sign_in(client, administrator)
        client.get(f"{SECURITY}?next=/kantor/")
        response = client.post(
            SECURITY, {"action": "enrol", "code": code_now(shown_key(client)), "next": "/kantor/"}
        )
        home = client.get(HOME)

    assert '<a class="button" href="/kantor/">Lanjutkan</a>' in response.content.decode()
    assert home.status_code == 200


def test_administrator_with_an_app_but_unverified_session_goes_to_the_code_step(
    client, administrator
):
    enrol(administrator)
    client.force_login(administrator)

    home = client.get(HOME)
    security = client.get(SECURITY)

    assert home["Location"] == f"{VERIFY}?next=%2Fkantor%2F"
    assert security["Location"] == f"{VERIFY}?next=%2Fkantor%2Fakun%2Fkeamanan%2F"


def test_signed_in_but_unverified_session_completes_with_a_code(client, administrator):
    with freeze_time(START) as frozen:
        device, _codes = enrol(administrator)
        client.force_login(administrator)
        frozen.tick(30)

        response = client.post(VERIFY, {"code": device_code(device), "next": "/kantor/"})
        home = client.get(HOME)

    assert response["Location"] == HOME
    assert home.status_code == 200


def test_administrator_cannot_switch_it_off(client, administrator):
    with freeze_time(START) as frozen:
        device, _codes = enrol(administrator)
        sign_in(client, administrator)
        frozen.tick(30)
        client.post(VERIFY, {"code": device_code(device)})

        page = client.get(SECURITY).content.decode()
        response = client.post(SECURITY, {"action": "disable"}, follow=True)

    assert "Nonaktifkan verifikasi dua langkah" not in page
    assert (
        "Administrator wajib memakai verifikasi dua langkah, jadi fitur ini tidak dapat "
        "dinonaktifkan." in response.content.decode()
    )
    assert TOTPDevice.objects.filter(user=administrator).count() == 1
