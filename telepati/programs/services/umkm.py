"""The UMKM registry: registering and updating businesses under guidance, their products and
training attendance.

A business moves through guidance statuses (calon binaan → binaan aktif → mandiri, or tidak
aktif at any point, and back when it resumes); the registry allows every move, so there is
no transition table — only who may change it (MANAGE_PROGRAMS in the business's kecamatan,
see `common`). The owner's name and phone are stored normalised and never leave the
back-office; a public contact is stored only with the owner's consent, stamped when given.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from telepati.accounts.models import User
from telepati.core.errors import InvalidInput, NotFound
from telepati.core.phone import phone_normalize
from telepati.org.models import Kelurahan
from telepati.programs.models import (
    Business,
    GuidanceStatus,
    Product,
    Retailer,
    Sector,
    Training,
    TrainingAttendance,
)
from telepati.programs.services.common import (
    PhotoUpload,
    officer_require,
    photo_prepare,
    photo_store,
    version_check,
)

_NIB_RE = re.compile(r"^\d{13}$")


@dataclass(frozen=True)
class BusinessDraft:
    """What an officer types about a business (registration and every later edit)."""

    kelurahan_id: int
    name: str
    sector: str
    owner_name: str
    registered_at: date
    owner_phone: str = ""
    description: str = ""
    address: str = ""
    public_contact: str = ""
    public_contact_consent: bool = False
    guidance_status: str = GuidanceStatus.CANDIDATE
    nib: str = ""
    is_public: bool = False
    retailer_ids: Sequence[int] = field(default_factory=tuple)


def business_draft_clean(draft: BusinessDraft) -> BusinessDraft:
    """Validate and normalise a draft (phones to E.164); raise InvalidInput with every
    field's problem at once. Pure apart from nothing: no database access."""
    errors: dict[str, list[str]] = {}
    name = draft.name.strip()
    owner_name = draft.owner_name.strip()
    if not name:
        errors["name"] = [_("Nama usaha wajib diisi.")]
    if not owner_name:
        errors["owner_name"] = [_("Nama pemilik wajib diisi.")]
    if draft.sector not in Sector.values:
        errors["sector"] = [_("Pilih sektor usaha.")]
    if draft.guidance_status not in GuidanceStatus.values:
        errors["guidance_status"] = [_("Pilih status binaan.")]
    nib = draft.nib.strip()
    if nib and not _NIB_RE.match(nib):
        errors["nib"] = [_("NIB terdiri atas 13 angka.")]
    owner_phone = _phone_clean(draft.owner_phone, "owner_phone", errors)
    public_contact = _phone_clean(draft.public_contact, "public_contact", errors)
    if draft.public_contact_consent and not public_contact:
        errors["public_contact"] = [_("Isi kontak publik yang disetujui pemilik.")]
    if errors:
        raise InvalidInput(_("Periksa kembali data UMKM."), field_errors=errors)
    return BusinessDraft(
        kelurahan_id=draft.kelurahan_id,
        name=name,
        sector=draft.sector,
        owner_name=owner_name,
        registered_at=draft.registered_at,
        owner_phone=owner_phone,
        description=draft.description.strip(),
        address=draft.address.strip(),
        public_contact=public_contact,
        public_contact_consent=draft.public_contact_consent,
        guidance_status=draft.guidance_status,
        nib=nib,
        is_public=draft.is_public,
        retailer_ids=tuple(sorted(set(draft.retailer_ids))),
    )


def _phone_clean(raw: str, field_name: str, errors: dict[str, list[str]]) -> str:
    if not raw.strip():
        return ""
    try:
        return phone_normalize(raw, mobile_only=False).e164
    except ValidationError as error:
        errors[field_name] = [str(message) for message in error.messages]
        return ""


def _kelurahan_get(kelurahan_id: int) -> Kelurahan:
    kelurahan = Kelurahan.objects.filter(pk=kelurahan_id).first()
    if kelurahan is None:
        raise NotFound(_("Kelurahan tidak ditemukan."))
    return kelurahan


def _retailers_check(draft: BusinessDraft, *, kecamatan_id: int) -> list[Retailer]:
    retailers = list(Retailer.objects.filter(pk__in=draft.retailer_ids, kecamatan_id=kecamatan_id))
    if len(retailers) != len(draft.retailer_ids):
        raise InvalidInput(
            _("Mitra pemasaran tidak ditemukan di kecamatan ini."),
            field_errors={"retailers": [_("Mitra pemasaran tidak ditemukan di kecamatan ini.")]},
        )
    return retailers


