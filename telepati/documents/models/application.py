"""Applications for population documents, their timeline and delivery attempts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from telepati.citizens.models import Citizen
from telepati.core.models import TimeStampedModel
from telepati.documents.lifecycle import AWAITING_HANDOVER, IN_PROGRESS_STATES, Status
from telepati.documents.models.catalogue import DocumentType
from telepati.org.models import Kecamatan, Kelurahan, Unit


class Channel(models.TextChoices):
    COUNTER = "counter", _("Loket kantor")
    WEB = "web", _("Situs web")
    WHATSAPP = "whatsapp", _("WhatsApp")


class HandoverMode(models.TextChoices):
    NONE = "", _("Belum memilih")
    PICKUP = "pickup", _("Ambil di kantor")
    DELIVERY = "delivery", _("Antar ke rumah")


class Application(TimeStampedModel):
    """A resident's application for one population document and where it stands."""

    code = models.CharField(_("kode permohonan"), max_length=20, unique=True)
    submission_key = models.CharField(
        _("kunci pengiriman"),
        max_length=120,
        null=True,
        blank=True,
        unique=True,
        help_text=_("Dari pintu masuk (mis. ID pesan WhatsApp); kiriman ulang tidak jadi dua."),
    )
    channel = models.CharField(_("kanal"), max_length=20, choices=Channel.choices)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registered_applications",
        verbose_name=_("dicatat oleh"),
    )
    kecamatan = models.ForeignKey(
        Kecamatan,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("kecamatan"),
    )
    kelurahan = models.ForeignKey(
        Kelurahan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("kelurahan"),
    )
    document_type = models.ForeignKey(
        DocumentType,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("jenis dokumen"),
    )
    handling_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("unit penanganan"),
    )
    applicant = models.ForeignKey(
        Citizen,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("pemohon (warga)"),
    )
    applicant_name = models.CharField(_("nama pemohon"), max_length=120)
    phone = models.CharField(
        _("nomor WhatsApp"), max_length=20, blank=True, help_text=_("E.164, untuk pemberitahuan.")
    )
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    notes = models.TextField(_("catatan petugas"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    version = models.PositiveIntegerField(_("versi"), default=1)
    fix_note = models.TextField(_("yang perlu diperbaiki"), blank=True)
    rejection_reason = models.TextField(_("alasan penolakan"), blank=True)
    cancel_reason = models.TextField(_("alasan pembatalan"), blank=True)
    document_number = models.CharField(
        _("nomor dokumen"), max_length=40, blank=True, help_text=_("Dari data Disdukcapil.")
    )
    # Lifecycle timestamps.
    applied_at = models.DateTimeField(_("diajukan warga/diterima"))
    received_at = models.DateTimeField(_("berkas diterima"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("diajukan ke Disdukcapil"), null=True, blank=True)
    issued_at = models.DateTimeField(_("terbit"), null=True, blank=True)
    handed_over_at = models.DateTimeField(_("diserahkan"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ditolak/dibatalkan"), null=True, blank=True)
    due_at = models.DateTimeField(_("target selesai"), null=True, blank=True)
    # Hand-over: the resident's choice, pick-up at the office or delivery.
    handover_mode = models.CharField(
        _("cara penyerahan"),
        max_length=10,
        choices=HandoverMode.choices,
        default=HandoverMode.NONE,
        blank=True,
    )
    delivery_address = models.CharField(_("alamat pengantaran"), max_length=255, blank=True)
    delivery_date = models.DateField(_("tanggal antar"), null=True, blank=True)
    delivery_latitude = models.DecimalField(
        _("lintang"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    delivery_longitude = models.DecimalField(
        _("bujur"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    courier = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("kurir"),
    )
    received_by_name = models.CharField(_("diterima oleh"), max_length=120, blank=True)
    received_by_relation = models.CharField(_("hubungan dengan pemohon"), max_length=60, blank=True)
    identity_checked = models.BooleanField(_("identitas diperiksa"), default=False)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handed_over_applications",
        verbose_name=_("diserahkan oleh"),
    )
    # Reminders while an issued document waits to be collected.
    reminder_due_at = models.DateTimeField(_("pengingat berikutnya"), null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("pengingat terkirim"), default=0)

    class Meta:
        ordering = ["-applied_at", "-id"]
        verbose_name = _("permohonan dokumen")
        verbose_name_plural = _("permohonan dokumen")
        indexes = [
            models.Index(
                fields=["kecamatan", "status", "-applied_at"], name="application_desk_idx"
            ),
            models.Index(fields=["kelurahan", "-applied_at"], name="application_kelurahan_idx"),
            models.Index(fields=["handling_unit", "-applied_at"], name="application_unit_idx"),
            models.Index(fields=["nik"], name="application_nik_idx"),
            models.Index(fields=["courier", "delivery_date"], name="application_courier_idx"),
            models.Index(
                fields=["due_at"],
                name="application_due_idx",
                condition=Q(status__in=sorted(s.value for s in IN_PROGRESS_STATES)),
            ),
            models.Index(
                fields=["reminder_due_at"],
                name="application_reminder_idx",
                condition=Q(status__in=sorted(s.value for s in AWAITING_HANDOVER)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.document_type_id}"


class EventKind(models.TextChoices):
    CREATED = "created", _("Dicatat")
    TRANSITION = "transition", _("Perubahan status")
    NOTE = "note", _("Catatan")
    DELIVERY = "delivery", _("Pengantaran")
    REMINDER = "reminder", _("Pengingat")
    IMPORT = "import", _("Impor data terbit")


class ApplicationEvent(models.Model):
    """One line of an application's timeline (public lines are what the applicant sees)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    action = models.CharField(max_length=20, blank=True)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_citizen = models.ForeignKey(
        Citizen, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_public = models.BooleanField(default=False)
    message = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["application", "created_at"], name="application_timeline_idx")
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.kind} {self.to_status}"


class AttemptOutcome(models.TextChoices):
    DELIVERED = "delivered", _("Terantar")
    FAILED = "failed", _("Gagal")


class DeliveryAttempt(models.Model):
    """One visit of a courier to the applicant's address, with proof or the reason it failed."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="delivery_attempts"
    )
    courier = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="delivery_attempts"
    )
    outcome = models.CharField(_("hasil"), max_length=10, choices=AttemptOutcome.choices)
    reason = models.TextField(_("alasan gagal"), blank=True)
    recipient_name = models.CharField(_("nama penerima"), max_length=120, blank=True)
    recipient_relation = models.CharField(_("hubungan dengan pemohon"), max_length=60, blank=True)
    photo = models.ImageField(
        _("foto bukti"), upload_to="documents/delivery/%Y/%m/", blank=True, db_index=True
    )
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    attempted_at = models.DateTimeField(_("waktu"))
    rescheduled_to = models.DateField(_("dijadwalkan ulang"), null=True, blank=True)

    class Meta:
        ordering = ["attempted_at", "id"]
        verbose_name = _("upaya pengantaran")
        verbose_name_plural = _("upaya pengantaran")

    def __str__(self) -> str:
        return f"{self.application_id} {self.outcome}"
