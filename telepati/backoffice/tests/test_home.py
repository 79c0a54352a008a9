"""The back-office home page: greeting and the menu of what the officer may open."""

from __future__ import annotations

import pytest

from telepati.backoffice.tests.test_auth_support import HOME, assert_redirects_to_login

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_login(client, db):
    assert_redirects_to_login(client.get(HOME), HOME)


def test_home_greets_the_officer_and_links_account_security(client, camat):
    client.force_login(camat)

    page = client.get(HOME).content.decode()

    assert "Selamat bekerja, Camat.Amplas" in page
    assert 'href="/kantor/akun/keamanan/"' in page
    assert "Keamanan akun" in page
