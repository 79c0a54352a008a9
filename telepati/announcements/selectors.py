"""Reads of the announcements domain: topics, who an announcement reaches, progress.

`subscriptions_matching` is the one definition of "who receives an announcement": active
subscriptions to one of its topics, in its kecamatan, for one of its kelurahan — or for
the whole kecamatan, or any kelurahan when the announcement names none — of residents
with a WhatsApp contact. The recipient count, the chunked sending and the tests all use it.
Officers' reads have the scope built in: another kecamatan's announcement is NotFound.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from telepati.accounts.capabilities import Capability
from telepati.accounts.models import User
from telepati.accounts.scope import OfficerScope
from telepati.accounts.selectors import officer_scope_get
from telepati.announcements.lifecycle import Status
from telepati.announcements.models import (
    Announcement,
    AnnouncementRecipient,
    AnnouncementTemplate,
    Subscription,
    Topic,
)
from telepati.citizens.models import Citizen
from telepati.core.errors import Forbidden, NotFound
from telepati.messaging.models import MessageStatus
from telepati.org.models import Kecamatan, Kelurahan


def topic_list_active() -> list[Topic]:
    return list(Topic.objects.filter(is_active=True).order_by("sort_order", "name"))


def template_list_active() -> list[AnnouncementTemplate]:
    return list(AnnouncementTemplate.objects.filter(is_active=True).order_by("name"))


def default_kecamatan() -> Kecamatan:
    """The kecamatan of a door that cannot tell (the WhatsApp line of a one-kecamatan site)."""
    kecamatan = Kecamatan.objects.filter(code=settings.TELEPATI_DEFAULT_KECAMATAN).first()
    if kecamatan is None:
        raise NotFound(_("Kecamatan layanan belum disiapkan."))
    return kecamatan


def kelurahan_list(*, kecamatan_id: int) -> list[Kelurahan]:
    return list(
        Kelurahan.objects.filter(kecamatan_id=kecamatan_id, is_active=True).order_by("name")
    )


def subscription_list_for_citizen(*, citizen: Citizen) -> list[Subscription]:
    """The resident's active subscriptions, topic and kelurahan loaded."""
    return list(
        Subscription.objects.filter(citizen=citizen, is_active=True)
        .select_related("topic", "kelurahan")
        .order_by("topic__sort_order", "topic__name", "kelurahan__name")
    )


def has_whatsapp_contact() -> Q:
    """Residents the outbox can reach (relative to Citizen)."""
    return Q(phone__isnull=False) | Q(wa_bsuid__isnull=False)


def subscriptions_matching(
    *, kecamatan_id: int, topic_ids: Collection[int], kelurahan_ids: Collection[int]
) -> QuerySet[Subscription]:
    """Active subscriptions that an announcement with these targets reaches (may hold
    several rows per resident)."""
    rows = Subscription.objects.filter(
        is_active=True,
        kecamatan_id=kecamatan_id,
        topic_id__in=list(topic_ids),
        citizen__in=Citizen.objects.filter(has_whatsapp_contact()),
    )
    if kelurahan_ids:
        rows = rows.filter(Q(kelurahan__isnull=True) | Q(kelurahan_id__in=list(kelurahan_ids)))
    return rows


def announcement_recipient_count(
    *, kecamatan_id: int, topic_ids: Collection[int], kelurahan_ids: Collection[int]
) -> int:
    """How many residents an announcement with these targets would reach (one query)."""
    if not topic_ids:
        return 0
    return (
        subscriptions_matching(
            kecamatan_id=kecamatan_id, topic_ids=topic_ids, kelurahan_ids=kelurahan_ids
        )
        .values("citizen_id")
        .distinct()
        .count()
    )


def announcement_targets(announcement: Announcement) -> tuple[list[int], list[int]]:
    """The announcement's topic ids and kelurahan ids (empty: all kelurahan)."""
    topic_ids = list(announcement.topics.values_list("pk", flat=True))
    kelurahan_ids = list(announcement.kelurahan.values_list("pk", flat=True))
    return topic_ids, kelurahan_ids


