"""What the WhatsApp door keeps: raw webhook deliveries, conversations, inbound messages and
the status events of our outbound messages.

A POST from Meta is stored verbatim (`WebhookDelivery`) before anything is parsed, because
Meta has no replay API. Processing turns it into `InboundMessage` rows (unique by wamid, so a
redelivered message is never handled twice) and `StatusEvent` rows (unique by wamid and
status), which move `messaging.OutboundMessage` forward and never back.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from telepati.citizens.models import Citizen
from telepati.core.models import TimeStampedModel


class DeliveryStatus(models.TextChoices):
    RECEIVED = "received", _("Diterima")
    PROCESSED = "processed", _("Diproses")
    FAILED = "failed", _("Gagal diproses")
    IGNORED = "ignored", _("Diabaikan")


class WebhookDelivery(models.Model):
    """One signed POST from Meta, stored as received before it is processed."""

    body = models.TextField(_("isi mentah"))
    headers = models.JSONField(_("header terpilih"), default=dict, blank=True)
    received_at = models.DateTimeField(_("diterima"), auto_now_add=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.RECEIVED
    )
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    processed_at = models.DateTimeField(_("diproses"), null=True, blank=True)
    error = models.TextField(_("galat"), blank=True)
    problems = models.JSONField(
        _("bagian yang dilewati"),
        default=list,
        blank=True,
        help_text=_("Bagian kiriman yang rusak atau tidak dikenal; sisanya tetap diproses."),
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("kiriman webhook")
        verbose_name_plural = _("kiriman webhook")
        indexes = [
            # The resume sweep looks for deliveries that were never processed.
            models.Index(
                fields=["received_at"],
                name="wa_delivery_pending_idx",
                condition=Q(status__in=["received", "failed"]),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.status}"


class Conversation(TimeStampedModel):
    """The WhatsApp thread with one resident: identity, 24-hour window and bot state."""

    citizen = models.OneToOneField(
        Citizen,
        on_delete=models.PROTECT,
        related_name="wa_conversation",
        verbose_name=_("warga"),
    )
    wa_id = models.CharField(
        _("ID WhatsApp (nomor)"), max_length=20, null=True, blank=True, unique=True
    )
    bsuid = models.CharField(
        _("ID pengguna WhatsApp"), max_length=100, null=True, blank=True, unique=True
    )
    profile_name = models.CharField(_("nama profil"), max_length=120, blank=True)
    last_inbound_at = models.DateTimeField(
        _("pesan masuk terakhir"),
        null=True,
        blank=True,
        help_text=_("Membuka jendela layanan 24 jam untuk pesan bebas."),
    )
    acknowledged_at = models.DateTimeField(_("balasan otomatis terakhir"), null=True, blank=True)
    bot_state = models.CharField(_("langkah bot"), max_length=60, blank=True)
    bot_data = models.JSONField(_("data bot"), default=dict, blank=True)
    bot_state_expires_at = models.DateTimeField(_("langkah bot berakhir"), null=True, blank=True)
    handed_over_at = models.DateTimeField(_("dialihkan ke petugas"), null=True, blank=True)
    handed_over_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="wa_conversations",
        verbose_name=_("petugas"),
    )

    class Meta:
        ordering = ["-last_inbound_at", "-id"]
        verbose_name = _("percakapan WhatsApp")
        verbose_name_plural = _("percakapan WhatsApp")
        constraints = [
            models.CheckConstraint(
                condition=Q(wa_id__isnull=False) | Q(bsuid__isnull=False),
                name="wa_conversation_has_identity",
            ),
        ]

    def __str__(self) -> str:
        return self.profile_name or self.wa_id or self.bsuid or f"#{self.pk}"


class MediaStatus(models.TextChoices):
    NONE = "none", _("Tanpa media")
    PENDING = "pending", _("Menunggu unduhan")
    STORED = "stored", _("Tersimpan")
    FAILED = "failed", _("Gagal diunduh")


class InboundMessage(models.Model):
    """One message a resident sent, stored once per wamid however often Meta redelivers it."""

    wamid = models.CharField(_("ID pesan WhatsApp"), max_length=200, unique=True)
    conversation = models.ForeignKey(
        Conversation,
        on_delete=models.PROTECT,
        related_name="messages",
        verbose_name=_("percakapan"),
    )
    delivery = models.ForeignKey(
        WebhookDelivery,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("kiriman webhook"),
    )
    kind = models.CharField(_("jenis"), max_length=30)
    text = models.TextField(_("teks"), blank=True)
    reply_id = models.CharField(_("ID pilihan"), max_length=256, blank=True)
    context_id = models.CharField(_("membalas pesan"), max_length=200, blank=True)
    payload = models.JSONField(_("pesan mentah"), default=dict)
    errors = models.JSONField(_("galat"), default=list, blank=True)
    sent_at = models.DateTimeField(_("dikirim warga"))
    received_at = models.DateTimeField(_("diterima"), auto_now_add=True)
    handled_at = models.DateTimeField(_("ditangani"), null=True, blank=True)
    media_id = models.CharField(_("ID media"), max_length=200, blank=True)
    media_mime = models.CharField(_("jenis media"), max_length=100, blank=True)
    media_status = models.CharField(
        _("status media"), max_length=20, choices=MediaStatus.choices, default=MediaStatus.NONE
    )
    media_file = models.FileField(
        _("berkas media"), upload_to="whatsapp/%Y/%m/", blank=True, db_index=True
    )

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("pesan masuk")
        verbose_name_plural = _("pesan masuk")
        indexes = [
            models.Index(fields=["conversation", "-sent_at"], name="wa_inbound_thread_idx"),
            models.Index(
                fields=["received_at"],
                name="wa_inbound_media_due_idx",
                condition=Q(media_status="pending"),
            ),
        ]

    def __str__(self) -> str:
        return self.wamid


class StatusEvent(models.Model):
    """A delivery status Meta reported for one of our messages (kept even for unknown wamids)."""

    wamid = models.CharField(_("ID pesan WhatsApp"), max_length=200)
    status = models.CharField(_("status"), max_length=20)
    at = models.DateTimeField(_("waktu"))
    recipient = models.CharField(_("penerima"), max_length=100, blank=True)
    errors = models.JSONField(_("galat"), default=list, blank=True)
    delivery = models.ForeignKey(
        WebhookDelivery,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="status_events",
        verbose_name=_("kiriman webhook"),
    )
    received_at = models.DateTimeField(_("diterima"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("status pesan keluar")
        verbose_name_plural = _("status pesan keluar")
        constraints = [
            models.UniqueConstraint(fields=["wamid", "status"], name="wa_status_once"),
        ]

    def __str__(self) -> str:
        return f"{self.wamid}: {self.status}"
