"""Demo document applications: every state, made through the services, once.

Seeded once for the module on Monday 2 November 2026, 11:00 WIB (rolled back at the end):
reference data, the demo accounts, the catalogue, then the documents loader.
"""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from django.db import transaction
from freezegun import freeze_time
from PIL import Image

from telepati.core.workdays import WIB
from telepati.demo.loaders import DemoContext, demo_accounts_load, demo_lingkungan_load
from telepati.demo.reference import reference_seed
from telepati.documents.demo import DEMO_KEY_PREFIX, FATES, load_document_demo
from telepati.documents.lifecycle import Status
from telepati.documents.models import (
    Application,
    AttemptOutcome,
    Channel,
    DeliveryAttempt,
    DocumentType,
)
from telepati.documents.selectors_delivery import courier_day_list
from telepati.messaging.models import OutboundMessage
from telepati.org.models import Kecamatan, Kelurahan, Unit

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 2, 11, 0, tzinfo=WIB)
TODAY = date(2026, 11, 2)
TOMORROW = date(2026, 11, 3)

# Used only when the reference data brings no catalogue: a small one of each kind.
CATALOGUE = (
    ("ktp-el", "KTP elektronik (KTP-el)", "KTP-el", "pemerintahan", True, True),
    ("kartu-keluarga", "Kartu Keluarga (KK)", "Kartu Keluarga", "pemerintahan", True, True),
    ("sktm", "Surat Keterangan Tidak Mampu", "SKTM", "pelayanan-umum", False, False),
    ("surat-keterangan-usaha", "Surat Keterangan Usaha", "SKU", "pelayanan-umum", False, True),
)


def _catalogue_ensure() -> None:
    kecamatan = Kecamatan.objects.get(code="medan-amplas")
    if DocumentType.objects.filter(kecamatan=kecamatan).exists():
        return
    for code, name, short, unit, via, deliverable in CATALOGUE:
        DocumentType.objects.create(
            kecamatan=kecamatan,
            code=code,
            name=name,
            short_name=short,
            handling_unit=Unit.objects.get(code=f"medan-amplas--{unit}"),
            via_disdukcapil=via,
            delivery_available=deliverable,
        )


def _seed() -> DemoContext:
    context = DemoContext()
    with freeze_time(NOW):
        reference_seed()
        _catalogue_ensure()
        demo_accounts_load(context)
        demo_lingkungan_load(context)
        load_document_demo(context)
    return context


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield _seed()
        transaction.set_rollback(True)


def test_every_state_is_represented(seeded):
    assert set(Application.objects.values_list("status", flat=True)) == set(Status)
    assert Application.objects.count() == len(FATES)
    assert seeded.counts[-1].created == len(FATES)


def test_every_document_type_and_kelurahan_is_used(seeded):
    assert set(Application.objects.values_list("document_type", flat=True)) == set(
        DocumentType.objects.values_list("pk", flat=True)
    )
    amplas = Kelurahan.objects.filter(kecamatan__code="medan-amplas")
    assert set(Application.objects.values_list("kelurahan", flat=True)) == set(
        amplas.values_list("pk", flat=True)
    )


def test_every_channel_is_used_and_keys_mark_the_demo(seeded):
    assert set(Application.objects.values_list("channel", flat=True)) == set(Channel)
    keys = Application.objects.values_list("submission_key", flat=True)
    assert all((key or "").startswith(DEMO_KEY_PREFIX) for key in keys)


def test_residents_have_fake_medan_numbers_and_names(seeded):
    phones = set(Application.objects.values_list("phone", flat=True))
    assert all(phone.startswith("+62812000") and len(phone) == 14 for phone in phones)
    assert len(phones) == len(FATES)
    assert Application.objects.filter(applicant_name="Rina Siregar").exists()


def test_nothing_is_stamped_after_the_loader_ran(seeded):
    latest = max(
        value
        for row in Application.objects.values_list("applied_at", "issued_at", "handed_over_at")
        for value in row
        if value is not None
    )
    assert latest <= NOW
    assert Application.objects.filter(events__created_at__gt=NOW).count() == 0


def test_the_courier_has_a_round_today_and_tomorrow(seeded):
    from telepati.accounts.models import User

    courier = User.objects.get(username="kurir")
    with freeze_time(NOW):
        today = courier_day_list(courier=courier, day=TODAY)
        tomorrow = courier_day_list(courier=courier, day=TOMORROW)
    today_stops = [stop for group in today for stop in group.stops]
    assert {stop.status for stop in today_stops} == {
        Status.DELIVERY_SCHEDULED,
        Status.OUT_FOR_DELIVERY,
        Status.HANDED_OVER,
    }
    assert len([s for group in tomorrow for s in group.stops]) == 3


def test_one_delivery_has_a_photo_and_one_attempt_failed(seeded):
    delivered = DeliveryAttempt.objects.get(outcome=AttemptOutcome.DELIVERED)
    with delivered.photo.open("rb") as stored, Image.open(io.BytesIO(stored.read())) as image:
        assert image.format == "JPEG"
    failed = DeliveryAttempt.objects.get(outcome=AttemptOutcome.FAILED)
    assert failed.rescheduled_to == TOMORROW
    assert failed.application.status == Status.DELIVERY_SCHEDULED
    assert failed.application.delivery_date == TOMORROW


def test_running_it_again_adds_nothing(seeded):
    before = (
        Application.objects.count(),
        DeliveryAttempt.objects.count(),
        OutboundMessage.objects.count(),
    )
    context = DemoContext()
    with freeze_time(NOW):
        load_document_demo(context)
    assert context.counts[0].created == 0
    assert context.counts[0].existing == len(FATES)
    assert (
        Application.objects.count(),
        DeliveryAttempt.objects.count(),
        OutboundMessage.objects.count(),
    ) == before