# --- Officers ----------------------------------------------------------------------------


def announcement_kecamatan_ids(scope: OfficerScope) -> frozenset[int] | None:
    """The kecamatan whose announcements the officer handles; None for a superuser (all)."""
    if scope.is_superuser:
        return None
    return scope.kecamatan_ids_for(Capability.SEND_ANNOUNCEMENTS)


def announcement_kecamatan_id_for_officer(*, user: User) -> int:
    """The kecamatan an officer's new announcements belong to; Forbidden without the role."""
    scope = officer_scope_get(user=user)
    kecamatan_ids = announcement_kecamatan_ids(scope)
    if kecamatan_ids is None:
        return default_kecamatan().pk
    if not kecamatan_ids:
        raise Forbidden(_("Peran Anda tidak berwenang mengelola pengumuman."))
    return min(kecamatan_ids)


def announcement_list_for_officer(*, user: User) -> QuerySet[Announcement]:
    rows = Announcement.objects.select_related("template", "created_by").order_by("-created_at")
    kecamatan_ids = announcement_kecamatan_ids(officer_scope_get(user=user))
    if kecamatan_ids is not None:
        rows = rows.filter(kecamatan_id__in=kecamatan_ids)
    return rows


def announcement_get_for_officer(*, user: User, announcement_id: int) -> Announcement:
    """The announcement, topics and kelurahan loaded; NotFound outside the officer's kecamatan."""
    announcement = (
        announcement_list_for_officer(user=user)
        .select_related("kecamatan", "started_by", "cancelled_by")
        .prefetch_related("topics", "kelurahan")
        .filter(pk=announcement_id)
        .first()
    )
    if announcement is None:
        raise NotFound(_("Pengumuman tidak ditemukan."))
    return announcement


@dataclass(frozen=True, slots=True)
class Progress:
    """Where an announcement's messages are, counted from their outbox rows."""

    total: int  # residents the announcement is meant for (materialised, or planned)
    prepared: int  # recipients materialised so far
    queued: int
    sending: int
    sent: int
    delivered: int
    read: int
    failed: int
    cancelled: int

    @property
    def done(self) -> int:
        """Messages whose fate is known (left the outbox, failed or cancelled)."""
        return self.sent + self.delivered + self.read + self.failed + self.cancelled

    @property
    def percent(self) -> int:
        return 100 * self.done // self.total if self.total else 100

    @property
    def waiting(self) -> int:
        return self.queued + self.sending


def announcement_progress(*, announcement: Announcement) -> Progress:
    """Counts by outbox status of the announcement's recipients (one query)."""
    counts = dict(
        AnnouncementRecipient.objects.filter(announcement=announcement)
        .values_list("message__status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    prepared = sum(counts.values())
    total = max(prepared, announcement.recipient_total)
    if announcement.finished_at is not None or announcement.cancelled_at is not None:
        total = prepared
    return Progress(
        total=total,
        prepared=prepared,
        queued=counts.get(MessageStatus.QUEUED, 0),
        sending=counts.get(MessageStatus.SENDING, 0),
        sent=counts.get(MessageStatus.SENT, 0),
        delivered=counts.get(MessageStatus.DELIVERED, 0),
        read=counts.get(MessageStatus.READ, 0),
        failed=counts.get(MessageStatus.FAILED, 0) + counts.get(None, 0),
        cancelled=counts.get(MessageStatus.CANCELLED, 0),
    )


def announcement_recipient_list(*, announcement: Announcement) -> QuerySet[AnnouncementRecipient]:
    """The per-recipient rows, resident and outbox row loaded, in the order they were made."""
    return (
        AnnouncementRecipient.objects.filter(announcement=announcement)
        .select_related("citizen", "message")
        .order_by("pk")
    )


STALLED_AFTER_SECONDS = 60


def announcement_ids_stalled() -> list[int]:
    """Announcements still sending but untouched for a minute (a chunk job was lost)."""
    cutoff = timezone.now() - timedelta(seconds=STALLED_AFTER_SECONDS)
    return list(
        Announcement.objects.filter(status=Status.SENDING, updated_at__lt=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
