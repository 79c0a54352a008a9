"""Webhook deliveries: received → processed (possibly with problems) | failed | ignored.

`webhook_delivery_store` is all the webhook view does after the signature check: one INSERT
of the raw body and its processing job, in one commit shared with the deliveries arriving at
the same moment (after commit for a queue outside the database), so Meta gets its 200 fast
and a delivery is never lost (Meta has no replay API).
`webhook_delivery_process` parses the body and hands every inbound message to
`services_ingest.inbound_ingest` and every status to
`services_status.status_record`, each in its own short transaction and idempotent by unique
keys: processing a delivery twice, or two deliveries carrying the same messages, changes
nothing the second time. Malformed or unknown parts are recorded on the delivery as
problems and skipped, never raised; an unexpected failure of one item marks the delivery
failed so that `webhook_deliveries_resume` runs it again, skipping what is already stored.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from django.db import InterfaceError, OperationalError, router, transaction
from django.db.models import F
from django.utils import timezone

from telepati.whatsapp.group_commit import GroupCommit
from telepati.whatsapp.models import DeliveryStatus, InboundMessage, WebhookDelivery
from telepati.whatsapp.parser import WebhookBatch, webhook_parse
from telepati.whatsapp.services_ingest import InboundSkipped, inbound_ingest
from telepati.whatsapp.services_status import errors_as_json, status_record

logger = logging.getLogger(__name__)

# Headers worth keeping with the raw body (for audit and for replaying a delivery by hand).
STORED_HEADERS = ("Content-Type", "User-Agent", "X-Hub-Signature-256")
# Unexpected failures of one item are retried this many times before someone must look.
MAX_ATTEMPTS = 5
RESUME_AFTER = timedelta(minutes=5)
RESUME_BATCH = 200
_DONE = (DeliveryStatus.PROCESSED, DeliveryStatus.IGNORED)
# Database outages propagate: the task fails and the delivery stays due for a retry.
_OUTAGES = (OperationalError, InterfaceError)


def webhook_delivery_store(*, body: bytes, headers: Mapping[str, str]) -> WebhookDelivery:
    """Keep a signed webhook exactly as received and queue its processing.

    Deliveries arriving at the same moment in one process share a transaction and a commit
    (`group_commit`; with one request at a time it is a batch of one). When the task queue
    is a table of this same database (django-tasks-db, the default), the batch's processing
    job is written in that transaction too: one commit — one WAL flush — acknowledges them
    all, and a job never exists without its deliveries or the reverse (if the job cannot be
    written, nothing is kept and Meta is asked to retry each). Any other queue (RQ) gets the
    job after commit, so no worker looks for a delivery that is not committed yet.
    """
    kept = {name: headers[name] for name in STORED_HEADERS if name in headers}
    return _group_commit.submit((body.decode("utf-8", errors="replace"), kept))


def _deliveries_write(items: Sequence[tuple[str, dict[str, str]]]) -> list[WebhookDelivery]:
    """One transaction: the deliveries (one multi-row INSERT) and their processing job."""
    with transaction.atomic():
        deliveries = WebhookDelivery.objects.bulk_create(
            [WebhookDelivery(body=body, headers=kept) for body, kept in items]
        )
        delivery_ids = [d.pk for d in deliveries]
        if _queue_in_this_database():
            _enqueue_many(delivery_ids)
        else:
            # Robust: the deliveries are stored; if the queue refuses the job, the sweep runs them.
            transaction.on_commit(lambda: _enqueue_many(delivery_ids), robust=True)
    return deliveries


# At most this many deliveries share one commit (and one processing job).
GROUP_COMMIT_MAX = 64
_group_commit: GroupCommit[tuple[str, dict[str, str]], WebhookDelivery] = GroupCommit(
    _deliveries_write, max_batch=GROUP_COMMIT_MAX
)


def _queue_in_this_database() -> bool:
    """Whether processing jobs are rows of the database the deliveries are written to."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    from telepati.whatsapp.tasks import webhook_process_many

    return isinstance(webhook_process_many.get_backend(), DatabaseBackend) and router.db_for_write(
        DBTaskResult
    ) == router.db_for_write(WebhookDelivery)


def _enqueue(delivery_id: int) -> None:
    from telepati.whatsapp.tasks import webhook_process

    webhook_process.enqueue(delivery_id=delivery_id)


def _enqueue_many(delivery_ids: list[int]) -> None:
    from telepati.whatsapp.tasks import webhook_process_many

    webhook_process_many.enqueue(delivery_ids=delivery_ids)


