"""The rate-limit cache counts every attempt, even when processes count at the same moment."""

from __future__ import annotations

import threading

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import override_settings
from django_ratelimit.core import get_usage  # type: ignore[import-untyped]

from telepati.core.cache import AtomicDatabaseCache
from telepati.core.ratelimit import rate_limited

ATOMIC = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": {
        "BACKEND": "telepati.core.cache.AtomicDatabaseCache",
        "LOCATION": "telepati_cache",
    },
}


@pytest.mark.django_db
@override_settings(CACHES=ATOMIC)
def test_incr_and_decr_behave_like_the_database_cache():
    cache = caches["ratelimit"]
    assert isinstance(cache, AtomicDatabaseCache)
    cache.set("k", 1)

    assert cache.incr("k") == 2
    assert cache.incr("k", 5) == 7
    assert cache.decr("k", 2) == 5
    with pytest.raises(ValueError, match="not found"):
        cache.incr("missing")


@pytest.mark.django_db(transaction=True)
@override_settings(CACHES=ATOMIC)
def test_attempts_counted_at_the_same_moment_are_all_counted():
    threads_count, per_thread = 6, 5
    barrier = threading.Barrier(threads_count)
    errors: list[BaseException] = []

    def attempts() -> None:
        try:
            barrier.wait(timeout=10)
            for _ in range(per_thread):
                rate_limited(group="g", key="k", rate="1000/h")
        except BaseException as exc:  # collected for the assertion
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempts) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    usage = get_usage(None, group="g", key=lambda _g, _r: "k", rate="1000/h")
    assert usage["count"] == threads_count * per_thread
