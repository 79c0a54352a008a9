"""Settings for `bench/ingest.py` only: config.settings plus the bare comparison view.

The bare view lives in bench/urls.py, never in config.urls, so it exists only in processes
started with DJANGO_SETTINGS_MODULE=bench.settings, which only the benchmark does. To keep
it that way, this module refuses to load unless TELEPATI_BENCH_BARE_VIEW=1 and every allowed
host is a loopback name: a real deployment lists its public host names.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from config.settings import *  # noqa: F403
from config.settings import ALLOWED_HOSTS

LOOPBACK = {"127.0.0.1", "localhost", "[::1]", "::1"}

if os.environ.get("TELEPATI_BENCH_BARE_VIEW") != "1" or not set(ALLOWED_HOSTS) <= LOOPBACK:
    raise ImproperlyConfigured(
        "bench.settings is for the loopback benchmark only: it needs TELEPATI_BENCH_BARE_VIEW=1 "
        "and ALLOWED_HOSTS limited to loopback names."
    )

ROOT_URLCONF = "bench.urls"
