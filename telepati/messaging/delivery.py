"""Delivery of outbox rows: queued → sending → sent, or back to queued, or failed.

`message_deliver` claims a due row with one conditional UPDATE (queued and
`next_attempt_at` passed → sending, `sending_started_at` = now), so two workers never send
one row. Then, outside any transaction, it waits for the sender's pacing slot and the
recipient's gate (`telepati.messaging.pacing`) and calls the configured transport
(`telepati.messaging.transports`). The answer decides the row's next state:

- accepted: sent, with the provider id, `sent_at` and one more attempt; the transport then
  catches up on status webhooks that arrived before the id was stored;
- transient error (network, timeout, 5xx, rate limit): queued again with one more attempt and
  `next_attempt_at` = now + exponential backoff with full jitter (5 s base, 15 min cap, never
  sooner than the provider's Retry-After); failed after TELEPATI_OUTBOX_MAX_ATTEMPTS;
- permanent error: failed with its code and text, never retried;
- recipient gate closed: queued again for the moment it opens (no attempt counted).

Nothing is sent twice: a row left in "sending" (the worker died, the outcome is unknown) is
not resent by the sweep but failed as "unknown_outcome" for an operator to look at and
re-queue (`message_requeue`) if the resident did not get it.
"""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from telepati.accounts.capabilities import Capability
from telepati.accounts.models import User
from telepati.accounts.selectors import officer_scope_get
from telepati.core.errors import Forbidden, InvalidTransition, NotFound
from telepati.messaging.models import MessageStatus, OutboundMessage
from telepati.messaging.pacing import interval_us, recipient_gate_try, sender_slot_take
from telepati.messaging.transports import Transport, transport_get

logger = logging.getLogger(__name__)

BACKOFF_BASE_SECONDS = 5.0
BACKOFF_CAP_SECONDS = 15 * 60.0
# A pacing slot further away than this (a large backlog, a skewed clock) is not slept on:
# the row is postponed to it instead.
PACE_SLEEP_MAX_SECONDS = 5.0
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


def _due() -> Q:
    return Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=timezone.now())


def message_deliver(*, message_id: int) -> DeliveryOutcome:
    """Deliver one queued, due outbox row through the configured transport."""
    now = timezone.now()
    claimed = OutboundMessage.objects.filter(
        _due(), pk=message_id, status=MessageStatus.QUEUED
    ).update(status=MessageStatus.SENDING, sending_started_at=now)
    if not claimed:
        return DeliveryOutcome(Outcome.SKIPPED)
    message = OutboundMessage.objects.get(pk=message_id)
    transport = transport_get()
    try:
        transport.prepare(message)  # database work first: nothing between slot and request
    except Exception as exc:  # every failure is recorded on the row
        return _failure(message, exc)
    postponed = _pace(message, transport)
    if postponed is not None:
        return _requeue_at(message_id, postponed)
    try:
        result = transport.send(message)
    except Exception as exc:  # every failure is recorded on the row
        return _failure(message, exc)
    return _success(message, transport, result.provider_message_id)


def _pace(message: OutboundMessage, transport: Transport) -> datetime | None:
    """Take the sender's slot, pass the recipient's gate for it, then sleep until the slot;
    or say when to try again (the row is postponed, not slept on)."""
    if not transport.pacing_key:
        return None
    slot = time.time()
    if transport.rate_per_second > 0:
        slot = sender_slot_take(
            key=transport.pacing_key, interval=interval_us(per_second=transport.rate_per_second)
        )
        if slot - time.time() > PACE_SLEEP_MAX_SECONDS:
            return _aware(slot)
    spacing = settings.WHATSAPP_RECIPIENT_INTERVAL_SECONDS
    if spacing > 0:
        recipient = message.recipient_phone or message.recipient_wa_bsuid
        gate = recipient_gate_try(
            key=f"to:{recipient}", interval=interval_us(per_second=1 / spacing), at=slot
        )
        if not gate.passed:
            return _aware(gate.retry_at)
    wait = slot - time.time()
    if wait > 0:
        time.sleep(wait)
    return None


def _aware(epoch_seconds: float) -> datetime:
    return datetime.fromtimestamp(epoch_seconds, tz=timezone.get_current_timezone())


