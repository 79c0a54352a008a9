"""Delivery of an issued document to the resident's door, by a courier of the kecamatan.

    dijadwalkan antar ──assign (petugas)──▶ (kurir ditetapkan)
    dijadwalkan antar ──dispatch (kurir)──▶ dalam pengantaran ──record (foto bukti)──▶ diserahkan
                                                             └──fail (alasan)──▶ dijadwalkan antar

Document staff assign a courier who holds the courier role in the application's kecamatan;
only that courier dispatches and records the visit. Every visit is a `DeliveryAttempt`:
delivered (recipient, cleaned photo without EXIF, optional position) or failed (reason,
and either a new day or a request to the resident to choose again or pick up instead).
The photo is checked and cleaned before the transaction (CPU work); its refusal is raised
only after the access and lifecycle checks, so the errors come in the usual order.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from telepati.accounts.capabilities import Capability
from telepati.accounts.models import Membership, Role, User
from telepati.core.errors import InvalidInput, InvalidTransition
from telepati.core.formatting import day_format, resident_language
from telepati.documents import notices_handover as notices
from telepati.documents.lifecycle import Action, Status, transition_target
from telepati.documents.models import (
    Application,
    AttemptOutcome,
    DeliveryAttempt,
    EventKind,
)
from telepati.documents.services.common import (
    applicant_notify,
    application_lock,
    application_touch,
    event_append,
    now,
    officer_require,
    transition_record,
    version_check,
)
from telepati.documents.services.handover import (
    delivery_days_available,
    position_check,
    recipient_check,
)
from telepati.reports.models import AttachmentKind
from telepati.reports.services.media import PreparedUpload, upload_prepare

REASON_MAX_LENGTH = 1000


# --- Assignment ----------------------------------------------------------------------------


def delivery_assign(
    *, actor: User, application_id: int, courier_id: int, expected_version: int | None = None
) -> Application:
    """Give a scheduled delivery to a courier of the application's kecamatan."""
    with transaction.atomic():
        application = application_lock(application_id=application_id)
        officer_require(user=actor, application=application, capability=Capability.MANAGE_DOCUMENTS)
        version_check(application, expected_version)
        if application.status != Status.DELIVERY_SCHEDULED:
            raise InvalidTransition(
                _(
                    "Kurir hanya dapat ditetapkan untuk pengantaran yang dijadwalkan "
                    "(status %(status)s)."
                )
                % {"status": Status(application.status).label}
            )
        courier = _courier_of_kecamatan(courier_id, kecamatan_id=application.kecamatan_id)
        if application.courier_id == courier.pk:
            return application
        application_touch(application, fields={"courier": courier})
        event_append(
            application=application,
            kind=EventKind.DELIVERY,
            at=now(),
            actor=actor,
            message=_("Kurir ditetapkan: %(name)s.") % {"name": str(courier)},
            data={"courier_id": courier.pk},
        )
    return application


def _courier_of_kecamatan(courier_id: int, *, kecamatan_id: int) -> User:
    courier = (
        User.objects.filter(
            pk=courier_id,
            is_active=True,
            pk__in=Membership.objects.filter(
                role=Role.COURIER, is_active=True, unit__kecamatan_id=kecamatan_id
            ).values("user_id"),
        )
        .order_by()
        .first()
    )
    if courier is None:
        message = _("Pilih kurir yang bertugas di kecamatan permohonan ini.")
        raise InvalidInput(message, field_errors={"courier_id": [message]})
    return courier


# --- The courier's visit -------------------------------------------------------------------


def delivery_dispatch(*, courier: User, application_id: int) -> Application:
    """The courier leaves with the document; the resident is told to expect them."""
    with transaction.atomic():
        application = application_lock(application_id=application_id)
        officer_require(
            user=courier, application=application, capability=Capability.DELIVER_DOCUMENTS
        )
        transition_target(Action.DISPATCH, Status(application.status))
        if application.delivery_date is None:
            # After a failed attempt without a new day the resident chooses again first.
            message = _(
                "Warga belum memilih hari antar yang baru; pengantaran belum bisa berangkat."
            )
            raise InvalidInput(message, field_errors={"delivery_date": [message]})
        transition_record(
            application,
            Action.DISPATCH,
            at=now(),
            user=courier,
            message=_("Kurir berangkat mengantar dokumen."),
        )
        with resident_language():
            applicant_notify(
                application=application,
                key=f"dispatch:v{application.version}",
                text=notices.dispatch_text(application),
            )
    return application