def webhook_deliveries_process(*, delivery_ids: Sequence[int]) -> list[WebhookDelivery]:
    """Process stored deliveries in order, each on its own (see `webhook_delivery_process`).

    One delivery's failure does not hold back the others; the first error is raised at the
    end, so the job shows as failed, and `webhook_deliveries_resume` takes up whatever was
    left unprocessed."""
    processed: list[WebhookDelivery] = []
    first_error: Exception | None = None
    for delivery_id in delivery_ids:
        try:
            processed.append(webhook_delivery_process(delivery_id=delivery_id))
        except WebhookDelivery.DoesNotExist:
            logger.warning("WhatsApp delivery %s no longer exists", delivery_id)
        except Exception as exc:
            logger.exception("WhatsApp delivery %s could not be processed", delivery_id)
            first_error = first_error or exc
    if first_error is not None:
        raise first_error
    return processed


def webhook_delivery_process(*, delivery_id: int) -> WebhookDelivery:
    """Process one stored delivery; a delivery already processed or ignored is left alone."""
    delivery = WebhookDelivery.objects.get(pk=delivery_id)
    if delivery.status in _DONE:
        return delivery
    WebhookDelivery.objects.filter(pk=delivery.pk).update(attempts=F("attempts") + 1)
    batch = webhook_parse(delivery.body)
    problems: list[dict[str, Any]] = [{"path": p.path, "reason": p.reason} for p in batch.problems]
    problems += [
        {"path": "value.errors", "reason": "value-level error", "error": error}
        for error in errors_as_json(batch.value_errors)
    ]
    failures = _items_process(batch, delivery, problems)
    if failures:
        status, error = DeliveryStatus.FAILED, "\n".join(failures)[:4000]
    elif not (batch.messages or batch.statuses or batch.value_errors) and batch.problems:
        status, error = DeliveryStatus.IGNORED, ""  # Nothing in it we could use.
    else:
        status, error = DeliveryStatus.PROCESSED, ""
    done = {"status": status, "error": error, "problems": problems, "processed_at": timezone.now()}
    WebhookDelivery.objects.filter(pk=delivery.pk).update(**done)
    for name, value in done.items():
        setattr(delivery, name, value)
    delivery.attempts += 1
    return delivery


def _items_process(
    batch: WebhookBatch, delivery: WebhookDelivery, problems: list[dict[str, Any]]
) -> list[str]:
    """Ingest every new message and record every status; returns the unexpected failures."""
    failures: list[str] = []
    wamids = {m.wamid for m in batch.messages}
    # One query skips what earlier deliveries already stored (Meta's redeliveries).
    seen = set(InboundMessage.objects.filter(wamid__in=wamids).values_list("wamid", flat=True))
    for inbound in batch.messages:
        if inbound.wamid in seen:
            continue
        seen.add(inbound.wamid)
        try:
            inbound_ingest(inbound=inbound, delivery=delivery)
        except InboundSkipped as exc:
            problems.append({"path": f"message {inbound.wamid}", "reason": str(exc)})
        except _OUTAGES:
            raise
        except Exception as exc:
            logger.exception("WhatsApp delivery %s: message %s failed", delivery.pk, inbound.wamid)
            failures.append(f"message {inbound.wamid}: {type(exc).__name__}: {exc}")
    for status in batch.statuses:
        try:
            status_record(status=status, delivery=delivery)
        except _OUTAGES:
            raise
        except Exception as exc:
            logger.exception("WhatsApp delivery %s: status of %s failed", delivery.pk, status.wamid)
            failures.append(f"status {status.wamid} {status.status}: {type(exc).__name__}: {exc}")
    return failures


def webhook_deliveries_resume(*, older_than: timedelta = RESUME_AFTER) -> int:
    """Queue processing again for deliveries left received or failed; returns how many.

    A delivery stays received when the queue refused its job or the worker died; it is
    failed when an item raised unexpectedly. Both are safe to process again.
    """
    due = WebhookDelivery.objects.filter(
        status__in=[DeliveryStatus.RECEIVED, DeliveryStatus.FAILED],
        received_at__lt=timezone.now() - older_than,
        attempts__lt=MAX_ATTEMPTS,
    ).order_by("received_at")
    ids = list(due.values_list("pk", flat=True)[:RESUME_BATCH])
    for delivery_id in ids:
        _enqueue(delivery_id)
    return len(ids)
