"""Soak: signed webhooks at the highest rate the machine sustains, with redeliveries and
task workers killed, for minutes on end; then nothing may be lost or doubled.

    make bench-soak            (or: .venv/bin/python bench/soak.py --help)

A throwaway PostgreSQL cluster with durable commits (or BENCH_DATABASE_URL: an empty
database) is migrated and served by gunicorn as `make serve` does (production mode on
loopback, bench/stack.py), with `--task-workers` db_worker processes as `make worker` runs.
The bot's replies leave through the real WhatsApp transport to the Graph stand-in served
from this process (telepati/whatsapp/testing.py), which records every message it accepts.

For `--minutes`, closed-loop clients send distinct text messages from `--residents`
numbers; each webhook body is sent 1–3 times, the copies at random places of its segment
(Meta redelivers whatever it likes). Every `--kill-every` seconds (±20 %) one task worker
is killed with SIGKILL and a new one started. Afterwards the workers drain the queue and the
periodic sweeps run as the scheduler would (webhook resume, outbox sweep); then the
database is counted:

- inbound: every wamid answered 200 at least once is stored exactly once;
- webhook deliveries: one row per 200, every one processed;
- outbox: every row sent once (its wamid from the stand-in) or failed as unknown_outcome
  (the send a kill cut off: never resent, telepati/messaging/delivery.py); every message
  the stand-in accepted belongs to a sent row or to one of those;

and the achieved webhook rate is printed. Exit status 1 on any loss or duplicate.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import loadgen, stack
from bench.pgcluster import pg_cluster, pg_version

PHONE_NUMBER_ID = "106540352242922"
API_VERSION = "v25.0"
TOKEN = "stand-in-token"  # noqa: S105 (a loopback test double)
WORKER = (
    *(stack.PYTHON, "manage.py", "db_worker", "--queue-name", "*", "--skip-checks"),
    *("--interval", "0.5", "--no-reload"),
)


def _stand_in() -> Any:
    from telepati.whatsapp.testing import GraphStandIn, RecordedRequest

    class AcceptingStandIn(GraphStandIn):
        """Keeps (wamid, recipient, text) of every message it accepted, nothing else."""

        def __init__(self) -> None:
            super().__init__(api_version=API_VERSION, phone_number_id=PHONE_NUMBER_ID)
            self.accepted: list[tuple[str, str, str]] = []

        def _record(self, request: RecordedRequest) -> None:
            return None  # every request body would cost memory over ten minutes

        def _message(self, payload: Any) -> tuple[int, dict[str, str], bytes]:
            import json

            status, headers, body = super()._message(payload)
            if status == 200 and payload.get("status") != "read":
                wamid = json.loads(body)["messages"][0]["id"]
                text = str(payload.get("text") or payload.get("interactive") or {})
                with self._lock:
                    self.accepted.append((wamid, str(payload.get("to", "")), text))
            return status, headers, body

    return AcceptingStandIn()


class Workers:
    """db_worker processes that can be killed and replaced; all stopped by `stop`."""

    def __init__(self, env: dict[str, str], log_dir: Path, count: int) -> None:
        self.env, self.log_dir, self.count = env, log_dir, count
        self.processes: list[subprocess.Popen[bytes]] = []
        self.kills = 0
        self._started = 0

    def _start(self) -> subprocess.Popen[bytes]:
        self._started += 1
        with (self.log_dir / f"worker-{self._started}.log").open("ab") as out:
            return subprocess.Popen(
                [*WORKER],
                cwd=stack.ROOT,
                env=self.env,
                stdout=out,
                stderr=out,
            )

    def start(self) -> None:
        while len(self.processes) < self.count:
            self.processes.append(self._start())

    def kill_one(self, rng: random.Random) -> None:
        index = rng.randrange(len(self.processes))
        victim = self.processes[index]
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        self.kills += 1
        self.processes[index] = self._start()

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _killer(workers: Workers, every: float, stop: threading.Event, seed: int) -> threading.Thread:
    rng = random.Random(seed)

    def run() -> None:
        while not stop.wait(every * rng.uniform(0.8, 1.2)):
            workers.kill_one(rng)

    thread = threading.Thread(target=run, name="worker-killer", daemon=True)
    thread.start()
    return thread


def _segment(
    payloads: Any, rng: random.Random, unique: int, max_copies: int
) -> tuple[list[bytes], list[str]]:
    """`unique` webhooks, each 1..max_copies times in random order: (requests, wamids)."""
    requests, wamids = payloads.build(unique)
    sent = [(i, r) for i, r in enumerate(requests) for _ in range(rng.randint(1, max_copies))]
    rng.shuffle(sent)
    return [r for _, r in sent], [wamids[i] for i, _ in sent]


def _quiet(timeout: float) -> float:
    """Wait until no task is waiting (deferred ones included) and none started for 3 s."""
    from django_tasks_db.models import DBTaskResult

    started = time.monotonic()
    calm = 0
    while time.monotonic() - started < timeout and calm < 3:
        busy = DBTaskResult.objects.filter(status="READY").exists()
        recent = DBTaskResult.objects.filter(
            started_at__gte=datetime.now(UTC) - timedelta(seconds=3)
        ).exists()
        calm = 0 if busy or recent else calm + 1
        time.sleep(1.0)
    return time.monotonic() - started


def _sweeps() -> tuple[int, int, int]:
    """What the scheduler runs, once the workers are idle: returns (resumed, stuck, due)."""
    from django.conf import settings

    from telepati.messaging.recovery import outbox_sweep
    from telepati.messaging.tasks import deliver_message
    from telepati.whatsapp.services import webhook_deliveries_resume

    resumed = webhook_deliveries_resume(older_than=timedelta(0))
    # Every worker is idle: a row still "sending" was cut off by a kill.
    settings.TELEPATI_OUTBOX_STUCK_MINUTES = 0
    result = outbox_sweep()
    for message_id in result.due:
        deliver_message.enqueue(message_id=message_id)
    return resumed, result.stuck, len(result.due)


def _count(acknowledged: set[str], answered: int, stand_in: Any) -> dict[str, int]:
    from django.db.models import Count

    from telepati.messaging.delivery import UNKNOWN_OUTCOME
    from telepati.messaging.models import MessageStatus, OutboundMessage
    from telepati.reports.models import Report
    from telepati.whatsapp.models import DeliveryStatus, InboundMessage, WebhookDelivery

    stored = Counter(dict(InboundMessage.objects.values_list("wamid").annotate(n=Count("id"))))
    outbox = Counter(OutboundMessage.objects.values_list("status", flat=True))
    provider_ids = set(
        OutboundMessage.objects.exclude(provider_message_id=None).values_list(
            "provider_message_id", flat=True
        )
    )
    unknown = OutboundMessage.objects.filter(
        status=MessageStatus.FAILED, last_error_code=UNKNOWN_OUTCOME
    ).count()
    accepted = Counter(wamid for wamid, _, _ in stand_in.accepted)
    orphans = sum(1 for wamid in accepted if wamid not in provider_ids)
    return {
        "webhooks answered 200": answered,
        "webhook deliveries stored": WebhookDelivery.objects.count(),
        "deliveries not processed": WebhookDelivery.objects.exclude(
            status__in=[DeliveryStatus.PROCESSED, DeliveryStatus.IGNORED]
        ).count(),
        "distinct wamids acknowledged": len(acknowledged),
        "inbound messages stored": sum(stored.values()),
        "LOST (acknowledged, not stored)": sum(1 for w in acknowledged if w not in stored),
        "DUPLICATED inbound": sum(1 for n in stored.values() if n > 1),
        "reports filed": Report.objects.count(),
        "outbox rows": sum(outbox.values()),
        "outbox sent (or later)": sum(
            outbox[s] for s in (MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.READ)
        ),
        "outbox unknown_outcome (cut off by a kill, not resent)": unknown,
        "outbox failed otherwise": outbox[MessageStatus.FAILED] - unknown,
        "LOST outbox (queued or sending at the end)": outbox[MessageStatus.QUEUED]
        + outbox[MessageStatus.SENDING],
        "messages accepted by the Graph stand-in": len(accepted),
        "DUPLICATED sends (accepted beyond sent rows and cut-off sends)": max(0, orphans - unknown),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--kill-every", type=float, default=60.0, help="seconds between kills")
    parser.add_argument("--segment", type=float, default=30.0, help="seconds per load segment")
    parser.add_argument("--concurrency", type=int, default=16, help="closed-loop clients")
    parser.add_argument(
        "--rate",
        type=float,
        default=0.0,
        help="webhooks per second offered (open loop); default 0: as fast as acknowledged",
    )
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--threads", type=int, default=16, help="threads per gunicorn worker")
    parser.add_argument("--task-workers", type=int, default=2)
    parser.add_argument("--residents", type=int, default=20000)
    parser.add_argument("--max-copies", type=int, default=3)
    parser.add_argument("--drain-timeout", type=float, default=1800.0)
    parser.add_argument("--seed", type=int, default=20261129)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    with ExitStack() as stack_:
        database_url = os.environ.get("BENCH_DATABASE_URL") or stack_.enter_context(pg_cluster())
        var_dir = Path(stack_.enter_context(tempfile.TemporaryDirectory(prefix="bench-soak.")))
        stand_in = _stand_in().start()
        stack_.callback(stand_in.stop)
        env = stack.bench_env(
            database_url=database_url,
            var_dir=var_dir,
            TELEPATI_MESSAGE_TRANSPORT="whatsapp",
            WHATSAPP_ACCESS_TOKEN=TOKEN,
            WHATSAPP_PHONE_NUMBER_ID=PHONE_NUMBER_ID,
            WHATSAPP_API_VERSION=API_VERSION,
            WHATSAPP_GRAPH_URL=stand_in.base_url,
            WHATSAPP_RATE_PER_SECOND="1000",
        )
        print(f"# Soak — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC", flush=True)
        print(f"machine: {stack.machine()}")
        print(f"database: {pg_version(database_url)}")
        # The production check refuses an http Graph URL; the stand-in is loopback http.
        stack.manage(env, "migrate", "--noinput", "-v", "0", "--skip-checks")
        stack.manage(env, "createcachetable")
        stack.manage(env, "seed_reference", "-v", "0", "--skip-checks")
        stack.environ_apply(env)
        import django

        django.setup()
        from django.conf import settings

        from bench.ingest import Payloads

        host, port = stack_.enter_context(
            stack.gunicorn(
                env,
                workers=args.workers,
                worker_class="gthread",
                threads=args.threads,
                log_dir=var_dir,
            )
        )
        workers = Workers(env, var_dir, args.task_workers)
        stack_.callback(workers.stop)
        workers.start()
        print(
            f"gunicorn: {args.workers} gthread workers × {args.threads} threads; "
            f"task workers: {args.task_workers}, one "
            f"SIGKILLed every ~{args.kill_every:.0f} s; webhooks sent 1–{args.max_copies} times"
        )
        payloads = Payloads(
            residents=args.residents, app_secret=settings.WHATSAPP_APP_SECRET, host=host, port=port
        )
        acknowledged: set[str] = set()
        answered = sent = copies = 0
        errors: Counter[str] = Counter()
        elapsed = 0.0
        rate = 300.0  # first guess of webhooks/s; each segment sizes the next
        stop = threading.Event()
        killer = _killer(workers, args.kill_every, stop, args.seed)
        deadline = time.monotonic() + args.minutes * 60
        try:
            while (left := deadline - time.monotonic()) > 1:
                seconds = min(args.segment, left)
                if args.rate:
                    unique = max(1, int(args.rate * seconds / 2))  # 2 copies on average
                else:
                    unique = max(50, int(rate * seconds * 1.5 / 2))
                requests, wamids = _segment(payloads, rng, unique, args.max_copies)
                if args.rate:
                    result = loadgen.open_loop(
                        label="soak", host=host, port=port, requests=requests, rate=args.rate
                    )
                else:
                    result = loadgen.closed_loop(
                        label="soak",
                        host=host,
                        port=port,
                        requests=requests,
                        concurrency=args.concurrency,
                        seconds=seconds,
                    )
                acknowledged.update(wamids[i] for i in result.answered)
                answered += result.ok
                count = result.ok + sum(result.errors.values())  # the first `count` went out
                sent += count
                copies += count - len(set(wamids[:count]))
                errors.update(result.errors)
                elapsed += result.elapsed
                rate = max(50.0, result.throughput)
                print(
                    f"  {elapsed:6.0f} s: {result.throughput:6.1f}/s, errors "
                    f"{dict(result.errors) or 0}, kills {workers.kills}",
                    flush=True,
                )
        finally:
            stop.set()
            killer.join()
        achieved = answered / elapsed if elapsed else 0.0
        print(f"\nload done: {answered:,} webhooks answered 200 in {elapsed:.0f} s")
        print("draining: task workers finish, then the sweeps run as the scheduler would…")
        waited = _quiet(args.drain_timeout)
        for _ in range(3):
            resumed, stuck, due = _sweeps()
            print(f"  sweep: deliveries resumed {resumed}, sends cut off {stuck}, due {due}")
            waited += _quiet(args.drain_timeout)
            if not (resumed or due):
                break
        counts = _count(acknowledged, answered, stand_in)
        through = counts["inbound messages stored"] / (elapsed + waited) if elapsed else 0.0
        print(f"\n## Soak: {args.minutes:g} min, {achieved:,.1f} webhooks/s acknowledged")
        print(
            f"end to end: {through:,.1f} distinct messages/s stored, processed and answered "
            f"over load + drain ({elapsed + waited:.0f} s)"
        )
        print(
            f"requests sent {sent:,} (redeliveries among them: {copies:,}); non-200: "
            f"{dict(errors) or 0}; worker kills: {workers.kills}; drain {waited:.0f} s"
        )
        for name, value in counts.items():
            print(f"  {name}: {value:,}")
        bad = [n for n, v in counts.items() if v and n.split()[0] in {"LOST", "DUPLICATED"}]
        if counts["deliveries not processed"]:
            bad.append("deliveries not processed")
        if counts["webhook deliveries stored"] < answered:
            bad.append("fewer deliveries stored than answered 200")
        print("verdict: 0 lost, 0 duplicated" if not bad else f"verdict: FAILED {bad}")
        if bad:
            sys.exit(1)


if __name__ == "__main__":
    main()
