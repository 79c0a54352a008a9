"""Registration: an application starts at the counter or as a resident's pre-registration.

- `application_register`: counter staff record the file they received (berkas diterima):
  status RECEIVED, channel COUNTER, the target date (`due_at`) starts running at once.
- `application_preregister`: a resident announces an application on the web or WhatsApp
  (pra-pendaftaran): status PRE_REGISTERED, no target date yet; the notice lists what to
  bring to the office.
- `application_accept`: the counter receives a pre-registered file: PRE_REGISTERED →
  RECEIVED, and the clock starts.

Each creates the applicant's contact (`citizen_get_or_create`), a D-code from the shared
counter (`D2611-0007`), the first public timeline event and the notice, in one transaction.
A door that may resend passes a `submission_key`; the same key returns the application
already made instead of a second one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from telepati.accounts.capabilities import Capability
from telepati.accounts.models import User
from telepati.accounts.selectors import officer_scope_get
from telepati.citizens.models import Citizen
from telepati.citizens.services import citizen_get_or_create
from telepati.core.errors import Forbidden, InvalidInput, NotFound
from telepati.core.phone import PhoneNumber, phone_normalize
from telepati.core.sequences import tracking_code_next
from telepati.documents import notices
from telepati.documents.lifecycle import Action, Status
from telepati.documents.models import Application, Channel, DocumentType, EventKind
from telepati.documents.services.common import (
    CODE_PREFIX,
    applicant_notify,
    application_lock,
    deadline,
    documents_manage_allowed,
    event_append,
    nik_clean,
    now,
    officer_require,
    transition_record,
    version_check,
)
from telepati.org.models import Kelurahan

NAME_MAX_LENGTH = 120
ADDRESS_MAX_LENGTH = 255
NOTES_MAX_LENGTH = 2000


@dataclass(frozen=True)
class ApplicationDraft:
    """What a door collected for a new application (counter form, web form, WhatsApp bot)."""

    document_type_id: int
    applicant_name: str
    phone: str
    nik: str = ""
    kelurahan_id: int | None = None
    address: str = ""
    notes: str = ""
    submission_key: str | None = None
    applied_at: datetime | None = None
    wa_bsuid: str = ""


@dataclass(frozen=True)
class _Clean:
    name: str
    phone: PhoneNumber
    nik: str
    kelurahan: Kelurahan | None
    address: str
    notes: str


def application_register(*, actor: User, draft: ApplicationDraft) -> Application:
    """Counter staff record a received file: RECEIVED, due date running, notice sent."""
    existing = _by_submission_key(draft.submission_key)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            document_type = _document_type_get(draft.document_type_id)
            _register_allowed(actor=actor, document_type=document_type, draft=draft)
            clean = _draft_clean(draft, document_type)
            at = draft.applied_at or now()
            application = _application_create(
                draft=draft,
                clean=clean,
                document_type=document_type,
                at=at,
                channel=Channel.COUNTER,
                status=Status.RECEIVED,
                registered_by=actor,
            )
            event_append(
                application=application,
                kind=EventKind.CREATED,
                at=at,
                to_status=Status.RECEIVED,
                actor=actor,
                is_public=True,
                message=_("Berkas diterima di loket."),
            )
            _notify_received(application)
            return application
    except IntegrityError:
        existing = _by_submission_key(draft.submission_key)
        if existing is None:
            raise
        return existing


def application_preregister(
    *, draft: ApplicationDraft, channel: Channel, citizen: Citizen | None = None
) -> Application:
    """A resident pre-registers on the web or WhatsApp: PRE_REGISTERED, no due date yet."""
    existing = _by_submission_key(draft.submission_key)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            document_type = _document_type_get(draft.document_type_id)
            clean = _draft_clean(draft, document_type)
            at = draft.applied_at or now()
            application = _application_create(
                draft=draft,
                clean=clean,
                document_type=document_type,
                at=at,
                channel=channel,
                status=Status.PRE_REGISTERED,
                citizen=citizen,
            )
            event_append(
                application=application,
                kind=EventKind.CREATED,
                at=at,
                to_status=Status.PRE_REGISTERED,
                actor_citizen=application.applicant,
                is_public=True,
                message=_("Pra-pendaftaran melalui %(channel)s.")
                % {"channel": Channel(channel).label},
            )
            applicant_notify(
                application=application,
                key="preregistered",
                text=notices.preregistered_text(application),
                template_name=notices.TEMPLATE_STATUS,
                template_params=notices.template_status_params(application),
            )
            return application
    except IntegrityError:
        existing = _by_submission_key(draft.submission_key)
        if existing is None:
            raise
        return existing


def application_accept(
    *, actor: User, application_id: int, expected_version: int | None = None
) -> Application:
    """The counter receives a pre-registered file: RECEIVED, and the target date starts."""
    with transaction.atomic():
        application = application_lock(application_id=application_id)
        officer_require(user=actor, application=application, capability=Capability.MANAGE_DOCUMENTS)
        version_check(application, expected_version)
        at = now()
        transition_record(
            application,
            Action.ACCEPT,
            at=at,
            user=actor,
            message=_("Berkas diterima di loket."),
            fields={
                "received_at": at,
                "due_at": deadline(start=at, days=application.document_type.target_days),
                "registered_by": application.registered_by or actor,
            },
        )
        _notify_received(application)
        return application


# --- Helpers -----------------------------------------------------------------------------


def _by_submission_key(key: str | None) -> Application | None:
    if not key:
        return None
    return Application.objects.filter(submission_key=key).first()


def _document_type_get(document_type_id: int) -> DocumentType:
    document_type = (
        DocumentType.objects.select_related("kecamatan", "handling_unit")
        .filter(pk=document_type_id, is_active=True)
        .first()
    )
    if document_type is None:
        message = _("Jenis dokumen tidak ditemukan.")
        raise InvalidInput(message, field_errors={"document_type": [message]})
    return document_type


def _register_allowed(*, actor: User, document_type: DocumentType, draft: ApplicationDraft) -> None:
    """The counter of the document type's kecamatan (desk, handling unit, kantor kelurahan)."""
    scope = officer_scope_get(user=actor)
    kecamatan_ids = {grant.kecamatan_id for grant in scope.grants}
    if not scope.is_superuser and document_type.kecamatan_id not in kecamatan_ids:
        raise NotFound(_("Jenis dokumen tidak ditemukan."))
    if not scope.can(Capability.MANAGE_DOCUMENTS):
        raise Forbidden(_("Peran Anda tidak berwenang mencatat permohonan dokumen."))
    if not documents_manage_allowed(
        scope,
        kecamatan_id=document_type.kecamatan_id,
        handling_unit_id=document_type.handling_unit_id,
        kelurahan_id=draft.kelurahan_id,
    ):
        raise Forbidden(
            _("Anda hanya dapat mencatat permohonan warga di wilayah atau unit kerja Anda.")
        )


