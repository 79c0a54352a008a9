"""A NUL character in a query string is refused before any page sees it."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_a_nul_in_the_query_string_is_a_400_with_a_plain_message(client):
    response = client.get("/umkm/", {"q": "batik\x00"})

    assert response.status_code == 400
    assert response.content.decode() == "Alamat halaman berisi karakter yang tidak valid."


@pytest.mark.django_db
def test_ordinary_query_strings_pass(client):
    assert client.get("/umkm/", {"q": "batik"}).status_code == 200
