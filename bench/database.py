"""Which database a benchmark talks to: never the development one.

`configure("sqlite")` points Django at var/bench/telepati-bench.sqlite3 and
`configure("postgresql")` at the database `telepati_bench` of the throwaway cluster that
`bench/pg.sh start` runs under var/bench/pg; either way `DATABASE_URL` from the shell is
ignored, so a benchmark cannot write a million rows into the dev or a production database.
Django runs in development mode with DEBUG off (DEBUG would keep every query in memory).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
# TELEPATI_BENCH_SQLITE: another file under var/bench/ (e.g. a copy to compare two versions).
SQLITE_PATH = BENCH_DIR / os.environ.get("TELEPATI_BENCH_SQLITE", "telepati-bench.sqlite3")
PG_DATABASE = "telepati_bench"
VENDORS = ("sqlite", "postgresql")


def database_url(vendor: str) -> str:
    if vendor == "sqlite":
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{SQLITE_PATH}"
    if vendor == "postgresql":
        done = subprocess.run(
            [str(ROOT / "bench" / "pg.sh"), "url"], capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            sys.exit(done.stderr.strip() or "bench/pg.sh url failed")
        return done.stdout.strip()
    raise SystemExit(f"unknown database {vendor!r}: choose one of {', '.join(VENDORS)}")


def pg_database_create(url: str, *, fresh: bool) -> None:
    """Create the benchmark database on the cluster (dropped first when `fresh`)."""
    import psycopg

    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [PG_DATABASE]
        ).fetchone()
        if exists and fresh:
            connection.execute(f"DROP DATABASE {PG_DATABASE} WITH (FORCE)")
            exists = None
        if not exists:
            connection.execute(f"CREATE DATABASE {PG_DATABASE}")


def configure(vendor: str, *, fresh: bool = False) -> str:
    """Set the environment for `vendor`'s benchmark database and start Django; the URL."""
    url = database_url(vendor)
    if vendor == "sqlite" and fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
    if vendor == "postgresql":
        pg_database_create(url, fresh=fresh)
    os.environ["DATABASE_URL"] = url
    os.environ["TELEPATI_ENV"] = "development"
    os.environ["DEBUG"] = "false"
    os.environ["TELEPATI_ALLOW_DEMO_DATA"] = "true"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    return url
