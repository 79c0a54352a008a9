"""Measure the busiest pages on a benchmark database (see bench/generate.py).

    .venv/bin/python bench/pages.py --database sqlite|postgresql [--requests 40] [--warmup 5]
        [--only inbox,search,...] [--no-explain] [--refresh-figures]

Each page is requested through Django's test Client (the whole stack: middleware, session,
view, selectors, template) as the officer or visitor who uses it, with varied realistic
parameters: `--warmup` requests first, then `--requests` timed ones. Prints p50/p95/max in
milliseconds against the 50 ms target, then for each page the EXPLAIN of its slowest
queries (ANALYZE on PostgreSQL, QUERY PLAN on SQLite), flagging any sequential scan over
the reports table. A benchmark prints figures; it is not a timed test.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.database import VENDORS, configure

TARGET_MS = 50.0
PAGE_BUDGET_SECONDS = 30.0  # a page slower than this gets fewer timed requests (at least 3)
EXPLAIN_TOP = 2  # slowest queries explained per page


@dataclass
class Page:
    """A page to measure: who asks, and a function giving the i-th request's URL."""

    name: str
    user: str | None
    url: Callable[[int], str]
    before: Callable[[], None] | None = None  # run before each request (e.g. cache off)
    timings: list[float] = field(default_factory=list)
    statuses: set[int] = field(default_factory=set)
    rows: str = ""


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def pages_build(rng: random.Random) -> list[Page]:
    from django.core.cache import cache
    from django.urls import reverse
    from django.utils import timezone

    from telepati.accounts.models import User
    from telepati.accounts.selectors import officer_scope_get
    from telepati.core.models import StoredFigures
    from telepati.org.models import Kelurahan
    from telepati.reports.models import Category, Report
    from telepati.reports.selectors import ReportFilters
    from telepati.reports.selectors_inbox import report_inbox_page
    from telepati.reports.selectors_public import PUBLIC_STATUS_VALUES
    from telepati.reports.selectors_transparency import TransparencyFilters, public_report_page

    operator = User.objects.get(username="operator")
    scope = officer_scope_get(user=operator)
    kelurahan = list(
        Kelurahan.objects.filter(kecamatan__code="medan-amplas").values_list("pk", flat=True)
    )
    categories = list(Category.objects.filter(is_active=True).values_list("pk", "code"))
    top = Report.objects.order_by("-pk").values_list("pk", flat=True).first() or 1
    numbers = list(
        Report.objects.filter(pk__in=[rng.randint(1, top) for _ in range(400)]).values_list(
            "tracking_number", flat=True
        )
    )
    statuses = ["new", "on_hold", "verified", "forwarded", "in_progress", "resolved", "closed"]
    words = ["lampu", "sampah menumpuk", "Garu", "drainase", "pohon tumbang", "parkir liar",
             "jalan berlubang", "Marindal", "banjir", "kabel"]  # fmt: skip
    inbox = reverse("backoffice:report_inbox")
    dashboard = reverse("backoffice:dashboard")
    cursors = []
    for status in [None, *statuses[:5]]:
        page = report_inbox_page(
            user=operator, scope=scope, filters=ReportFilters(status=status), limit=25
        )
        if page.next_cursor:
            cursors.append((status or "", page.next_cursor))
    public_cursors = [
        public_report_page(filters=TransparencyFilters(kelurahan_id=k)).next_cursor or ""
        for k in kelurahan
    ]
    open311_codes = [code for _pk, code in categories]
    period = timezone.localdate().strftime("%Y-%m")
    del PUBLIC_STATUS_VALUES

    def pick(items: Sequence[Any], i: int) -> Any:
        return items[i % len(items)]

    def stats_filters(i: int) -> str:
        choice = i % 3
        if choice == 0:
            return ""
        if choice == 1:
            return f"?kelurahan={pick(kelurahan, i)}"
        return f"?kategori={pick(categories, i)[1]}"

    return [
        Page("inbox: default", "operator", lambda i: inbox),
        Page("inbox: status", "operator", lambda i: f"{inbox}?status={pick(statuses, i)}"),
        Page("inbox: kelurahan", "operator", lambda i: f"{inbox}?kelurahan={pick(kelurahan, i)}"),
        Page("inbox: breached", "operator", lambda i: f"{inbox}?deadline=breached"),
        Page(
            "inbox: page 2",
            "operator",
            lambda i: f"{inbox}?status={pick(cursors, i)[0]}&after={pick(cursors, i)[1]}",
        ),
        Page("inbox: search", "operator", lambda i: f"{inbox}?q={pick(words, i)}"),
        Page(
            "report page",
            "operator",
            lambda i: reverse("backoffice:report_detail", args=[pick(numbers, i)]),
        ),
        # Stored figures (reports.figures_store): the warm-up stores them if the refresh
        # task has not; "(live)" deletes them first, so every request computes them.
        Page("dashboard (camat)", "camat", lambda i: f"{dashboard}?bulan={period}"),
        Page(
            "dashboard (live)",
            "camat",
            lambda i: f"{dashboard}?bulan={period}",
            before=lambda: StoredFigures.objects.filter(kind="dashboard").delete() and None,
        ),
        Page(
            "statistik (no cache)",
            None,
            lambda i: f"/statistik/{stats_filters(i)}",
            before=cache.clear,
        ),
        Page(
            "statistik (live)",
            None,
            lambda i: f"/statistik/{stats_filters(i)}",
            before=lambda: StoredFigures.objects.filter(kind="public_statistics").delete()
            and None,
        ),
        # Three filters over and over: after the warm-up every one is in the cache.
        Page("statistik (cached)", None, lambda i: f"/statistik/{stats_filters(i % 3)}"),
        Page(
            "laporan-publik",
            None,
            lambda i: f"/laporan-publik/?kelurahan={pick(kelurahan, i)}"
            + (f"&setelah={pick(public_cursors, i)}" if i % 2 else ""),
        ),
        Page("open311 requests.json", None, lambda i: "/open311/v2/requests.json"),
        Page(
            "open311 by service",
            None,
            lambda i: f"/open311/v2/requests.json?service_code={pick(open311_codes, i)}",
        ),
    ]  # fmt: skip


