"""Recovery of the outbox: the periodic sweep and the operator's re-queue.

`outbox_sweep` fails rows left in "sending" longer than TELEPATI_OUTBOX_STUCK_MINUTES as
"unknown_outcome" (the worker died mid-send: whether the resident got the message is
unknown, so it is never resent automatically) and lists queued rows whose time came long ago
(their job was lost) for the periodic task to queue again. `message_requeue` is the
operator's decision to send a failed row again after checking with the resident.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from telepati.accounts.capabilities import Capability
from telepati.accounts.models import User
from telepati.accounts.selectors import officer_scope_get
from telepati.core.errors import Forbidden, InvalidTransition, NotFound
from telepati.messaging.delivery import UNKNOWN_OUTCOME
from telepati.messaging.models import MessageStatus, OutboundMessage
from telepati.messaging.pacing import pace_slots_prune

logger = logging.getLogger(__name__)

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
