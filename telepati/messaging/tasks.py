"""Delivery tasks: thin wrappers that load by id and call the delivery services.

`deliver_message` is queued on commit for every new outbox row. When delivery asks to be
tried again later (backoff, pacing), it is queued again for that moment if the task backend
can defer jobs; otherwise — and whenever a job is lost — `outbox_sweep_task` (periodic, see
TELEPATI_PERIODIC_TASKS) queues the rows whose time has come.
"""

from __future__ import annotations

import logging

from django_tasks import task

from telepati.messaging.delivery import message_deliver, outbox_sweep

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
def outbox_sweep_task() -> int:
    """Fail rows stuck in sending, queue due rows again; returns how many were queued."""
    result = outbox_sweep()
    queued = 0
    for message_id in result.due:
        try:
            deliver_message.enqueue(message_id=message_id)
        except Exception:
            logger.exception("Could not queue outbox message %s", message_id)
            break
        queued += 1
    return queued
