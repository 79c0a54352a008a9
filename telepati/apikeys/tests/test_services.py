"""API client keys: issued once, stored as a digest, found in constant time, revoked."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time

from telepati.apikeys.models import ApiClient
from telepati.apikeys.services import (
    api_client_authenticate,
    api_client_create,
    api_client_revoke,
    rate_is_valid,
)
from telepati.core.errors import Forbidden, InvalidInput

pytestmark = pytest.mark.django_db


def test_a_new_client_gets_a_long_random_key_and_only_its_digest_is_stored(administrator, amplas):
    client, key = api_client_create(
        actor=administrator, name=" Medan Rumah Kita ", kecamatan=amplas, rate="1000/h"
    )

    client.refresh_from_db()
    assert len(key) >= 43
    assert client.key_digest == hashlib.sha256(key.encode()).hexdigest()
    assert client.key_prefix == key[:8]
    assert key not in {str(value) for value in ApiClient.objects.values_list(flat=True)}
    assert (client.name, client.rate, client.kecamatan, client.created_by) == (
        "Medan Rumah Kita",
        "1000/h",
        amplas,
        administrator,
    )
    assert (client.can_write, client.is_active) == (True, True)


def test_two_clients_never_share_a_key(administrator, amplas):
    _a, first = api_client_create(actor=administrator, name="A", kecamatan=amplas)
    _b, second = api_client_create(actor=administrator, name="B", kecamatan=amplas)

    assert first != second


def test_the_key_finds_its_client_and_marks_it_used(administrator, amplas):
    client, key = api_client_create(actor=administrator, name="A", kecamatan=amplas)

    found = api_client_authenticate(key=f" {key} ")

    assert found == client
    client.refresh_from_db()
    assert client.last_used_at is not None


def test_last_use_is_written_at_most_once_a_minute(
    administrator, amplas, django_assert_num_queries
):
    _client, key = api_client_create(actor=administrator, name="A", kecamatan=amplas)
    with freeze_time(timezone.now()) as frozen:
        api_client_authenticate(key=key)
        with django_assert_num_queries(1):
            api_client_authenticate(key=key)
        frozen.tick(timedelta(minutes=2))
        with django_assert_num_queries(2):
            api_client_authenticate(key=key)


@pytest.mark.parametrize("key", ["", "   ", "salah", "x" * 500])
def test_unknown_or_malformed_keys_find_nobody(administrator, amplas, key):
    api_client_create(actor=administrator, name="A", kecamatan=amplas)

    assert api_client_authenticate(key=key) is None


def test_a_revoked_key_finds_nobody(administrator, amplas):
    client, key = api_client_create(actor=administrator, name="A", kecamatan=amplas)

    revoked = api_client_revoke(actor=administrator, client=client)

    assert revoked.is_active is False
    assert api_client_authenticate(key=key) is None


def test_only_an_administrator_of_that_kecamatan_issues_or_revokes(
    administrator, outsider, desk_operator, amplas
):
    client, key = api_client_create(actor=administrator, name="A", kecamatan=amplas)

    for actor in (outsider, desk_operator):
        with pytest.raises(Forbidden):
            api_client_create(actor=actor, name="B", kecamatan=amplas)
        with pytest.raises(Forbidden):
            api_client_revoke(actor=actor, client=client)

    assert ApiClient.objects.count() == 1
    assert api_client_authenticate(key=key) == client


def test_a_superuser_issues_keys_anywhere(superuser, johor):
    client, _key = api_client_create(actor=superuser, name="Johor", kecamatan=johor)

    assert client.kecamatan == johor


def test_a_bad_name_or_rate_is_refused_and_nothing_is_made(administrator, amplas):
    with pytest.raises(InvalidInput) as refused:
        api_client_create(actor=administrator, name=" ", kecamatan=amplas, rate="banyak")

    assert refused.value.field_errors == {
        "name": ["Isi nama klien."],
        "rate": ["Tulis batas seperti 60/m, 1000/h atau 10000/d."],
    }
    assert ApiClient.objects.count() == 0


@pytest.mark.parametrize(
    ("rate", "valid"),
    [
        ("60/m", True),
        ("1000/h", True),
        ("10/5m", True),
        ("10000/d", True),
        ("5/s", True),
        ("0/m", False),
        ("60", False),
        ("60/w", False),
        ("/m", False),
        ("60/0m", False),
    ],
)
def test_rates_follow_the_django_ratelimit_format(rate, valid):
    assert rate_is_valid(rate) is valid
