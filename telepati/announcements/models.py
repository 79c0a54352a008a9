"""Announcements to residents who opted in: topics, subscriptions, approved templates,
announcements and their recipients (each tied to one outbox row)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from telepati.announcements.lifecycle import Status
from telepati.core.models import TimeStampedModel


class Topic(TimeStampedModel):
    """A subject residents may subscribe to (jadwal vaksinasi, info banjir, …)."""

    code = models.SlugField(_("kode"), max_length=60, unique=True)
    name = models.CharField(_("nama"), max_length=100)
    description = models.CharField(_("keterangan"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("urutan"), default=100)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("topik pengumuman")
        verbose_name_plural = _("topik pengumuman")

    def __str__(self) -> str:
        return self.name


class Source(models.TextChoices):
    WHATSAPP = "whatsapp", _("WhatsApp")
    WEB = "web", _("Web")
    DESK = "desk", _("Petugas")


class Subscription(TimeStampedModel):
    """One resident's opt-in to one topic, for one kelurahan or (empty) the whole kecamatan."""

    citizen = models.ForeignKey(
        "citizens.Citizen",
        on_delete=models.CASCADE,
        related_name="subscriptions",
        verbose_name=_("warga"),
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, related_name="subscriptions", verbose_name=_("topik")
    )
    kecamatan = models.ForeignKey(
        "org.Kecamatan", on_delete=models.PROTECT, related_name="+", verbose_name=_("kecamatan")
    )
    kelurahan = models.ForeignKey(
        "org.Kelurahan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kelurahan"),
        help_text=_("Kosong: semua kelurahan di kecamatan."),
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    opted_in_at = models.DateTimeField(_("mulai berlangganan"))
    opted_out_at = models.DateTimeField(_("berhenti berlangganan"), null=True, blank=True)
    source = models.CharField(_("lewat"), max_length=20, choices=Source.choices)

    class Meta:
        ordering = ["-opted_in_at"]
        verbose_name = _("langganan")
        verbose_name_plural = _("langganan")
        constraints = [
            models.UniqueConstraint(
                fields=["citizen", "topic", "kelurahan"],
                condition=Q(kelurahan__isnull=False),
                name="subscription_unique_kelurahan",
            ),
            # NULL is never equal to NULL in a unique index: the whole-kecamatan row
            # needs its own constraint.
            models.UniqueConstraint(
                fields=["citizen", "topic", "kecamatan"],
                condition=Q(kelurahan__isnull=True),
                name="subscription_unique_kecamatan",
            ),
        ]
        indexes = [
            models.Index(
                fields=["topic", "kecamatan", "citizen"],
                name="subscription_active_idx",
                condition=Q(is_active=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic_id}/{self.citizen_id}"


class AnnouncementTemplate(TimeStampedModel):
    """A WhatsApp message template approved by Meta, with numbered parameters."""

    name = models.CharField(
        _("nama templat"),
        max_length=100,
        unique=True,
        help_text=_("Persis seperti terdaftar dan disetujui di WhatsApp Manager."),
    )
    language = models.CharField(_("bahasa"), max_length=10, default="id")
    body = models.TextField(
        _("isi"), help_text=_("Teks templat dengan parameter {{1}}, {{2}}, … seperti di Meta.")
    )
    param_labels = models.JSONField(
        _("label parameter"),
        default=list,
        blank=True,
        help_text=_('Satu label per parameter, berurutan, misalnya ["Tanggal", "Tempat"].'),
    )
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("templat pengumuman")
        verbose_name_plural = _("templat pengumuman")

    def __str__(self) -> str:
        return self.name


class Announcement(TimeStampedModel):
    """A message from the kecamatan to residents subscribed to its topics."""

    kecamatan = models.ForeignKey(
        "org.Kecamatan", on_delete=models.PROTECT, related_name="+", verbose_name=_("kecamatan")
    )
    title = models.CharField(
        _("judul"), max_length=150, help_text=_("Hanya untuk petugas; warga tidak melihatnya.")
    )
    template = models.ForeignKey(
        AnnouncementTemplate,
        on_delete=models.PROTECT,
        related_name="announcements",
        verbose_name=_("templat"),
    )
    params = models.JSONField(_("parameter"), default=list, blank=True)
    topics = models.ManyToManyField(Topic, related_name="announcements", verbose_name=_("topik"))
    kelurahan = models.ManyToManyField(
        "org.Kelurahan",
        blank=True,
        related_name="+",
        verbose_name=_("kelurahan"),
        help_text=_("Kosong: semua kelurahan."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    version = models.PositiveIntegerField(_("versi"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dikirim oleh"),
    )
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dibatalkan oleh"),
    )
    started_at = models.DateTimeField(_("mulai dikirim"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai disiapkan"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("dibatalkan"), null=True, blank=True)
    recipient_total = models.PositiveIntegerField(
        _("jumlah penerima"), default=0, help_text=_("Pelanggan yang cocok saat tombol Kirim.")
    )
    recipients_done = models.PositiveIntegerField(_("penerima disiapkan"), default=0)
    cancelled_messages = models.PositiveIntegerField(_("pesan dibatalkan"), default=0)
    cursor_citizen_id = models.BigIntegerField(
        _("posisi pemrosesan"), default=0, help_text=_("Warga terakhir yang sudah diproses.")
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pengumuman")
        verbose_name_plural = _("pengumuman")
        indexes = [models.Index(fields=["kecamatan", "-created_at"], name="announcement_list_idx")]

    def __str__(self) -> str:
        return self.title


class AnnouncementRecipient(models.Model):
    """One resident an announcement went to, and the outbox row that carries it."""

    announcement = models.ForeignKey(
        Announcement,
        on_delete=models.CASCADE,
        related_name="recipients",
        verbose_name=_("pengumuman"),
    )
    citizen = models.ForeignKey(
        "citizens.Citizen", on_delete=models.CASCADE, related_name="+", verbose_name=_("warga")
    )
    message = models.ForeignKey(
        "messaging.OutboundMessage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pesan keluar"),
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("penerima pengumuman")
        verbose_name_plural = _("penerima pengumuman")
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "citizen"], name="announcement_recipient_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.announcement_id}/{self.citizen_id}"
