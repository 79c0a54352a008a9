"""A report (laporan), its tracking-number counter, its followers and its timeline."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from telepati.citizens.models import Citizen
from telepati.core.models import TimeStampedModel
from telepati.org.models import Kecamatan, Kelurahan, Lingkungan, Unit
from telepati.reports.lifecycle import Status
from telepati.reports.models.category import Category


class Classification(models.TextChoices):
    COMPLAINT = "complaint", _("Pengaduan")
    ASPIRATION = "aspiration", _("Aspirasi")
    INFORMATION = "information", _("Permintaan informasi")


class Channel(models.TextChoices):
    WHATSAPP = "whatsapp", _("WhatsApp")
    WEB = "web", _("Web")
    COUNTER = "counter", _("Loket")
    PHONE = "phone", _("Telepon")
    API = "api", _("API")


class Priority(models.TextChoices):
    LOW = "low", _("Rendah")
    NORMAL = "normal", _("Biasa")
    HIGH = "high", _("Tinggi")
    URGENT = "urgent", _("Darurat")


class Report(TimeStampedModel):
    """A resident's complaint, suggestion or information request and where it stands."""

    tracking_number = models.CharField(_("nomor laporan"), max_length=20, unique=True)
    submission_key = models.CharField(
        _("kunci pengiriman"),
        max_length=120,
        null=True,
        blank=True,
        unique=True,
        help_text=_("Dari pintu masuk (mis. ID pesan WhatsApp); kiriman ulang tidak jadi dua."),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entered_reports",
        verbose_name=_("dicatat oleh"),
    )
    # The integration client that filed it (Open311 or the REST API): a client lists its own.
    api_client = models.ForeignKey(
        "apikeys.ApiClient",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,  # report_api_client_idx below starts with it
        related_name="reports",
        verbose_name=_("klien API"),
    )
    kecamatan = models.ForeignKey(
        Kecamatan, on_delete=models.PROTECT, related_name="reports", verbose_name=_("kecamatan")
    )
    kelurahan = models.ForeignKey(
        Kelurahan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("kelurahan"),
    )
    lingkungan = models.ForeignKey(
        Lingkungan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("lingkungan"),
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="reports", verbose_name=_("kategori")
    )
    classification = models.CharField(
        _("klasifikasi"),
        max_length=20,
        choices=Classification.choices,
        default=Classification.COMPLAINT,
    )
    channel = models.CharField(_("kanal"), max_length=20, choices=Channel.choices)
    priority = models.CharField(
        _("prioritas"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    title = models.CharField(_("judul"), max_length=150, blank=True)
    description = models.TextField(_("uraian"))
    reporter = models.ForeignKey(
        Citizen,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("pelapor"),
    )
    is_anonymous = models.BooleanField(
        _("anonim"),
        default=False,
        help_text=_("Identitas pelapor hanya terlihat oleh petugas meja kecamatan."),
    )
    is_confidential = models.BooleanField(
        _("rahasia"), default=False, help_text=_("Seluruh laporan tidak tampil di halaman publik.")
    )
    latitude = models.DecimalField(
        _("lintang"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("bujur"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    address = models.CharField(_("alamat/lokasi"), max_length=255, blank=True)
    answers = models.JSONField(
        _("jawaban pertanyaan kategori"),
        default=dict,
        blank=True,
        help_text=_("Jawaban atas pertanyaan tambahan kategori, menurut kode pertanyaan."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    version = models.PositiveIntegerField(
        _("versi"), default=1, help_text=_("Naik setiap perubahan; mencegah dua petugas menimpa.")
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_reports",
        verbose_name=_("ditangani oleh"),
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_reports",
        verbose_name=_("digabung ke"),
    )
    rejection_reason = models.TextField(_("alasan penolakan"), blank=True)
    hold_reason = models.TextField(_("yang perlu diklarifikasi"), blank=True)
    external_ref = models.CharField(
        _("nomor SP4N-LAPOR!"),
        max_length=40,
        blank=True,
        help_text=_("Nomor pelacakan bila laporan juga tercatat di SP4N-LAPOR!."),
    )
    # Lifecycle timestamps.
    submitted_at = models.DateTimeField(_("diterima"))
    verified_at = models.DateTimeField(_("diverifikasi"), null=True, blank=True)
    forwarded_at = models.DateTimeField(_("didisposisikan"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("tindak lanjut pertama"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("diselesaikan"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)
    # Deadlines (working-day calendar) and their one-time escalation marks.
    verification_due_at = models.DateTimeField(_("batas verifikasi"), null=True, blank=True)
    response_due_at = models.DateTimeField(_("batas tindak lanjut"), null=True, blank=True)
    resolution_due_at = models.DateTimeField(_("batas penyelesaian"), null=True, blank=True)
    dispute_until = models.DateTimeField(_("batas sanggahan"), null=True, blank=True)
    verification_breached_at = models.DateTimeField(null=True, blank=True)
    response_breached_at = models.DateTimeField(null=True, blank=True)
    resolution_breached_at = models.DateTimeField(null=True, blank=True)
    # The inbox's "lewat batas waktu" filter, stored: a breach mark is set (here or on a
    # disposition) or a running deadline has passed, as the SLA sweep last saw it
    # (`services.sla.report_breached_refresh`; the escalations set it with the mark).
    breached = models.BooleanField(
        _("lewat batas waktu"), default=False, db_default=False, editable=False
    )
    # Satisfaction.
    rating = models.PositiveSmallIntegerField(
        _("penilaian"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    rating_comment = models.TextField(_("komentar penilaian"), blank=True)
    rated_at = models.DateTimeField(_("dinilai"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("laporan")
        verbose_name_plural = _("laporan")
        indexes = [
            models.Index(fields=["kecamatan", "status", "-submitted_at"], name="report_inbox_idx"),
            models.Index(fields=["kelurahan", "-submitted_at"], name="report_kelurahan_idx"),
            models.Index(fields=["category", "-submitted_at"], name="report_category_idx"),
            models.Index(fields=["-submitted_at", "-id"], name="report_newest_idx"),
            # The inbox's "lewat batas waktu" filter, newest first: an index range.
            models.Index(
                fields=["-submitted_at", "-id"],
                name="report_breached_newest_idx",
                condition=Q(breached=True),
            ),
            # The sweep's candidates for clearing the flag: flagged without a mark of its own.
            models.Index(
                fields=["id"],
                name="report_breached_unmarked_idx",
                condition=Q(
                    breached=True,
                    verification_breached_at__isnull=True,
                    response_breached_at__isnull=True,
                    resolution_breached_at__isnull=True,
                ),
            ),
            # One status, newest first: the inbox's status tabs and their capped counts.
            models.Index(
                fields=["status", "-submitted_at", "-id"], name="report_status_newest_idx"
            ),
            # The inbox's capped status counts read only this index (index-only scans on
            # PostgreSQL, a covering index on SQLite): status, the scope's area columns, the
            # kelurahan and breached filters, and the id (the scope's dispositions).
            models.Index(
                fields=["status", "kelurahan", "kecamatan", "breached", "id"],
                name="report_status_counts_idx",
            ),
            # A month's answered, resolved, rated and due reports (dashboard and statistics).
            models.Index(fields=["first_response_at"], name="report_first_response_idx"),
            models.Index(fields=["resolved_at"], name="report_resolved_idx"),
            models.Index(fields=["rated_at"], name="report_rated_idx"),
            models.Index(fields=["resolution_due_at"], name="report_resolution_at_idx"),
            models.Index(
                fields=["api_client", "-submitted_at", "-id"], name="report_api_client_idx"
            ),
            models.Index(fields=["latitude", "longitude"], name="report_location_idx"),
            # Duplicate suggestions: open reports of one category in a latitude band (the
            # statuses are lifecycle.OPEN_STATES; a test keeps them equal).
            models.Index(
                fields=["category", "latitude"],
                name="report_open_nearby_idx",
                condition=Q(status__in=["forwarded", "in_progress", "new", "on_hold", "verified"]),
            ),
            models.Index(
                fields=["verification_due_at"],
                name="report_verify_due_idx",
                condition=Q(verification_breached_at__isnull=True, status__in=["new", "on_hold"]),
            ),
            models.Index(
                fields=["response_due_at"],
                name="report_response_due_idx",
                condition=Q(response_breached_at__isnull=True, first_response_at__isnull=True),
            ),
            models.Index(
                fields=["resolution_due_at"],
                name="report_resolution_due_idx",
                condition=Q(resolution_breached_at__isnull=True, resolved_at__isnull=True),
            ),
            models.Index(
                fields=["dispute_until"],
                name="report_autoclose_idx",
                condition=Q(status="resolved"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="report_rating_1_to_5",
            ),
            models.CheckConstraint(
                condition=~Q(status="merged") | Q(merged_into__isnull=False),
                name="report_merged_has_target",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="report_rejected_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_number


class ReportFollower(models.Model):
    """A resident who receives a report's updates besides its reporter (merged duplicates)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="followers")
    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="followed_reports")
    source_report = models.ForeignKey(
        Report, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "citizen"], name="report_follower_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.citizen} → {self.report}"


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Laporan diterima")
    TRANSITION = "transition", _("Perubahan status")
    NOTE = "note", _("Catatan internal")
    UPDATE = "update", _("Kabar tindak lanjut")
    DISPOSITION = "disposition", _("Disposisi")
    ESCALATION = "escalation", _("Eskalasi batas waktu")
    RATING = "rating", _("Penilaian warga")
    EDIT = "edit", _("Perubahan data")


class ReportEvent(models.Model):
    """One line of a report's timeline: who did what, when, and whether the public sees it."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    action = models.CharField(max_length=20, blank=True)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_events",
    )
    actor_citizen = models.ForeignKey(
        Citizen, on_delete=models.PROTECT, null=True, blank=True, related_name="report_events"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_public = models.BooleanField(default=False)
    message = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["report", "created_at"], name="report_event_timeline_idx")]

    def __str__(self) -> str:
        return f"{self.report_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"
