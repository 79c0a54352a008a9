"""Outbox pacing benchmark: 10,000 notices through the real delivery path to a loopback Graph API.

    make bench-pacing          (or: .venv/bin/python bench/pacing.py --help)

For each database (a throwaway durable PostgreSQL 15 cluster, or BENCH_DATABASE_URL; and a SQLite
file) and each configured WHATSAPP_RATE_PER_SECOND (`--rates`, default 80 and 1,000):
`--notices` template notices to distinct residents are written with
`messaging.services.message_enqueue` (500 rows per transaction; each transaction's rows are
queued on commit as `deliver_messages` jobs of TELEPATI_OUTBOX_BATCH rows), then
`--task-workers` `manage.py db_worker` processes — what `make worker` runs — deliver them in
batches (`messaging.delivery.messages_deliver`, sending from TELEPATI_OUTBOX_SEND_THREADS
threads each) to `telepati.whatsapp.testing.GraphStandIn`, which notes when each request
arrives. Reported: steady-state rate (the middle 90 % of arrivals, without ramp-up and
tail), the most arrivals in any one-second window (must not exceed the configured rate),
total time, and what became of every row (each must be sent exactly once).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import stack
from bench.pgcluster import pg_cluster, pg_version

PHONE_NUMBER_ID = "106540352242922"
TOKEN = "stand-in-token"  # noqa: S105 (a loopback test double)
API_VERSION = "v25.0"


def _stand_in() -> Any:
    from telepati.whatsapp.testing import GraphStandIn, RecordedRequest

    class TimedStandIn(GraphStandIn):
        """Also notes when each message request arrived (monotonic seconds)."""

        def __init__(self) -> None:
            super().__init__(api_version=API_VERSION, phone_number_id=PHONE_NUMBER_ID)
            self.arrivals: list[float] = []
            self.recipients: list[str] = []

        def _record(self, request: RecordedRequest) -> None:
            # Only what the bench needs: keeping every request body would cost memory.
            if request.method == "POST" and request.path.endswith("/messages"):
                with self._lock:
                    self.arrivals.append(time.monotonic())
                    self.recipients.append(str((request.json or {}).get("to", "")))

    return TimedStandIn()


def max_in_window(arrivals: list[float], window: float = 1.0) -> int:
    """The most arrivals in any half-open window [t, t + window)."""
    ordered, best, first = sorted(arrivals), 0, 0
    for last, moment in enumerate(ordered):
        while moment - ordered[first] >= window:
            first += 1
        best = max(best, last - first + 1)
    return best


def steady_rate(arrivals: list[float], trim: float = 0.05) -> float:
    """Arrivals per second between the `trim` and 1 − `trim` quantiles of arrival time."""
    ordered = sorted(arrivals)
    lo, hi = int(len(ordered) * trim), int(len(ordered) * (1 - trim)) - 1
    if hi <= lo or ordered[hi] == ordered[lo]:
        return 0.0
    return (hi - lo) / (ordered[hi] - ordered[lo])


def _notices_write(count: int) -> None:
    from django.db import transaction

    from telepati.messaging.services import Recipient, message_enqueue

    for start in range(0, count, 500):
        with transaction.atomic():
            for n in range(start, min(count, start + 500)):
                code = f"L2611-{n:05d}"
                message_enqueue(
                    recipient=Recipient(phone=f"+62812{n:07d}"),
                    text=f"Laporan {code} sedang ditindaklanjuti oleh petugas.",
                    dedupe_key=f"bench-pacing:{n}",
                    reference=f"bench:{code}",
                    template_name="status_laporan",
                    template_params=[code, "sedang ditindaklanjuti"],
                )


def _reset() -> None:
    from django_tasks_db.models import DBTaskResult

    from telepati.messaging.models import OutboundMessage, PaceSlot

    DBTaskResult.objects.all().delete()
    OutboundMessage.objects.all().delete()
    PaceSlot.objects.all().delete()


def _outcomes() -> dict[str, int]:
    from django.db.models import Count

    from telepati.messaging.models import OutboundMessage

    rows = OutboundMessage.objects.values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


def run_one(
    *, env: dict[str, str], rate: int, notices: int, workers: int, var_dir: Path, timeout: float
) -> dict:
    _reset()
    _notices_write(notices)
    stand_in = _stand_in().start()
    env = {
        **env,
        "WHATSAPP_GRAPH_URL": stand_in.base_url,
        "WHATSAPP_RATE_PER_SECOND": str(rate),
    }
    started = time.monotonic()
    deadline = started + timeout
    try:
        with stack.task_workers(env, count=workers, log_dir=var_dir, interval=0.5):
            while time.monotonic() < deadline:
                time.sleep(1.0)
                outcomes = _outcomes()
                if not outcomes.get("queued") and not outcomes.get("sending"):
                    break
    finally:
        stand_in.stop()
    arrivals = stand_in.arrivals
    outcomes = _outcomes()
    return {
        "rate": rate,
        "workers": workers,
        "notices": notices,
        "arrived": len(arrivals),
        "distinct recipients": len(set(stand_in.recipients)),
        "steady": steady_rate(arrivals),
        "max_1s": max_in_window(arrivals),
        "total_s": (max(arrivals) - min(arrivals)) if arrivals else 0.0,
        "outcomes": outcomes,
    }


def child(args: argparse.Namespace) -> None:
    """Run every rate against one database (Django is set up once per process)."""
    var_dir = Path(tempfile.mkdtemp(prefix="bench-pacing."))
    env = stack.bench_env(
        database_url=args.database_url,
        var_dir=var_dir,
        WHATSAPP_ACCESS_TOKEN=TOKEN,
        WHATSAPP_PHONE_NUMBER_ID=PHONE_NUMBER_ID,
        WHATSAPP_API_VERSION=API_VERSION,
        WHATSAPP_GRAPH_URL="http://127.0.0.1:9",  # replaced per run by the stand-in's
        TELEPATI_MESSAGE_TRANSPORT="whatsapp",
        WHATSAPP_RECIPIENT_INTERVAL_SECONDS="1",
    )
    # The production check refuses an http Graph URL; the stand-in is loopback http.
    stack.manage(env, "migrate", "--noinput", "-v", "0", "--skip-checks")
    stack.environ_apply(env)
    import django

    django.setup()
    for rate in args.rates:
        result = run_one(
            env=env,
            rate=rate,
            notices=args.notices,
            workers=args.task_workers,
            var_dir=var_dir,
            timeout=args.timeout,
        )
        print("RESULT " + json.dumps(result), flush=True)


def _row(vendor: str, r: dict) -> str:
    ok = r["outcomes"].get("sent", 0) == r["notices"] == r["arrived"] == r["distinct recipients"]
    others = {k: v for k, v in r["outcomes"].items() if k != "sent"}
    if r["arrived"] > r["distinct recipients"]:
        verdict = "SENT TWICE"
    else:
        verdict = "each once" if ok else "incomplete: stopped at --timeout"
    return (
        f"| {vendor} | {r['rate']:,}/s | {r['workers']} | {r['steady']:,.1f}/s "
        f"({r['steady'] / r['rate'] * 100:.1f} %) | {r['max_1s']:,} | {r['total_s']:,.1f} s | "
        f"{r['outcomes'].get('sent', 0):,} sent{', ' + json.dumps(others) if others else ''}; "
        f"{verdict} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rates", default="80,1000", help="configured rates, per second")
    parser.add_argument("--notices", type=int, default=10_000)
    parser.add_argument("--task-workers", type=int, default=4, help="db_worker processes")
    parser.add_argument("--backends", default="postgresql,sqlite")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per run, at most")
    parser.add_argument("--database-url", help=argparse.SUPPRESS)  # one backend, in a child
    args = parser.parse_args()
    args.rates = [int(r) for r in args.rates.split(",") if r.strip()]
    if args.database_url:
        child(args)
        return
    print(f"# Outbox pacing — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(f"machine: {stack.machine()}", flush=True)
    rows: list[str] = []
    for vendor in [b.strip() for b in args.backends.split(",") if b.strip()]:
        with ExitStack() as stack_:
            if vendor == "postgresql":
                url = os.environ.get("BENCH_DATABASE_URL") or stack_.enter_context(pg_cluster())
                label = pg_version(url).split(" (")[0]
            else:
                folder = stack_.enter_context(tempfile.TemporaryDirectory(prefix="bench-pacing."))
                url, label = f"sqlite:///{folder}/pacing.sqlite3", "SQLite"
            command = [sys.executable, __file__, "--database-url", url]
            command += ["--rates", ",".join(map(str, args.rates)), "--notices", str(args.notices)]
            command += ["--task-workers", str(args.task_workers), "--timeout", str(args.timeout)]
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            for line in done.stdout.splitlines():
                if line.startswith("RESULT "):
                    rows.append(_row(label, json.loads(line[len("RESULT ") :])))
                    print(rows[-1], flush=True)
            if done.returncode:
                print(done.stderr[-3000:], file=sys.stderr)
    print(
        "\n| database | configured | task workers | steady-state rate | max in 1 s | total "
        "| outcome |\n|---|---|---|---|---|---|---|"
    )
    print("\n".join(rows))


if __name__ == "__main__":
    main()
