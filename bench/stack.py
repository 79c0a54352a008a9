"""Processes the benchmarks run: settings for them, migrations, gunicorn and task workers.

Everything binds to 127.0.0.1. Every process started here is stopped here, by its own id.
"""

from __future__ import annotations

import os
import platform
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).parent / "gunicorn")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def bench_env(*, database_url: str, var_dir: Path, **extra: str) -> dict[str, str]:
    """A production-like environment for loopback: TELEPATI_ENV=production, a generated
    SECRET_KEY, ALLOWED_HOSTS=127.0.0.1, no TLS redirect (there is no TLS on loopback)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEPATI_", "WHATSAPP_"))}
    env.update(
        TELEPATI_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(64),
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=database_url,
        TELEPATI_VAR_DIR=str(var_dir),
        WHATSAPP_APP_SECRET=secrets.token_hex(16),
        WHATSAPP_VERIFY_TOKEN=secrets.token_hex(16),
        LOG_LEVEL="WARNING",
        PYTHONDONTWRITEBYTECODE="1",
    )
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    env.update(extra)
    return env


def environ_apply(env: dict[str, str]) -> None:
    """Make this process see `env` (before django.setup())."""
    for key in [k for k in os.environ if k.startswith(("TELEPATI_", "WHATSAPP_"))]:
        del os.environ[key]
    os.environ.update(env)


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def _stop(process: subprocess.Popen[bytes], grace: float = 10.0) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_ok(url: str, *, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{url} did not answer 200 within {timeout:.0f} s")


@contextmanager
def gunicorn(
    env: dict[str, str], *, workers: int, worker_class: str, threads: int, log_dir: Path
) -> Iterator[tuple[str, int]]:
    """`make serve`'s gunicorn (config/gunicorn.conf.py, plus a bigger listen backlog) on a
    free loopback port, with the bench's worker options."""
    port = free_port()
    command = [GUNICORN, "--config", str(ROOT / "config" / "gunicorn.conf.py")]
    command += ["config.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--worker-class", worker_class]
    if worker_class == "gthread":
        command += ["--threads", str(threads)]
    command += ["--backlog", "4096", "--access-logfile", str(log_dir / "access.log")]
    command += ["--error-logfile", str(log_dir / "gunicorn.log")]
    with (log_dir / "gunicorn.out").open("ab") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
    try:
        wait_ok(f"http://127.0.0.1:{port}/healthz")
        yield "127.0.0.1", port
    finally:
        _stop(process)


@contextmanager
def task_workers(
    env: dict[str, str], *, count: int, log_dir: Path, interval: float = 1.0, nice: int = 0
) -> Iterator[list[subprocess.Popen[bytes]]]:
    """`make worker`'s task workers (django-tasks-db's db_worker), `count` processes.

    --skip-checks: the pacing bench points the Graph URL at a loopback http stand-in, which
    the production system check rightly refuses.
    """
    processes: list[subprocess.Popen[bytes]] = []
    try:
        for n in range(count):
            with (log_dir / f"worker-{n}.log").open("ab") as out:
                processes.append(
                    subprocess.Popen(
                        [
                            *(["nice", "-n", str(nice)] if nice else []),
                            *(PYTHON, "manage.py", "db_worker", "--queue-name", "*"),
                            *("--skip-checks", "--interval", str(interval), "--no-reload"),
                        ],
                        cwd=ROOT,
                        env=env,
                        stdout=out,
                        stderr=out,
                    )
                )
        yield processes
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            _stop(process)


def machine() -> str:
    """One line describing this machine (CPU model, cores, memory, kernel, Python)."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{mem_kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        memory = "? RAM"
    return (
        f"{model}, {os.cpu_count()} cores, {memory}, Linux {platform.release()}, "
        f"Python {platform.python_version()}"
    )
