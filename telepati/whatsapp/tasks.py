"""WhatsApp background tasks: thin wrappers that load by id and call a service.

`webhook_process` is queued on commit by the webhook view for each stored delivery;
`webhook_resume_sweep` is the periodic safety net for deliveries that were never processed
(queue refused the job, worker died) or failed on an unexpected error. Both are idempotent.
"""

from __future__ import annotations

from django_tasks import task

from telepati.whatsapp.services import webhook_deliveries_resume, webhook_delivery_process


@task()
def webhook_process(*, delivery_id: int) -> str:
    """Process one stored webhook delivery; returns its final status."""
    return str(webhook_delivery_process(delivery_id=delivery_id).status)


@task()
def webhook_resume_sweep() -> int:
    """Queue again the deliveries left unprocessed; returns how many."""
    return webhook_deliveries_resume()
