"""Signing in with a second factor: the code step, wrong codes, the lock, backup codes."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

from telepati.backoffice.tests.test_auth_support import (
    HOME,
    LOGIN,
    VERIFY,
    WRONG_CODE,
    device_code,
    enrol,
    sign_in,
)

pytestmark = pytest.mark.django_db

START = "2026-03-02 09:00:00+07:00"
LOCKED = (
    "Terlalu banyak kode yang salah. Verifikasi dua langkah dikunci; "
    "coba lagi dalam {minutes} menit."
)


@pytest.fixture(autouse=True)
def admin_2fa_required(settings):
    settings.TELEPATI_ADMIN_2FA_REQUIRED = True


def test_password_alone_does_not_sign_in_an_officer_with_an_app(client, camat):
    with freeze_time(START):
        enrol(camat)

        response = sign_in(client, camat)
        signed_in = "_auth_user_id" in client.session
        home = client.get(HOME)

    assert response["Location"] == VERIFY
    assert not signed_in
    assert home["Location"] == f"{LOGIN}?next={HOME}"


def test_code_from_the_app_completes_sign_in(client, camat):
    with freeze_time(START) as frozen:
        device, _codes = enrol(camat)
        sign_in(client, camat, next="/kantor/akun/keamanan/")
        frozen.tick(30)

        page = client.get(VERIFY + "?next=/kantor/akun/keamanan/")
        response = client.post(
            VERIFY, {"code": device_code(device), "next": "/kantor/akun/keamanan/"}
        )
        session = dict(client.session.items())

    assert "<h1>Verifikasi dua langkah</h1>" in page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == "/kantor/akun/keamanan/"
    assert int(session["_auth_user_id"]) == camat.pk
    assert session["otp_device_id"] == device.persistent_id


def test_wrong_code_says_so_and_does_not_sign_in(client, camat):
    with freeze_time(START):
        enrol(camat)
        sign_in(client, camat)

        response = client.post(VERIFY, {"code": "000000"})
        signed_in = "_auth_user_id" in client.session

    assert response.status_code == 200
    assert WRONG_CODE in response.content.decode()
    assert not signed_in


def test_code_step_without_the_password_step_goes_back_to_login(client, db):
    response = client.get(VERIFY)

    assert response["Location"] == LOGIN


def test_password_step_expires_after_ten_minutes(client, camat):
    with freeze_time(START) as frozen:
        device, _codes = enrol(camat)
        sign_in(client, camat)
        frozen.tick(10 * 60 + 1)

        response = client.post(VERIFY, {"code": device_code(device)})
        signed_in = "_auth_user_id" in client.session

    assert response["Location"] == LOGIN
    assert not signed_in


def test_five_wrong_codes_lock_the_code_step(client, camat):
    with freeze_time(START) as frozen:
        device, _codes = enrol(camat)
        sign_in(client, camat)
        responses = []
        for _ in range(5):
            frozen.tick(20)  # past django-otp's growing delay between tries
            responses.append(client.post(VERIFY, {"code": "000000"}))
        frozen.tick(60)
        right_code_while_locked = client.post(VERIFY, {"code": device_code(device)})
        signed_in = "_auth_user_id" in client.session

    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]
    assert LOCKED.format(minutes=15) in responses[-1].content.decode()
    assert right_code_while_locked.status_code == 429
    assert LOCKED.format(minutes=14) in right_code_while_locked.content.decode()
    assert not signed_in


def test_code_step_unlocks_after_the_cool_off(client, camat):
    with freeze_time(START) as frozen:
        device, _codes = enrol(camat)
        sign_in(client, camat)
        for _ in range(5):
            frozen.tick(20)
            client.post(VERIFY, {"code": "000000"})
        frozen.tick(15 * 60 + 1)
        sign_in(client, camat)  # the pending password step lasts ten minutes

        response = client.post(VERIFY, {"code": device_code(device)})

    assert response["Location"] == HOME
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_quick_retry_waits_for_django_otps_delay(client, camat):
    with freeze_time(START) as frozen:
        device, _codes = enrol(camat)
        sign_in(client, camat)
        frozen.tick(30)
        client.post(VERIFY, {"code": "000000"})

        response = client.post(VERIFY, {"code": device_code(device)})
        signed_in = "_auth_user_id" in client.session

    assert "Tunggu 1 detik sebelum memasukkan kode lagi." in response.content.decode()
    assert not signed_in


def test_backup_code_works_once(client, camat):
    with freeze_time(START):
        _device, codes = enrol(camat)
        sign_in(client, camat)

        first = client.post(VERIFY, {"code": codes[0].upper()}, follow=True)
        client.post("/kantor/keluar/")
        sign_in(client, camat)
        second = client.post(VERIFY, {"code": codes[0]})

    assert first.redirect_chain == [(HOME, 302)]
    assert (
        "Kode cadangan sudah dipakai dan tidak berlaku lagi. Sisa kode cadangan: 9."
        in first.content.decode()
    )
    assert WRONG_CODE in second.content.decode()
    assert StaticToken.objects.filter(device__user=camat).count() == 9


def test_a_code_cannot_be_used_twice(client, camat):
    with freeze_time(START) as frozen:
        device, _codes = enrol(camat)
        frozen.tick(30)
        code = device_code(device)
        sign_in(client, camat)
        assert client.post(VERIFY, {"code": code})["Location"] == HOME
        client.post("/kantor/keluar/")
        frozen.tick(20)
        sign_in(client, camat)

        response = client.post(VERIFY, {"code": code})

    assert WRONG_CODE in response.content.decode()


def test_confirmed_device_is_required(client, camat):
    with freeze_time(START):
        device, _codes = enrol(camat)
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=False)

        response = sign_in(client, camat)

    assert response["Location"] == HOME
