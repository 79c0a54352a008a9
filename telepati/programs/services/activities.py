"""The program activity log: recording an activity, its progress, its photos and the
complaints it resolves.

An activity is recorded once (`activity_record`), then its progress moves between 0 and
100 % (`activity_update_progress`; 100 % with an end date marks a finished work), photos are
added before, during and after (`activity_photo_add`, cleaned of EXIF/GPS) and the
complaints it resolves are linked by tracking number (`activity_link_report`) — only
complaints of the same kecamatan; public pages show a linked number only when that
complaint is public itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from telepati.accounts.models import User
from telepati.core.errors import InvalidInput, NotFound
from telepati.org.models import Kelurahan
from telepati.programs.models import (
    Activity,
    ActivityKind,
    ActivityPhoto,
    BudgetSource,
    PhotoStage,
    Program,
)
from telepati.programs.models.activity import PROGRAM_KINDS
from telepati.programs.services.common import (
    PhotoUpload,
    officer_require,
    photo_prepare,
    photo_store,
    version_check,
)
from telepati.reports.models import Report

# A rough box around Kota Medan and its neighbours: catches swapped or mistyped coordinates.
_LAT_RANGE = (Decimal("2.5"), Decimal("4.5"))
_LNG_RANGE = (Decimal("97.5"), Decimal("99.5"))


@dataclass(frozen=True)
class ActivityDraft:
    """What an officer records about an activity."""

    kecamatan_id: int
    program: str
    kind: str
    title: str
    date: dt.date
    place_name: str
    kelurahan_id: int | None = None
    end_date: dt.date | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    description: str = ""
    partner: str = ""
    budget_source: str = ""
    budget_amount: int | None = None
    progress_percent: int = 0
    target_group: str = ""
    people_count: int | None = None
    is_public: bool = True


def activity_draft_check(draft: ActivityDraft) -> None:
    """Raise InvalidInput with every field's problem at once (no database access)."""
    errors: dict[str, list[str]] = {}
    if draft.program not in Program.values:
        errors["program"] = [_("Pilih program.")]
    if draft.kind not in ActivityKind.values:
        errors["kind"] = [_("Pilih jenis kegiatan.")]
    elif draft.kind != ActivityKind.OTHER and draft.kind not in PROGRAM_KINDS.get(
        draft.program, frozenset()
    ):
        errors["kind"] = [_("Jenis kegiatan ini bukan bagian dari program yang dipilih.")]
    if not draft.title.strip():
        errors["title"] = [_("Judul kegiatan wajib diisi.")]
    if not draft.place_name.strip():
        errors["place_name"] = [_("Lokasi kegiatan wajib diisi.")]
    if draft.end_date is not None and draft.end_date < draft.date:
        errors["end_date"] = [_("Tanggal selesai tidak boleh sebelum tanggal mulai.")]
    if (draft.latitude is None) != (draft.longitude is None):
        errors["latitude"] = [_("Isi lintang dan bujur bersama-sama, atau kosongkan keduanya.")]
    elif draft.latitude is not None and not _in_medan(draft.latitude, draft.longitude):
        errors["latitude"] = [_("Koordinat berada di luar wilayah Kota Medan.")]
    if draft.budget_source and draft.budget_source not in BudgetSource.values:
        errors["budget_source"] = [_("Pilih sumber anggaran.")]
    _progress_check(draft.progress_percent, errors)
    if draft.kind == ActivityKind.VACCINATION and not draft.target_group.strip():
        errors["target_group"] = [_("Isi sasaran vaksinasi (mis. lansia, anak).")]
    if errors:
        raise InvalidInput(_("Periksa kembali data kegiatan."), field_errors=errors)


def _in_medan(latitude: Decimal, longitude: Decimal | None) -> bool:
    return (
        longitude is not None
        and _LAT_RANGE[0] <= latitude <= _LAT_RANGE[1]
        and _LNG_RANGE[0] <= longitude <= _LNG_RANGE[1]
    )


def _progress_check(progress: int, errors: dict[str, list[str]]) -> None:
    if not 0 <= progress <= 100:
        errors["progress_percent"] = [_("Progres diisi 0 sampai 100.")]


