"""Delivery of outbox rows: queued → sending → sent, or back to queued, or failed.

Delivery works in batches (`messages_deliver`; `message_deliver` is a batch of one), because
the statements around a send, not the send, set the rate: once per message they capped the
outbox at a few dozen messages a second (docs/performance.md, "Outbox pacing"). For a batch:

1. claim: one conditional UPDATE … RETURNING moves the batch's due queued rows to sending
   (`sending_started_at` = now), so two workers never send one row; one SELECT reads them;
2. the transport prepares the batch (WhatsApp: the 24-hour window of all of them, one query);
3. pacing (`telepati.messaging.pacing`): the sender's slots for the whole batch in one
   statement, the recipients' gates in one more; a row whose slot is further away than
   PACE_SLEEP_MAX_SECONDS, whose gate is closed, or whose recipient already has a message
   earlier in the batch, is queued again for that moment instead;
4. sending, outside any transaction: this thread sleeps until each slot and hands the row
   to a small thread pool (TELEPATI_OUTBOX_SEND_THREADS) that calls the transport, so the
   latency of one request does not hold back the next slot; a slot this process missed by
   more than LATE_SECONDS is dropped rather than used late (`_at_their_slots`);
5. the answers: every accepted row marked sent in one UPDATE, each failed row in its own.

The answer decides each row's next state:

- accepted: sent, with the provider id, `sent_at` and one more attempt; the transport then
  catches up on status webhooks that arrived before the id was stored (one query for the
  batch);
- transient error (network, timeout, 5xx, rate limit): queued again with one more attempt and
  `next_attempt_at` = now + exponential backoff with full jitter (5 s base, 15 min cap, never
  sooner than the provider's Retry-After); failed after TELEPATI_OUTBOX_MAX_ATTEMPTS;
- permanent error: failed with its code and text, never retried;
- recipient gate closed: queued again for the moment it opens (no attempt counted).

Nothing is sent twice: a row left in "sending" (the worker died, the outcome is unknown) is
not resent by the sweep but failed as "unknown_outcome" for an operator to look at and
re-queue (`recovery.message_requeue`) if the resident did not get it. A worker killed in the middle
of a batch leaves the batch's unsent rows in "sending" as well, since which of them went out
is unknown: at most TELEPATI_OUTBOX_BATCH rows, against one before. A graceful stop
(SIGTERM) lets the batch finish.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Case, DateTimeField, Value, When
from django.utils import timezone

from telepati.messaging.models import MessageStatus, OutboundMessage
from telepati.messaging.pacing import MARGIN, interval_us, recipient_gates_try, sender_slots_take
from telepati.messaging.transports import (
    Transport,
    transport_get,
    transport_prepare_many,
    transport_sent_many,
)

logger = logging.getLogger(__name__)

BACKOFF_BASE_SECONDS = 5.0
BACKOFF_CAP_SECONDS = 15 * 60.0
# A pacing slot further away than this (a large backlog, a skewed clock) is not slept on:
# the row is postponed to it instead.
PACE_SLEEP_MAX_SECONDS = 5.0
# A send this late after its slot takes a new slot instead (see `_at_their_slots`). Half the
# pacing margin (of a second): late sends within it cannot put more than the rate into any
# second.
LATE_SECONDS = (MARGIN - 1) / 2
UNKNOWN_OUTCOME = "unknown_outcome"


class Outcome(StrEnum):
    SENT = "sent"
    RETRY = "retry"  # transient error: queued again for `retry_at`
    DEFERRED = "deferred"  # pacing: queued again for `retry_at`, no attempt counted
    FAILED = "failed"
    SKIPPED = "skipped"  # not queued, not due, or taken by another worker


@dataclass(frozen=True, slots=True)
class DeliveryOutcome:
    """What one call of `message_deliver` did."""

    outcome: Outcome
    retry_at: datetime | None = None
    provider_message_id: str = ""
    error_code: str = ""


def backoff_seconds(*, attempt: int, retry_after: float | None = None) -> float:
    """Full-jitter exponential backoff after the `attempt`-th failure, at least Retry-After."""
    ceiling = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** max(0, attempt - 1))
    delay = random.uniform(0, ceiling)  # noqa: S311 (jitter, not security)
    if retry_after is not None:
        delay = max(delay, min(retry_after, BACKOFF_CAP_SECONDS))
    return delay


def error_code(exc: BaseException) -> str:
    """A short code for the row: the Graph code, else the HTTP status, else the title."""
    code = getattr(exc, "code", None)
    if code is not None and code != "":
        return str(code)[:40]
    status_code = getattr(exc, "status_code", None)
    if status_code:
        return f"http_{status_code}"
    title = str(getattr(exc, "title", "") or type(exc).__name__)
    return title.strip().lower().replace(" ", "_")[:40]


def outbox_batch_size() -> int:
    """How many rows one delivery job takes (TELEPATI_OUTBOX_BATCH, default 50)."""
    return max(1, int(settings.TELEPATI_OUTBOX_BATCH))


def send_threads() -> int:
    """Threads that send one batch (TELEPATI_OUTBOX_SEND_THREADS, default 8)."""
    return max(1, int(settings.TELEPATI_OUTBOX_SEND_THREADS))


def message_deliver(*, message_id: int) -> DeliveryOutcome:
    """Deliver one queued, due outbox row: a batch of one (`messages_deliver`)."""
    return messages_deliver(message_ids=[message_id])[message_id]


def messages_deliver(*, message_ids: Sequence[int]) -> dict[int, DeliveryOutcome]:
    """Deliver the queued, due rows among `message_ids`; say what became of each id.

    The database work is per batch, not per message (a constant number of statements, plus
    one UPDATE per failed row): the claim, the transport's preparation (the 24-hour
    window), the pacing (the sender's slots, the recipients' gates), the "sent" UPDATE and
    the status catch-up. The sends run from a small thread pool, each at its own slot,
    outside any transaction.
    """
    ids = list(dict.fromkeys(message_ids))
    outcomes = {pk: DeliveryOutcome(Outcome.SKIPPED) for pk in ids}
    messages = _claim(ids)
    if not messages:
        return outcomes
    transport = transport_get()
    # Database work first: nothing but the request lies between a slot and its send.
    errors = transport_prepare_many(transport, messages)
    for message in messages:
        if message.pk in errors:
            outcomes[message.pk] = _failure(message, errors[message.pk])
    ready = [message for message in messages if message.pk not in errors]
    planned, postponed = _pace(ready, transport)
    if postponed:
        _requeue_at(postponed)
        outcomes.update(
            {pk: DeliveryOutcome(Outcome.DEFERRED, retry_at=when) for pk, when in postponed.items()}
        )
    results = _send_all(planned, transport)
    sent: dict[int, str] = {}
    for message, _slot in planned:
        result = results[message.pk]
        if isinstance(result, Exception):
            outcomes[message.pk] = _failure(message, result)
        else:
            sent[message.pk] = result
    if sent:
        _success(sent, transport)
        outcomes.update(
            {
                pk: DeliveryOutcome(Outcome.SENT, provider_message_id=wamid)
                for pk, wamid in sent.items()
            }
        )
    return outcomes


def _claim(ids: list[int]) -> list[OutboundMessage]:
    """Claim the queued, due rows among `ids` (→ sending) in one UPDATE … RETURNING, then
    read them in one SELECT; in the order of `ids`.

    RETURNING (PostgreSQL, SQLite ≥ 3.35) names exactly the rows this UPDATE moved, so a row
    another worker claimed at the same moment is never read as ours.
    """
    if not ids:
        return []
    now = timezone.now()
    quote = connection.ops.quote_name
    at = connection.ops.adapt_datetimefield_value(now)
    table = quote(OutboundMessage._meta.db_table)
    pk, status, started, due = (
        quote(column) for column in ("id", "status", "sending_started_at", "next_attempt_at")
    )
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {status} = %s, {started} = %s "  # noqa: S608
            f"WHERE {pk} IN ({marks}) AND {status} = %s "
            f"AND ({due} IS NULL OR {due} <= %s) RETURNING {pk}",
            [MessageStatus.SENDING.value, at, *ids, MessageStatus.QUEUED.value, at],
        )
        claimed = {row[0] for row in cursor.fetchall()}
    if not claimed:
        return []
    rows = OutboundMessage.objects.order_by().in_bulk(claimed)
    return [rows[pk] for pk in ids if pk in rows]


def _recipient(message: OutboundMessage) -> str:
    return f"to:{message.recipient_phone or message.recipient_wa_bsuid}"


def _pace(
    messages: list[OutboundMessage], transport: Transport
) -> tuple[list[tuple[OutboundMessage, float]], dict[int, datetime]]:
    """Give each message its send slot (epoch seconds), or the moment to try it again.

    The sender's slots for the whole batch come from one statement (consecutive, one
    interval apart); a slot further away than PACE_SLEEP_MAX_SECONDS is not slept on, its
    row is postponed to it. The recipients' gates are passed in one statement for the
    batch's distinct recipients, each for its message's slot; a second message to the same
    recipient in one batch is postponed to the moment the first one's gate opens again,
    as a closed gate postpones a row.
    """
    now = time.time()
    if not messages:
        return [], {}
    if not transport.pacing_key:
        return [(message, now) for message in messages], {}
    slots = [now] * len(messages)
    if transport.rate_per_second > 0:
        interval = interval_us(per_second=transport.rate_per_second)
        first = sender_slots_take(key=transport.pacing_key, interval=interval, count=len(messages))
        slots = [first + n * interval / 1_000_000 for n in range(len(messages))]
    postponed: dict[int, datetime] = {}
    planned: list[tuple[OutboundMessage, float]] = []
    horizon = time.time() + PACE_SLEEP_MAX_SECONDS
    for message, slot in zip(messages, slots, strict=True):
        if slot > horizon:
            postponed[message.pk] = _aware(slot)
        else:
            planned.append((message, slot))
    spacing = settings.WHATSAPP_RECIPIENT_INTERVAL_SECONDS
    if spacing <= 0 or not planned:
        return planned, postponed
    gap = interval_us(per_second=1 / spacing)
    moments: dict[str, float] = {}
    for message, slot in planned:
        moments.setdefault(_recipient(message), slot)
    gates = recipient_gates_try(moments=moments, interval=gap)
    first_of: dict[str, int] = {}
    passed: list[tuple[OutboundMessage, float]] = []
    for message, slot in planned:
        key = _recipient(message)
        gate = gates[key]
        if first_of.setdefault(key, message.pk) != message.pk:
            # The same recipient again in this batch: after the first one's gate opens.
            opens = moments[key] + gap / 1_000_000 if gate.passed else gate.retry_at
            postponed[message.pk] = _aware(opens)
        elif gate.passed:
            passed.append((message, slot))
        else:
            postponed[message.pk] = _aware(gate.retry_at)
    return passed, postponed


def _aware(epoch_seconds: float) -> datetime:
    return datetime.fromtimestamp(epoch_seconds, tz=timezone.get_current_timezone())


def _sleep_until(slot: float) -> None:
    wait = slot - time.time()
    if wait > 0:
        time.sleep(wait)


def _send(transport: Transport, message: OutboundMessage) -> str | Exception:
    """The provider id of the sent message, or the error (every failure is recorded)."""
    try:
        return transport.send(message).provider_message_id
    except Exception as exc:  # every failure is recorded on the row
        return exc


def _at_their_slots(
    ordered: list[tuple[OutboundMessage, float]], transport: Transport
) -> Iterator[OutboundMessage]:
    """Yield each message once its slot has come (sleeping until then), in slot order.

    A slot missed by more than LATE_SECONDS (this process was held up: a loaded CPU, a
    pause) is not used late, because sending at once what was due would put more than the
    rate into one second next to the other workers' punctual sends: it is dropped, and the
    message takes the batch's next slot; the messages left without one take fresh slots
    (one statement). Only the slots that passed while the process was held up are lost.
    """
    slots = deque(slot for _message, slot in ordered)
    paced = bool(transport.pacing_key) and transport.rate_per_second > 0
    for index, (message, _slot) in enumerate(ordered):
        while paced:
            while slots and time.time() - slots[0] > LATE_SECONDS:
                slots.popleft()
            if slots:
                break
            interval = interval_us(per_second=transport.rate_per_second)
            count = len(ordered) - index
            first = sender_slots_take(key=str(transport.pacing_key), interval=interval, count=count)
            slots.extend(first + n * interval / 1_000_000 for n in range(count))
        _sleep_until(slots.popleft())
        yield message


def _send_all(
    planned: list[tuple[OutboundMessage, float]], transport: Transport
) -> dict[int, str | Exception]:
    """Send each planned message at its slot, never before it; with more than one, from a
    small thread pool, so that a request's latency does not cap the rate (the slots do).

    This thread keeps the clock (`_at_their_slots`): it sleeps until each slot and only then
    hands the message to the pool, so a pool thread never decides when to send (and a
    test's frozen clock, which other threads do not see, still rules). The pool threads
    only send: no database work and no transaction (the transport read what it needs in
    `prepare`).
    """
    ordered = sorted(planned, key=lambda item: item[1])
    threads = min(send_threads(), len(ordered))
    if threads <= 1:
        return {
            message.pk: _send(transport, message) for message in _at_their_slots(ordered, transport)
        }
    pool = _send_pool()
    futures = {
        message.pk: pool.submit(_send, transport, message)
        for message in _at_their_slots(ordered, transport)
    }
    return {pk: future.result() for pk, future in futures.items()}


_pools = threading.local()


def _send_pool() -> ThreadPoolExecutor:
    """The delivering thread's own pool of send threads (TELEPATI_OUTBOX_SEND_THREADS), kept
    between batches: starting eight threads for every batch cost more CPU than its
    statements. Own per delivering thread, so that a batch never waits for threads busy
    with another batch's sends (a worker process delivers one batch at a time; tests run
    several in one process). Idle threads only wait; they end with their process."""
    threads = send_threads()
    pool: ThreadPoolExecutor | None = getattr(_pools, "pool", None)
    if pool is None or getattr(_pools, "size", 0) != threads:
        if pool is not None:
            pool.shutdown(wait=False)
        pool = _pools.pool = ThreadPoolExecutor(
            max_workers=threads, thread_name_prefix="outbox-send"
        )
        _pools.size = threads
    return pool


def _requeue_at(postponed: dict[int, datetime]) -> None:
    """Queue postponed rows again for their moments (no attempt counted), in one UPDATE."""
    if not postponed:
        return
    moment: Any = Case(
        *(When(pk=pk, then=Value(when)) for pk, when in postponed.items()),
        output_field=DateTimeField(),
    )
    OutboundMessage.objects.filter(pk__in=list(postponed), status=MessageStatus.SENDING).update(
        status=MessageStatus.QUEUED, next_attempt_at=moment, sending_started_at=None
    )


def _success(sent: dict[int, str], transport: Transport) -> None:
    """Mark the accepted rows sent in one UPDATE, each with its provider id (`sent_at`: when
    the batch's answers are recorded, at most the batch's span after each send); then let
    the transport catch up on early status webhooks for the whole batch.

    Plain SQL with a simple CASE: the ORM's Case(When(pk=…)) built and resolved a filter
    per row, which cost more CPU than the statement itself.
    """
    quote = connection.ops.quote_name
    table = quote(OutboundMessage._meta.db_table)
    pk, status, code = quote("id"), quote("status"), quote("last_error_code")
    whens = " ".join(["WHEN %s THEN %s"] * len(sent))
    marks = ", ".join(["%s"] * len(sent))
    pairs = [value for row in sent.items() for value in row]
    # A row the sweep gave up on while this worker was still waiting did go out after all.
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {status} = %s, {quote('sent_at')} = %s, "  # noqa: S608
            f"{quote('failed_at')} = NULL, {quote('attempts')} = {quote('attempts')} + 1, "
            f"{quote('next_attempt_at')} = NULL, "
            f"{quote('provider_message_id')} = CASE {pk} {whens} END "
            f"WHERE {pk} IN ({marks}) AND ({status} = %s OR ({status} = %s AND {code} = %s))",
            [
                MessageStatus.SENT.value,
                connection.ops.adapt_datetimefield_value(timezone.now()),
                *pairs,
                *sent,
                MessageStatus.SENDING.value,
                MessageStatus.FAILED.value,
                UNKNOWN_OUTCOME,
            ],
        )
    transport_sent_many(transport, list(sent.values()))


def _failure(message: OutboundMessage, exc: Exception) -> DeliveryOutcome:
    code = error_code(exc)
    text = str(exc)[:2000]
    attempts = message.attempts + 1
    now = timezone.now()
    permanent = getattr(exc, "permanent", None)
    if permanent is None:
        # Not a channel error: a bug or our own outage. Whether anything went out is
        # unknown, so it is not retried blindly.
        logger.exception("Transport crashed on outbox message %s", message.pk)
    if permanent is False and attempts < settings.TELEPATI_OUTBOX_MAX_ATTEMPTS:
        retry_after = getattr(exc, "retry_after", None)
        retry_at = now + timedelta(
            seconds=backoff_seconds(attempt=attempts, retry_after=retry_after)
        )
        OutboundMessage.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(
            status=MessageStatus.QUEUED,
            attempts=attempts,
            next_attempt_at=retry_at,
            sending_started_at=None,
            last_error_code=code,
            last_error=text,
        )
        return DeliveryOutcome(Outcome.RETRY, retry_at=retry_at, error_code=code)
    OutboundMessage.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(
        status=MessageStatus.FAILED,
        attempts=attempts,
        next_attempt_at=None,
        failed_at=now,
        last_error_code=code,
        last_error=text,
    )
    return DeliveryOutcome(Outcome.FAILED, error_code=code)
