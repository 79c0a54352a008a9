"""Bookings (janji temu) with their queue numbers, the per-slot load and the timeline."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from telepati.appointments.lifecycle import ACTIVE_STATES, Status
from telepati.appointments.models.service import OfficeService
from telepati.citizens.models import Citizen
from telepati.core.models import TimeStampedModel
from telepati.org.models import Kecamatan


class Channel(models.TextChoices):
    WHATSAPP = "whatsapp", _("WhatsApp")
    WEB = "web", _("Situs web")
    COUNTER = "counter", _("Datang langsung")


class SlotLoad(models.Model):
    """How many places of one slot are taken: claimed with a conditional UPDATE
    (taken < capacity), so two residents can never both take the last place."""

    service = models.ForeignKey(OfficeService, on_delete=models.CASCADE, related_name="loads")
    starts_at = models.DateTimeField()
    taken = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "starts_at"], name="slot_load_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.service_id} {self.starts_at:%Y-%m-%d %H:%M} {self.taken}"


class Booking(TimeStampedModel):
    """A resident's place at the office: a slot (or a walk-in), a queue number, a status."""

    code = models.CharField(_("kode janji temu"), max_length=20, unique=True)
    submission_key = models.CharField(max_length=120, null=True, blank=True, unique=True)
    kecamatan = models.ForeignKey(Kecamatan, on_delete=models.PROTECT, related_name="bookings")
    service = models.ForeignKey(
        OfficeService, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("layanan")
    )
    citizen = models.ForeignKey(
        Citizen, on_delete=models.PROTECT, null=True, blank=True, related_name="bookings"
    )
    name = models.CharField(_("nama"), max_length=120)
    phone = models.CharField(_("nomor WhatsApp"), max_length=20, blank=True)
    purpose = models.CharField(_("keperluan"), max_length=255, blank=True)
    channel = models.CharField(_("kanal"), max_length=20, choices=Channel.choices)
    is_walk_in = models.BooleanField(_("datang langsung"), default=False)
    slot_start = models.DateTimeField(_("jadwal"), null=True, blank=True)
    service_day = models.DateField(_("tanggal layanan"))
    queue_number = models.PositiveIntegerField(_("nomor antrean"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.BOOKED
    )
    version = models.PositiveIntegerField(default=1)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    called_at = models.DateTimeField(null=True, blank=True)
    served_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    counter_name = models.CharField(_("loket"), max_length=40, blank=True)
    served_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reminded_day_before_at = models.DateTimeField(null=True, blank=True)
    reminded_hour_before_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["service_day", "queue_number"]
        verbose_name = _("janji temu")
        verbose_name_plural = _("janji temu")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "service_day", "queue_number"], name="booking_queue_unique"
            ),
            # One active booking per person per service, enforced by the database as well.
            models.UniqueConstraint(
                fields=["service", "phone"],
                condition=Q(status__in=sorted(s.value for s in ACTIVE_STATES)) & ~Q(phone=""),
                name="booking_one_active_per_phone",
            ),
        ]
        indexes = [
            models.Index(fields=["service", "service_day", "status"], name="booking_queue_idx"),
            models.Index(fields=["slot_start"], name="booking_slot_idx"),
            models.Index(fields=["phone"], name="booking_phone_idx"),
        ]

    @property
    def queue_label(self) -> str:
        """The number shown on the display and called out: e.g. "A-007"."""
        return f"{self.service.queue_prefix}-{self.queue_number:03d}"

    def __str__(self) -> str:
        return self.code


class BookingEvent(models.Model):
    """One line of a booking's history (who did what, when)."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20, blank=True)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    message = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.booking_id} {self.action}"
