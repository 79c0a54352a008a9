"""Signing in with a password: Indonesian messages, safe redirects, signing out by POST."""

from __future__ import annotations

import pytest
from django.test import Client

from telepati.backoffice.tests.test_auth_support import (
    HOME,
    LOGIN,
    WRONG_PASSWORD,
    sign_in,
)

pytestmark = pytest.mark.django_db


def test_login_page_is_indonesian_with_labelled_fields(client):
    response = client.get(LOGIN)

    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Masuk ke kantor TELEPATI</h1>" in page
    assert '<label for="id_username">Nama pengguna</label>' in page
    assert '<label for="id_password">Kata sandi</label>' in page
    assert 'autocomplete="current-password"' in page


def test_officer_signs_in_and_lands_on_the_back_office_home(client, desk_operator):
    response = sign_in(client, desk_operator)

    assert response.status_code == 302
    assert response["Location"] == HOME
    assert client.get(HOME).status_code == 200


def test_wrong_password_says_so_in_indonesian_and_keeps_the_username(client, desk_operator):
    response = sign_in(client, desk_operator, password="salah-sekali")

    assert response.status_code == 200
    page = response.content.decode()
    assert WRONG_PASSWORD in page
    assert 'value="operator.amplas"' in page
    assert "salah-sekali" not in page
    assert "_auth_user_id" not in client.session


def test_unknown_username_gets_the_same_message(client, db):
    response = client.post(LOGIN, {"username": "tidak.ada", "password": "apa-saja-123"})

    assert WRONG_PASSWORD in response.content.decode()


def test_inactive_officer_cannot_sign_in(client, desk_operator):
    desk_operator.is_active = False
    desk_operator.save()

    response = sign_in(client, desk_operator)

    assert response.status_code == 200
    assert WRONG_PASSWORD in response.content.decode()


def test_empty_form_names_the_missing_fields(client, db):
    response = client.post(LOGIN, {"username": "", "password": ""})

    form = response.context["form"]
    assert set(form.errors) == {"username", "password"}


def test_safe_next_is_honoured(client, desk_operator):
    response = sign_in(client, desk_operator, next="/kantor/akun/keamanan/")

    assert response["Location"] == "/kantor/akun/keamanan/"


@pytest.mark.parametrize(
    "target",
    [
        "https://penipu.example.com/kantor/",
        "//penipu.example.com/",
        "http://testserver.penipu.example.com/",
        "javascript:alert(1)",
        "/\\penipu.example.com",
    ],
)
def test_next_outside_the_site_is_refused(client, desk_operator, target):
    response = sign_in(client, desk_operator, next=target)

    assert response.status_code == 302
    assert response["Location"] == HOME


def test_login_page_does_not_echo_an_unsafe_next(client, db):
    response = client.get(LOGIN, {"next": "https://penipu.example.com/"})

    assert '<input type="hidden" name="next"' not in response.content.decode()


def test_signed_in_officer_visiting_login_goes_home(client, desk_operator):
    client.force_login(desk_operator)

    response = client.get(LOGIN)

    assert response.status_code == 302
    assert response["Location"] == HOME


def test_logout_needs_post(client, desk_operator):
    client.force_login(desk_operator)

    response = client.get("/kantor/keluar/")

    assert response.status_code == 405
    assert "_auth_user_id" in client.session


def test_logout_post_signs_out_with_a_message(client, desk_operator):
    client.force_login(desk_operator)

    response = client.post("/kantor/keluar/", follow=True)

    assert response.redirect_chain == [(LOGIN, 302)]
    assert "Anda sudah keluar. Sampai jumpa." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_without_csrf_token_is_refused(desk_operator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(desk_operator)

    response = client.post("/kantor/keluar/")

    assert response.status_code == 403
    assert "_auth_user_id" in client.session


def test_login_without_csrf_token_is_refused(desk_operator):
    client = Client(enforce_csrf_checks=True)

    response = sign_in(client, desk_operator)

    assert response.status_code == 403


def test_back_office_pages_show_a_logout_button(client, desk_operator):
    client.force_login(desk_operator)

    page = client.get(HOME).content.decode()

    assert 'action="/kantor/keluar/"' in page
    assert ">Keluar</button>" in page


def test_public_footer_links_to_the_back_office_login(client, db):
    page = client.get("/").content.decode()

    assert '<a href="/kantor/masuk/">Masuk petugas</a>' in page


def test_login_url_setting_is_the_back_office_login(settings):
    from django.shortcuts import resolve_url

    assert resolve_url(settings.LOGIN_URL) == LOGIN
