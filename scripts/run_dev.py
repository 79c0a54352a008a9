"""Run TELEPATI's processes together under one supervisor; Ctrl-C (or SIGTERM) stops all.

    .venv/bin/python scripts/run_dev.py                   web + worker + scheduler (`make run`)
    .venv/bin/python scripts/run_dev.py worker scheduler  what `make worker` runs in production

- web: the development server (`runserver`; development only — production uses gunicorn);
- worker: the task worker (`db_worker`, or RQ's `rqworker` when TASKS_BACKEND=rq);
- scheduler: `run_scheduler`, which enqueues the periodic tasks (SLA sweeps) on schedule.

Each child gets its own process group, because both `runserver` and `db_worker` (with
DEBUG on) fork a second process for auto-reloading: a stop is sent to the whole group,
escalates from SIGINT to SIGTERM to SIGKILL, and this launcher returns only when every
process it started is gone. If one child dies on its own, the others are stopped too and the
launcher exits non-zero, so a process manager restarts the set as a whole.

TELEPATI_DEV_ADDR sets the server address (default 127.0.0.1:8000); WORKER_QUEUES the queues
the database worker serves (default all: "*").
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent
POLL_SECONDS = 0.2
# How long each stop signal gets before the next, stronger one.
GRACE_SECONDS = {signal.SIGINT: 10.0, signal.SIGTERM: 5.0, signal.SIGKILL: 5.0}


SERVICES = ("web", "worker", "scheduler")


def commands(addr: str, queues: str = "*") -> dict[str, list[str]]:
    python = sys.executable
    if os.environ.get("TASKS_BACKEND", "database").strip().lower() == "rq":
        worker = [python, "manage.py", "rqworker", "--job-class", "django_tasks_rq.Job", "default"]
    else:
        worker = [python, "manage.py", "db_worker", "--queue-name", queues]
    return {
        "web": [python, "manage.py", "runserver", addr],
        "worker": worker,
        "scheduler": [python, "manage.py", "run_scheduler"],
    }


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def signal_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, sig)


def stop_all(children: dict[str, subprocess.Popen[bytes]]) -> None:
    """Stop every child's process group, escalating until nothing is left."""
    for sig, grace in GRACE_SECONDS.items():
        remaining = [child for child in children.values() if group_alive(child.pid)]
        if not remaining:
            return
        if sig != signal.SIGINT:
            names = ", ".join(n for n, c in children.items() if c in remaining)
            print(f"run_dev: {names} still running, sending {sig.name}", file=sys.stderr)
        for child in remaining:
            signal_group(child.pid, sig)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            for child in remaining:
                child.poll()  # reap the group leader so the group can empty
            if not any(group_alive(child.pid) for child in remaining):
                break
            time.sleep(POLL_SECONDS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run TELEPATI's processes together.")
    parser.add_argument(
        "services",
        nargs="*",
        metavar="SERVICE",
        help=f"processes to start: {', '.join(SERVICES)} (default: all)",
    )
    wanted = parser.parse_args(argv).services or list(SERVICES)
    if unknown := sorted(set(wanted) - set(SERVICES)):
        parser.error(f"unknown service {', '.join(unknown)}; choose from {', '.join(SERVICES)}")
    addr = os.environ.get("TELEPATI_DEV_ADDR", "127.0.0.1:8000")
    queues = os.environ.get("WORKER_QUEUES", "*") or "*"
    selected = {n: c for n, c in commands(addr, queues).items() if n in wanted}
    stop_signals: list[int] = []

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop_signals.append(signum)

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, request_stop)

    children: dict[str, subprocess.Popen[bytes]] = {}
    failed: tuple[str, int] | None = None
    try:
        for name, command in selected.items():
            children[name] = subprocess.Popen(
                command, cwd=ROOT, stdin=subprocess.DEVNULL, process_group=0
            )
        where = f" at http://{addr}/" if "web" in selected else ""
        print(
            f"run_dev: TELEPATI{where}: {', '.join(selected)}; Ctrl-C stops them all.",
            file=sys.stderr,
        )
        while not stop_signals and failed is None:
            for name, child in children.items():
                if (code := child.poll()) is not None:
                    failed = (name, code)
                    break
            else:
                time.sleep(POLL_SECONDS)
    finally:
        stop_all(children)

    if failed is not None:
        name, code = failed
        print(f"run_dev: {name} exited with status {code}; stopped the rest.", file=sys.stderr)
        # A child that stopped on its own is a failure even with status 0; -N is signal N.
        return 128 - code if code < 0 else code or 1
    print(f"run_dev: {', '.join(selected)} stopped.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
