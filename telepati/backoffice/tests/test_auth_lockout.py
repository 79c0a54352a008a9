"""Lock-out after repeated wrong passwords (django-axes): per username + client address."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from freezegun import freeze_time

from telepati.backoffice.auth.lockout import client_ip
from telepati.backoffice.tests.test_auth_support import HOME, WRONG_PASSWORD, sign_in

pytestmark = pytest.mark.django_db

OFFICE = "192.0.2.10"  # documentation addresses (RFC 5737): request metadata only
OTHER_OFFICE = "198.51.100.20"
LOCKED = (
    "Kata sandi salah terlalu sering, jadi nama pengguna ini dikunci sementara dari perangkat "
    "atau jaringan ini. Coba lagi dalam {minutes} menit."
)


def fail(client, user, times, address=OFFICE):
    return [
        sign_in(client, user, password="tebakan-salah", REMOTE_ADDR=address) for _ in range(times)
    ]


def test_four_wrong_passwords_still_show_the_form(client, desk_operator):
    responses = fail(client, desk_operator, 4)

    assert [r.status_code for r in responses] == [200] * 4
    assert all(WRONG_PASSWORD in r.content.decode() for r in responses)


def test_fifth_wrong_password_locks_with_the_time_to_wait(client, desk_operator):
    with freeze_time("2026-03-02 09:00:00+07:00"):
        *_, fifth = fail(client, desk_operator, 5)

    assert fifth.status_code == 429
    page = fifth.content.decode()
    assert "<h1>Terlalu banyak percobaan masuk</h1>" in page
    assert LOCKED.format(minutes=15) in page


def test_locked_username_cannot_sign_in_even_with_the_right_password(client, desk_operator):
    with freeze_time("2026-03-02 09:00:00+07:00") as frozen:
        fail(client, desk_operator, 5)
        frozen.tick(6 * 60)

        response = sign_in(client, desk_operator, REMOTE_ADDR=OFFICE)
        signed_in = "_auth_user_id" in client.session

    assert response.status_code == 429
    assert LOCKED.format(minutes=9) in response.content.decode()
    assert not signed_in


def test_unlocks_after_the_cool_off(client, desk_operator):
    with freeze_time("2026-03-02 09:00:00+07:00") as frozen:
        fail(client, desk_operator, 5)
        frozen.tick(14 * 60)
        assert sign_in(client, desk_operator, REMOTE_ADDR=OFFICE).status_code == 429
        frozen.tick(61)

        response = sign_in(client, desk_operator, REMOTE_ADDR=OFFICE)

    assert response.status_code == 302
    assert response["Location"] == HOME


def test_same_username_from_another_address_can_still_sign_in(client, desk_operator):
    fail(client, desk_operator, 5, address=OFFICE)

    response = sign_in(client, desk_operator, REMOTE_ADDR=OTHER_OFFICE)

    assert response.status_code == 302
    assert response["Location"] == HOME


def test_colleague_behind_the_same_office_address_can_still_sign_in(client, desk_operator, camat):
    fail(client, desk_operator, 5, address=OFFICE)

    response = sign_in(client, camat, REMOTE_ADDR=OFFICE)

    assert response.status_code == 302


def test_success_resets_the_failure_count(client, desk_operator):
    fail(client, desk_operator, 4)
    assert sign_in(client, desk_operator, REMOTE_ADDR=OFFICE).status_code == 302
    client.post("/kantor/keluar/")

    responses = fail(client, desk_operator, 4)

    assert [r.status_code for r in responses] == [200] * 4


def test_client_address_is_remote_addr_without_a_proxy(settings):
    settings.TELEPATI_BEHIND_PROXY = False
    request = RequestFactory().get("/", REMOTE_ADDR=OFFICE, HTTP_X_FORWARDED_FOR="203.0.113.9")

    assert client_ip(request) == OFFICE


def test_behind_the_proxy_the_address_the_proxy_appended_counts(settings):
    settings.TELEPATI_BEHIND_PROXY = True
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"203.0.113.9, {OFFICE}"
    )

    assert client_ip(request) == OFFICE


def test_behind_the_proxy_a_garbled_header_falls_back_to_remote_addr(settings):
    settings.TELEPATI_BEHIND_PROXY = True
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="bukan-ip")

    assert client_ip(request) == "127.0.0.1"
