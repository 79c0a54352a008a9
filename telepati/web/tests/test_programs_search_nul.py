"""A NUL character typed into the UMKM search is ignored (PostgreSQL refuses it in text)."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_a_nul_in_the_search_is_ignored(client):
    response = client.get("/umkm/", {"q": "batik\x00"})

    assert response.status_code == 200
    assert "batik" in response.content.decode()
