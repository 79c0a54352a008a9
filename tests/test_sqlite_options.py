"""The default SQLite database runs with the options a web server and a worker need.

The test database is in memory, where WAL does not apply, so these checks open the
default file database (under a temporary TELEPATI_VAR_DIR) in a fresh process.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.support import RunDjango

PROBE = """
import json, sqlite3
import django
django.setup()
from django.conf import settings
from django.db import connection, transaction

def pragma(name):
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        return cursor.fetchone()[0]

found = {
    "name": str(settings.DATABASES["default"]["NAME"]),
    "journal_mode": pragma("journal_mode"),
    "foreign_keys": pragma("foreign_keys"),
    "busy_timeout_ms": pragma("busy_timeout"),
    "synchronous": pragma("synchronous"),
}
# IMMEDIATE takes the write lock when the transaction begins, before any write: a second
# writer that does not wait must be refused at once.
with transaction.atomic():
    other = sqlite3.connect(found["name"], timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")
        found["second_writer"] = "allowed"
    except sqlite3.OperationalError as error:
        found["second_writer"] = str(error)
    finally:
        other.close()
print(json.dumps(found))
"""


def default_sqlite_env(base_env: dict[str, str]) -> dict[str, str]:
    env = dict(base_env)
    del env["DATABASE_URL"]
    return env


def test_default_sqlite_database_uses_wal_foreign_keys_busy_timeout_and_immediate(
    run_django: RunDjango, base_env: dict[str, str], tmp_path: Path
) -> None:
    result = run_django(env=default_sqlite_env(base_env), code=PROBE)

    assert result.stderr == ""
    assert json.loads(result.stdout) == {
        "name": str(tmp_path / "var" / "telepati.sqlite3"),
        "journal_mode": "wal",
        "foreign_keys": 1,
        "busy_timeout_ms": 20_000,
        "synchronous": 1,
        "second_writer": "database is locked",
    }


def test_sqlite_busy_timeout_follows_its_environment_variable(
    run_django: RunDjango, base_env: dict[str, str]
) -> None:
    env = default_sqlite_env(base_env) | {"SQLITE_BUSY_TIMEOUT_SECONDS": "7"}

    result = run_django(env=env, code=PROBE)

    assert result.stderr == ""
    assert json.loads(result.stdout)["busy_timeout_ms"] == 7_000
