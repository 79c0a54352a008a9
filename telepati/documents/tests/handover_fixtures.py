"""Fixtures for the hand-over and delivery tests: a small catalogue, applications built in a
given state, the applicant as a `Citizen`, and a proof photo.

Applications are made directly (not through registration) so these tests depend only on the
hand-over services; the state is what matters here. A test module takes the fixtures
(`__all__`) with `from telepati.documents.tests.handover_fixtures import *` and imports the
constants and helpers it uses by name.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from freezegun import freeze_time
from PIL import Image

from telepati.accounts.models import Role, User
from telepati.accounts.tests.factories import MembershipFactory, UserFactory
from telepati.citizens.models import Citizen
from telepati.core.workdays import WIB
from telepati.documents.lifecycle import Status
from telepati.documents.models import Application, Channel, DocumentType, HandoverMode
from telepati.messaging.models import OutboundMessage

# Monday 2 November 2026, 10:00 WIB: a normal working morning, far from holidays.
MONDAY_MORNING = datetime(2026, 11, 2, 10, 0, tzinfo=WIB)
TUESDAY = date(2026, 11, 3)
WEDNESDAY = date(2026, 11, 4)
NEXT_MONDAY = date(2026, 11, 9)
DELIVERY_DAYS = [TUESDAY, WEDNESDAY, date(2026, 11, 5), date(2026, 11, 6), NEXT_MONDAY]

_codes = itertools.count(1)

__all__ = [
    "applicant",
    "issued",
    "ktp",
    "make_application",
    "monday",
    "other_courier",
    "out_for_delivery",
    "proof_photo",
    "scheduled",
    "sktm",
    "stranger",
]


@pytest.fixture
def monday() -> Iterator[None]:
    """Run the test on MONDAY_MORNING (services stamp their own now())."""
    with freeze_time(MONDAY_MORNING):
        yield


@pytest.fixture
def ktp(territory, amplas, amplas_service) -> DocumentType:
    return DocumentType.objects.create(
        kecamatan=amplas,
        code="ktp-el",
        name="KTP-el",
        short_name="KTP-el",
        handling_unit=amplas_service,
        requirements=["Fotokopi KK"],
    )


@pytest.fixture
def sktm(territory, amplas, amplas_service) -> DocumentType:
    """A letter signed at the office and only collected there."""
    return DocumentType.objects.create(
        kecamatan=amplas,
        code="sktm",
        name="Surat Keterangan Tidak Mampu",
        short_name="SKTM",
        handling_unit=amplas_service,
        via_disdukcapil=False,
        delivery_available=False,
    )


@pytest.fixture
def applicant(resident) -> Citizen:
    return Citizen.objects.create(name=resident.name, phone=resident.phone)


@pytest.fixture
def stranger() -> Citizen:
    return Citizen.objects.create(name="Rahmat Hidayat", phone="+6281200000999")


@pytest.fixture
def make_application(ktp, harjosari_i, applicant, amplas_service) -> Callable[..., Application]:
    """An application of the resident in `status` (default ISSUED); keywords override."""

    def _make(status: Status = Status.ISSUED, **overrides: Any) -> Application:
        fields: dict[str, Any] = {
            "code": f"D2611-{next(_codes):04d}",
            "channel": Channel.COUNTER,
            "kecamatan": harjosari_i.kecamatan,
            "kelurahan": harjosari_i,
            "document_type": ktp,
            "handling_unit": amplas_service,
            "applicant": applicant,
            "applicant_name": applicant.name,
            "phone": applicant.phone,
            "address": "Jl. Garu II No. 12",
            "status": status,
            "applied_at": MONDAY_MORNING.replace(day=26, month=10),
        }
        if status not in (Status.PRE_REGISTERED, Status.RECEIVED):
            fields["received_at"] = fields["applied_at"]
        if status in (
            Status.ISSUED,
            Status.READY_FOR_PICKUP,
            Status.DELIVERY_SCHEDULED,
            Status.OUT_FOR_DELIVERY,
        ):
            fields["issued_at"] = MONDAY_MORNING.replace(day=30, month=10)
        if status in (Status.DELIVERY_SCHEDULED, Status.OUT_FOR_DELIVERY):
            fields.update(
                handover_mode=HandoverMode.DELIVERY,
                delivery_address="Jl. Garu II No. 12, Harjosari I",
                delivery_date=TUESDAY,
            )
        if status == Status.READY_FOR_PICKUP:
            fields["handover_mode"] = HandoverMode.PICKUP
        fields.update(overrides)
        return Application.objects.create(**fields)

    return _make


@pytest.fixture
def issued(make_application) -> Application:
    return make_application(Status.ISSUED)


@pytest.fixture
def scheduled(make_application, courier) -> Application:
    """A delivery on Tuesday, assigned to the courier."""
    return make_application(Status.DELIVERY_SCHEDULED, courier=courier)


@pytest.fixture
def out_for_delivery(make_application, courier) -> Application:
    return make_application(Status.OUT_FOR_DELIVERY, courier=courier)


@pytest.fixture
def other_courier(territory, amplas_service) -> User:
    """A second courier of the kecamatan, to whom nothing is assigned."""
    user = UserFactory.create(username="kurir.dua")
    MembershipFactory.create(user=user, unit=amplas_service, role=Role.COURIER)
    return user


def jpeg_bytes(*, with_gps: bool = True, size: tuple[int, int] = (64, 48)) -> bytes:
    """A small JPEG, by default carrying EXIF with a GPS block (which cleaning must remove)."""
    image = Image.new("RGB", size, (200, 120, 40))
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    if with_gps:
        exif[0x8825] = {1: "N", 2: (3.0, 33.0, 0.0)}  # GPSInfo: latitude
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    return buffer.getvalue()


@pytest.fixture
def proof_photo() -> SimpleUploadedFile:
    return SimpleUploadedFile("serah-terima.jpg", jpeg_bytes(), content_type="image/jpeg")


def snapshot(application: Application) -> tuple[str, int, int, int, int]:
    """What a refused action must leave untouched: status, version, events, attempts, outbox."""
    application.refresh_from_db()
    return (
        application.status,
        application.version,
        application.events.count(),
        application.delivery_attempts.count(),
        OutboundMessage.objects.count(),
    )
