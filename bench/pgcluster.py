"""A throwaway PostgreSQL cluster for the benchmarks, like scripts/test_postgres.sh.

The test script trades durability for speed (fsync off, asynchronous commit). A benchmark
of acknowledgement latency must pay what production pays for every commit — a WAL flush —
so this cluster keeps PostgreSQL's durable defaults unless `durable=False`. As root the
server runs as the `postgres` system user (initdb refuses root), exactly as the script does.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _pg_bin() -> Path:
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).parent
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name)
    )
    for candidate in reversed(candidates):
        if (Path(candidate) / "initdb").exists():
            return Path(candidate)
    raise SystemExit("PostgreSQL binaries (initdb, pg_ctl) not found; set PG_BIN or DATABASE_URL.")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _as_pg(command: list[str]) -> list[str]:
    if os.getuid() != 0:
        return command
    runuser = shutil.which("runuser") or "/usr/sbin/runuser"
    return [runuser, "-u", "postgres", "--", *command]


@contextmanager
def pg_cluster(*, durable: bool = True, max_connections: int = 200) -> Iterator[str]:
    """Start a fresh cluster on a free loopback port; yield its DATABASE_URL; remove it."""
    pg_bin = _pg_bin()
    root = Path(tempfile.mkdtemp(prefix="telepati-bench-pg.", dir="/tmp"))
    if os.getuid() == 0:
        shutil.chown(root, user="postgres")
    data, log = root / "data", root / "server.log"
    port = _free_port()
    options = [
        "-c listen_addresses=127.0.0.1",
        f"-c port={port}",
        f"-c unix_socket_directories={root}",
        f"-c max_connections={max_connections}",
        "-c shared_buffers=256MB",
    ]
    if not durable:
        options += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
    started = False
    try:
        subprocess.run(
            _as_pg(
                [
                    str(pg_bin / "initdb"),
                    "-D",
                    str(data),
                    "-A",
                    "trust",
                    "-U",
                    "postgres",
                    "-E",
                    "UTF8",
                    "--locale=C",
                ]
            ),
            check=True,
            capture_output=True,
        )
        subprocess.run(
            _as_pg(
                [
                    str(pg_bin / "pg_ctl"),
                    "-D",
                    str(data),
                    "-l",
                    str(log),
                    "-w",
                    "-t",
                    "60",
                    "-o",
                    " ".join(options),
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
        )
        started = True
        yield f"postgres://postgres@127.0.0.1:{port}/postgres"
    finally:
        if started:
            subprocess.run(
                _as_pg([str(pg_bin / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
                check=False,
                capture_output=True,
            )
        shutil.rmtree(root, ignore_errors=True)


def pg_version(database_url: str) -> str:
    """The server's version string (e.g. "PostgreSQL 15.18 …")."""
    import psycopg

    with psycopg.connect(database_url) as conn:
        row = conn.execute("SELECT version()").fetchone()
    return str(row[0]).split(" on ")[0] if row else "PostgreSQL"
