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
