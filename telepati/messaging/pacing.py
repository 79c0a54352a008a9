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
itself lies between waking up and sending. Delivery takes them for a whole batch at once:
`sender_slots_take` reserves k consecutive slots in the same single statement, and
`recipient_gates_try` passes the gates of the batch's distinct recipients in one multi-row
statement (plus one SELECT when some gate is closed).

Both intervals carry a 4 % margin (`MARGIN`): Meta counts arrivals, and the network adds
jitter between our start and their count. Delivery drops a slot it missed by more than half
the margin (of a second) instead of sending late, so our own starts never put more than
rate × 1.02 / 1.04 into any second; the other half is for the network. (5 % capped the
achieved rate at 95.2 % of the configured one; 4 % lets a batch reach 95-96 %.) Going over
is not fatal either: Meta answers 130429 and delivery backs off and retries.

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
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import connection

from telepati.messaging.models import PaceSlot

MARGIN = 1.04
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
    return sender_slots_take(key=key, interval=interval, count=1)


def sender_slots_take(*, key: str, interval: int, count: int) -> float:
    """Reserve the next `count` consecutive send slots of `key`, `interval` apart, in one
    statement; return the first as epoch seconds (the others follow it at `interval`).

    A batch takes its slots at once so that pacing costs one statement per batch, not one
    per message; the slots are still one interval apart, so the rate holds as before.
    """
    if count < 1:
        raise ValueError("count must be at least 1")
    now = _now_us()
    span = interval * count
    table, key_column = _names()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({key_column}, next_at_us) VALUES (%s, %s) "  # noqa: S608
            f"ON CONFLICT ({key_column}) DO UPDATE SET next_at_us = "
            f"(CASE WHEN {table}.next_at_us > %s THEN {table}.next_at_us ELSE %s END) + %s "
            "RETURNING next_at_us",
            [key, now + span, now, now, span],
        )
        (next_at,) = cursor.fetchone()
    return float((next_at - span) / _US)


@dataclass(frozen=True, slots=True)
class Gate:
    """The answer of `recipient_gate_try`: passed, or when to try again (epoch seconds)."""

    passed: bool
    retry_at: float = 0.0


def recipient_gate_try(*, key: str, interval: int, at: float | None = None) -> Gate:
    """Pass the gate of `key` for a send at `at` (epoch seconds, default now) if it is open
    by then, closing it until `interval` after that moment."""
    moment = at if at is not None else _now_us() / _US
    return recipient_gates_try(moments={key: moment}, interval=interval)[key]


def recipient_gates_try(*, moments: Mapping[str, float], interval: int) -> dict[str, Gate]:
    """`recipient_gate_try` for several distinct keys at once, each for its own moment
    (epoch seconds): one multi-row INSERT … ON CONFLICT … RETURNING for all of them, and one
    SELECT only when some gate is closed (to tell when it opens).

    The keys must be distinct — PostgreSQL refuses an ON CONFLICT DO UPDATE that touches one
    row twice in a statement — which `moments` being a mapping guarantees. Each gate opens
    only if its stored moment is not after the key's own moment (`excluded.next_at_us` −
    `interval`).
    """
    if not moments:
        return {}
    at_us = {key: int(moment * _US) for key, moment in moments.items()}
    table, key_column = _names()
    rows = ", ".join(["(%s, %s)"] * len(at_us))
    params: list[str | int] = []
    for key, moment_us in at_us.items():
        params += [key, moment_us + interval]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({key_column}, next_at_us) VALUES {rows} "  # noqa: S608
            f"ON CONFLICT ({key_column}) DO UPDATE SET next_at_us = excluded.next_at_us "
            f"WHERE {table}.next_at_us <= excluded.next_at_us - %s RETURNING {key_column}",
            [*params, interval],
        )
        passed = {row[0] for row in cursor.fetchall()}
        closed = [key for key in at_us if key not in passed]
        stored: dict[str, int] = {}
        if closed:
            marks = ", ".join(["%s"] * len(closed))
            cursor.execute(
                f"SELECT {key_column}, next_at_us FROM {table} "  # noqa: S608
                f"WHERE {key_column} IN ({marks})",
                closed,
            )
            stored = dict(cursor.fetchall())
    gates = {key: Gate(passed=True) for key in passed}
    for key in closed:
        gates[key] = Gate(passed=False, retry_at=stored.get(key, at_us[key]) / _US)
    return gates


def pace_slots_prune(*, older_than_seconds: float) -> int:
    """Forget recipient gates that closed long ago (one row per recipient otherwise stays)."""
    cutoff = _now_us() - int(older_than_seconds * _US)
    deleted, _ = PaceSlot.objects.filter(key__startswith="to:", next_at_us__lt=cutoff).delete()
    return deleted
