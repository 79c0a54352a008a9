from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from django.test import RequestFactory, override_settings
from freezegun import freeze_time

from telepati.core.ratelimit import client_ip, rate_limited

pytestmark = pytest.mark.django_db


def cache_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM telepati_cache")
        return int(cursor.fetchone()[0])


def test_the_attempt_after_the_rate_is_limited():
    answers = [rate_limited(group="g", key="k", rate="3/h") for _ in range(5)]

    assert answers == [False, False, False, True, True]


def test_a_peek_counts_nothing_and_says_limited_once_the_rate_is_used():
    assert rate_limited(group="g", key="k", rate="2/h", increment=False) is False
    rate_limited(group="g", key="k", rate="2/h")
    assert rate_limited(group="g", key="k", rate="2/h", increment=False) is False
    rate_limited(group="g", key="k", rate="2/h")

    assert rate_limited(group="g", key="k", rate="2/h", increment=False) is True
    assert [rate_limited(group="g", key="k", rate="2/h", increment=False) for _ in range(3)] == [
        True,
        True,
        True,
    ]


def test_keys_and_groups_are_counted_apart():
    for _ in range(2):
        rate_limited(group="g", key="a", rate="2/h")

    assert rate_limited(group="g", key="a", rate="2/h") is True
    assert rate_limited(group="g", key="b", rate="2/h") is False
    assert rate_limited(group="other", key="a", rate="2/h") is False


def test_a_new_window_starts_afresh():
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with freeze_time(start):
        for _ in range(2):
            rate_limited(group="g", key="k", rate="2/m")
        assert rate_limited(group="g", key="k", rate="2/m") is True
    # The window is at most one period long (its end is jittered per key).
    with freeze_time(start + dt.timedelta(minutes=2)):
        assert rate_limited(group="g", key="k", rate="2/m") is False


def test_clearing_the_cache_clears_the_counts():
    for _ in range(3):
        rate_limited(group="g", key="k", rate="2/h")

    caches["ratelimit"].clear()

    assert rate_limited(group="g", key="k", rate="2/h") is False


def test_two_cache_clients_share_the_counts_through_the_database_table():
    assert isinstance(caches["ratelimit"], DatabaseCache)
    rate_limited(group="g", key="k", rate="3/h")
    rate_limited(group="g", key="k", rate="3/h")
    assert cache_rows() == 1

    # A second process builds its own cache client on the same table.
    other_process = DatabaseCache("telepati_cache", {})
    with mock.patch("django_ratelimit.core.caches", {"ratelimit": other_process}):
        assert rate_limited(group="g", key="k", rate="3/h") is False
        assert rate_limited(group="g", key="k", rate="3/h") is True

    assert rate_limited(group="g", key="k", rate="3/h") is True
    assert cache_rows() == 1


@override_settings(RATELIMIT_ENABLE=False)
def test_nothing_is_limited_when_rate_limits_are_switched_off():
    assert [rate_limited(group="g", key="k", rate="1/h") for _ in range(3)] == [False] * 3


def test_client_ip_reads_remote_addr_by_default():
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7")

    assert client_ip(request) == "203.0.113.7"


@override_settings(RATELIMIT_IP_META_KEY="HTTP_X_FORWARDED_FOR")
def test_client_ip_behind_a_proxy_takes_the_address_the_proxy_added():
    request = RequestFactory().get(
        "/", HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.4", REMOTE_ADDR="127.0.0.1"
    )

    assert client_ip(request) == "198.51.100.4"


@override_settings(RATELIMIT_IP_META_KEY="HTTP_X_FORWARDED_FOR")
def test_client_ip_falls_back_to_remote_addr_without_the_header():
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1")

    assert client_ip(request) == "192.0.2.1"


def test_client_ip_groups_an_ipv6_host_by_its_64_network():
    request = RequestFactory().get("/", REMOTE_ADDR="2001:db8:1:2:aaaa:bbbb:cccc:dddd")

    assert client_ip(request) == "2001:db8:1:2::"
