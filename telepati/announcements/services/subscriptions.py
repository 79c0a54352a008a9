"""Subscriptions: a resident opts in to topics (per kelurahan or the whole kecamatan) and
opts out again — per topic, or everything at once ("berhenti", "stop").

Opt-in happens where the resident proves their number: WhatsApp (the web page hands over
to WhatsApp). Opting in again reactivates the same row. Opting out takes effect at once:
the rows are inactive when the transaction commits, no later chunk of a running
announcement picks the resident up, and — in the same transaction — the resident's
announcement messages still waiting in the outbox are cancelled unless another active
subscription still matches that announcement. A message a worker has already claimed
(seconds before its pacing slot) may still go out; everything else stops.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from telepati.announcements.models import (
    Announcement,
    AnnouncementRecipient,
    Source,
    Subscription,
    Topic,
)
from telepati.announcements.selectors import announcement_targets, subscriptions_matching
from telepati.citizens.models import Citizen
from telepati.core.errors import InvalidInput
from telepati.messaging.models import MessageStatus
from telepati.messaging.services import messages_cancel_queued
from telepati.org.models import Kecamatan, Kelurahan

REFERENCE_PREFIX = "announcement:"


def _topics(topic_codes: Sequence[str] | None) -> list[Topic]:
    topics = Topic.objects.filter(is_active=True).order_by("sort_order", "name")
    if topic_codes is None:
        return list(topics)
    chosen = list(topics.filter(code__in=list(topic_codes)))
    if not chosen or len(chosen) != len(set(topic_codes)):
        message = _("Topik pengumuman tidak dikenal.")
        raise InvalidInput(message, field_errors={"topics": [message]})
    return chosen


def subscription_opt_in(
    *,
    citizen: Citizen,
    kecamatan: Kecamatan,
    topic_codes: Sequence[str] | None,
    kelurahan: Kelurahan | None,
    source: Source,
) -> list[Subscription]:
    """Subscribe the resident to these topics (None: every active topic) for one kelurahan
    or (None) the whole kecamatan; returns the active rows."""
    with transaction.atomic():
        Citizen.objects.select_for_update().filter(pk=citizen.pk).first()
        topics = _topics(topic_codes)
        if kelurahan is not None and kelurahan.kecamatan_id != kecamatan.pk:
            message = _("Kelurahan tidak berada di kecamatan ini.")
            raise InvalidInput(message, field_errors={"kelurahan": [message]})
        now = timezone.now()
        rows: list[Subscription] = []
        for topic in topics:
            row = Subscription.objects.filter(
                citizen=citizen, topic=topic, kecamatan=kecamatan, kelurahan=kelurahan
            ).first()
            if row is None:
                row = Subscription.objects.create(
                    citizen=citizen,
                    topic=topic,
                    kecamatan=kecamatan,
                    kelurahan=kelurahan,
                    opted_in_at=now,
                    source=source,
                )
            elif not row.is_active:
                row.is_active = True
                row.opted_in_at = now
                row.opted_out_at = None
                row.source = source
                row.save(update_fields=["is_active", "opted_in_at", "opted_out_at", "source"])
            rows.append(row)
        return rows


def subscription_opt_out(
    *, citizen: Citizen, topic_codes: Sequence[str] | None = None
) -> list[Topic]:
    """Stop the resident's subscriptions to these topics (None: all of them, every
    kelurahan); returns the topics stopped. Queued announcement messages no active
    subscription still justifies are cancelled in the same transaction."""
    with transaction.atomic():
        Citizen.objects.select_for_update().filter(pk=citizen.pk).first()
        rows = Subscription.objects.filter(citizen=citizen, is_active=True)
        if topic_codes is not None:
            rows = rows.filter(topic__code__in=list(topic_codes))
        topic_ids = set(rows.values_list("topic_id", flat=True))
        if not topic_ids:
            return []
        rows.update(is_active=False, opted_out_at=timezone.now(), updated_at=timezone.now())
        _queued_cancel(citizen)
        return list(Topic.objects.filter(pk__in=topic_ids).order_by("sort_order", "name"))


def _queued_cancel(citizen: Citizen) -> int:
    """Cancel the resident's queued announcement messages that no longer match."""
    waiting = list(
        AnnouncementRecipient.objects.filter(
            citizen=citizen, message__status=MessageStatus.QUEUED
        ).values_list("announcement_id", "message_id")
    )
    stale: list[int] = []
    for announcement in Announcement.objects.filter(pk__in={a for a, _m in waiting}):
        topic_ids, kelurahan_ids = announcement_targets(announcement)
        still = subscriptions_matching(
            kecamatan_id=announcement.kecamatan_id, topic_ids=topic_ids, kelurahan_ids=kelurahan_ids
        ).filter(citizen=citizen)
        if not still.exists():
            stale.extend(m for a, m in waiting if a == announcement.pk and m is not None)
    if not stale:
        return 0
    return messages_cancel_queued(reference_prefix=REFERENCE_PREFIX, message_ids=stale)
