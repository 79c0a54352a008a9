"""Fixtures for settings and infrastructure tests that need a fresh Python process.

Settings are read once per process, so checking what a given environment does means
starting `manage.py` or `django.setup()` in a subprocess with exactly that environment.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import RunDjango

BASE_DIR = Path(__file__).resolve().parent.parent
# Only what a Python process needs to start; every TELEPATI/Django variable is set per test.
_PASSTHROUGH = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")


@pytest.fixture
def base_env(tmp_path: Path) -> dict[str, str]:
    """A clean environment whose var/ directory and SQLite file live in tmp_path."""
    (tmp_path / "var").mkdir()
    env = {name: os.environ[name] for name in _PASSTHROUGH if name in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        TELEPATI_VAR_DIR=str(tmp_path / "var"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'var' / 'telepati.sqlite3'}",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


@pytest.fixture
def run_django() -> RunDjango:
    """Run `python -c CODE` or `python manage.py ARGS...` from the project root."""

    def run(
        *args: str, env: dict[str, str], code: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-c", code] if code is not None else [sys.executable, *args]
        return subprocess.run(
            command, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
        )

    return run
