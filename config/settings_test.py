"""Test overrides on top of `config.settings` (the database still comes from DATABASE_URL)."""

from __future__ import annotations

import os

os.environ.setdefault("TELEPATI_ENV", "test")

from config.settings import *  # noqa: F403

# Fast hashing: tests create many users; argon2 stays the production default.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LANGUAGE_CODE = "id"
# var/static exists only after collectstatic: find static files as development does, which
# also keeps WhiteNoise from warning about the missing directory.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# SQLite tests run on a real file (not shared-cache memory) so that threads in concurrency
# tests get their own connections with WAL, busy timeout and IMMEDIATE transactions — the
# same locking the web process and the worker use in production.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    import tempfile

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"telepati-test-{os.getpid()}.sqlite3")
    }

# Tests sign officers in with client.force_login (no second factor). The two-factor rule for
# administrators is switched on by the tests that cover it
# (telepati/backoffice/tests/test_twofactor*.py, test_access*.py).
TELEPATI_ADMIN_2FA_REQUIRED = False