# --- EXPLAIN -----------------------------------------------------------------------------

SEQ_SCAN = {
    "postgresql": re.compile(r"Seq Scan on reports_report\b"),
    # SQLite's SCAN is a full pass, over the table or a whole index; SEARCH is a range.
    # (Subqueries show Django's aliases, U0…, which this does not resolve.)
    "sqlite": re.compile(r"SCAN reports_report\b"),
}


def explain(sql: str) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS OFF) {sql}")
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return [str(row[-1]) for row in cursor.fetchall()]


def plan_summary(lines: list[str], vendor: str) -> str:
    """The plan's scans and indexes on one line."""
    if vendor == "postgresql":
        nodes = [
            re.sub(r"\s+\(cost=.*", "", line.strip().lstrip("-> ").strip())
            for line in lines
            if re.search(r"Scan|Execution Time", line)
        ]
    else:
        nodes = [line for line in lines if line.startswith(("SCAN", "SEARCH"))]
    return "; ".join(nodes)


# --- Running -----------------------------------------------------------------------------


def measure(
    pages: list[Page], *, requests: int, warmup: int, explain_plans: bool, whole: bool = False
) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from telepati.accounts.models import User

    vendor = connection.vendor
    clients: dict[str | None, Client] = {}
    for page in pages:
        if page.user not in clients:
            client = Client()
            if page.user is not None:
                client.force_login(User.objects.get(username=page.user))
            clients[page.user] = client
    plans: list[tuple[str, float, list[str], bool]] = []
    for page in pages:
        client = clients[page.user]
        budget_until = time.monotonic() + PAGE_BUDGET_SECONDS
        for i in range(warmup + requests):
            if len(page.timings) >= 3 and time.monotonic() > budget_until:
                break
            if page.before is not None:
                page.before()
            url = page.url(i)
            started = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
            page.statuses.add(response.status_code)
            if i >= warmup:
                page.timings.append(elapsed)
        if not explain_plans:
            continue
        if page.before is not None:
            page.before()
        with CaptureQueriesContext(connection) as captured:
            client.get(page.url(0))
        queries = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))
        page.rows = f"{len(captured.captured_queries)} queries"
        for query in queries[:EXPLAIN_TOP]:
            sql = query["sql"]
            if "reports_" not in sql or not sql.lstrip().upper().startswith("SELECT"):
                continue
            lines = explain(sql)
            seq = any(SEQ_SCAN[vendor].search(line) for line in lines)
            plans.append((page.name, float(query["time"]) * 1000, lines, seq))
            page.rows += " SEQ-SCAN!" if seq else ""
    print()
    print(f"{'page':<24} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  {'target':<6} notes")
    for page in pages:
        p50, p95 = percentile(page.timings, 0.5), percentile(page.timings, 0.95)
        verdict = "ok" if p95 <= TARGET_MS else "MISS"
        codes = ",".join(str(c) for c in sorted(page.statuses))
        print(
            f"{page.name:<24} {p50:>8.1f} {p95:>8.1f} {max(page.timings):>8.1f}  {verdict:<6} "
            f"n={len(page.timings)}; HTTP {codes}; {page.rows}"
        )
    if not plans:
        return
    print()
    print("EXPLAIN of each page's slowest queries (time as captured, ms):")
    for name, ms, lines, seq in plans:
        flag = "  <-- SEQUENTIAL SCAN ON reports_report" if seq else ""
        print(f"- {name} [{ms:.1f} ms]{flag}")
        if whole:
            print("\n".join(f"    {line}" for line in lines))
        else:
            print(f"    {plan_summary(lines, vendor)}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=VENDORS, required=True)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", default="", help="comma-separated substrings of page names")
    parser.add_argument("--no-explain", action="store_true")
    parser.add_argument("--verbose-plans", action="store_true", help="print whole plans")
    parser.add_argument(
        "--refresh-figures",
        action="store_true",
        help="run the stored-figures refresh tasks first, as the scheduler would, and time them",
    )
    args = parser.parse_args(argv)
    url = configure(args.database)
    import logging
    import warnings

    logging.getLogger("axes").setLevel(logging.WARNING)
    warnings.filterwarnings("ignore", message="No directory at")
    from django.conf import settings
    from django.db import connection

    from telepati.reports.models import Report

    # The benchmark is one client: do not let the per-address limits answer 429.
    settings.TELEPATI_OPEN311_ANONYMOUS_RATE = "1000000/m"
    print(f"Benchmark database: {url} ({connection.vendor}), {Report.objects.count():,} reports")
    if args.refresh_figures:
        from telepati.reports.figures_store import (
            dashboard_figures_refresh,
            public_statistics_refresh,
        )

        for refresh in (dashboard_figures_refresh, public_statistics_refresh):
            started = time.perf_counter()
            count = refresh()
            print(f"{refresh.__name__}: {count} in {time.perf_counter() - started:.1f} s")
    pages = pages_build(random.Random(args.seed))
    if args.only:
        wanted = [w.strip() for w in args.only.split(",") if w.strip()]
        pages = [p for p in pages if any(w in p.name for w in wanted)]
    measure(
        pages,
        requests=args.requests,
        warmup=args.warmup,
        explain_plans=not args.no_explain,
        whole=args.verbose_plans,
    )


if __name__ == "__main__":
    main()
