"""Delivery tasks: thin wrappers that load by id and call the delivery services.

New outbox rows are queued on commit (`messaging.services.message_enqueue`) through
`deliveries_enqueue`: the rows one transaction created go out as one `deliver_messages` job
per TELEPATI_OUTBOX_BATCH ids (a lone row as one `deliver_message` job), because each job
costs the task queue several statements and two commits. When delivery asks to be tried
again later (backoff, pacing), the rows are queued again for that moment if the task
backend can defer jobs; otherwise — and whenever a job is lost — `outbox_sweep_task`
(periodic, see TELEPATI_PERIODIC_TASKS) queues the rows whose time has come, in batches too.

A duplicate job costs nothing but its claim: delivery only ever takes rows that are queued
and due, so an id that was already sent, or never committed, is skipped.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import datetime

from django_tasks import task
from django_tasks.base import Task

from telepati.messaging.delivery import (
    DeliveryOutcome,
    message_deliver,
    messages_deliver,
    outbox_batch_size,
)
from telepati.messaging.recovery import outbox_sweep

logger = logging.getLogger(__name__)


@task()
def deliver_message(*, message_id: int) -> str:
    """Deliver one outbox row; returns what happened (sent, retry, deferred, failed, skipped)."""
    outcome = message_deliver(message_id=message_id)
    if outcome.retry_at is not None and deliver_message.get_backend().supports_defer:
        try:
            deliver_message.using(run_after=outcome.retry_at).enqueue(message_id=message_id)
        except Exception:  # the sweep picks the row up anyway
            logger.exception("Could not queue the next attempt of outbox message %s", message_id)
    return str(outcome.outcome)


@task()
def deliver_messages(*, message_ids: list[int]) -> dict[str, int]:
    """Deliver a batch of outbox rows; returns how many ended in each outcome."""
    outcomes = messages_deliver(message_ids=message_ids)
    if deliver_messages.get_backend().supports_defer:
        _later(outcomes)
    return dict(Counter(str(outcome.outcome) for outcome in outcomes.values()))


def _later(outcomes: dict[int, DeliveryOutcome]) -> None:
    """Queue the rows that asked for a later attempt, grouped by the second they are due
    (a job runs at the latest moment of its group, when all of its rows are due)."""
    groups: dict[int, list[tuple[int, datetime]]] = defaultdict(list)
    for message_id, outcome in outcomes.items():
        if outcome.retry_at is not None:
            groups[int(outcome.retry_at.timestamp())].append((message_id, outcome.retry_at))
    for group in groups.values():
        deliveries_enqueue(
            [message_id for message_id, _at in group], run_after=max(at for _id, at in group)
        )


def deliveries_enqueue(message_ids: Sequence[int], *, run_after: datetime | None = None) -> int:
    """Queue delivery jobs for these rows, TELEPATI_OUTBOX_BATCH ids per job; returns how many
    ids were queued. Never raises: a queue that refuses is logged, the sweep finds the rows.

    While `deliver_message` is replaced by something that is not a task — the demo loader
    and tests replace it to hold delivery back — every id goes through the replacement, one
    by one, so holding it back still holds back every delivery.
    """
    ids = list(dict.fromkeys(message_ids))
    single = deliver_message
    queued = 0
    try:
        if not isinstance(single, Task):
            for message_id in ids:
                single.enqueue(message_id=message_id)
                queued += 1
            return queued
        size = outbox_batch_size()
        for start in range(0, len(ids), size):
            chunk = ids[start : start + size]
            if len(chunk) == 1:
                job = single if run_after is None else single.using(run_after=run_after)
                job.enqueue(message_id=chunk[0])
            else:
                many = deliver_messages
                if run_after is not None:
                    many = many.using(run_after=run_after)
                many.enqueue(message_ids=chunk)
            queued += len(chunk)
    except Exception:  # the rows stay queued; the sweep queues them again
        logger.exception("Could not queue delivery of %s outbox message(s)", len(ids) - queued)
    return queued


@task()
def outbox_sweep_task() -> int:
    """Fail rows stuck in sending, queue due rows again; returns how many were queued."""
    result = outbox_sweep()
    return deliveries_enqueue(result.due)
