"""Fixtures for the documents domain: two document types, the adminduk section, a register
helper and applications in each state.

Applications are made through the real services (`application_register`,
`application_preregister`, the pipeline), never by hand, so every test starts from a row
the application itself could have produced. `application_at(status)` walks one there.

Extra persona: `document_staff`, staff of Seksi Pemerintahan (the unit that handles
adminduk in Kecamatan Medan Amplas, and the KTP-el type's handling unit).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from telepati.accounts.models import Role, User
from telepati.accounts.tests.factories import MembershipFactory, UserFactory
from telepati.core.workdays import WIB
from telepati.documents.lifecycle import Status
from telepati.documents.models import Application, Channel, DocumentType
from telepati.documents.services import pipeline
from telepati.documents.services.registration import (
    ApplicationDraft,
    application_preregister,
    application_register,
)
from telepati.org.models import Unit
from telepati.org.tests.factories import UnitFactory

# Monday 2 November 2026, 10:00 WIB: a normal working morning, far from holidays.
MONDAY_MORNING = datetime(2026, 11, 2, 10, 0, tzinfo=WIB)
NIK = "1271094508900002"  # a woman born 5 August 1990 (day + 40), Kota Medan


@pytest.fixture
def amplas_government(amplas) -> Unit:
    return UnitFactory.create(
        code="medan-amplas--pemerintahan", name="Seksi Pemerintahan", kecamatan=amplas
    )


@pytest.fixture
def document_staff(territory, amplas_government) -> User:
    user = UserFactory.create(username="staf.pemerintahan")
    MembershipFactory.create(user=user, unit=amplas_government, role=Role.STAFF)
    return user


@pytest.fixture
def ktp_type(amplas, amplas_government) -> DocumentType:
    return DocumentType.objects.create(
        kecamatan=amplas,
        code="ktp-el",
        name="KTP elektronik (KTP-el)",
        short_name="KTP-el",
        requirements=["Fotokopi Kartu Keluarga", "Surat pengantar kelurahan"],
        handling_unit=amplas_government,
        via_disdukcapil=True,
        target_days=5,
        delivery_available=True,
    )


@pytest.fixture
def letter_type(amplas, amplas_service) -> DocumentType:
    """A letter the kecamatan signs itself, collected at the office only."""
    return DocumentType.objects.create(
        kecamatan=amplas,
        code="surat-keterangan-domisili",
        name="Surat Keterangan Domisili",
        short_name="SK Domisili",
        requirements=["KTP-el asli", "Surat pengantar RT/lingkungan"],
        handling_unit=amplas_service,
        via_disdukcapil=False,
        target_days=1,
        delivery_available=False,
    )


def draft_for(document_type: DocumentType, **overrides: Any) -> ApplicationDraft:
    fields: dict[str, Any] = {
        "document_type_id": document_type.pk,
        "applicant_name": "Siti Aminah",
        "phone": "0812-3456-7890",
        "nik": NIK,
        "address": "Jl. Garu II No. 12",
        "applied_at": MONDAY_MORNING,
    }
    fields.update(overrides)
    return ApplicationDraft(**fields)


@pytest.fixture
def register(ktp_type, harjosari_i, desk_operator) -> Callable[..., Application]:
    """Register a KTP-el file at the counter as the desk operator; keyword arguments
    override the draft (`actor=` and `document_type=` too)."""

    def _register(**overrides: Any) -> Application:
        actor = overrides.pop("actor", desk_operator)
        document_type = overrides.pop("document_type", ktp_type)
        overrides.setdefault("kelurahan_id", harjosari_i.pk)
        return application_register(actor=actor, draft=draft_for(document_type, **overrides))

    return _register


@pytest.fixture
def preregister(ktp_type, harjosari_i) -> Callable[..., Application]:
    def _preregister(**overrides: Any) -> Application:
        channel = overrides.pop("channel", Channel.WEB)
        document_type = overrides.pop("document_type", ktp_type)
        overrides.setdefault("kelurahan_id", harjosari_i.pk)
        return application_preregister(draft=draft_for(document_type, **overrides), channel=channel)

    return _preregister


@pytest.fixture
def application(register) -> Application:
    return register()


# How each state is reached from RECEIVED with the services of this app.
_PATHS: dict[Status, list[str]] = {
    Status.RECEIVED: [],
    Status.PROCESSING: ["process"],
    Status.NEEDS_FIX: ["process", "request_fix"],
    Status.SUBMITTED: ["process", "submit"],
    Status.ISSUED: ["process", "submit", "issue"],
    Status.REJECTED: ["reject"],
    Status.CANCELLED: ["cancel"],
}
# States the hand-over services reach; set directly (their own tests cover the way there).
_HANDOVER_STATES = {
    Status.READY_FOR_PICKUP,
    Status.DELIVERY_SCHEDULED,
    Status.OUT_FOR_DELIVERY,
    Status.HANDED_OVER,
}


def walk(application: Application, steps: list[str], actor: User) -> Application:
    for step in steps:
        kwargs: dict[str, Any] = {"actor": actor, "application_id": application.pk}
        if step == "request_fix":
            kwargs["fix_note"] = "Fotokopi Kartu Keluarga belum dilampirkan."
        if step in ("reject", "cancel"):
            kwargs["reason"] = "Pemohon bukan warga Kecamatan Medan Amplas."
        application = getattr(pipeline, f"application_{step}")(**kwargs)
    return application


@pytest.fixture
def application_at(register, preregister, desk_operator) -> Callable[[Status], Application]:
    """A fresh application in `status`, reached through the services where this app can."""

    def _at(status: Status, **overrides: Any) -> Application:
        if status == Status.PRE_REGISTERED:
            return preregister(**overrides)
        if status in _HANDOVER_STATES:
            application = walk(register(**overrides), _PATHS[Status.ISSUED], desk_operator)
            Application.objects.filter(pk=application.pk).update(status=status)
            application.refresh_from_db()
            return application
        return walk(register(**overrides), _PATHS[status], desk_operator)

    return _at