def _draft_clean(draft: ApplicationDraft, document_type: DocumentType) -> _Clean:
    """Validate a draft; every problem is reported at once, per field, in Indonesian."""
    errors: dict[str, list[str]] = {}

    name = " ".join(draft.applicant_name.split())
    if not name:
        errors.setdefault("applicant_name", []).append(_("Nama pemohon wajib diisi."))
    elif len(name) > NAME_MAX_LENGTH:
        errors.setdefault("applicant_name", []).append(
            _("Nama terlalu panjang (maksimal %(n)d karakter).") % {"n": NAME_MAX_LENGTH}
        )

    phone: PhoneNumber | None = None
    try:
        phone = phone_normalize(draft.phone)
    except ValidationError as exc:
        errors.setdefault("phone", []).extend(exc.messages)

    nik = ""
    try:
        nik = nik_clean(draft.nik)
    except InvalidInput as exc:
        for field, messages in exc.field_errors.items():
            errors.setdefault(field, []).extend(messages)

    kelurahan = None
    if draft.kelurahan_id is not None:
        kelurahan = Kelurahan.objects.filter(pk=draft.kelurahan_id, is_active=True).first()
        if kelurahan is None or kelurahan.kecamatan_id != document_type.kecamatan_id:
            errors.setdefault("kelurahan", []).append(
                _("Pilih kelurahan di Kecamatan %(kecamatan)s.")
                % {"kecamatan": document_type.kecamatan.name}
            )
            kelurahan = None

    address = " ".join(draft.address.split())
    if len(address) > ADDRESS_MAX_LENGTH:
        errors.setdefault("address", []).append(
            _("Alamat terlalu panjang (maksimal %(n)d karakter).") % {"n": ADDRESS_MAX_LENGTH}
        )
    notes = draft.notes.strip()
    if len(notes) > NOTES_MAX_LENGTH:
        errors.setdefault("notes", []).append(
            _("Catatan terlalu panjang (maksimal %(n)d karakter).") % {"n": NOTES_MAX_LENGTH}
        )

    if errors:
        raise InvalidInput(
            _("Permohonan belum lengkap. Periksa isian yang ditandai."), field_errors=errors
        )
    assert phone is not None
    return _Clean(name, phone, nik, kelurahan, address, notes)


def _application_create(
    *,
    draft: ApplicationDraft,
    clean: _Clean,
    document_type: DocumentType,
    at: datetime,
    channel: Channel,
    status: Status,
    registered_by: User | None = None,
    citizen: Citizen | None = None,
) -> Application:
    applicant = citizen or citizen_get_or_create(
        phone=clean.phone, wa_bsuid=draft.wa_bsuid, name=clean.name
    )
    received = status == Status.RECEIVED
    return Application.objects.create(
        code=tracking_code_next(prefix=CODE_PREFIX, at=at),
        submission_key=draft.submission_key or None,
        channel=channel,
        registered_by=registered_by,
        kecamatan=document_type.kecamatan,
        kelurahan=clean.kelurahan,
        document_type=document_type,
        handling_unit=document_type.handling_unit,
        applicant=applicant,
        applicant_name=clean.name,
        phone=clean.phone.e164,
        nik=clean.nik,
        address=clean.address,
        notes=clean.notes,
        status=status,
        applied_at=at,
        received_at=at if received else None,
        due_at=deadline(start=at, days=document_type.target_days) if received else None,
    )


def _notify_received(application: Application) -> None:
    applicant_notify(
        application=application,
        key="received",
        text=notices.received_text(application),
        template_name=notices.TEMPLATE_STATUS,
        template_params=notices.template_status_params(application),
    )
