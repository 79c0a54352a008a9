"""Intake: a report arrives from any door (WhatsApp, web, counter, phone, API).

`report_submit` validates what the door collected, finds or creates the reporter's contact,
gives the report a tracking number, starts the verification clock, stores attachments,
writes the first timeline event and queues the acknowledgement — all in one transaction.
A door that may resend (a WhatsApp redelivery, a double-clicked form) passes a
`submission_key`; the same key returns the report already made instead of a second one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from telepati.accounts.models import User
from telepati.citizens.models import Citizen
from telepati.citizens.services import citizen_get_or_create
from telepati.core.errors import InvalidInput
from telepati.core.phone import PhoneNumber, phone_normalize
from telepati.core.sequences import tracking_code_next
from telepati.org.models import Kecamatan, Kelurahan, Lingkungan
from telepati.reports.lifecycle import Status
from telepati.reports.models import (
    Category,
    CategoryQuestion,
    Channel,
    Classification,
    EventKind,
    Priority,
    Report,
)
from telepati.reports.questions import answers_clean
from telepati.reports.services.common import (
    deadline,
    event_append,
    moment_format,
    now,
    reporter_notify,
    resident_language,
)
from telepati.reports.services.media import PreparedUpload, attachments_store

DESCRIPTION_MIN_LENGTH = 10
DESCRIPTION_MAX_LENGTH = 4000


@dataclass(frozen=True)
class ReportDraft:
    """What a door collected from a resident (or an officer at the counter) for a new report."""

    category_code: str
    description: str
    channel: Channel
    classification: Classification = Classification.COMPLAINT
    title: str = ""
    kelurahan_id: int | None = None
    lingkungan_id: int | None = None
    kecamatan_code: str = ""
    latitude: Decimal | float | str | None = None
    longitude: Decimal | float | str | None = None
    address: str = ""
    reporter_name: str = ""
    reporter_phone: str = ""
    reporter_wa_bsuid: str = ""
    reporter_email: str = ""
    is_anonymous: bool = False
    is_confidential: bool = False
    priority: Priority = Priority.NORMAL
    uploads: list[PreparedUpload] = field(default_factory=list)
    submitted_at: datetime | None = None
    submission_key: str = ""
    # Answers to the category's extra questions, by question code (see reports.questions).
    # A door that showed the questions sets `questions_asked`, so required ones must be there.
    answers: dict[str, Any] = field(default_factory=dict)
    questions_asked: bool = False
    # The integration client filing it (Open311, REST API), so it can list its own reports.
    api_client_id: int | None = None
    # False for a door that follows the report itself (the REST API: the client's app shows
    # the progress), so a resident may file without a phone or e-mail there.
    contact_required: bool = True


def report_submit(*, draft: ReportDraft, entered_by: User | None = None) -> Report:
    """Create a report from a door's draft; the same `submission_key` never makes two."""
    if draft.submission_key:
        existing = Report.objects.filter(submission_key=draft.submission_key).first()
        if existing is not None:
            return existing
    clean = _draft_clean(draft)
    try:
        with transaction.atomic():
            return _report_create(draft=draft, clean=clean, entered_by=entered_by)
    except IntegrityError:
        if draft.submission_key:
            existing = Report.objects.filter(submission_key=draft.submission_key).first()
            if existing is not None:
                return existing
        raise


@dataclass(frozen=True)
class _CleanDraft:
    category: Category
    kecamatan: Kecamatan
    kelurahan: Kelurahan | None
    lingkungan: Lingkungan | None
    phone: PhoneNumber | None
    latitude: Decimal | None
    longitude: Decimal | None
    answers: dict[str, Any]