def activity_record(*, actor: User, draft: ActivityDraft) -> Activity:
    """Record an activity of the kecamatan (in one kelurahan, or across several)."""
    with transaction.atomic():
        officer_require(
            user=actor,
            kecamatan_id=draft.kecamatan_id,
            kelurahan_id=draft.kelurahan_id,
            not_found=_("Kecamatan tidak ditemukan."),
        )
        if (
            draft.kelurahan_id is not None
            and not Kelurahan.objects.filter(
                pk=draft.kelurahan_id, kecamatan_id=draft.kecamatan_id
            ).exists()
        ):
            message = _("Kelurahan tidak ditemukan di kecamatan ini.")
            raise InvalidInput(message, field_errors={"kelurahan": [message]})
        activity_draft_check(draft)
        return Activity.objects.create(
            kecamatan_id=draft.kecamatan_id,
            kelurahan_id=draft.kelurahan_id,
            program=draft.program,
            kind=draft.kind,
            title=draft.title.strip(),
            date=draft.date,
            end_date=draft.end_date,
            place_name=draft.place_name.strip(),
            latitude=draft.latitude,
            longitude=draft.longitude,
            description=draft.description.strip(),
            partner=draft.partner.strip(),
            budget_source=draft.budget_source,
            budget_amount=draft.budget_amount,
            progress_percent=draft.progress_percent,
            target_group=draft.target_group.strip(),
            people_count=draft.people_count,
            is_public=draft.is_public,
            created_by=actor,
        )


def _activity_lock(activity_id: int) -> Activity:
    activity = Activity.objects.select_for_update().filter(pk=activity_id).first()
    if activity is None:
        raise NotFound(_("Kegiatan tidak ditemukan."))
    return activity


def _activity_require(actor: User, activity: Activity) -> None:
    officer_require(
        user=actor,
        kecamatan_id=activity.kecamatan_id,
        kelurahan_id=activity.kelurahan_id,
        not_found=_("Kegiatan tidak ditemukan."),
    )


def activity_update_progress(
    *,
    actor: User,
    activity_id: int,
    progress_percent: int,
    end_date: dt.date | None = None,
    people_count: int | None = None,
    expected_version: int | None = None,
) -> Activity:
    """Move the progress of an activity (0–100 %); optionally its end date and the number of
    people reached. The same values again change nothing."""
    with transaction.atomic():
        activity = _activity_lock(activity_id)
        _activity_require(actor, activity)
        version_check(current=activity.version, expected=expected_version, label=activity.title)
        errors: dict[str, list[str]] = {}
        _progress_check(progress_percent, errors)
        if end_date is not None and end_date < activity.date:
            errors["end_date"] = [_("Tanggal selesai tidak boleh sebelum tanggal mulai.")]
        if errors:
            raise InvalidInput(_("Periksa kembali progres kegiatan."), field_errors=errors)
        changes = {"progress_percent": progress_percent}
        if end_date is not None:
            changes["end_date"] = end_date  # type: ignore[assignment]
        if people_count is not None:
            changes["people_count"] = people_count
        changed = [name for name, value in changes.items() if getattr(activity, name) != value]
        if changed:
            for name in changed:
                setattr(activity, name, changes[name])
            activity.version += 1
            activity.save(update_fields=[*changed, "version", "updated_at"])
    return activity


def activity_photo_add(
    *,
    actor: User,
    activity_id: int,
    photo: PhotoUpload,
    stage: str = PhotoStage.OTHER,
    caption: str = "",
) -> ActivityPhoto:
    """Add a photo (before, after, or documentation), cleaned before anything is stored."""
    prepared = photo_prepare(photo)
    with transaction.atomic():
        activity = _activity_lock(activity_id)
        _activity_require(actor, activity)
        if stage not in PhotoStage.values:
            message = _("Pilih tahap foto: sebelum, sesudah, atau dokumentasi.")
            raise InvalidInput(message, field_errors={"stage": [message]})
        row = ActivityPhoto(
            activity=activity, stage=stage, caption=caption.strip()[:200], uploaded_by=actor
        )
        row.sha256 = photo_store(row.photo, row.thumbnail, prepared)
        row.save()
    return row


def _report_in_kecamatan(activity: Activity, tracking_number: str) -> Report:
    number = tracking_number.strip().upper()
    report = Report.objects.filter(
        tracking_number=number, kecamatan_id=activity.kecamatan_id
    ).first()
    if report is None:
        message = _("Laporan %(number)s tidak ditemukan di kecamatan kegiatan ini.") % {
            "number": number or "-"
        }
        raise InvalidInput(message, field_errors={"tracking_number": [message]})
    return report


def activity_link_report(*, actor: User, activity_id: int, tracking_number: str) -> Report:
    """Link a complaint the activity resolves (same kecamatan only); linking twice is a no-op."""
    with transaction.atomic():
        activity = _activity_lock(activity_id)
        _activity_require(actor, activity)
        report = _report_in_kecamatan(activity, tracking_number)
        activity.reports.add(report)
    return report


def activity_unlink_report(*, actor: User, activity_id: int, tracking_number: str) -> None:
    """Remove a complaint linked by mistake; unlinking one not linked is a no-op."""
    with transaction.atomic():
        activity = _activity_lock(activity_id)
        _activity_require(actor, activity)
        report = _report_in_kecamatan(activity, tracking_number)
        activity.reports.remove(report)
