"""Demo data of announcements: two approved templates, about sixty subscriptions of the demo
residents (from the complaints demo, else fictitious numbers), one announcement sent a few
days ago (its messages delivered or read, one failed) and one draft.

Made through the services (opt-in/opt-out, create, send, chunks) with outbox delivery held
back, so nothing is sent while loading; the sent announcement's rows are then marked as
WhatsApp would have reported them. Idempotent: when a demo announcement exists the loader
does nothing.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from telepati.accounts.models import User
from telepati.announcements.models import (
    Announcement,
    AnnouncementRecipient,
    AnnouncementTemplate,
    Source,
    Topic,
)
from telepati.announcements.services.announcements import (
    AnnouncementDraft,
    announcement_create,
    announcement_send,
)
from telepati.announcements.services.sending import announcement_chunk_process
from telepati.announcements.services.subscriptions import (
    subscription_opt_in,
    subscription_opt_out,
)
from telepati.citizens.models import Citizen
from telepati.messaging.models import MessageStatus, OutboundMessage
from telepati.org.models import Kecamatan, Kelurahan
from telepati.org.services import SeedCount

if TYPE_CHECKING:
    from telepati.demo.loaders import DemoContext

DEMO_KECAMATAN_CODE = "medan-amplas"
DESK_USERNAME = "operator"
DEMO_TITLE_PREFIX = "[demo] "
RESIDENTS = 45

TEMPLATES = [
    (
        "pengumuman_kecamatan",
        "Pengumuman Kecamatan Medan Amplas: {{1}} pada {{2}}. Balas BERHENTI untuk berhenti "
        "menerima pengumuman.",
        ["Kegiatan", "Waktu dan tempat"],
    ),
    (
        "jadwal_vaksinasi",
        "Jadwal vaksinasi {{1}}: {{2}} di {{3}}. Bawa buku KIA. Balas BERHENTI untuk berhenti.",
        ["Jenis vaksin", "Hari dan jam", "Tempat"],
    ),
]


class _Held:
    """Stands in for the delivery task while loading: rows stay queued, nothing is sent."""

    @staticmethod
    def enqueue(**kwargs: object) -> None:
        return None


def _residents(count: int) -> list[Citizen]:
    residents = list(Citizen.objects.filter(phone__isnull=False).order_by("pk")[:count])
    for n in range(len(residents), count):
        citizen, _created = Citizen.objects.get_or_create(
            phone=f"+628120003{n + 1:04d}", defaults={"name": f"Warga demo {n + 1}"}
        )
        residents.append(citizen)
    return residents


def load_announcement_demo(context: DemoContext) -> None:
    """Templates, subscriptions, one sent announcement and one draft (once)."""
    from telepati.announcements import tasks
    from telepati.messaging import tasks as messaging_tasks

    count = SeedCount(_("Pengumuman demo"))
    kecamatan = Kecamatan.objects.filter(code=DEMO_KECAMATAN_CODE).first()
    desk = User.objects.filter(username=DESK_USERNAME).first()
    if kecamatan is None or desk is None:
        context.counts.append(count)
        return
    if Announcement.objects.filter(title__startswith=DEMO_TITLE_PREFIX).exists():
        count.add(created=False)
        context.counts.append(count)
        return
    held_chunk, held_delivery = tasks.announcement_chunk_task, messaging_tasks.deliver_message
    tasks.announcement_chunk_task = _Held()  # type: ignore[assignment]
    messaging_tasks.deliver_message = _Held()  # type: ignore[assignment]
    try:
        with transaction.atomic():
            _load(kecamatan, desk, count)
    finally:
        tasks.announcement_chunk_task = held_chunk
        messaging_tasks.deliver_message = held_delivery
    context.counts.append(count)


def _load(kecamatan: Kecamatan, desk: User, count: SeedCount) -> None:
    templates = {}
    for name, body, labels in TEMPLATES:
        templates[name], _created = AnnouncementTemplate.objects.get_or_create(
            name=name, defaults={"body": body, "param_labels": labels}
        )
    topics = {t.code: t for t in Topic.objects.filter(is_active=True)}
    kelurahan = list(Kelurahan.objects.filter(kecamatan=kecamatan).order_by("name"))
    codes = sorted(topics)
    subscriptions = 0
    for n, citizen in enumerate(_residents(RESIDENTS)):
        picks = [codes[n % len(codes)]] + ([codes[(n + 1) % len(codes)]] if n % 3 == 0 else [])
        place = kelurahan[n % len(kelurahan)] if kelurahan and n % 4 else None
        subscriptions += len(
            subscription_opt_in(
                citizen=citizen,
                kecamatan=kecamatan,
                topic_codes=picks,
                kelurahan=place,
                source=Source.WHATSAPP,
            )
        )
        if n % 11 == 10:  # a few residents have stopped one topic again
            subscription_opt_out(citizen=citizen, topic_codes=picks[:1])
    flood = topics.get("info-banjir-drainase")
    vaccine = topics.get("jadwal-vaksinasi")
    if flood is None or vaccine is None:
        return
    sent = announcement_create(
        actor=desk,
        draft=AnnouncementDraft(
            title=DEMO_TITLE_PREFIX + "Gotong royong parit sebelum musim hujan",
            template_id=templates["pengumuman_kecamatan"].pk,
            params=[
                "Gotong royong membersihkan parit dan drainase",
                "Minggu pukul 07.00 WIB, kumpul di kantor lurah masing-masing",
            ],
            topic_ids=[flood.pk],
        ),
    )
    announcement_send(actor=desk, announcement_id=sent.pk, expected_version=sent.version)
    while announcement_chunk_process(announcement_id=sent.pk):
        pass
    _delivered(sent)
    count.add(created=True)
    announcement_create(
        actor=desk,
        draft=AnnouncementDraft(
            title=DEMO_TITLE_PREFIX + "Imunisasi campak-rubela bulan depan",
            template_id=templates["jadwal_vaksinasi"].pk,
            params=["campak-rubela (MR)", "Sabtu pukul 08.00–12.00 WIB", "Puskesmas Amplas"],
            topic_ids=[vaccine.pk],
            kelurahan_ids=[k.pk for k in kelurahan[:2]],
        ),
    )
    count.add(created=True)
    count.label = _("Pengumuman demo (%(n)d langganan)") % {"n": subscriptions}


def _delivered(announcement: Announcement) -> None:
    """Mark the demo announcement's messages as WhatsApp reported them a few days ago."""
    started = timezone.now() - timedelta(days=3)
    Announcement.objects.filter(pk=announcement.pk).update(
        started_at=started, finished_at=started + timedelta(minutes=1)
    )
    ids = list(
        AnnouncementRecipient.objects.filter(announcement=announcement)
        .order_by("pk")
        .values_list("message_id", flat=True)
    )
    for n, message_id in enumerate(ids):
        moment = started + timedelta(seconds=2 + n)
        if n == len(ids) - 1:
            OutboundMessage.objects.filter(pk=message_id).update(
                status=MessageStatus.FAILED,
                attempts=1,
                failed_at=moment,
                next_attempt_at=None,
                last_error_code="131026",
                last_error="Message undeliverable",
            )
            continue
        read = n % 3 != 0
        OutboundMessage.objects.filter(pk=message_id).update(
            status=MessageStatus.READ if read else MessageStatus.DELIVERED,
            attempts=1,
            sent_at=moment,
            delivered_at=moment + timedelta(seconds=3),
            read_at=moment + timedelta(minutes=20) if read else None,
            next_attempt_at=None,
            provider_message_id=f"wamid.demo.announcement.{message_id}",
        )
