"""The landing page speaks Indonesian by default; English is one choice away."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
def test_home_is_served_in_indonesian_by_default(client: Client) -> None:
    response = client.get("/")

    assert response.status_code == 200
    assert response["Content-Language"] == "id"
    assert '<html lang="id">' in response.content.decode()


@pytest.mark.django_db
def test_home_stays_indonesian_for_a_phone_set_to_english(client: Client) -> None:
    # Many residents' phones send Accept-Language: en; the kecamatan's site still speaks
    # Indonesian until the person picks English in the language switch.
    response = client.get("/", headers={"accept-language": "en-US,en;q=0.9"})

    assert response.status_code == 200
    assert response["Content-Language"] == "id"
    assert '<html lang="id">' in response.content.decode()


@pytest.mark.django_db
def test_home_switches_to_english_through_the_language_form(client: Client) -> None:
    switch = client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    assert switch.status_code == 302
    assert switch["Location"] == "/"
    response = client.get("/")
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()


@pytest.mark.django_db
def test_home_ignores_unsupported_languages(client: Client) -> None:
    response = client.get("/", headers={"accept-language": "fr"})

    assert response["Content-Language"] == "id"
    assert '<html lang="id">' in response.content.decode()


@pytest.mark.django_db
def test_home_loads_htmx_from_local_static_files(client: Client) -> None:
    response = client.get("/")

    assert '<script src="/static/vendor/htmx/htmx.min.js" defer></script>' in (
        response.content.decode()
    )
