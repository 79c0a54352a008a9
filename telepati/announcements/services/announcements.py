"""Announcements: staff compose a draft from an approved template, send it, or cancel it.

Lifecycle (`telepati.announcements.lifecycle`): draft → sending → sent, or → cancelled.
Every change follows one recipe in one short transaction: lock the row → access (another
kecamatan → NotFound, a role without SEND_ANNOUNCEMENTS → Forbidden) → expected_version
(→ Conflict) → lifecycle (→ InvalidTransition) → inputs (→ InvalidInput with per-field
Indonesian messages) → change, version + 1. A refused call changes nothing.

`announcement_send` only fixes the audience count and queues the first chunk (after
commit); `sending.announcement_chunk_process` writes recipients and outbox rows.
`announcement_cancel` stops further chunks and cancels the outbox rows still queued in the
same transaction; rows already sent (or claimed by a worker) are left alone and never sent
again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from telepati.accounts.models import User
from telepati.announcements.lifecycle import Action, Status
from telepati.announcements.models import Announcement, AnnouncementTemplate, Topic
from telepati.announcements.selectors import (
    announcement_kecamatan_id_for_officer,
    announcement_recipient_count,
    announcement_targets,
)
from telepati.announcements.services.common import (
    announcement_lock,
    officer_require,
    placeholder_count,
    transition,
    version_check,
)
from telepati.core.errors import InvalidInput, InvalidTransition
from telepati.messaging.services import messages_cancel_queued
from telepati.org.models import Kelurahan

TITLE_MAX = 150
PARAM_MAX = 500


def reference_prefix(announcement_id: int) -> str:
    """The outbox reference prefix of an announcement's messages ("announcement:7:")."""
    return f"announcement:{announcement_id}:"


@dataclass(frozen=True)
class AnnouncementDraft:
    """What staff typed on the compose form."""

    title: str
    template_id: int | None
    params: list[str] = field(default_factory=list)
    topic_ids: list[int] = field(default_factory=list)
    kelurahan_ids: list[int] = field(default_factory=list)


def template_param_labels(template: AnnouncementTemplate) -> list[str]:
    """One label per parameter the template needs (labels, else "Parameter n")."""
    labels = [str(label) for label in template.param_labels or []]
    count = max(len(labels), placeholder_count(template.body))
    return labels + [_("Parameter %(n)d") % {"n": n} for n in range(len(labels) + 1, count + 1)]


@dataclass(frozen=True)
class _Clean:
    title: str
    template: AnnouncementTemplate
    params: list[str]
    topics: list[Topic]
    kelurahan: list[Kelurahan]


def _clean(draft: AnnouncementDraft, *, kecamatan_id: int) -> _Clean:
    errors: dict[str, list[str]] = {}
    title = " ".join(draft.title.split())
    if not title:
        errors["title"] = [_("Isi judul pengumuman (hanya dilihat petugas).")]
    elif len(title) > TITLE_MAX:
        errors["title"] = [_("Judul paling panjang %(n)d huruf.") % {"n": TITLE_MAX}]
    template = (
        AnnouncementTemplate.objects.filter(pk=draft.template_id, is_active=True).first()
        if draft.template_id is not None
        else None
    )
    params: list[str] = []
    if template is None:
        errors["template"] = [_("Pilih templat yang sudah disetujui.")]
    else:
        labels = template_param_labels(template)
        given = list(draft.params) + [""] * max(0, len(labels) - len(draft.params))
        for n, label in enumerate(labels, start=1):
            value = " ".join(str(given[n - 1]).split())
            if not value:
                errors[f"param_{n}"] = [_("Isi %(label)s.") % {"label": label}]
            elif len(value) > PARAM_MAX:
                errors[f"param_{n}"] = [_("Paling panjang %(n)d huruf.") % {"n": PARAM_MAX}]
            params.append(value)
    topics = list(Topic.objects.filter(pk__in=draft.topic_ids, is_active=True))
    if not topics or len(topics) != len(set(draft.topic_ids)):
        errors["topics"] = [_("Pilih paling sedikit satu topik.")]
    kelurahan = list(
        Kelurahan.objects.filter(pk__in=draft.kelurahan_ids, kecamatan_id=kecamatan_id)
    )
    if len(kelurahan) != len(set(draft.kelurahan_ids)):
        errors["kelurahan"] = [_("Kelurahan tidak berada di kecamatan ini.")]
    if errors:
        raise InvalidInput(_("Pengumuman belum disimpan. Periksa isian."), field_errors=errors)
    assert template is not None
    return _Clean(title=title, template=template, params=params, topics=topics, kelurahan=kelurahan)


