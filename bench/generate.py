"""Fill a benchmark database with N reports (default 1,000,000), their events and dispositions.

    .venv/bin/python bench/generate.py --database sqlite|postgresql [--reports N] [--seed S]

The database is the benchmark one (`bench.database`), recreated from scratch: migrations,
reference data (the 7 kelurahan of Medan Amplas, units, categories, holidays) and the demo
officer accounts, then bulk rows written straight to the tables — COPY on PostgreSQL,
`executemany` in large batches with durability PRAGMAs off on SQLite — with the secondary
indexes dropped during the load and rebuilt after it, then ANALYZE. Rows are consistent with
the lifecycle (timestamps in order, deadlines, breach marks, merged rows point at an older
report, rejected rows have a reason) but are not made by the services: this is about volume.

Distribution (deterministic for a seed): submissions over the last two years, growing ~3×
from the first month to the last, mostly in waking hours; kelurahan, categories and
channels weighted; 8 % anonim, 4 % rahasia, 60 % with a map point; one citizen for every
four reports, some reporting often; status by age (young reports early in the lifecycle,
old ones mostly closed, ~2 % of old ones still open: the backlog); dispositions for
everything forwarded (10 % to two units); 2–5 events per report (submitted, verified,
forwarded, resolved/rejected/merged). Deadlines use calendar-day approximations of the
working-day targets (×1.4), which is enough for the queries to see realistic spreads.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import random
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.database import VENDORS, configure

BATCH = 50_000
# No journal, no syncs, a big page cache: a crash mid-load just means running it again.
SQLITE_LOAD_PRAGMAS = (
    "journal_mode=OFF",
    "synchronous=OFF",
    "cache_size=-1000000",
    "temp_store=MEMORY",
    "foreign_keys=OFF",
    "locking_mode=EXCLUSIVE",
)
DAYS = 730
TABLES = ("reports_report", "reports_reportevent", "reports_disposition", "citizens_citizen")

STREETS = (
    "Jl. Sisingamangaraja", "Jl. Garu I", "Jl. Garu II", "Jl. Garu III", "Jl. Bajak II",
    "Jl. Bajak V", "Jl. Marindal", "Jl. Panglima Denai", "Jl. Pertahanan", "Jl. Selamat",
    "Jl. Luku I", "Jl. Karya Tani", "Jl. Stasiun", "Jl. Amaliun", "Jl. Timbang Deli",
    "Jl. Harjosari", "Jl. Sitirejo", "Jl. Bangun Mulia", "Gg. Mawar", "Gg. Melati",
)  # fmt: skip
PROBLEMS = (
    "lampu jalan mati", "sampah menumpuk", "drainase tersumbat", "jalan berlubang",
    "banjir setiap hujan", "pohon tumbang", "parit meluap", "kabel menjuntai",
    "pungutan liar", "bau tidak sedap", "trotoar rusak", "anjing liar berkeliaran",
    "kebisingan malam hari", "air PDAM tidak mengalir", "jembatan retak",
    "parkir liar menutup jalan", "pembakaran sampah", "genangan air",
)  # fmt: skip
DETAILS = (
    "sudah {n} hari belum ada perbaikan", "dekat sekolah dasar", "depan masjid",
    "di ujung gang", "samping pasar", "warga sudah gotong royong tapi belum selesai",
    "mohon segera ditindaklanjuti", "sangat mengganggu pengendara", "anak-anak lewat setiap pagi",
    "sudah pernah dilaporkan ke kepling", "terjadi lagi minggu ini", "membahayakan pejalan kaki",
)  # fmt: skip
FIRST_NAMES = (
    "Budi", "Siti", "Ahmad", "Rina", "Dedi", "Putri", "Rudi", "Nur", "Hendra", "Sri",
    "Agus", "Dewi", "Fajar", "Lestari", "Yusuf", "Maya", "Rizki", "Intan", "Bambang", "Tika",
)  # fmt: skip
LAST_NAMES = (
    "Siregar", "Nasution", "Lubis", "Harahap", "Sitorus", "Simanjuntak", "Ginting",
    "Tarigan", "Hasibuan", "Pohan", "Daulay", "Saragih", "Sembiring", "Rangkuti",
)  # fmt: skip

CHANNELS = (("whatsapp", 70), ("web", 15), ("counter", 8), ("phone", 5), ("api", 2))
CLASSIFICATIONS = (("complaint", 85), ("aspiration", 10), ("information", 5))
PRIORITIES = (("normal", 80), ("low", 8), ("high", 10), ("urgent", 2))
# Status shares by age band (days): young reports early in the lifecycle, old ones closed.
STATUS_BY_AGE: tuple[tuple[int, tuple[tuple[str, float], ...]], ...] = (
    (3, (("new", 45), ("on_hold", 5), ("verified", 18), ("forwarded", 22), ("in_progress", 5),
         ("rejected", 3), ("merged", 2))),
    (14, (("new", 4), ("on_hold", 3), ("verified", 6), ("forwarded", 18), ("in_progress", 34),
          ("resolved", 22), ("closed", 5), ("rejected", 5), ("merged", 3))),
    (60, (("new", 0.5), ("on_hold", 0.5), ("verified", 1), ("forwarded", 3), ("in_progress", 12),
          ("resolved", 3), ("closed", 68), ("rejected", 8), ("merged", 4))),
    (10_000, (("new", 0.1), ("on_hold", 0.1), ("verified", 0.2), ("forwarded", 0.5),
              ("in_progress", 1.1), ("closed", 86), ("rejected", 8), ("merged", 4))),
)  # fmt: skip
REACHES = {  # how far along the main path each status got
    "new": 0, "on_hold": 0, "rejected": 0, "merged": 0, "verified": 1, "forwarded": 2,
    "in_progress": 3, "resolved": 4, "closed": 5,
}  # fmt: skip
DAY = timedelta(days=1)


class Picker:
    """Weighted choice with the cumulative weights computed once (random.choices redoes it)."""

    def __init__(self, items: Sequence[Any], weights: Sequence[float]) -> None:
        self.items = list(items)
        self.cumulative = list(itertools.accumulate(weights))
        self.total = self.cumulative[-1]

    @classmethod
    def of(cls, pairs: Sequence[tuple[Any, float]]) -> Picker:
        return cls([p[0] for p in pairs], [p[1] for p in pairs])

    def __call__(self, rng: random.Random) -> Any:
        return self.items[bisect.bisect(self.cumulative, rng.random() * self.total)]


def pick_one(rng: random.Random, items: Sequence[Any]) -> Any:
    return items[int(rng.random() * len(items))]


HOURS = Picker(range(24), [1, 1, 1, 1, 1, 2, 4, 7, 9, 9, 9, 8, 7, 7, 8, 8, 8, 7, 7, 7, 6, 4, 2, 1])
CHANNEL = Picker.of(CHANNELS)
CLASSIFICATION = Picker.of(CLASSIFICATIONS)
PRIORITY = Picker.of(PRIORITIES)
STATUS = [(limit, Picker.of(shares)) for limit, shares in STATUS_BY_AGE]
RATING = Picker((1, 2, 3, 4, 5), (4, 6, 15, 40, 35))


@dataclass(frozen=True)
class Reference:
    kecamatan_id: int
    kelurahan: list[tuple[int, float]]  # (id, weight)
    categories: list[tuple[int, float, int, int, int, int | None]]  # id, weight, slas, unit
    kelurahan_offices: dict[int, int]  # kelurahan id → unit id
    units: list[int]
    operator_id: int
    first_report_id: int
    first_event_id: int
    first_disposition_id: int
    first_citizen_id: int


def reference_load() -> Reference:
    from django.db.models import Max

    from telepati.accounts.models import User
    from telepati.citizens.models import Citizen
    from telepati.org.models import Kecamatan, Kelurahan, Unit, UnitKind
    from telepati.reports.models import Category, Disposition, Report, ReportEvent

    kecamatan = Kecamatan.objects.get(code="medan-amplas")
    kelurahan = list(Kelurahan.objects.filter(kecamatan=kecamatan).order_by("pk"))
    rng = random.Random(7)
    offices = dict(
        Unit.objects.filter(kind=UnitKind.KELURAHAN_OFFICE, kelurahan__in=kelurahan).values_list(
            "kelurahan_id", "pk"
        )
    )
    categories = list(Category.objects.filter(is_active=True).order_by("sort_order", "pk"))

    def top(model: Any) -> int:
        return int(model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1

    return Reference(
        kecamatan_id=kecamatan.pk,
        kelurahan=[(k.pk, rng.uniform(0.6, 1.6)) for k in kelurahan],
        categories=[
            (
                c.pk,
                1.0 / (rank + 1) ** 0.8,
                c.sla_verification_days,
                c.sla_first_response_days,
                c.sla_resolution_days,
                c.default_unit_id,
            )
            for rank, c in enumerate(categories)
        ],
        kelurahan_offices=offices,
        units=list(
            Unit.objects.filter(is_active=True)
            .exclude(kind=UnitKind.KELURAHAN_OFFICE)
            .values_list("pk", flat=True)
        ),
        operator_id=User.objects.get(username="operator").pk,
        first_report_id=top(Report),
        first_event_id=top(ReportEvent),
        first_disposition_id=top(Disposition),
        first_citizen_id=top(Citizen),
    )


# --- Rows --------------------------------------------------------------------------------


class Rows:
    """Builds the rows of every table, batch by batch, from one seeded generator."""

    def __init__(self, *, ref: Reference, reports: int, seed: int, now: datetime) -> None:
        self.ref, self.total, self.now = ref, reports, now
        self.rng = random.Random(seed)
        self.citizens = max(1, reports // 4)
        self.event_id = ref.first_event_id
        self.disposition_id = ref.first_disposition_id
        self.tracking: dict[str, int] = {}
        self.periods: dict[tuple[int, int], str] = {}
        self.kelurahan = Picker.of(ref.kelurahan)
        self.category = Picker(ref.categories, [c[1] for c in ref.categories])

    def citizen_rows(self) -> Iterator[list[tuple[Any, ...]]]:
        batch: list[tuple[Any, ...]] = []
        start = self.ref.first_citizen_id
        created = self.now - timedelta(days=DAYS + 1)
        for offset in range(self.citizens):
            rng = self.rng
            name = f"{pick_one(rng, FIRST_NAMES)} {pick_one(rng, LAST_NAMES)}"
            batch.append((start + offset, name, f"+62812{offset:09d}", None, "", created, created))
            if len(batch) >= BATCH:
                yield batch
                batch = []
        if batch:
            yield batch

    def submitted_at(self) -> datetime:
        # Volume grows ~3x over the two years: density ∝ (1 + 2x) on x ∈ [0, 1].
        x = ((1 + 8 * self.rng.random()) ** 0.5 - 1) / 2
        day = self.now - timedelta(days=DAYS * (1 - x))
        hour = HOURS(self.rng)
        moment = day.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(
            hours=hour - 7, seconds=int(self.rng.random() * 3600)
        )  # hours are WIB (UTC+7)
        return min(moment, self.now - timedelta(seconds=60 + int(self.rng.random() * 3600)))

    def report_batches(
        self,
    ) -> Iterator[tuple[list[dict[str, Any]], list[tuple[Any, ...]], list[tuple[Any, ...]]]]:
        """(reports, events, dispositions) per batch, reports in submission order."""
        moments = sorted(self.submitted_at() for _ in range(self.total))
        ref = self.ref
        reports: list[dict[str, Any]] = []
        events: list[tuple[Any, ...]] = []
        dispositions: list[tuple[Any, ...]] = []
        for index, submitted in enumerate(moments):
            pk = ref.first_report_id + index
            row = self.report(pk, submitted)
            reports.append(row)
            self.children(row, events, dispositions)
            if len(reports) >= BATCH:
                yield reports, events, dispositions
                reports, events, dispositions = [], [], []
        if reports:
            yield reports, events, dispositions

    def tracking_number(self, submitted: datetime) -> str:
        local = submitted + timedelta(hours=7)
        key = (local.year, local.month)
        period = self.periods.get(key) or self.periods.setdefault(
            key, f"{local.year % 100:02d}{local.month:02d}"
        )
        number = self.tracking.get(period, 0) + 1
        self.tracking[period] = number
        return f"L{period}-{number:04d}"

    def report(self, pk: int, submitted: datetime) -> dict[str, Any]:
        rng, now = self.rng, self.now
        age = (now - submitted) / DAY
        status = next(pick for limit, pick in STATUS if age < limit)(rng)
        cat_id, _, sla_v, sla_r, sla_s, default_unit = self.category(rng)
        kelurahan_id = self.kelurahan(rng) if rng.random() > 0.03 else None
        problem = pick_one(rng, PROBLEMS)
        street = pick_one(rng, STREETS)
        description = (
            f"{problem.capitalize()} di {street} no. {1 + int(rng.random() * 250)}, "
            f"{pick_one(rng, DETAILS).format(n=2 + int(rng.random() * 29))}. "
            f"{pick_one(rng, DETAILS).format(n=2 + int(rng.random() * 29)).capitalize()}."
        )
        located = rng.random() < 0.6
        reach = REACHES[status]
        row: dict[str, Any] = {
            "id": pk,
            "tracking_number": self.tracking_number(submitted),
            "kecamatan_id": self.ref.kecamatan_id,
            "kelurahan_id": kelurahan_id,
            "category_id": cat_id,
            "classification": CLASSIFICATION(rng),
            "channel": CHANNEL(rng),
            "priority": PRIORITY(rng),
            "title": f"{problem.capitalize()} di {street}"[:150],
            "description": description,
            "reporter_id": self.ref.first_citizen_id + int(self.citizens * rng.random() ** 1.5),
            "is_anonymous": rng.random() < 0.08,
            "is_confidential": rng.random() < 0.04,
            "latitude": round(3.525 + rng.random() * 0.04, 6) if located else None,
            "longitude": round(98.695 + rng.random() * 0.05, 6) if located else None,
            "address": f"{street} no. {1 + int(rng.random() * 250)}" if rng.random() < 0.7 else "",
            "status": status,
            "version": 1 + reach + (status in ("rejected", "merged")),
            "submitted_at": submitted,
            "created_at": submitted,
            "verification_due_at": submitted + sla_v * 1.4 * DAY,
            "default_unit": default_unit,
        }
        if status == "on_hold":
            row["hold_reason"] = "Mohon kirim foto lokasi yang lebih jelas."
        if status == "rejected":
            row["rejection_reason"] = "Bukan kewenangan kecamatan."
        if status == "merged":
            row["merged_into_id"] = max(
                self.ref.first_report_id, pk - (1 + int(rng.random() * 500))
            )
        step = submitted
        cap = now - timedelta(minutes=5)

        def after(days_low: float, days_high: float) -> datetime:
            nonlocal step
            step = min(step + rng.uniform(days_low, days_high) * DAY, cap)
            return step

        if status in ("rejected", "merged") or reach >= 1:
            verified = after(0.05, 4.5)
            if reach >= 1:
                row["verified_at"] = verified
                row["resolution_due_at"] = verified + sla_s * 1.4 * DAY
            row["end_at"] = verified
        if reach >= 2:
            forwarded = after(0.05, 2.0)
            row["forwarded_at"] = forwarded
            row["response_due_at"] = forwarded + sla_r * 1.4 * DAY
        if reach >= 3:
            row["first_response_at"] = after(0.1, 8.0)
        if reach >= 4:
            row["resolved_at"] = after(0.5, sla_s * 1.6)
            row["dispute_until"] = row["resolved_at"] + 7 * DAY
        if reach >= 5:
            row["closed_at"] = min(row["dispute_until"], cap)
            if rng.random() < 0.4:
                row["rating"] = RATING(rng)
                row["rated_at"] = min(row["resolved_at"] + rng.uniform(0.1, 5) * DAY, cap)
        for due, done, mark in (
            ("verification_due_at", "verified_at", "verification_breached_at"),
            ("response_due_at", "first_response_at", "response_breached_at"),
            ("resolution_due_at", "resolved_at", "resolution_breached_at"),
        ):
            deadline = row.get(due)
            finished = row.get(done) or (row.get("end_at") if done == "verified_at" else None)
            if deadline is not None and deadline < (finished or now):
                row[mark] = deadline + timedelta(minutes=15)
        row["updated_at"] = max(step, row.get("rated_at") or step)
        return row

    def children(
        self,
        row: dict[str, Any],
        events: list[tuple[Any, ...]],
        dispositions: list[tuple[Any, ...]],
    ) -> None:
        rng, status, pk = self.rng, row["status"], row["id"]

        def event(
            kind: str, action: str, old: str, new: str, at: datetime, public: bool, message: str
        ) -> None:
            events.append(
                (self.event_id, pk, kind, action, old, new, None, None, None, public, message,
                 "{}", at)
            )  # fmt: skip
            self.event_id += 1

        event("submitted", "", "", "new", row["submitted_at"], True, "")
        if status == "rejected":
            event("transition", "reject", "new", "rejected", row["end_at"], True,
                  row["rejection_reason"])  # fmt: skip
        elif status == "merged":
            event("transition", "merge", "new", "merged", row["end_at"], True, "")
        if "verified_at" in row:
            event("transition", "verify", "new", "verified", row["verified_at"], True, "")
        if "forwarded_at" in row:
            kelurahan_office = self.ref.kelurahan_offices.get(row["kelurahan_id"] or 0)
            first = row["default_unit"] or kelurahan_office or pick_one(rng, self.ref.units)
            units = [first]
            if rng.random() < 0.1:
                second = kelurahan_office or pick_one(rng, self.ref.units)
                if second != first:
                    units.append(second)
            event("disposition", "forward", "verified", "forwarded", row["forwarded_at"], True,
                  "Diteruskan ke unit terkait.")  # fmt: skip
            for unit in units:
                self.disposition(row, unit, dispositions)
        if "resolved_at" in row:
            event("transition", "resolve", "in_progress", "resolved", row["resolved_at"], True,
                  "Sudah diperbaiki oleh petugas.")  # fmt: skip

    def disposition(self, row: dict[str, Any], unit: int, out: list[tuple[Any, ...]]) -> None:
        status = row["status"]
        forwarded = row["forwarded_at"]
        due = row["response_due_at"] + 5 * DAY
        done_at = row.get("resolved_at")
        if done_at is not None:
            state = "done"
        elif status == "in_progress":
            state = "in_progress"
        else:
            state = self.rng.choice(("pending", "acknowledged"))
        acknowledged = forwarded + timedelta(hours=6) if state != "pending" else None
        first = row.get("first_response_at")
        breached = due + timedelta(minutes=15) if due < (done_at or self.now) else None
        out.append(
            (self.disposition_id, row["id"], unit, "", state, due, self.ref.operator_id,
             forwarded, acknowledged, first, done_at, None, "", breached)
        )  # fmt: skip
        self.disposition_id += 1


REPORT_DEFAULTS: dict[str, Any] = {
    "submission_key": None,
    "entered_by_id": None,
    "api_client_id": None,
    "lingkungan_id": None,
    "answers": "{}",
    "assigned_to_id": None,
    "merged_into_id": None,
    "rejection_reason": "",
    "hold_reason": "",
    "external_ref": "",
    "rating_comment": "",
    "breached": False,  # computed after the load (report_breached_backfill)
}
EVENT_COLUMNS = (
    "id", "report_id", "kind", "action", "from_status", "to_status", "actor_id",
    "actor_citizen_id", "unit_id", "is_public", "message", "data", "created_at",
)  # fmt: skip
DISPOSITION_COLUMNS = (
    "id", "report_id", "unit_id", "instruction", "status", "due_at", "forwarded_by_id",
    "forwarded_at", "acknowledged_at", "first_response_at", "done_at", "returned_at",
    "return_reason", "breached_at",
)  # fmt: skip
CITIZEN_COLUMNS = ("id", "name", "phone", "wa_bsuid", "email", "created_at", "updated_at")


def report_columns() -> list[str]:
    from telepati.reports.models import Report

    return [field.column for field in Report._meta.concrete_fields]


# --- Writers -----------------------------------------------------------------------------


class Writer:
    """Writes rows into one vendor's tables, fast."""

    def __init__(self) -> None:
        from django.db import connection

        self.connection = connection
        self.vendor = connection.vendor
        self.saved_indexes: list[tuple[str, str]] = []

    def _naive(self, value: Any) -> Any:
        if isinstance(value, datetime):
            return str(value.astimezone(UTC).replace(tzinfo=None))
        return value

    def prepare(self) -> None:
        cursor = self.connection.cursor()
        if self.vendor == "sqlite":
            for pragma in SQLITE_LOAD_PRAGMAS:
                cursor.execute(f"PRAGMA {pragma}")
            for table in TABLES:
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                    "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%'",
                    [table],
                )
                self.saved_indexes += cursor.fetchall()
        else:
            for table in TABLES:
                cursor.execute(
                    "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s "
                    "AND i.indexdef NOT LIKE 'CREATE UNIQUE%%' AND NOT EXISTS "
                    "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
                    [table],
                )
                self.saved_indexes += cursor.fetchall()
        for name, _sql in self.saved_indexes:
            cursor.execute(f'DROP INDEX "{name}"')

    def write(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        if self.vendor == "sqlite":
            marks = ", ".join("?" for _ in columns)
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
            raw = self.connection.connection
            raw.executemany(sql, [[self._naive(v) for v in row] for row in rows])
            return
        with self.connection.cursor() as cursor:
            copy_sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            with cursor.cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)

    def finish(self) -> None:
        cursor = self.connection.cursor()
        for name, sql in self.saved_indexes:
            started = time.monotonic()
            cursor.execute(sql)
            print(f"  index {name}: {time.monotonic() - started:.1f} s", flush=True)
        if self.vendor == "postgresql":
            for table in TABLES:  # constants: the tables this script fills
                sequence = f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                cursor.execute(f"{sequence}(SELECT max(id) FROM {table}))")  # noqa: S608
            self.connection.set_autocommit(True)
            cursor = self.connection.cursor()
            cursor.execute("VACUUM (ANALYZE)")
        else:
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")


