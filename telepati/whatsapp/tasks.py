"""WhatsApp background tasks: thin wrappers that load by id and call a service.

`webhook_process_many` is written with each group of deliveries the webhook view stores
(one commit, see `services.webhook_delivery_store`); `webhook_process` takes one delivery;
`webhook_resume_sweep` is the periodic safety net for deliveries that were never processed
(queue refused the job, worker died) or failed on an unexpected error. Both are idempotent.
"""

from __future__ import annotations

from django_tasks import task

from telepati.whatsapp.services import (
    webhook_deliveries_process,
    webhook_deliveries_resume,
    webhook_delivery_process,
)


@task()
def webhook_process(*, delivery_id: int) -> str:
    """Process one stored webhook delivery; returns its final status."""
    return str(webhook_delivery_process(delivery_id=delivery_id).status)


@task()
def webhook_process_many(*, delivery_ids: list[int]) -> list[str]:
    """Process stored webhook deliveries in order; returns their final statuses."""
    return [str(d.status) for d in webhook_deliveries_process(delivery_ids=delivery_ids)]


@task()
def webhook_resume_sweep() -> int:
    """Queue again the deliveries left unprocessed; returns how many."""
    return webhook_deliveries_resume()