def announcement_create(*, actor: User, draft: AnnouncementDraft) -> Announcement:
    """A new draft in the officer's kecamatan."""
    with transaction.atomic():
        kecamatan_id = announcement_kecamatan_id_for_officer(user=actor)
        clean = _clean(draft, kecamatan_id=kecamatan_id)
        announcement = Announcement.objects.create(
            kecamatan_id=kecamatan_id,
            title=clean.title,
            template=clean.template,
            params=clean.params,
            created_by=actor,
        )
        announcement.topics.set(clean.topics)
        announcement.kelurahan.set(clean.kelurahan)
        return announcement


def announcement_update(
    *,
    actor: User,
    announcement_id: int,
    expected_version: int | None,
    draft: AnnouncementDraft,
) -> Announcement:
    """Change a draft (only while it is a draft)."""
    with transaction.atomic():
        announcement = announcement_lock(announcement_id=announcement_id)
        officer_require(actor=actor, kecamatan_id=announcement.kecamatan_id)
        version_check(announcement, expected_version)
        transition(announcement, Action.EDIT)
        clean = _clean(draft, kecamatan_id=announcement.kecamatan_id)
        announcement.title = clean.title
        announcement.template = clean.template
        announcement.params = clean.params
        announcement.version += 1
        announcement.save(update_fields=["title", "template", "params", "version", "updated_at"])
        announcement.topics.set(clean.topics)
        announcement.kelurahan.set(clean.kelurahan)
        return announcement


def announcement_send(
    *, actor: User, announcement_id: int, expected_version: int | None
) -> Announcement:
    """Start sending a draft: sending now, the first chunk queued after commit."""
    with transaction.atomic():
        announcement = announcement_lock(announcement_id=announcement_id)
        officer_require(actor=actor, kecamatan_id=announcement.kecamatan_id)
        version_check(announcement, expected_version)
        target = transition(announcement, Action.SEND)
        if not announcement.template.is_active:
            raise InvalidInput(
                _("Templat ini tidak aktif lagi. Pilih templat lain lalu simpan draf."),
                field_errors={"template": [_("Templat tidak aktif.")]},
            )
        topic_ids, kelurahan_ids = announcement_targets(announcement)
        count = announcement_recipient_count(
            kecamatan_id=announcement.kecamatan_id,
            topic_ids=topic_ids,
            kelurahan_ids=kelurahan_ids,
        )
        if count == 0:
            raise InvalidTransition(
                _(
                    "Belum ada warga yang berlangganan topik dan kelurahan ini; tidak ada "
                    "yang dikirimi."
                )
            )
        announcement.status = target
        announcement.started_at = timezone.now()
        announcement.started_by = actor
        announcement.recipient_total = count
        announcement.cursor_citizen_id = 0
        announcement.version += 1
        announcement.save(
            update_fields=[
                "status",
                "started_at",
                "started_by",
                "recipient_total",
                "cursor_citizen_id",
                "version",
                "updated_at",
            ]
        )
        from telepati.announcements.tasks import announcement_chunk_task

        transaction.on_commit(
            lambda: announcement_chunk_task.enqueue(announcement_id=announcement_id), robust=True
        )
        return announcement


def announcement_cancel(
    *, actor: User, announcement_id: int, expected_version: int | None = None
) -> Announcement:
    """Cancel a draft, or stop one being sent: no further chunks, queued messages cancelled."""
    with transaction.atomic():
        announcement = announcement_lock(announcement_id=announcement_id)
        officer_require(actor=actor, kecamatan_id=announcement.kecamatan_id)
        version_check(announcement, expected_version)
        target = transition(announcement, Action.CANCEL)
        cancelled = 0
        if announcement.status != Status.DRAFT:
            cancelled = messages_cancel_queued(reference_prefix=reference_prefix(announcement.pk))
            if announcement.status == Status.SENT and cancelled == 0:
                # Nothing was waiting: the announcement has gone out; cancelling would
                # only mislabel it. (The UPDATE above changed nothing.)
                raise InvalidTransition(
                    _("Semua pesan pengumuman ini sudah dikirim; tidak ada yang dapat dibatalkan.")
                )
        announcement.status = target
        announcement.cancelled_at = timezone.now()
        announcement.cancelled_by = actor
        announcement.cancelled_messages = cancelled
        announcement.version += 1
        announcement.save(
            update_fields=[
                "status",
                "cancelled_at",
                "cancelled_by",
                "cancelled_messages",
                "version",
                "updated_at",
            ]
        )
        return announcement
