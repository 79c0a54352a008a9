"""The transactional outbox: every message to a resident is a row before it is a request.

The outbox knows recipients and texts, never reports: a domain service writes the row in the
same transaction as the change that causes it (`messaging.services.message_enqueue`), and
delivery runs after commit. `reference` ties a message to its cause for people reading logs.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Antre")
    SENDING = "sending", _("Sedang dikirim")
    SENT = "sent", _("Terkirim ke server")
    DELIVERED = "delivered", _("Diterima")
    READ = "read", _("Dibaca")
    FAILED = "failed", _("Gagal")
    CANCELLED = "cancelled", _("Dibatalkan")


class OutboundMessage(models.Model):
    """One message to one resident, with its delivery state."""

    dedupe_key = models.CharField(
        _("kunci unik"),
        max_length=200,
        unique=True,
        help_text=_("Pesan yang sama untuk peristiwa yang sama hanya disimpan sekali."),
    )
    recipient_phone = models.CharField(_("nomor penerima"), max_length=20, blank=True)
    recipient_wa_bsuid = models.CharField(_("ID WhatsApp penerima"), max_length=100, blank=True)
    text = models.TextField(_("isi pesan"))
    template_name = models.CharField(
        _("templat"),
        max_length=100,
        blank=True,
        help_text=_("Templat WhatsApp yang disetujui, dipakai di luar jendela 24 jam."),
    )
    template_params = models.JSONField(_("parameter templat"), default=list, blank=True)
    interactive = models.JSONField(_("tombol/daftar"), null=True, blank=True)
    reference = models.CharField(_("rujukan"), max_length=100, blank=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    next_attempt_at = models.DateTimeField(_("percobaan berikutnya"), null=True, blank=True)
    sending_started_at = models.DateTimeField(
        _("mulai dikirim"),
        null=True,
        blank=True,
        help_text=_("Saat pengiriman terakhir dimulai; yang terlalu lama tertahan dicek petugas."),
    )
    provider_message_id = models.CharField(
        _("ID pesan penyedia"), max_length=200, null=True, blank=True, unique=True
    )
    last_error_code = models.CharField(_("kode galat terakhir"), max_length=40, blank=True)
    last_error = models.TextField(_("galat terakhir"), blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("dikirim"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("diterima"), null=True, blank=True)
    read_at = models.DateTimeField(_("dibaca"), null=True, blank=True)
    failed_at = models.DateTimeField(_("gagal"), null=True, blank=True)
    requeued_at = models.DateTimeField(_("diantrekan ulang"), null=True, blank=True)
    requeued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diantrekan ulang oleh"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pesan keluar")
        verbose_name_plural = _("pesan keluar")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_due_idx",
                condition=Q(status="queued"),
            ),
            # The sweep looks for rows left in "sending" (a worker died mid-send).
            models.Index(
                fields=["sending_started_at"],
                name="outbox_sending_idx",
                condition=Q(status="sending"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(recipient_phone="") | ~Q(recipient_wa_bsuid=""),
                name="outbound_has_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_phone or self.recipient_wa_bsuid}: {self.text[:40]}"


class PaceSlot(models.Model):
    """The earliest moment the next message may go out for one sender or one recipient.

    Shared by every worker process through the database; see `telepati.messaging.pacing`.
    """

    key = models.CharField(_("kunci"), max_length=150, unique=True)
    next_at_us = models.BigIntegerField(_("slot berikutnya (mikrodetik epoch)"), default=0)

    class Meta:
        verbose_name = _("slot pengiriman")
        verbose_name_plural = _("slot pengiriman")

    def __str__(self) -> str:
        return self.key