def _draft_clean(draft: ReportDraft) -> _CleanDraft:
    """Validate a draft; every problem is reported at once, per field, in Indonesian."""
    errors: dict[str, list[str]] = {}

    category = Category.objects.filter(code=draft.category_code, is_active=True).first()
    if category is None:
        errors.setdefault("category", []).append(_("Pilih kategori laporan yang tersedia."))

    description = draft.description.strip()
    if len(description) < DESCRIPTION_MIN_LENGTH:
        errors.setdefault("description", []).append(
            _("Ceritakan masalahnya minimal %(n)d karakter.") % {"n": DESCRIPTION_MIN_LENGTH}
        )
    elif len(description) > DESCRIPTION_MAX_LENGTH:
        errors.setdefault("description", []).append(
            _("Uraian terlalu panjang (maksimal %(n)d karakter).") % {"n": DESCRIPTION_MAX_LENGTH}
        )

    kelurahan = None
    if draft.kelurahan_id is not None:
        kelurahan = (
            Kelurahan.objects.select_related("kecamatan")
            .filter(pk=draft.kelurahan_id, is_active=True)
            .first()
        )
        if kelurahan is None:
            errors.setdefault("kelurahan", []).append(_("Kelurahan tidak dikenal."))

    lingkungan = None
    if draft.lingkungan_id is not None:
        lingkungan = Lingkungan.objects.filter(pk=draft.lingkungan_id, is_active=True).first()
        if lingkungan is None or (
            kelurahan is not None and lingkungan.kelurahan_id != kelurahan.pk
        ):
            errors.setdefault("lingkungan", []).append(
                _("Lingkungan tidak termasuk kelurahan yang dipilih.")
            )

    kecamatan = kelurahan.kecamatan if kelurahan is not None else None
    if kecamatan is None:
        code = draft.kecamatan_code or settings.TELEPATI_DEFAULT_KECAMATAN
        kecamatan = Kecamatan.objects.filter(code=code, is_active=True).first()
        if kecamatan is None:
            errors.setdefault("kelurahan", []).append(_("Pilih kelurahan lokasi masalah."))

    phone = None
    if draft.reporter_phone.strip():
        try:
            phone = phone_normalize(draft.reporter_phone)
        except ValidationError as exc:
            errors.setdefault("reporter_phone", []).extend(exc.messages)
    email = draft.reporter_email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.setdefault("reporter_email", []).append(_("Alamat surel tidak valid."))
    no_contact = not draft.reporter_wa_bsuid and not email
    if draft.contact_required and phone is None and no_contact and "reporter_phone" not in errors:
        errors.setdefault("reporter_phone", []).append(
            _("Isi nomor WhatsApp agar kami dapat mengabarkan tindak lanjutnya.")
        )

    latitude, longitude = _coordinates(draft, errors)
    if latitude is None and not draft.address.strip() and kelurahan is None:
        errors.setdefault("address", []).append(
            _("Tunjukkan lokasi: bagikan titik peta, tulis alamat, atau pilih kelurahan.")
        )

    if len(draft.uploads) > settings.TELEPATI_UPLOAD_MAX_FILES:
        errors.setdefault("uploads", []).append(
            _("Paling banyak %(n)d lampiran per laporan.")
            % {"n": settings.TELEPATI_UPLOAD_MAX_FILES}
        )

    answers: dict[str, Any] = {}
    if category is not None and (draft.answers or draft.questions_asked):
        try:
            answers = answers_clean(
                questions=CategoryQuestion.objects.filter(category=category),
                answers=draft.answers,
                require=draft.questions_asked,
            )
        except InvalidInput as exc:
            for code, messages in exc.field_errors.items():
                errors.setdefault(f"answers.{code}", []).extend(messages)

    if errors:
        raise InvalidInput(
            _("Laporan belum lengkap. Periksa isian yang ditandai."), field_errors=errors
        )
    assert category is not None
    assert kecamatan is not None
    return _CleanDraft(
        category, kecamatan, kelurahan, lingkungan, phone, latitude, longitude, answers
    )


def _coordinates(
    draft: ReportDraft, errors: dict[str, list[str]]
) -> tuple[Decimal | None, Decimal | None]:
    if draft.latitude in (None, "") and draft.longitude in (None, ""):
        return None, None
    try:
        latitude = Decimal(str(draft.latitude)).quantize(Decimal("0.000001"))
        longitude = Decimal(str(draft.longitude)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        errors.setdefault("location", []).append(_("Titik lokasi tidak valid."))
        return None, None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        errors.setdefault("location", []).append(_("Titik lokasi tidak valid."))
        return None, None
    return latitude, longitude


def tracking_number_next(*, at: datetime) -> str:
    """The next tracking number for the month of `at` (WIB), e.g. L2611-0042.

    Must run inside a transaction (see core.sequences: concurrent submissions never share a
    number).
    """
    return tracking_code_next(prefix=settings.TELEPATI_TRACKING_PREFIX, at=at)


def _report_create(*, draft: ReportDraft, clean: _CleanDraft, entered_by: User | None) -> Report:
    submitted_at = draft.submitted_at or now()
    reporter: Citizen | None = None
    if clean.phone is not None or draft.reporter_wa_bsuid or draft.reporter_email.strip():
        reporter = citizen_get_or_create(
            phone=clean.phone,
            wa_bsuid=draft.reporter_wa_bsuid,
            name=draft.reporter_name,
            email=draft.reporter_email,
        )
    category = clean.category
    report = Report.objects.create(
        tracking_number=tracking_number_next(at=submitted_at),
        submission_key=draft.submission_key or None,
        entered_by=entered_by,
        api_client_id=draft.api_client_id,
        kecamatan=clean.kecamatan,
        kelurahan=clean.kelurahan,
        lingkungan=clean.lingkungan,
        category=category,
        classification=draft.classification,
        channel=draft.channel,
        priority=draft.priority,
        title=draft.title.strip()[:150],
        description=draft.description.strip(),
        reporter=reporter,
        is_anonymous=draft.is_anonymous,
        is_confidential=draft.is_confidential or not category.public_by_default,
        latitude=clean.latitude,
        longitude=clean.longitude,
        address=draft.address.strip()[:255],
        answers=clean.answers,
        status=Status.NEW,
        submitted_at=submitted_at,
        verification_due_at=deadline(start=submitted_at, days=category.sla_verification_days),
    )
    event = event_append(
        report=report,
        kind=EventKind.SUBMITTED,
        at=submitted_at,
        to_status=Status.NEW,
        actor=entered_by,
        actor_citizen=reporter,
        is_public=True,
        message=_("Laporan diterima melalui %(channel)s.")
        % {"channel": report.get_channel_display()},
    )
    if draft.uploads:
        attachments_store(
            report=report, uploads=draft.uploads, event=event, is_public=not report.is_anonymous
        )
    with resident_language():
        text = _(
            "Terima kasih, laporan Anda sudah kami terima dengan nomor %(number)s "
            "(kategori: %(category)s). Petugas akan memeriksanya paling lambat %(due)s. "
            "Ketik “cek %(number)s” untuk melihat perkembangannya."
        ) % {
            "number": report.tracking_number,
            "category": category.name,
            "due": moment_format(report.verification_due_at),
        }
    reporter_notify(
        report=report,
        key="submitted",
        text=text,
        template_name="laporan_diterima",
        template_params=[report.tracking_number, category.name],
    )
    return report