def _name_taken(*, kelurahan_id: int, name: str, exclude_id: int | None = None) -> None:
    taken = Business.objects.filter(kelurahan_id=kelurahan_id, name__iexact=name)
    if exclude_id is not None:
        taken = taken.exclude(pk=exclude_id)
    if taken.exists():
        message = _("Sudah ada UMKM bernama “%(name)s” di kelurahan ini.") % {"name": name}
        raise InvalidInput(message, field_errors={"name": [message]})


def _apply(business: Business, draft: BusinessDraft, *, kecamatan_id: int) -> None:
    consent_given = draft.public_contact_consent and not business.public_contact_consent
    business.kecamatan_id = kecamatan_id
    business.kelurahan_id = draft.kelurahan_id
    business.name = draft.name
    business.sector = draft.sector
    business.description = draft.description
    business.address = draft.address
    business.owner_name = draft.owner_name
    business.owner_phone = draft.owner_phone
    business.public_contact = draft.public_contact
    business.public_contact_consent = draft.public_contact_consent
    if consent_given:
        business.public_contact_consent_at = timezone.now()
    elif not draft.public_contact_consent:
        business.public_contact_consent_at = None
    business.guidance_status = draft.guidance_status
    business.registered_at = draft.registered_at
    business.nib = draft.nib
    business.is_public = draft.is_public


def business_register(*, actor: User, draft: BusinessDraft) -> Business:
    """Register a business in the kelurahan of the draft."""
    with transaction.atomic():
        kelurahan = _kelurahan_get(draft.kelurahan_id)
        officer_require(
            user=actor,
            kecamatan_id=kelurahan.kecamatan_id,
            kelurahan_id=kelurahan.pk,
            not_found=_("Kelurahan tidak ditemukan."),
        )
        clean = business_draft_clean(draft)
        retailers = _retailers_check(clean, kecamatan_id=kelurahan.kecamatan_id)
        _name_taken(kelurahan_id=kelurahan.pk, name=clean.name)
        business = Business(created_by=actor)
        _apply(business, clean, kecamatan_id=kelurahan.kecamatan_id)
        business.save()
        business.retailers.set(retailers)
    return business


def _business_lock(business_id: int) -> Business:
    business = Business.objects.select_for_update().filter(pk=business_id).first()
    if business is None:
        raise NotFound(_("UMKM tidak ditemukan."))
    return business


def _business_require(actor: User, business: Business) -> None:
    officer_require(
        user=actor,
        kecamatan_id=business.kecamatan_id,
        kelurahan_id=business.kelurahan_id,
        not_found=_("UMKM tidak ditemukan."),
    )


def business_update(
    *, actor: User, business_id: int, draft: BusinessDraft, expected_version: int | None = None
) -> Business:
    """Replace a business's data with the draft (it may move to another kelurahan of the same
    kecamatan the officer manages)."""
    with transaction.atomic():
        business = _business_lock(business_id)
        _business_require(actor, business)
        version_check(current=business.version, expected=expected_version, label=business.name)
        kelurahan = _kelurahan_get(draft.kelurahan_id)
        if kelurahan.pk != business.kelurahan_id:
            officer_require(
                user=actor,
                kecamatan_id=kelurahan.kecamatan_id,
                kelurahan_id=kelurahan.pk,
                not_found=_("Kelurahan tidak ditemukan."),
            )
        if kelurahan.kecamatan_id != business.kecamatan_id:
            message = _("UMKM hanya dapat dipindah ke kelurahan di kecamatan yang sama.")
            raise InvalidInput(message, field_errors={"kelurahan": [message]})
        clean = business_draft_clean(draft)
        retailers = _retailers_check(clean, kecamatan_id=business.kecamatan_id)
        _name_taken(kelurahan_id=kelurahan.pk, name=clean.name, exclude_id=business.pk)
        _apply(business, clean, kecamatan_id=business.kecamatan_id)
        business.version += 1
        business.save()
        business.retailers.set(retailers)
    return business


def business_guidance_set(
    *, actor: User, business_id: int, status: str, expected_version: int | None = None
) -> Business:
    """Move a business to another guidance status (binaan aktif, mandiri, tidak aktif, …)."""
    with transaction.atomic():
        business = _business_lock(business_id)
        _business_require(actor, business)
        version_check(current=business.version, expected=expected_version, label=business.name)
        if status not in GuidanceStatus.values:
            message = _("Pilih status binaan.")
            raise InvalidInput(message, field_errors={"guidance_status": [message]})
        if business.guidance_status != status:
            business.guidance_status = status
            business.version += 1
            business.save(update_fields=["guidance_status", "version", "updated_at"])
    return business