def _requeue_at(message_id: int, when: datetime) -> DeliveryOutcome:
    OutboundMessage.objects.filter(pk=message_id, status=MessageStatus.SENDING).update(
        status=MessageStatus.QUEUED, next_attempt_at=when, sending_started_at=None
    )
    return DeliveryOutcome(Outcome.DEFERRED, retry_at=when)


def _success(message: OutboundMessage, transport: Transport, provider_id: str) -> DeliveryOutcome:
    # A row the sweep gave up on while this worker was still waiting did go out after all.
    ours = Q(status=MessageStatus.SENDING) | Q(
        status=MessageStatus.FAILED, last_error_code=UNKNOWN_OUTCOME
    )
    OutboundMessage.objects.filter(ours, pk=message.pk).update(
        status=MessageStatus.SENT,
        sent_at=timezone.now(),
        failed_at=None,
        attempts=F("attempts") + 1,
        next_attempt_at=None,
        provider_message_id=provider_id,
    )
    try:
        transport.sent(provider_message_id=provider_id)
    except Exception:  # the message went out; a late status will still be applied
        logger.exception("Status catch-up failed for outbox message %s", message.pk)
    return DeliveryOutcome(Outcome.SENT, provider_message_id=provider_id)


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


# --- The sweep and the operator's re-queue ---------------------------------------------

# A row due this long ago was lost by the queue (or waits on a backend without deferred
# tasks); a younger one is probably still on its way to a worker.
SWEEP_GRACE = timedelta(seconds=30)
SWEEP_BATCH = 500
PACE_SLOT_KEEP_SECONDS = 3600.0


@dataclass(frozen=True, slots=True)
class SweepResult:
    due: list[int]
    stuck: int


def outbox_sweep() -> SweepResult:
    """Fail rows stuck in "sending" and list queued rows whose time has long come.

    The caller (the periodic task) queues a delivery for each listed id; delivery claims
    the row itself, so a duplicate job does nothing.
    """
    from telepati.messaging.pacing import pace_slots_prune

    now = timezone.now()
    cutoff = now - timedelta(minutes=settings.TELEPATI_OUTBOX_STUCK_MINUTES)
    stuck = OutboundMessage.objects.filter(
        Q(sending_started_at__lt=cutoff) | Q(sending_started_at__isnull=True),
        status=MessageStatus.SENDING,
    ).update(
        status=MessageStatus.FAILED,
        failed_at=now,
        next_attempt_at=None,
        last_error_code=UNKNOWN_OUTCOME,
        last_error=_(
            "Pengiriman terhenti di tengah jalan dan hasilnya tidak diketahui: pesan mungkin "
            "sudah atau belum sampai ke warga. Pesan tidak dikirim ulang otomatis agar tidak "
            "terkirim dua kali; periksa dengan warga lalu antrekan ulang bila perlu."
        ),
    )
    if stuck:
        logger.warning("Outbox sweep: %s message(s) stuck in sending marked failed", stuck)
    due = list(
        OutboundMessage.objects.filter(
            status=MessageStatus.QUEUED, next_attempt_at__lte=now - SWEEP_GRACE
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    pace_slots_prune(older_than_seconds=PACE_SLOT_KEEP_SECONDS)
    return SweepResult(due=due, stuck=stuck)


def message_requeue(*, message_id: int, actor: User) -> OutboundMessage:
    """Queue a failed message again (an operator checked it did not reach the resident)."""
    with transaction.atomic():
        message = OutboundMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None:
            raise NotFound(_("Pesan tidak ditemukan."))
        if not officer_scope_get(user=actor).can(Capability.HANDLE_CONVERSATIONS):
            raise Forbidden(_("Peran Anda tidak berwenang mengantrekan ulang pesan."))
        if message.status != MessageStatus.FAILED:
            raise InvalidTransition(_("Hanya pesan yang gagal yang dapat diantrekan ulang."))
        now = timezone.now()
        message.status = MessageStatus.QUEUED
        message.attempts = 0
        message.next_attempt_at = now
        message.sending_started_at = None
        message.failed_at = None
        message.requeued_at = now
        message.requeued_by = actor
        message.save(
            update_fields=[
                "status",
                "attempts",
                "next_attempt_at",
                "sending_started_at",
                "failed_at",
                "requeued_at",
                "requeued_by",
            ]
        )
        from telepati.messaging.tasks import deliver_message

        transaction.on_commit(lambda: deliver_message.enqueue(message_id=message_id), robust=True)
    logger.info("Outbox message %s re-queued by user %s", message_id, actor.pk)
    return message
