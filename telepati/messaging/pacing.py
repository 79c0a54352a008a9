"""Pacing of outbound messages, shared by every worker process through the database.

Two limits of the WhatsApp Cloud API apply to the outbox: a business number may send at
most WHATSAPP_RATE_PER_SECOND messages per second (80 by default), and one recipient may
get at most about one message per second (error 131056, "pair rate limit"). Deliveries run
in several worker processes, so an in-process limiter cannot hold either limit.

How: one `PaceSlot` row per key ("sender:<number id>", "to:<recipient>") holds the earliest
moment (microseconds since the epoch) the next message may start. One statement — an
INSERT … ON CONFLICT DO UPDATE … RETURNING, the same SQL on PostgreSQL and SQLite ≥ 3.35 —
both reads and moves it, so two processes can never be handed the same moment:

- `sender_slot_take` (virtual scheduling, as in GCRA): my slot = max(stored, now); the stored
  value becomes my slot + interval. The caller sleeps until its slot. Slots are handed out
  one interval apart, so no window of one second holds more than `rate` starts.
- `recipient_gate_try(at=slot)`: succeeds only when the stored moment is not after the
  sender slot and then sets it to slot + interval; otherwise it tells when to try again,
  and delivery postpones the row (`next_attempt_at`) instead of sleeping.

Both statements run before the worker sleeps until its slot, so nothing but the request
itself lies between waking up and sending.

Both intervals carry a 5 % margin (`MARGIN`): Meta counts arrivals, and the network adds
jitter between our start and their count.

Why not a rate-limiting library: pyrate-limiter's multi-process buckets were considered.
Its PostgresBucket needs a separate psycopg_pool connection pool beside Django's
connections, creates its own tables at run time outside migrations and inserts a row per
message (plus a table lock taken with NOWAIT that turns contention into refusals); its
SQLite bucket lives in a separate file with a file lock. TELEPATI runs on SQLite in
development and PostgreSQL in production through one Django connection; one row per key
updated by one statement keeps the state in the application database, inside its
migrations and its test isolation, for both engines, in about forty lines.

The clock is the worker's (`time.time()`); workers of one deployment share a host or NTP.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.db import connection

from telepati.messaging.models import PaceSlot

MARGIN = 1.05
_US = 1_000_000


def _names() -> tuple[str, str]:
    quote = connection.ops.quote_name
    return quote(PaceSlot._meta.db_table), quote("key")


def _now_us() -> int:
    return int(time.time() * _US)


def interval_us(*, per_second: float) -> int:
    """Microseconds between two starts at `per_second`, with the jitter margin."""
    return max(1, int(_US * MARGIN / per_second))


def sender_slot_take(*, key: str, interval: int) -> float:
    """Reserve the next send slot of `key`; return it as epoch seconds (may be in the past)."""
    now = _now_us()
    table, key_column = _names()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({key_column}, next_at_us) VALUES (%s, %s) "  # noqa: S608
            f"ON CONFLICT ({key_column}) DO UPDATE SET next_at_us = "
            f"(CASE WHEN {table}.next_at_us > %s THEN {table}.next_at_us ELSE %s END) + %s "
            "RETURNING next_at_us",
            [key, now + interval, now, now, interval],
        )
        (next_at,) = cursor.fetchone()
    return (next_at - interval) / _US


@dataclass(frozen=True, slots=True)
class Gate:
    """The answer of `recipient_gate_try`: passed, or when to try again (epoch seconds)."""

    passed: bool
    retry_at: float = 0.0


def recipient_gate_try(*, key: str, interval: int, at: float | None = None) -> Gate:
    """Pass the gate of `key` for a send at `at` (epoch seconds, default now) if it is open
    by then, closing it until `interval` after that moment."""
    now = int(at * _US) if at is not None else _now_us()
    table, key_column = _names()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({key_column}, next_at_us) VALUES (%s, %s) "  # noqa: S608
            f"ON CONFLICT ({key_column}) DO UPDATE SET next_at_us = excluded.next_at_us "
            f"WHERE {table}.next_at_us <= %s RETURNING next_at_us",
            [key, now + interval, now],
        )
        passed = cursor.fetchone() is not None
        if passed:
            return Gate(passed=True)
        cursor.execute(f"SELECT next_at_us FROM {table} WHERE {key_column} = %s", [key])  # noqa: S608
        row = cursor.fetchone()
    return Gate(passed=False, retry_at=(row[0] if row else now) / _US)


def pace_slots_prune(*, older_than_seconds: float) -> int:
    """Forget recipient gates that closed long ago (one row per recipient otherwise stays)."""
    cutoff = _now_us() - int(older_than_seconds * _US)
    deleted, _ = PaceSlot.objects.filter(key__startswith="to:", next_at_us__lt=cutoff).delete()
    return deleted
