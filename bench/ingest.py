"""Webhook ingest benchmark: signed WhatsApp deliveries against gunicorn on PostgreSQL.

    make bench-ingest          (or: .venv/bin/python bench/ingest.py --help)

Starts a throwaway PostgreSQL 15 cluster with durable commits (or uses BENCH_DATABASE_URL: an
empty database), migrates it, and serves TELEPATI with gunicorn as `make serve` does, in
production mode on loopback (generated SECRET_KEY, ALLOWED_HOSTS=127.0.0.1, no TLS
redirect), plus the bench-only bare view (bench/urls.py). Then, for the bare view and for the
webhook in turn:

1. capacity: closed loop (`--concurrency` clients) for `--seconds`: the most each takes;
2. latency: open loop at each `--rates` value for `--seconds`: achieved rate, p50/p95/p99
   acknowledgement latency from the scheduled start, errors.

Every webhook request is a distinct, correctly signed text message from one of
`--residents` numbers. Task workers (`manage.py db_worker`, as `make worker` runs) process
the deliveries during the run (`--task-workers`); afterwards the bench waits until every
delivery is processed and checks that each acknowledged wamid is stored exactly once.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from contextlib import ExitStack, suppress
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import loadgen, stack
from bench.pgcluster import pg_cluster, pg_version

TEXTS = (
    "Selamat pagi, sampah di Jl. Garu II belum diangkut sejak Jumat.",
    "Lampu jalan di depan gang Mawar mati sudah tiga malam.",
    "Parit di Jl. Sisingamangaraja tersumbat, air meluap ke jalan kalau hujan.",
    "Halo, saya mau tanya syarat mengurus surat pindah.",
    "menu",
    "Jalan berlubang besar dekat SD Negeri, bahaya untuk anak-anak.",
    "Terima kasih, laporannya sudah ditangani.",
)


class Payloads:
    """Distinct signed text messages from many residents, ready to send as bytes."""

    def __init__(self, *, residents: int, app_secret: str, host: str, port: int) -> None:
        from telepati.whatsapp.simulator_payloads import SimResident

        self.host, self.port, self.app_secret = host, port, app_secret
        self.residents = [
            SimResident(wa_id=f"62812000{n:05d}", name=f"Warga {n}") for n in range(residents)
        ]
        self.wamids: list[str] = []
        self._random = random.Random(20261129)

    def build(self, count: int) -> tuple[list[bytes], list[str]]:
        from telepati.whatsapp.signature import signature_header
        from telepati.whatsapp.simulator_payloads import payload_body, text_payload

        requests, wamids = [], []
        for _ in range(count):
            resident = self._random.choice(self.residents)
            payload = text_payload(resident=resident, body=self._random.choice(TEXTS))
            body = payload_body(payload)
            wamids.append(payload["entry"][0]["changes"][0]["value"]["messages"][0]["id"])
            headers = {
                "Content-Type": "application/json",
                "User-Agent": "facebookexternalua",
                "X-Hub-Signature-256": signature_header(body=body, app_secret=self.app_secret),
            }
            requests.append(
                loadgen.http_request(
                    host=self.host,
                    port=self.port,
                    path="/whatsapp/webhook/",
                    body=body,
                    headers=headers,
                )
            )
        return requests, wamids

    def bare(self, requests: list[bytes]) -> list[bytes]:
        return [r.replace(b"POST /whatsapp/webhook/ ", b"POST /bench/bare/ ", 1) for r in requests]


def _row(result: loadgen.LoadResult) -> str:
    offered = f"{result.offered:,.0f}/s" if result.offered else "max"
    errors = ", ".join(f"{k}: {v}" for k, v in sorted(result.errors.items())) or "0"
    return (
        f"| {result.label} | {offered} | {result.throughput:,.0f}/s | "
        f"{result.percentile(50) * 1000:.1f} | {result.percentile(95) * 1000:.1f} | "
        f"{result.percentile(99) * 1000:.1f} | {errors} | {result.lag_max * 1000:.0f} | "
        f"{result.client_cpu / result.elapsed * 100 if result.elapsed else 0:.0f} % |"
    )


HEADER = (
    "| target | offered | achieved | p50 ms | p95 ms | p99 ms | errors | gen. lag ms "
    "| gen. CPU |\n|---|---|---|---|---|---|---|---|---|"
)


def _settle(host: str, port: int, timeout: float = 300.0) -> None:
    """Wait until the server has worked off what an overloaded phase left in its queue
    (three quick answers in a row), so that one phase never slows the next one down."""
    import httpx

    quick, deadline = 0, time.monotonic() + timeout
    while quick < 3 and time.monotonic() < deadline:
        started = time.monotonic()
        with suppress(httpx.TransportError):
            httpx.get(f"http://{host}:{port}/healthz", timeout=timeout)
        quick = quick + 1 if time.monotonic() - started < 0.05 else 0
        time.sleep(0.2)


def _loadavg() -> str:
    """The 1-minute load average (other work on the machine skews every figure)."""
    return Path("/proc/loadavg").read_text().split()[0]


def _drain(timeout: float) -> tuple[float, int]:
    """Wait until no task is left to run; returns (seconds waited, deliveries left)."""
    from django_tasks_db.models import DBTaskResult

    from telepati.whatsapp.models import DeliveryStatus, WebhookDelivery

    started = time.monotonic()
    while time.monotonic() - started < timeout:
        pending = DBTaskResult.objects.ready().count()
        running = DBTaskResult.objects.filter(status="RUNNING").count()
        if not pending and not running:
            break
        time.sleep(1.0)
    left = WebhookDelivery.objects.exclude(
        status__in=[DeliveryStatus.PROCESSED, DeliveryStatus.IGNORED]
    ).count()
    return time.monotonic() - started, left


def _verify(acknowledged: list[str]) -> dict[str, int]:
    """Count what the database holds for the wamids the webhook answered 200."""
    from django.db.models import Count

    from telepati.whatsapp.models import InboundMessage, WebhookDelivery

    stored: dict[str, int] = {}
    for start in range(0, len(acknowledged), 5000):
        chunk = acknowledged[start : start + 5000]
        for row in (
            InboundMessage.objects.filter(wamid__in=chunk)
            .values("wamid")
            .annotate(n=Count("id"))
            .values_list("wamid", "n")
        ):
            stored[row[0]] = row[1]
    return {
        "acknowledged": len(acknowledged),
        "distinct acknowledged": len(set(acknowledged)),
        "deliveries stored": WebhookDelivery.objects.count(),
        "messages stored": InboundMessage.objects.count(),
        "acknowledged and stored once": sum(1 for w in set(acknowledged) if stored.get(w) == 1),
        "acknowledged but missing": sum(1 for w in set(acknowledged) if w not in stored),
        "stored more than once": sum(1 for n in stored.values() if n > 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rates", default="250,500,1000", help="open-loop rates, per second")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each phase")
    parser.add_argument("--concurrency", type=int, default=64, help="closed-loop clients")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--worker-class", choices=["sync", "gthread"], default="gthread")
    parser.add_argument("--threads", type=int, default=16, help="threads per gthread worker")
    parser.add_argument("--task-workers", type=int, default=2, help="db_worker processes")
    parser.add_argument(
        "--process-after",
        action="store_true",
        help="start the task workers only after the load (ack path measured alone)",
    )
    parser.add_argument(
        "--task-worker-nice",
        type=int,
        default=0,
        help="niceness of the task workers (e.g. 10: acknowledgements win the CPU)",
    )
    parser.add_argument("--no-verify", action="store_true", help="skip processing and counting")
    parser.add_argument("--residents", type=int, default=2000)
    parser.add_argument("--skip-capacity", action="store_true")
    parser.add_argument("--drain-timeout", type=float, default=1800.0)
    args = parser.parse_args()
    rates = [float(r) for r in args.rates.split(",") if r.strip()]

    with ExitStack() as stack_:
        database_url = os.environ.get("BENCH_DATABASE_URL") or stack_.enter_context(pg_cluster())
        var_dir = Path(stack_.enter_context(tempfile.TemporaryDirectory(prefix="bench-ingest.")))
        env = stack.bench_env(
            database_url=database_url,
            var_dir=var_dir,
            DJANGO_SETTINGS_MODULE="bench.settings",
            TELEPATI_BENCH_BARE_VIEW="1",
        )
        print(f"# Webhook ingest — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC", flush=True)
        print(f"machine: {stack.machine()}")
        print(f"database: {pg_version(database_url)}")
        stack.manage(env, "migrate", "--noinput", "-v", "0")
        stack.manage(env, "createcachetable")
        stack.manage(env, "seed_reference", "-v", "0")
        stack.environ_apply(env)
        import django

        django.setup()
        from django.conf import settings

        server = stack_.enter_context(
            stack.gunicorn(
                env,
                workers=args.workers,
                worker_class=args.worker_class,
                threads=args.threads,
                log_dir=var_dir,
            )
        )
        host, port = server
        print(
            f"gunicorn: {args.workers} {args.worker_class} workers"
            + (f" × {args.threads} threads" if args.worker_class == "gthread" else "")
            + f"; task workers: {args.task_workers}"
            + (" after the load" if args.process_after else " during the load")
        )
        if not args.process_after:
            stack_.enter_context(
                stack.task_workers(
                    env, count=args.task_workers, log_dir=var_dir, nice=args.task_worker_nice
                )
            )
        payloads = Payloads(
            residents=args.residents,
            app_secret=settings.WHATSAPP_APP_SECRET,
            host=host,
            port=port,
        )
        acknowledged: list[str] = []
        results: list[loadgen.LoadResult] = []
        ratios: list[str] = []
        load: list[str] = [f"load average before: {_loadavg()}"]

        def run(label: str, rate: float | None) -> None:
            count = int((rate or 4000) * args.seconds)
            requests, wamids = payloads.build(count)
            pair: list[loadgen.LoadResult] = []
            for target, batch in (("bare view", payloads.bare(requests)), ("webhook", requests)):
                if rate is None:
                    result = loadgen.closed_loop(
                        label=target,
                        host=host,
                        port=port,
                        requests=batch,
                        concurrency=args.concurrency,
                        seconds=args.seconds,
                    )
                else:
                    result = loadgen.open_loop(
                        label=target, host=host, port=port, requests=batch, rate=rate
                    )
                pair.append(result)
                if target == "webhook":
                    acknowledged.extend(wamids[i] for i in result.answered)
                _settle(host, port)
            results.extend(pair)
            load.append(f"{label}: load average after {_loadavg()}")
            bare, hook = pair
            ratios.append(
                f"{label}: webhook/bare = {hook.throughput:,.0f}/{bare.throughput:,.0f} = "
                f"{hook.throughput / bare.throughput if bare.throughput else 0:.2f}"
            )
            print(
                HEADER if len(results) == 2 else "", *(_row(r) for r in pair), sep="\n", flush=True
            )

        warm, warm_wamids = payloads.build(400)
        for batch in (payloads.bare(warm), warm):
            done = loadgen.closed_loop(
                label="warm-up", host=host, port=port, requests=batch, concurrency=8, seconds=60
            )
        acknowledged.extend(warm_wamids[i] for i in done.answered)
        if not args.skip_capacity:
            run("capacity", None)
        for rate in rates:
            run(f"{rate:,.0f}/s", rate)
        print("\n" + "\n".join(ratios))
        print("\n".join(load))
        if args.no_verify:
            return

        if args.process_after:
            stack_.enter_context(
                stack.task_workers(
                    env, count=args.task_workers, log_dir=var_dir, nice=args.task_worker_nice
                )
            )
        print("\nprocessing: waiting for the task workers…", flush=True)
        waited, left = _drain(args.drain_timeout)
        counts = _verify(acknowledged)
        print(f"processing finished {waited:.0f} s after the load; deliveries unprocessed: {left}")
        for name, value in counts.items():
            print(f"  {name}: {value:,}")
        lost = counts["acknowledged but missing"] + counts["stored more than once"]
        print("verdict: nothing lost, nothing twice" if not lost and not left else "verdict: LOSS")
        if lost or left:
            sys.exit(1)


if __name__ == "__main__":
    main()
