"""Fixtures of the bot's document tests: a small catalogue, applications in a given state,
and the two residents (Siti writes; Budi owns other applications).

Applications are created directly in the state a test needs (`application_make`); flows that
start from a real notice issue the document through the pipeline service.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from telepati.core.workdays import WIB
from telepati.documents.lifecycle import Status
from telepati.documents.models import Application, ApplicationEvent, Channel, DocumentType
from telepati.messaging.models import OutboundMessage
from telepati.whatsapp.tests.test_bot_support import Phone

SITI_PHONE = "+6281234567890"
BUDI_PHONE = "+6285261234567"
# Monday 2 November 2026, 10:00 WIB: a working morning, far from holidays.
MONDAY_MORNING = datetime(2026, 11, 2, 10, 0, tzinfo=WIB)
NIK = "1271094508900002"


@pytest.fixture
def phone(client, django_capture_on_commit_callbacks) -> Phone:
    return Phone(client, django_capture_on_commit_callbacks)


@pytest.fixture
def budi(client, django_capture_on_commit_callbacks) -> Phone:
    return Phone(
        client, django_capture_on_commit_callbacks, wa_id="6285261234567", name="Budi", bsuid="ID.2"
    )


@pytest.fixture
def ktp_type(amplas, amplas_service) -> DocumentType:
    return DocumentType.objects.create(
        kecamatan=amplas,
        code="ktp-el",
        name="KTP elektronik (KTP-el)",
        short_name="KTP-el",
        description="Rekam dan cetak KTP-el baru atau pengganti",
        requirements=["Fotokopi Kartu Keluarga", "Surat pengantar kelurahan"],
        handling_unit=amplas_service,
        target_days=5,
        delivery_available=True,
        sort_order=10,
    )


@pytest.fixture
def letter_type(amplas, amplas_service) -> DocumentType:
    """A letter signed at the office, collected there only."""
    return DocumentType.objects.create(
        kecamatan=amplas,
        code="sk-domisili",
        name="Surat Keterangan Domisili",
        short_name="SK Domisili",
        requirements=["KTP-el asli"],
        handling_unit=amplas_service,
        via_disdukcapil=False,
        target_days=1,
        delivery_available=False,
        sort_order=20,
    )


@pytest.fixture
def catalogue(ktp_type, letter_type) -> list[DocumentType]:
    return [ktp_type, letter_type]


def application_make(
    document_type: DocumentType,
    *,
    code: str,
    status: Status = Status.PROCESSING,
    phone: str = SITI_PHONE,
    **fields: Any,
) -> Application:
    applied = fields.pop("applied_at", timezone.now() - timedelta(days=3))
    values: dict[str, Any] = {
        "code": code,
        "channel": Channel.COUNTER,
        "kecamatan": document_type.kecamatan,
        "document_type": document_type,
        "handling_unit": document_type.handling_unit,
        "applicant_name": "Siti Aminah",
        "phone": phone,
        "nik": NIK,
        "address": "Jl. Garu II No. 5, gang Mawar",
        "status": status,
        "applied_at": applied,
    }
    values.update(fields)
    return Application.objects.create(**values)


def snapshot(application: Application) -> tuple[str, int, int, int, str, Any]:
    """What a refused action must leave unchanged (notices are the services' outbox rows)."""
    application.refresh_from_db()
    return (
        application.status,
        application.version,
        ApplicationEvent.objects.filter(application=application).count(),
        OutboundMessage.objects.filter(
            dedupe_key__startswith=f"application:{application.pk}:"
        ).count(),
        application.delivery_address,
        application.delivery_date,
    )
