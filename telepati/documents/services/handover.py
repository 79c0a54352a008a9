"""The resident's choice after a document is issued, and the hand-over at the office.

    terbit ──choose_pickup──▶ siap diambil ──hand_over (petugas, KTP-el diperiksa)──▶ diserahkan
       │                        ▲      │
       └──choose_delivery──▶ dijadwalkan antar ──(delivery.py: kurir)──▶ diserahkan

The resident (button "Ambil di kantor" / "Antar ke rumah" on WhatsApp, or the web) or an
officer on their behalf chooses pick-up or delivery, and may change their mind until the
courier leaves; a delivery day is one of the next working days (`delivery_days_available`).
Choosing pick-up releases the courier. Repeating the same choice changes nothing and sends
nothing. The courier's side (assign, dispatch, proof, failed attempt) is in `delivery.py`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from telepati.accounts.capabilities import Capability
from telepati.accounts.models import User
from telepati.citizens.models import Citizen
from telepati.core.errors import InvalidInput
from telepati.core.formatting import day_format, resident_language
from telepati.core.selectors import work_calendar_get
from telepati.core.workdays import WorkCalendar, next_working_day
from telepati.documents import notices_handover as notices
from telepati.documents.lifecycle import Action, Status, transition_target
from telepati.documents.models import Application, HandoverMode
from telepati.documents.services.common import (
    applicant_notify,
    applicant_require,
    application_lock,
    deadline,
    now,
    officer_require,
    transition_record,
    version_check,
)
from telepati.documents.services.reminders import reminder_days, reminder_max

DELIVERY_DAYS_OFFERED = 5
ADDRESS_MAX_LENGTH = 255
NAME_MAX_LENGTH = 120
RELATION_MAX_LENGTH = 60


def delivery_days_available(
    *, application: Application, today: date | None = None, calendar: WorkCalendar | None = None
) -> list[date]:
    """The days a courier may come: the next DELIVERY_DAYS_OFFERED working days from tomorrow.

    `application` is part of the signature so a later rule (e.g. per-kecamatan courier days)
    needs no change at the call sites; today every application gets the office calendar.
    """
    calendar = calendar or work_calendar_get()
    day = today or timezone.localdate()
    days: list[date] = []
    while len(days) < DELIVERY_DAYS_OFFERED:
        day = next_working_day(calendar, day)
        days.append(day)
    return days


def _actor_check(application: Application, *, citizen: Citizen | None, actor: User | None) -> None:
    """The resident themselves, or document staff acting for them."""
    if (citizen is None) == (actor is None):
        raise ValueError("pass exactly one of citizen= or actor=")
    if citizen is not None:
        applicant_require(application=application, citizen=citizen)
    else:
        assert actor is not None
        officer_require(user=actor, application=application, capability=Capability.MANAGE_DOCUMENTS)


def application_choose_pickup(
    *, application_id: int, citizen: Citizen | None = None, actor: User | None = None
) -> Application:
    """The resident will collect the document at the office; they get hours and what to bring."""
    with transaction.atomic():
        application = application_lock(application_id=application_id)
        _actor_check(application, citizen=citizen, actor=actor)
        if application.status == Status.READY_FOR_PICKUP:
            return application  # the same choice again (a second tap on the button)
        at = now()
        transition_record(
            application,
            Action.CHOOSE_PICKUP,
            at=at,
            user=actor,
            citizen=citizen,
            message=_("Dokumen akan diambil di kantor."),
            fields={
                "handover_mode": HandoverMode.PICKUP,
                "courier": None,
                "delivery_date": None,
                # The pick-up reminders count from this choice (not from a passed date set
                # before the resident asked for delivery).
                "reminder_due_at": (
                    deadline(start=at, days=reminder_days())
                    if application.reminders_sent < reminder_max()
                    else None
                ),
            },
        )
        with resident_language():
            applicant_notify(
                application=application,
                key=f"pickup:v{application.version}",
                text=notices.pickup_text(application),
            )
    return application


def _delivery_input_check(
    application: Application,
    *,
    address: str,
    day: date,
    latitude: Decimal | None,
    longitude: Decimal | None,
) -> None:
    errors: dict[str, list[str]] = {}
    if not application.document_type.delivery_available:
        message = _("Dokumen %(document)s tidak dapat diantar; silakan ambil di kantor.") % {
            "document": application.document_type.name
        }
        raise InvalidInput(message, field_errors={"handover_mode": [message]})
    if not address:
        errors["address"] = [_("Tulis alamat pengantaran.")]
    elif len(address) > ADDRESS_MAX_LENGTH:
        errors["address"] = [
            _("Alamat terlalu panjang (maksimal %(n)d huruf).") % {"n": ADDRESS_MAX_LENGTH}
        ]
    allowed = delivery_days_available(application=application)
    if day not in allowed:
        errors["day"] = [
            _("Pilih salah satu hari antar: %(days)s.")
            % {"days": "; ".join(day_format(d) for d in allowed)}
        ]
    if errors:
        first = next(iter(errors.values()))[0]
        raise InvalidInput(first, field_errors=errors)
    position_check(latitude, longitude)


def position_check(latitude: Decimal | None, longitude: Decimal | None) -> None:
    """A map position is both coordinates or neither, and on the globe."""
    if (latitude is None) != (longitude is None):
        message = _("Lintang dan bujur harus diisi keduanya atau dikosongkan.")
        raise InvalidInput(message, field_errors={"latitude": [message]})
    outside = (
        latitude is not None
        and longitude is not None
        and not (-90 <= latitude <= 90 and -180 <= longitude <= 180)
    )
    if outside:
        message = _("Titik lokasi tidak valid.")
        raise InvalidInput(message, field_errors={"latitude": [message]})


def application_choose_delivery(
    *,
    application_id: int,
    address: str,
    day: date,
    citizen: Citizen | None = None,
    actor: User | None = None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> Application:
    """Deliver the document to `address` on `day` (one of `delivery_days_available`).

    Allowed until the courier leaves (a new day or a corrected address while scheduled);
    a courier already assigned stays assigned.
    """
    address = " ".join((address or "").split())
    with transaction.atomic():
        application = application_lock(application_id=application_id)
        _actor_check(application, citizen=citizen, actor=actor)
        transition_target(Action.CHOOSE_DELIVERY, Status(application.status))
        _delivery_input_check(
            application, address=address, day=day, latitude=latitude, longitude=longitude
        )
        unchanged = (
            application.status == Status.DELIVERY_SCHEDULED
            and application.delivery_address == address
            and application.delivery_date == day
            and application.delivery_latitude == latitude
            and application.delivery_longitude == longitude
        )
        if unchanged:
            return application
        transition_record(
            application,
            Action.CHOOSE_DELIVERY,
            at=now(),
            user=actor,
            citizen=citizen,
            message=_("Dokumen dijadwalkan diantar pada %(day)s.") % {"day": day_format(day)},
            data={"day": day.isoformat()},
            fields={
                "handover_mode": HandoverMode.DELIVERY,
                "delivery_address": address,
                "delivery_date": day,
                "delivery_latitude": latitude,
                "delivery_longitude": longitude,
            },
        )
        with resident_language():
            applicant_notify(
                application=application,
                key=f"delivery:{day.isoformat()}:v{application.version}",
                text=notices.delivery_scheduled_text(application),
            )
    return application


def recipient_check(
    application: Application, *, name: str, relation: str, name_field: str, relation_field: str
) -> None:
    """Who received the document: a name, and how they relate to the applicant when it is
    someone else (names compared trimmed and case-insensitively)."""
    if not name:
        message = _("Tulis nama penerima dokumen.")
        raise InvalidInput(message, field_errors={name_field: [message]})
    if len(name) > NAME_MAX_LENGTH:
        message = _("Nama penerima terlalu panjang (maksimal %(n)d huruf).") % {
            "n": NAME_MAX_LENGTH
        }
        raise InvalidInput(message, field_errors={name_field: [message]})
    if len(relation) > RELATION_MAX_LENGTH:
        message = _("Hubungan terlalu panjang (maksimal %(n)d huruf).") % {"n": RELATION_MAX_LENGTH}
        raise InvalidInput(message, field_errors={relation_field: [message]})
    applicant = " ".join(application.applicant_name.split()).casefold()
    if name.casefold() != applicant and not relation:
        message = _(
            "Penerima bukan pemohon: tulis hubungannya dengan pemohon (mis. suami, anak, "
            "penerima kuasa)."
        )
        raise InvalidInput(message, field_errors={relation_field: [message]})


def application_hand_over(
    *,
    actor: User,
    application_id: int,
    received_by_name: str,
    received_by_relation: str = "",
    identity_checked: bool,
    expected_version: int | None = None,
) -> Application:
    """The document is handed over at the office, after the recipient's ID was checked."""
    name = " ".join((received_by_name or "").split())
    relation = " ".join((received_by_relation or "").split())
    with transaction.atomic():
        application = application_lock(application_id=application_id)
        officer_require(user=actor, application=application, capability=Capability.MANAGE_DOCUMENTS)
        version_check(application, expected_version)
        transition_target(Action.HAND_OVER, Status(application.status))
        if not identity_checked:
            message = _("Periksa KTP-el/identitas penerima terlebih dahulu.")
            raise InvalidInput(message, field_errors={"identity_checked": [message]})
        recipient_check(
            application,
            name=name,
            relation=relation,
            name_field="received_by_name",
            relation_field="received_by_relation",
        )
        at = now()
        transition_record(
            application,
            Action.HAND_OVER,
            at=at,
            user=actor,
            message=_("Dokumen diserahkan di kantor."),
            data={"received_by_name": name, "received_by_relation": relation},
            fields={
                "handover_mode": HandoverMode.PICKUP,
                "received_by_name": name,
                "received_by_relation": relation,
                "identity_checked": True,
                "handed_over_at": at,
                "handed_over_by": actor,
                "reminder_due_at": None,
            },
        )
        with resident_language():
            applicant_notify(
                application=application,
                key="handed_over",
                text=notices.handed_over_text(application, recipient_name=name, at=at),
            )
    return application