def tracking_counters_set(counters: dict[str, int]) -> None:
    """Let the next real report of each month continue after the generated ones."""
    from telepati.core.models import SequenceCounter

    for period, last in counters.items():
        SequenceCounter.objects.update_or_create(
            prefix="L", period=period, defaults={"value": last}
        )


def setup_schema() -> None:
    from django.core.management import call_command

    from telepati.demo.loaders import DemoContext, demo_accounts_load, demo_lingkungan_load
    from telepati.demo.reference import reference_seed

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    reference_seed()
    context = DemoContext()
    demo_accounts_load(context)
    demo_lingkungan_load(context)


def generate(*, reports: int, seed: int) -> dict[str, int]:
    from django.db import transaction
    from django.utils import timezone

    ref = reference_load()
    rows = Rows(ref=ref, reports=reports, seed=seed, now=timezone.now())
    writer = Writer()
    columns = report_columns()
    counts = {"citizens": 0, "reports": 0, "events": 0, "dispositions": 0}
    writer.prepare()
    for batch in rows.citizen_rows():
        with transaction.atomic():
            writer.write("citizens_citizen", CITIZEN_COLUMNS, batch)
        counts["citizens"] += len(batch)
    started = time.monotonic()
    for report_rows, events, dispositions in rows.report_batches():
        full = [[r.get(c, REPORT_DEFAULTS.get(c)) for c in columns] for r in report_rows]
        with transaction.atomic():
            writer.write("reports_report", columns, full)
            writer.write("reports_reportevent", EVENT_COLUMNS, events)
            writer.write("reports_disposition", DISPOSITION_COLUMNS, dispositions)
        counts["reports"] += len(report_rows)
        counts["events"] += len(events)
        counts["dispositions"] += len(dispositions)
        rate = counts["reports"] / (time.monotonic() - started)
        print(f"  {counts['reports']:>9,} reports ({rate:,.0f}/s)", flush=True)
    tracking_counters_set(rows.tracking)
    # Rows written straight to the tables: the stored "breached" flag is computed as the
    # SLA sweep would (before the indexes are rebuilt, so the UPDATE does not maintain them).
    from telepati.reports.services.sla import report_breached_backfill

    flagged, _cleared = report_breached_backfill()
    print(f"  breached flag set on {flagged:,} reports", flush=True)
    print("  rebuilding indexes", flush=True)
    writer.finish()
    return counts


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=VENDORS, required=True)
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2611)
    args = parser.parse_args(argv)
    started = time.monotonic()
    url = configure(args.database, fresh=True)
    print(f"Benchmark database: {url}", flush=True)
    setup_schema()
    print(f"  schema and reference data: {time.monotonic() - started:.1f} s", flush=True)
    counts = generate(reports=args.reports, seed=args.seed)
    elapsed = time.monotonic() - started
    summary = ", ".join(f"{n:,} {name}" for name, n in counts.items())
    print(f"Generated {summary} in {elapsed:.0f} s ({elapsed / 60:.1f} min).")


if __name__ == "__main__":
    main()