def proof_photo_prepare(photo: UploadedFile | None) -> PreparedUpload:
    """Check and clean the proof photo with the complaint-photo rules (EXIF removed);
    documents (PDF) are not proof of a hand-over."""
    required = _("Lampirkan foto serah terima dokumen.")
    if photo is None:
        raise InvalidInput(required, field_errors={"photo": [required]})
    photo.seek(0)
    try:
        prepared = upload_prepare(name=photo.name or "", content=photo.read())
    except InvalidInput as error:
        raise InvalidInput(error.message, field_errors={"photo": [str(error.message)]}) from None
    if prepared.kind != AttachmentKind.PHOTO:
        message = _("Bukti serah terima harus berupa foto (JPG, PNG atau WebP).")
        raise InvalidInput(message, field_errors={"photo": [message]})
    return prepared


def delivery_record(
    *,
    courier: User,
    application_id: int,
    recipient_name: str,
    recipient_relation: str = "",
    photo: UploadedFile | None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> DeliveryAttempt:
    """The document was handed over at the door: who received it, with a photo as proof."""
    name = " ".join((recipient_name or "").split())
    relation = " ".join((recipient_relation or "").split())
    prepared: PreparedUpload | None = None
    refusal: InvalidInput | None = None
    try:
        prepared = proof_photo_prepare(photo)
    except InvalidInput as error:
        refusal = error
    with transaction.atomic():
        application = application_lock(application_id=application_id)
        officer_require(
            user=courier, application=application, capability=Capability.DELIVER_DOCUMENTS
        )
        transition_target(Action.DELIVER, Status(application.status))
        recipient_check(
            application,
            name=name,
            relation=relation,
            name_field="recipient_name",
            relation_field="recipient_relation",
        )
        position_check(latitude, longitude)
        if refusal is not None:
            raise refusal
        assert prepared is not None
        at = now()
        attempt = DeliveryAttempt(
            application=application,
            courier=courier,
            outcome=AttemptOutcome.DELIVERED,
            recipient_name=name,
            recipient_relation=relation,
            latitude=latitude,
            longitude=longitude,
            attempted_at=at,
        )
        attempt.photo.save(
            f"{application.code}-{prepared.sha256[:16]}{prepared.extension}",
            ContentFile(prepared.content),
            save=False,
        )
        attempt.save()
        transition_record(
            application,
            Action.DELIVER,
            at=at,
            user=courier,
            message=_("Dokumen diterima di alamat pemohon."),
            data={"attempt_id": attempt.pk, "received_by_name": name},
            fields={
                "received_by_name": name,
                "received_by_relation": relation,
                "handed_over_at": at,
                "handed_over_by": courier,
                "reminder_due_at": None,
            },
        )
        with resident_language():
            applicant_notify(
                application=application,
                key="handed_over",
                text=notices.handed_over_text(application, recipient_name=name, at=at),
            )
    return attempt


def delivery_fail(
    *, courier: User, application_id: int, reason: str, reschedule_to: date | None = None
) -> DeliveryAttempt:
    """Nobody home, wrong address…: the attempt is recorded and the delivery rescheduled to
    `reschedule_to` (an allowed delivery day) or left without a day for the resident to
    choose one again (or to come to the office)."""
    reason = (reason or "").strip()
    with transaction.atomic():
        application = application_lock(application_id=application_id)
        officer_require(
            user=courier, application=application, capability=Capability.DELIVER_DOCUMENTS
        )
        transition_target(Action.DELIVERY_FAIL, Status(application.status))
        if not reason:
            message = _("Tulis alasan pengantaran gagal.")
            raise InvalidInput(message, field_errors={"reason": [message]})
        if len(reason) > REASON_MAX_LENGTH:
            message = _("Alasan terlalu panjang (maksimal %(n)d huruf).") % {"n": REASON_MAX_LENGTH}
            raise InvalidInput(message, field_errors={"reason": [message]})
        if reschedule_to is not None:
            allowed = delivery_days_available(application=application)
            if reschedule_to not in allowed:
                message = _("Pilih salah satu hari antar: %(days)s.") % {
                    "days": "; ".join(day_format(d) for d in allowed)
                }
                raise InvalidInput(message, field_errors={"reschedule_to": [message]})
        at = now()
        attempt = DeliveryAttempt.objects.create(
            application=application,
            courier=courier,
            outcome=AttemptOutcome.FAILED,
            reason=reason,
            attempted_at=at,
            rescheduled_to=reschedule_to,
        )
        transition_record(
            application,
            Action.DELIVERY_FAIL,
            at=at,
            user=courier,
            message=_("Pengantaran belum berhasil: %(reason)s") % {"reason": reason},
            data={
                "attempt_id": attempt.pk,
                "rescheduled_to": reschedule_to.isoformat() if reschedule_to else None,
            },
            fields={"delivery_date": reschedule_to},
        )
        with resident_language():
            applicant_notify(
                application=application,
                key=f"attempt:{attempt.pk}",
                text=notices.delivery_failed_text(
                    application, reason=reason, rescheduled_to=reschedule_to
                ),
                interactive=(
                    notices.choose_again_buttons(application) if reschedule_to is None else None
                ),
            )
    return attempt