def business_publish_set(
    *, actor: User, business_id: int, is_public: bool, expected_version: int | None = None
) -> Business:
    """Show the business in the public catalogue, or hide it."""
    with transaction.atomic():
        business = _business_lock(business_id)
        _business_require(actor, business)
        version_check(current=business.version, expected=expected_version, label=business.name)
        if business.is_public != is_public:
            business.is_public = is_public
            business.version += 1
            business.save(update_fields=["is_public", "version", "updated_at"])
    return business


def product_add(
    *,
    actor: User,
    business_id: int,
    name: str,
    description: str = "",
    price_min: int | None = None,
    price_max: int | None = None,
    photo: PhotoUpload | None = None,
) -> Product:
    """Add a product to a business; its photo is cleaned before anything is stored."""
    prepared = photo_prepare(photo) if photo is not None else None
    with transaction.atomic():
        business = _business_lock(business_id)
        _business_require(actor, business)
        errors: dict[str, list[str]] = {}
        if not name.strip():
            errors["name"] = [_("Nama produk wajib diisi.")]
        if price_min is not None and price_max is not None and price_min > price_max:
            errors["price_max"] = [_("Harga tertinggi tidak boleh di bawah harga terendah.")]
        if errors:
            raise InvalidInput(_("Periksa kembali data produk."), field_errors=errors)
        product = Product(
            business=business,
            name=name.strip(),
            description=description.strip(),
            price_min=price_min,
            price_max=price_max,
        )
        if prepared is not None:
            photo_store(product.photo, product.thumbnail, prepared)
        product.save()
    return product


def product_photo_set(*, actor: User, product_id: int, photo: PhotoUpload) -> Product:
    """Replace a product's photo with a cleaned one."""
    prepared = photo_prepare(photo)
    with transaction.atomic():
        product = Product.objects.select_for_update().filter(pk=product_id).first()
        if product is None:
            raise NotFound(_("Produk tidak ditemukan."))
        _business_require(actor, Business.objects.get(pk=product.business_id))
        photo_store(product.photo, product.thumbnail, prepared)
        product.save(update_fields=["photo", "thumbnail", "updated_at"])
    return product


def training_record(
    *,
    actor: User,
    kecamatan_id: int,
    title: str,
    date: date,
    place: str,
    organiser: str,
    description: str = "",
) -> Training:
    """Record a training held (or planned) for the kecamatan's businesses."""
    with transaction.atomic():
        officer_require(
            user=actor,
            kecamatan_id=kecamatan_id,
            kelurahan_id=None,
            not_found=_("Kecamatan tidak ditemukan."),
        )
        errors = {
            key: [message]
            for key, value, message in (
                ("title", title, _("Judul pelatihan wajib diisi.")),
                ("place", place, _("Tempat pelatihan wajib diisi.")),
                ("organiser", organiser, _("Penyelenggara wajib diisi.")),
            )
            if not value.strip()
        }
        if errors:
            raise InvalidInput(_("Periksa kembali data pelatihan."), field_errors=errors)
        return Training.objects.create(
            kecamatan_id=kecamatan_id,
            title=title.strip(),
            date=date,
            place=place.strip(),
            organiser=organiser.strip(),
            description=description.strip(),
        )


def training_record_attendance(
    *, actor: User, training_id: int, attendance: Mapping[int, bool]
) -> list[TrainingAttendance]:
    """Record who was invited (business id → attended or not); repeating a call with the same
    answers changes nothing. Only businesses of the training's kecamatan may be listed."""
    with transaction.atomic():
        training = Training.objects.select_for_update().filter(pk=training_id).first()
        if training is None:
            raise NotFound(_("Pelatihan tidak ditemukan."))
        officer_require(
            user=actor,
            kecamatan_id=training.kecamatan_id,
            kelurahan_id=None,
            not_found=_("Pelatihan tidak ditemukan."),
        )
        ids = sorted(attendance)
        known = set(
            Business.objects.filter(pk__in=ids, kecamatan_id=training.kecamatan_id).values_list(
                "pk", flat=True
            )
        )
        if len(known) != len(ids):
            message = _("UMKM tidak ditemukan di kecamatan pelatihan ini.")
            raise InvalidInput(message, field_errors={"attendance": [message]})
        existing = {
            row.business_id: row
            for row in TrainingAttendance.objects.filter(training=training, business_id__in=ids)
        }
        rows: list[TrainingAttendance] = []
        for business_id in ids:
            attended = bool(attendance[business_id])
            row = existing.get(business_id)
            if row is None:
                row = TrainingAttendance.objects.create(
                    training=training, business_id=business_id, attended=attended
                )
            elif row.attended != attended:
                row.attended = attended
                row.save(update_fields=["attended", "recorded_at"])
            rows.append(row)
    return rows
