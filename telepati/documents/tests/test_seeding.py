"""Seeding the document catalogue per kecamatan: created once, admins' edits kept."""

from __future__ import annotations

import pytest

from telepati.documents.models import DocumentType
from telepati.documents.seeding import document_types_seed, document_types_seed_count
from telepati.org.services import territory_seed

pytestmark = pytest.mark.django_db


@pytest.fixture
def territory_seeded() -> None:
    territory_seed()


def test_the_catalogue_is_seeded_for_a_kecamatan(territory_seeded):
    assert document_types_seed(kecamatan_code="medan-amplas") == 10

    rows = DocumentType.objects.filter(kecamatan__code="medan-amplas").order_by("sort_order")
    assert [(t.code, t.handling_unit.code, t.via_disdukcapil) for t in rows] == [
        ("ktp-el", "medan-amplas--pemerintahan", True),
        ("kartu-keluarga", "medan-amplas--pemerintahan", True),
        ("kia", "medan-amplas--pemerintahan", True),
        ("akta-kelahiran", "medan-amplas--pemerintahan", True),
        ("akta-kematian", "medan-amplas--pemerintahan", True),
        ("surat-pindah", "medan-amplas--pemerintahan", True),
        ("surat-keterangan-domisili", "medan-amplas--pelayanan-umum", False),
        ("sktm", "medan-amplas--pelayanan-umum", False),
        ("surat-keterangan-usaha", "medan-amplas--pelayanan-umum", False),
        ("surat-keterangan-ahli-waris", "medan-amplas--pelayanan-umum", False),
    ]


def test_every_seeded_type_is_complete_and_free(territory_seeded):
    document_types_seed(kecamatan_code="medan-amplas")

    for document_type in DocumentType.objects.all():
        assert 0 < len(document_type.short_name) <= 24
        assert len(document_type.requirements) >= 3
        assert all(isinstance(item, str) and item for item in document_type.requirements)
        assert document_type.target_days >= 1
        assert document_type.fee_note == "Gratis (tidak dipungut biaya)"
        assert document_type.is_active


def test_seeding_again_creates_nothing_and_keeps_admins_edits(territory_seeded):
    document_types_seed(kecamatan_code="medan-amplas")
    DocumentType.objects.filter(code="ktp-el").update(target_days=14, requirements=["KK asli"])
    DocumentType.objects.filter(code="sktm").update(is_active=False)

    assert document_types_seed(kecamatan_code="medan-amplas") == 0

    ktp = DocumentType.objects.get(code="ktp-el")
    assert (ktp.target_days, ktp.requirements) == (14, ["KK asli"])
    assert DocumentType.objects.get(code="sktm").is_active is False


def test_a_deleted_type_comes_back_and_the_others_stay(territory_seeded):
    document_types_seed(kecamatan_code="medan-amplas")
    DocumentType.objects.filter(code="kia").delete()

    count = document_types_seed_count(kecamatan_code="medan-amplas")

    assert (count.created, count.existing) == (1, 9)
    assert str(count) == "Jenis dokumen: 1 dibuat, 9 sudah ada"


def test_the_count_defaults_to_the_deployments_kecamatan(territory_seeded):
    assert document_types_seed_count().created == 10


def test_each_kecamatan_gets_its_own_catalogue(territory_seeded, johor, johor_service):
    from telepati.org.tests.factories import UnitFactory

    UnitFactory.create(code="medan-johor--pemerintahan", kecamatan=johor)

    assert document_types_seed(kecamatan_code="medan-amplas") == 10
    assert document_types_seed(kecamatan_code="medan-johor") == 10
    assert DocumentType.objects.filter(code="ktp-el").count() == 2


def test_seeding_an_unknown_kecamatan_or_without_units_fails_clearly(territory_seeded, johor):
    with pytest.raises(ValueError, match="kecamatan 'medan-kota' is not seeded"):
        document_types_seed(kecamatan_code="medan-kota")
    with pytest.raises(ValueError, match="unit 'medan-johor--pemerintahan' is not seeded"):
        document_types_seed(kecamatan_code="medan-johor")
    assert DocumentType.objects.count() == 0
