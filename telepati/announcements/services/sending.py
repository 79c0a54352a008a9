"""Sending an announcement: recipients materialised in chunks, each chunk one transaction.

`announcement_chunk_process` takes the next `chunk_size` residents (by id, after the
announcement's cursor) who have a matching subscription, and in one transaction:

1. locks the announcement (two workers never process the same chunk) and stops unless it
   is still *sending* — a cancelled announcement gets no further chunk;
2. locks the matching subscription rows of those residents and keeps only the residents
   whose subscription is *still* active: an opt-out committed before this moment is
   honoured, and one arriving during the chunk waits for the lock and then cancels the
   queued row itself (`subscriptions.subscription_opt_out`);
3. writes one `AnnouncementRecipient` and one outbox row per resident
   (dedupe_key "announcement:<id>:<citizen id>": a chunk run twice adds nothing);
4. moves the cursor; when nothing is left the announcement becomes *sent*.

The outbox's delivery paces the messages (sender rate, one message a second per resident:
`telepati.messaging.pacing`), so a large announcement is written quickly and leaves at the
rate WhatsApp allows. Outside the resident's 24-hour window the row goes out as the
approved template with its parameters; inside it, as the same text.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from telepati.announcements.lifecycle import Action, Status
from telepati.announcements.models import AnnouncementRecipient
from telepati.announcements.selectors import announcement_targets, subscriptions_matching
from telepati.announcements.services.announcements import reference_prefix
from telepati.announcements.services.common import (
    announcement_lock,
    template_render,
    transition,
)
from telepati.citizens.models import Citizen
from telepati.messaging.services import Recipient, message_enqueue

CHUNK_SIZE = 200


def announcement_chunk_process(*, announcement_id: int, chunk_size: int = CHUNK_SIZE) -> bool:
    """Materialise the next chunk of recipients; True when more chunks remain."""
    with transaction.atomic():
        announcement = announcement_lock(announcement_id=announcement_id)
        if announcement.status != Status.SENDING:
            return False
        topic_ids, kelurahan_ids = announcement_targets(announcement)
        matching = subscriptions_matching(
            kecamatan_id=announcement.kecamatan_id,
            topic_ids=topic_ids,
            kelurahan_ids=kelurahan_ids,
        )
        citizen_ids = list(
            matching.filter(citizen_id__gt=announcement.cursor_citizen_id)
            .order_by("citizen_id")
            .values_list("citizen_id", flat=True)
            .distinct()[:chunk_size]
        )
        if not citizen_ids:
            announcement.status = transition(announcement, Action.FINISH)
            announcement.finished_at = timezone.now()
            announcement.save(update_fields=["status", "finished_at", "updated_at"])
            return False
        # Lock the subscriptions this chunk relies on, re-reading them: only residents
        # whose subscription is still active now are messaged.
        still_active = set(
            matching.filter(citizen_id__in=citizen_ids)
            .select_for_update(of=("self",))
            .values_list("citizen_id", flat=True)
        )
        text = template_render(announcement.template.body, announcement.params)
        prefix = reference_prefix(announcement.pk)
        citizens = Citizen.objects.filter(pk__in=still_active).order_by("pk")
        made = 0
        for citizen in citizens:
            recipient, created = AnnouncementRecipient.objects.get_or_create(
                announcement=announcement, citizen=citizen
            )
            if not created:
                continue
            recipient.message = message_enqueue(
                recipient=Recipient(phone=citizen.phone or "", wa_bsuid=citizen.wa_bsuid or ""),
                text=text,
                dedupe_key=f"{prefix}{citizen.pk}",
                reference=f"{prefix}{citizen.pk}",
                template_name=announcement.template.name,
                template_params=list(announcement.params),
            )
            recipient.save(update_fields=["message"])
            made += 1
        announcement.cursor_citizen_id = citizen_ids[-1]
        announcement.recipients_done += made
        announcement.save(update_fields=["cursor_citizen_id", "recipients_done", "updated_at"])
        return True
